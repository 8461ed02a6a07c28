/*
 * `npm run bench:commit` — what a transaction of its own costs a chat turn on the embedded database, for
 * the question whether turns of different members should share one commit. A turn-shaped pair of
 * statements (a message remembered and a conversation read; the conversation saved and a reply written)
 * goes through the product's own wire path (`runStatement`: one call into PostgreSQL each, prepared),
 * first each turn in a transaction of its own (BEGIN with the first statement, COMMIT with the last, as
 * `transactionWithSql` does), then ten turns to a transaction. Rounds alternate the two, so that the
 * machine's noise falls on both; each prints the CPU time and the wall time per turn. Flags after `--`:
 *   --turns=3000   turns per measurement
 *   --rounds=4     alternations
 *   --group=10     turns sharing a transaction in the second measurement
 *   --out=path     where to write the results as JSON (default bench/results/commit-<timestamp>.json)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from '../src/db/pglite-folder.js';
import { runStatement } from '../src/db/pglite-wire.js';
import { machine, machineLine } from './machine.js';

const flags = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=') as [string, string]));
const TURNS = Number(flags.get('turns') ?? 3000);
const ROUNDS = Number(flags.get('rounds') ?? 4);
const GROUP = Number(flags.get('group') ?? 10);

const folder = await mkdtemp(path.join(os.tmpdir(), 'bench-commit-'));
const db = new PGlite(folder, { startParams: PGLITE_START_PARAMS });
await db.exec(`CREATE TABLE conversation (member_id int PRIMARY KEY, state text NOT NULL, version int NOT NULL);
  CREATE TABLE processed_message (message_id text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE outbox (id bigserial PRIMARY KEY, chat text NOT NULL, body text NOT NULL, sent_at timestamptz);
  INSERT INTO conversation SELECT g, repeat('x', 400), 0 FROM generate_series(0, 199) g;`);

const FIRST = `WITH fresh AS (INSERT INTO processed_message (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1)
  SELECT (SELECT count(*) FROM fresh)::int AS fresh, state FROM conversation WHERE member_id = $2::int`;
const LAST = `WITH saved AS (UPDATE conversation SET state = $1, version = version + 1 WHERE member_id = $2::int)
  INSERT INTO outbox (chat, body) VALUES ($3, $4)`;
const REPLY = '(2/2) 规上工业增加值 1–11月累计（亿元）？上月 10.50'.repeat(3);
let message = 0;

/** `turns` turns, `group` to a transaction; CPU and wall microseconds per turn. */
async function measure(group: number): Promise<{ cpu: number; wall: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < TURNS; i += 1) {
    const member = i % 200;
    const begin = i % group === 0;
    const commit = i % group === group - 1 || i === TURNS - 1;
    await runStatement(db, FIRST, [`m${(message += 1)}`, member], { begin });
    await runStatement(db, LAST, ['y'.repeat(400), member, `telegram:${member}`, REPLY], { commit });
  }
  const spent = process.cpuUsage(cpu);
  return { cpu: (spent.user + spent.system) / TURNS, wall: ((performance.now() - wall) * 1000) / TURNS };
}

const info = machine();
console.log(`${machineLine(info)}; ${TURNS} turns a measurement, ${ROUNDS} rounds`);
await measure(1); // V8 compiles; PostgreSQL prepares
const rounds: Array<{ own: { cpu: number; wall: number }; shared: { cpu: number; wall: number } }> = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const own = await measure(1);
  const shared = await measure(GROUP);
  rounds.push({ own, shared });
  const line = (m: { cpu: number; wall: number }) => `${m.cpu.toFixed(0)} µs CPU, ${m.wall.toFixed(0)} µs wall a turn`;
  console.log(`round ${round}: own transaction ${line(own)}; ${GROUP} to a transaction ${line(shared)}; saved ${(own.cpu - shared.cpu).toFixed(0)} µs CPU`);
}
await db.close();
await rm(folder, { recursive: true, force: true });
const out = flags.get('out') ?? path.join('bench', 'results', `commit-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({ machine: info, turns: TURNS, group: GROUP, microsecondsPerTurn: rounds }, null, 2)}\n`);
console.log(`written to ${out}`);
