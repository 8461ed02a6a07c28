import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { AppError } from '../core/errors.js';
import { applyMigrations } from './migrate.js';
import { exposeTransactions } from './sql.js';
import { ThreadedPGlite } from './pglite-thread.js';
import { PGLITE_START_PARAMS, createFolderInChild, isNewFolder } from './pglite-folder.js';

import type { Db } from './client-types.js';

export type { Db, Tx } from './client-types.js';

export interface DatabaseOptions {
  /** A postgres:// URL; without one, the embedded PGlite database in `dataDir`. */
  url?: string;
  /** Where the embedded database lives; `memory://` keeps it in memory (tests). */
  dataDir: string;
}

export interface Database {
  prisma: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data is, for logs: a folder or the server URL without its password. */
  location: string;
  /** Migrations this opening applied (empty when the schema was current). */
  applied: string[];
  /** The embedded database's folder did not exist: this opening made a new, empty database. */
  created?: boolean;
  close(): Promise<void>;
}

/** Opens the database, applies pending migrations, and returns a Prisma client on it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const factory = new PrismaPg({ connectionString: url, onConnect: keepConnectionErrors });
  const applied = await migrate(factory, redact(url));
  // The chat's hot path reaches Prisma's connection and transactions as plain SQL (src/db/sql.ts).
  const exposed = exposeTransactions(factory);
  const prisma = new PrismaClient({ adapter: exposed });
  exposed.bindClient(prisma);
  return {
    prisma,
    kind: 'postgres',
    location: redact(url),
    applied,
    close: () => prisma.$disconnect(),
  };
}

/**
 * Every pooled connection keeps a listener for its 'error' event. The pool removes its own when it hands a
 * connection out, and the adapter adds one only after an `await`: a server shutting down can terminate a
 * fresh connection in that gap (`57P01` in the same packet as the first ReadyForQuery), and an 'error'
 * event nobody listens to would crash the process (docs/drills.md). The failure itself still reaches the
 * statement: a connection that had it refuses queries, and the turn is kept by the outage guard.
 */
function keepConnectionErrors(client: { on(event: 'error', listener: (error: Error) => void): unknown }): void {
  client.on('error', () => {});
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const folder = inMemory ? dataDir : path.join(dataDir, 'pglite');
  const releaseLock = inMemory ? async () => {} : await lockDataDir(dataDir);
  try {
    // A new folder is made by a child process, so that this one only ever opens an existing database.
    const created = !inMemory && (await isNewFolder(folder)) ? await create(folder) : [];
    // PostgreSQL's WebAssembly runs on a thread of its own, beside the chat's JavaScript.
    const pglite = await ThreadedPGlite.open(folder, { startParams: PGLITE_START_PARAMS });
    const factory = new PrismaPGlite(pglite);
    // A database that cannot be migrated is closed again: its thread would keep the process alive.
    const applied = [...created, ...(await migrate(factory, folder).catch(async (error: unknown) => {
      await pglite.close().catch(() => {});
      throw error;
    }))];
    const exposed = exposeTransactions(factory, pglite);
    const prisma = new PrismaClient({ adapter: exposed });
    exposed.bindClient(prisma);
    return {
      prisma,
      kind: 'pglite',
      location: folder,
      applied,
      ...(created.length > 0 ? { created: true } : {}),
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

async function create(folder: string): Promise<string[]> {
  try {
    return await createFolderInChild(folder);
  } catch (cause) {
    throw new AppError('database_unavailable', `cannot create the database at ${folder}`, { cause });
  }
}

async function migrate(factory: SqlMigrationAwareDriverAdapterFactory, location: string): Promise<string[]> {
  try {
    return await applyMigrations(factory);
  } catch (cause) {
    throw new AppError('database_unavailable', `cannot open or migrate the database at ${location}`, { cause });
  }
}

/*
 * PGlite is a single-process database: two processes writing one folder would corrupt it. A lock file
 * with the owner's pid refuses the second one with a clear message, and a stale lock (owner gone) is
 * taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      // The owner may be this very process: a second open of the folder here would corrupt it just the same.
      if (owner && isAlive(owner)) {
        throw new AppError(
          'database_locked',
          `the embedded database in ${dataDir} is in use by process ${owner}; stop it first, or use a PostgreSQL server (DATABASE_URL) to run several processes`,
          { details: { dir: dataDir, pid: owner } },
        );
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new AppError('database_locked', `cannot lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A database URL as it may be logged: the password hidden. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}
