import { afterAll, beforeAll, describe } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { SHOWN_URL, createScratchDatabase, serverMissing, serverProblem, serverRequired } from './postgres-server.js';

/*
 * For suites that only make sense on a PostgreSQL server, such as several processes sharing one database:
 * one scratch database per suite, on which a test may open as many independent connections as it likes.
 * Unreachable server: the suite is skipped, saying so; with CI=true it fails instead (as databases.ts).
 */

export interface PostgresContext {
  /** Opens one more client with its own connection pool on the suite's database: another "process". */
  open(): Promise<Database>;
}

/** `describe(title)` on a scratch PostgreSQL database, or a skipped suite that says why. */
export function describeOnPostgres(title: string, body: (ctx: PostgresContext) => void): void {
  if (serverProblem !== undefined && !serverRequired) {
    describe.skip(`${title} [PostgreSQL not reachable at ${SHOWN_URL} — skipped; PGlite has no second process]`, () => {
      body({ open: () => Promise.reject(new Error('skipped')) });
    });
    return;
  }
  describe(`${title} [PostgreSQL]`, () => {
    const opened: Database[] = [];
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
    let url: string | undefined;
    beforeAll(async () => {
      if (serverProblem !== undefined) throw serverMissing();
      scratch = await createScratchDatabase();
      url = scratch.url;
    });
    afterAll(async () => {
      try {
        for (const database of opened.splice(0)) await database.close();
      } finally {
        await scratch?.drop();
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
