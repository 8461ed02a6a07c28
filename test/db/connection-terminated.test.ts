import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { isDatabaseUnreachable } from '../../src/db/persistence-errors.js';
import { type DbProxy, createDbProxy } from '../helpers/db-proxy.js';
import { SERVER_URL, createScratchDatabase, serverMissing, serverProblem, serverRequired } from '../helpers/postgres-server.js';

/*
 * Found by the drill that stops PostgreSQL for real (docs/drills.md): a server shutting down terminated a
 * connection the pool had just opened for a transaction, before the adapter listened to it, and the
 * unheard 'error' event crashed the process. The proxy sends the same FATAL in the same packet as the
 * connection's first ReadyForQuery, so the gap is met every time.
 */

const suite = serverProblem === undefined || serverRequired ? describe : describe.skip;

suite('a connection the server terminates as it opens [PostgreSQL]', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: DbProxy;
  let db: Database;

  beforeAll(async () => {
    if (serverProblem !== undefined) throw serverMissing();
    scratch = await createScratchDatabase();
    const server = new URL(SERVER_URL);
    proxy = await createDbProxy(server.hostname, Number(server.port || 5432));
    db = await openDatabase({ url: proxy.url(scratch.url), dataDir: '' });
  });

  afterAll(async () => {
    try {
      await db?.close();
      await proxy?.close();
    } finally {
      await scratch?.drop();
    }
  });

  it('fails that transaction as the database being unavailable, and the next one goes through', async () => {
    proxy.terminateNext();
    const failed = await db.prisma.$transaction((tx) => tx.member.count()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeDefined();
    expect(isDatabaseUnreachable(failed)).toBe(true);
    expect(await db.prisma.$transaction((tx) => tx.member.count())).toBe(0);
  });
});
