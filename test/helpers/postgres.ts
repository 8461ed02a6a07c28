import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';

/*
 * For suites that only make sense on a PostgreSQL server, such as several processes sharing one database:
 * one scratch database per suite, on which a test may open as many independent connections as it likes.
 * Unreachable server: the suite is skipped, saying so; with CI=true it fails instead (as databases.ts).
 */

export interface PostgresContext {
  /** Opens one more client with its own connection pool on the suite's database: another "process". */
  open(): Promise<Database>;
}

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SHOWN_URL = SERVER_URL.replace(/:[^:@/]*@/, ':***@');
const serverProblem: string | undefined = await probeServer();

/** `describe(title)` on a scratch PostgreSQL database, or a skipped suite that says why. */
export function describeOnPostgres(title: string, body: (ctx: PostgresContext) => void): void {
  if (serverProblem !== undefined && process.env.CI !== 'true') {
    describe.skip(`${title} [PostgreSQL not reachable at ${SHOWN_URL} — skipped; PGlite has no second process]`, () => {
      body({ open: () => Promise.reject(new Error('skipped')) });
    });
    return;
  }
  describe(`${title} [PostgreSQL]`, () => {
    const name = `baoshu_test_${randomBytes(6).toString('hex')}`;
    const opened: Database[] = [];
    let url: string | undefined;
    beforeAll(async () => {
      if (serverProblem !== undefined) throw new Error(`PostgreSQL not reachable at ${SHOWN_URL} (${serverProblem}); CI=true requires it`);
      await onServer(`CREATE DATABASE ${name}`);
      const address = new URL(SERVER_URL);
      address.pathname = `/${name}`;
      url = address.toString();
    });
    afterAll(async () => {
      try {
        for (const database of opened.splice(0)) await database.close();
      } finally {
        if (url) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    });
    body({
      async open() {
        if (!url) throw new Error('the PostgreSQL database is not created: open() inside tests and hooks only');
        const database = await openDatabase({ url, dataDir: '' });
        opened.push(database);
        return database;
      },
    });
  });
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function probeServer(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}
