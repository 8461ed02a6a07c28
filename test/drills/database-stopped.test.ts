import { describe } from 'vitest';
import { outageDrill } from '../helpers/outage-drill.js';
import { privateServerProblem, privateServerRequired, startPrivatePostgres } from '../helpers/private-postgres.js';

/*
 * Drill: PostgreSQL stopped under load, then started again (docs/architecture.md, When the database is
 * down). A private server of the test's own (initdb in a temporary folder) is shut down for real with
 * `pg_ctl stop -m fast` — the bot's connections terminated "due to administrator command", the port
 * refusing — and started again on the same data and port. Without initdb and pg_ctl the drill is skipped,
 * saying so; with CI=true it fails instead.
 */

if (privateServerProblem !== undefined && !privateServerRequired) {
  console.warn(`PostgreSQL stopped for real: skipped (${privateServerProblem})`);
}
const suite = privateServerProblem === undefined || privateServerRequired ? describe : describe.skip;
const skipped = privateServerProblem === undefined ? '' : ` — ${privateServerProblem}, skipped`;

suite(`drill: PostgreSQL stopped under load, and started again [a private PostgreSQL server${skipped}]`, () => {
  outageDrill(async () => {
    const server = await startPrivatePostgres();
    return { url: server.url, botUrl: server.url, cut: server.stop, restore: server.start, close: server.close };
  });
});
