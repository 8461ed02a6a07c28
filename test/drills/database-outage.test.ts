import { describe } from 'vitest';
import { createDbProxy } from '../helpers/db-proxy.js';
import { outageDrill } from '../helpers/outage-drill.js';
import { SERVER_URL, createScratchDatabase, serverMissing, serverProblem, serverRequired } from '../helpers/postgres-server.js';

/*
 * Drill: PostgreSQL unreachable under load, then back (docs/architecture.md, When the database is down).
 * The bot reaches a scratch database on the shared server through a proxy the test cuts — every connection
 * dropped, the port refusing new ones, as a cut network or a stopped server does — while the shared server
 * itself keeps running for the other tests. database-stopped.test.ts really stops a server of its own.
 */

const suite = serverProblem === undefined || serverRequired ? describe : describe.skip;

suite('drill: PostgreSQL unreachable under load, and back [PostgreSQL through a proxy]', () => {
  outageDrill(async () => {
    if (serverProblem !== undefined) throw serverMissing();
    const scratch = await createScratchDatabase();
    const server = new URL(SERVER_URL);
    const proxy = await createDbProxy(server.hostname, Number(server.port || 5432)).catch(async (error: unknown) => {
      await scratch.drop();
      throw error;
    });
    return {
      url: scratch.url,
      botUrl: proxy.url(scratch.url),
      cut: () => proxy.cut(),
      restore: () => proxy.restore(),
      async close() {
        try {
          await proxy.close();
        } finally {
          await scratch.drop();
        }
      },
    };
  });
});
