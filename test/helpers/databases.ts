import { afterAll, beforeAll, describe } from 'vitest';
import { loadDemoFigures } from '../../src/app/demo-data.js';
import type { AppDeps } from '../../src/app/deps.js';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { readOrgSource } from '../../src/app/org-source.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { SHOWN_URL, createScratchDatabase, serverMissing, serverProblem, serverRequired } from './postgres-server.js';

/*
 * Runs a suite once on every kind of database the product supports: the embedded PGlite (in memory,
 * always) and a PostgreSQL server when one answers. Each suite gets one database of its own, opened
 * before its first test and dropped after its last, so tests inside a suite must not depend on order.
 */

export type DatabaseKind = Database['kind'];

export interface DatabaseContext {
  kind: DatabaseKind;
  /** The suite's open database (only inside tests and hooks: it is opened in beforeAll). */
  db(): Database;
  /** Use-case dependencies on the suite's database with a clock fixed at `now`. */
  deps(now: Date): AppDeps;
  /** The suite's PostgreSQL database URL, to open it a second time as another replica would; PGlite: none. */
  url(): string | undefined;
}

if (serverProblem !== undefined && !serverRequired) {
  console.warn(`PostgreSQL not reachable at ${SHOWN_URL} (${serverProblem}) — PostgreSQL variants skipped, PGlite only`);
}

/** `describe(title)` once per database kind; `body` registers the tests and gets the suite's context. */
export function describeEachDatabase(title: string, body: (ctx: DatabaseContext) => void): void {
  describe(`${title} [PGlite]`, () => {
    body(suiteDatabase('pglite', () => openDatabase({ dataDir: 'memory://' })));
  });

  if (serverProblem === undefined) {
    describe(`${title} [PostgreSQL]`, () => {
      body(suiteDatabase('postgres', openScratchDatabase));
    });
  } else if (serverRequired) {
    const refuse = () => Promise.reject(serverMissing());
    describe(`${title} [PostgreSQL]`, () => {
      body(suiteDatabase('postgres', refuse));
    });
  } else {
    describe.skip(`${title} [PostgreSQL not reachable at ${SHOWN_URL} — PostgreSQL variant skipped]`, () => {
      body(suiteDatabase('postgres', openScratchDatabase));
    });
  }
}

/** Loads the built-in demo organisation (a no-op when it is loaded already); its indicator ids by key. */
export async function withDemoOrganisation(deps: AppDeps): Promise<Map<string, number>> {
  const demo = await readOrgSource();
  if (!demo.ok) throw new Error(`the demo organisation does not read: ${JSON.stringify(demo.error)}`);
  await loadOrganisation(deps, demo.value.config, { hash: orgSourceHash(demo.value.text), actor: 'test' });
  const rows = await deps.prisma.indicator.findMany({ where: { active: true }, select: { key: true, id: true } });
  return new Map(rows.map((row) => [row.key, row.id]));
}

/** The demo organisation and its illustrative 2019–2020 figures (loading them again changes nothing). */
export async function withDemoFigures(deps: AppDeps): Promise<Map<string, number>> {
  const ids = await withDemoOrganisation(deps);
  const loaded = await loadDemoFigures(deps, 'test');
  if (!loaded.ok) throw new Error(`the demo figures do not load: ${JSON.stringify(loaded.error)}`);
  return ids;
}

/** A PGlite database in memory with the demo organisation and its figures, its clock stopped at `now`. */
export async function demoDatabase(now: Date): Promise<{ database: Database; deps: AppDeps }> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const deps = { prisma: database.prisma, now: () => now };
  await withDemoFigures(deps);
  return { database, deps };
}

interface OpenedDatabase {
  database: Database;
  url?: string;
  dispose(): Promise<void>;
}

function suiteDatabase(kind: DatabaseKind, open: () => Promise<Database | OpenedDatabase>): DatabaseContext {
  let opening: Promise<OpenedDatabase> | undefined;
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    opening = open().then((result) => ('dispose' in result ? result : { database: result, dispose: () => result.close() }));
    opened = await opening;
  });
  // Waits for an opening that outlived beforeAll's timeout too, so that no scratch database is left behind.
  afterAll(async () => {
    const pending = opening;
    opening = opened = undefined;
    await pending?.then((result) => result.dispose(), () => {});
  });
  const db = (): Database => {
    if (!opened) throw new Error(`the ${kind} database is not open: use ctx.db() inside tests and hooks only`);
    return opened.database;
  };
  return { kind, db, deps: (now) => ({ prisma: db().prisma, now: () => new Date(now) }), url: () => opened?.url };
}

/** A fresh database on the server for one suite, dropped (even with connections left) when disposed. */
async function openScratchDatabase(): Promise<OpenedDatabase> {
  const scratch = await createScratchDatabase();
  try {
    const database = await openDatabase({ url: scratch.url, dataDir: '' });
    return {
      database,
      url: scratch.url,
      dispose: async () => {
        try {
          await database.close();
        } finally {
          await scratch.drop();
        }
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}
