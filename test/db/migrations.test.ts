import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { applyMigrations, migrationsDir, pendingSchemaChange } from '../../src/db/migrate.js';
import { openSchemaEngine } from '../../src/db/schema-engine.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createScratchDatabase, serverMissing, serverProblem, serverRequired } from '../helpers/postgres-server.js';

const migrationNames = async () =>
  (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

describeEachDatabase('migrations', (ctx) => {
  it('applies every migration of prisma/migrations to a fresh database and records each one', async () => {
    const names = await migrationNames();
    expect(names.length).toBeGreaterThan(0);
    expect(ctx.db().applied).toEqual(names);
    const recorded = await ctx.db().prisma.$queryRawUnsafe<{ migration_name: string; finished: boolean }[]>(
      'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(recorded).toEqual(names.map((name) => ({ migration_name: name, finished: true })));
  });

  it('creates the tables empty: no organisation, sections, figures or audit rows yet', async () => {
    const { prisma } = ctx.db();
    const counts = await Promise.all([prisma.organisation.count(), prisma.section.count(), prisma.submission.count(), prisma.auditLog.count()]);
    expect(counts).toEqual([0, 0, 0, 0]);
  });

  if (ctx.kind === 'postgres') {
    it('applies none when the same server database is opened a second time', async () => {
      const again = await openDatabase({ url: ctx.url() ?? '', dataDir: '' });
      try {
        expect(again.applied).toEqual([]);
      } finally {
        await again.close();
      }
    });

    it('releases the migration lock once migrations are applied, so another replica opens at once', async () => {
      const rows = await ctx.db().prisma.$queryRawUnsafe<{ held: number }[]>(
        `SELECT count(*)::int AS held FROM pg_locks
          WHERE locktype = 'advisory' AND objid = 72707369
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(rows).toEqual([{ held: 0 }]);
    });
  }
});

/*
 * A start on a database that has every migration skips the schema engine; anything else goes through it.
 * Run on an embedded database and on a server database, each its own, migrated once; every test puts back
 * what it changes in `_prisma_migrations`.
 */
const adapterKinds = [
  {
    kind: 'PGlite',
    open: async () => {
      const pglite = new PGlite();
      return { factory: new PrismaPGlite(pglite), dispose: () => pglite.close() };
    },
  },
  ...(serverProblem === undefined || serverRequired
    ? [{
        kind: 'PostgreSQL',
        open: async () => {
          if (serverProblem !== undefined) throw serverMissing();
          const scratch = await createScratchDatabase();
          return { factory: new PrismaPg({ connectionString: scratch.url }), dispose: () => scratch.drop() };
        },
      }]
    : []),
];

describe.each(adapterKinds)('starting on a database with every migration applied [$kind]', ({ open }) => {
  let opened: { factory: SqlMigrationAwareDriverAdapterFactory; dispose(): Promise<void> } | undefined;
  let engineStarts = 0;
  const countingEngine: typeof openSchemaEngine = (factory, schema) => {
    engineStarts += 1;
    return openSchemaEngine(factory, schema);
  };
  const factory = () => opened!.factory;
  const sql = async (text: string) => {
    const connection = await factory().connect();
    try {
      await connection.executeRaw({ sql: text, args: [], argTypes: [] });
    } finally {
      await connection.dispose();
    }
  };
  /** Changes `_prisma_migrations` for the length of `run`, then puts it back. */
  const withRecordChanged = async (change: string, undo: string, run: () => Promise<void>) => {
    await sql(change);
    try {
      await run();
    } finally {
      await sql(undo);
    }
  };
  const newest = async () => (await migrationNames()).at(-1)!;

  beforeAll(async () => {
    opened = await open();
    engineStarts = 0;
    // A fresh database has no _prisma_migrations: the engine creates it and applies everything.
    expect(await applyMigrations(factory(), countingEngine)).toEqual(await migrationNames());
    expect(engineStarts).toBe(1);
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  it('applies nothing and never starts the schema engine', async () => {
    engineStarts = 0;
    expect(await applyMigrations(factory(), countingEngine)).toEqual([]);
    expect(engineStarts).toBe(0);
  });

  it('still reports a migration that failed or was left half done (finished_at empty), through the engine', async () => {
    const name = await newest();
    await withRecordChanged(
      `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${name}'`,
      `UPDATE _prisma_migrations SET finished_at = started_at WHERE migration_name = '${name}'`,
      async () => {
        engineStarts = 0;
        await expect(applyMigrations(factory(), countingEngine)).rejects.toThrow(new RegExp(`failed migrations[\\s\\S]*${name}`));
        expect(engineStarts).toBe(1);
      },
    );
  });

  it.each([
    ['rolled back', (name: string) => [`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${name}'`, `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = '${name}'`]],
    ['edited since it was applied', (name: string) => [`UPDATE _prisma_migrations SET checksum = reverse(checksum) WHERE migration_name = '${name}'`, `UPDATE _prisma_migrations SET checksum = reverse(checksum) WHERE migration_name = '${name}'`]],
    ['unknown to this version', () => [
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('later', 'c', '29991231000000_later', now(), now(), 1)`,
      `DELETE FROM _prisma_migrations WHERE id = 'later'`,
    ]],
  ])('leaves it to the engine when a recorded migration is %s', async (_, statements) => {
    const [change, undo] = statements(await newest());
    await withRecordChanged(change!, undo!, async () => {
      // The engine is not asked here: that it would be is the point.
      const refused = new Error('the schema engine was started');
      await expect(applyMigrations(factory(), () => Promise.reject(refused))).rejects.toBe(refused);
    });
    engineStarts = 0;
    expect(await applyMigrations(factory(), countingEngine)).toEqual([]);
    expect(engineStarts).toBe(0);
  });
});

describe('the migrations against schema.prisma', () => {
  it('have nothing pending: a schema change without its migration fails here (npm run db:migration -- <name>)', async () => {
    const pending = await pendingSchemaChange(new PrismaPGlite(new PGlite()));
    expect(pending).toBe('');
  });
});

describe('the embedded database in a folder', () => {
  const folders: string[] = [];
  const opened: Database[] = [];
  const scratchFolder = async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'baoshu-pglite-'));
    folders.push(folder);
    return folder;
  };
  const open = async (dataDir: string) => {
    const database = await openDatabase({ dataDir });
    opened.push(database);
    return database;
  };
  const close = async (database: Database) => {
    opened.splice(opened.indexOf(database), 1);
    await database.close();
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close().catch(() => {});
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('applies the migrations on the first open of a folder and none on the next, keeping the data', async () => {
    const folder = await scratchFolder();
    const first = await open(folder);
    expect(first.applied).toEqual(await migrationNames());
    await first.prisma.auditLog.create({ data: { at: new Date('2020-11-25T02:00:00Z'), actor: 'test', action: 'kept' } });
    await close(first);

    const second = await open(folder);
    expect(second.applied).toEqual([]);
    expect(await second.prisma.auditLog.count({ where: { action: 'kept' } })).toBe(1);
  });

  it('creates a new folder in a child process, then opens it here; what is written there survives a reopen', async () => {
    const folder = await scratchFolder();
    const first = await open(folder);
    // Built by the child under a temporary name and renamed into place: only the finished folder and the lock remain.
    expect(first.applied).toEqual(await migrationNames());
    expect((await readdir(folder)).sort()).toEqual(['pglite', 'pglite.lock']);
    await expect(readFile(path.join(folder, 'pglite', 'PG_VERSION'), 'utf8')).resolves.toMatch(/^\d+/);
    await first.prisma.auditLog.create({ data: { at: new Date('2020-11-25T02:00:00Z'), actor: 'test', action: 'made in a child' } });
    await close(first);

    const second = await open(folder);
    expect(second.applied).toEqual([]);
    expect(await second.prisma.auditLog.count({ where: { action: 'made in a child' } })).toBe(1);
  });

  it('starts over a creation that was cut short, and takes an empty database folder made by hand', async () => {
    const folder = await scratchFolder();
    await mkdir(path.join(folder, 'pglite.new', 'base'), { recursive: true });
    await writeFile(path.join(folder, 'pglite.new', 'PG_VERSION'), 'half made');
    await mkdir(path.join(folder, 'pglite'));
    const database = await open(folder);
    expect(database.applied).toEqual(await migrationNames());
    expect(await database.prisma.organisation.count()).toBe(0);
    expect((await readdir(folder)).sort()).toEqual(['pglite', 'pglite.lock']);
  });

  it('refuses a second open of a folder in the same process while the first is open (database_locked)', async () => {
    const folder = await scratchFolder();
    const first = await open(folder);
    const error = await refusal(open(folder));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'database_locked', message: expect.stringContaining(folder) });
    await close(first);
    expect((await open(folder)).applied).toEqual([]);
  });

  it('refuses a folder whose lock belongs to another live process, with database_locked', async () => {
    const folder = await scratchFolder();
    await close(await open(folder));
    // The parent of this test process is alive for as long as the test runs.
    await writeFile(path.join(folder, 'pglite.lock'), String(process.ppid));
    const error = await refusal(open(folder));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'database_locked', message: expect.stringContaining(String(process.ppid)) });
    await rm(path.join(folder, 'pglite.lock'));
    expect((await open(folder)).applied).toEqual([]);
  });

  it('takes over a stale lock whose process is gone', async () => {
    const folder = await scratchFolder();
    await close(await open(folder));
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(path.join(folder, 'pglite.lock'), String(gone));
    const database = await open(folder);
    expect(database.applied).toEqual([]);
    expect(await readFile(path.join(folder, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    await close(database);
    await expect(readFile(path.join(folder, 'pglite.lock'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
