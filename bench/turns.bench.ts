/*
 * `npm run bench:turns` — the chat turn alone: what a reporter's message costs the bot's process, with no
 * chat platform, no HTTP and no other process in the measurement. The rush (`npm run bench:rush`) runs
 * the bot as `npm start` does, beside a fake Bot API and 200 telegraf clients on the same two cores; its
 * rates swing with whatever else the machine runs. Here one process holds the chat runtime (the same
 * handler, dispatcher and outbox as the bot's) with a channel that sends nowhere, and N reporters at once
 * say `/report`, a figure, a figure, `确认` (each waiting for its answer), round after round, each round
 * with N other reporters. Each round prints its rate and the CPU time the process spent per message
 * (`process.cpuUsage`: the main thread, V8's compiler and collector threads, PGlite). The first rounds
 * are V8 compiling; read the last ones.
 *
 * Run it as the bot runs: `node --max-semi-space-size=4 --liftoff-only --import tsx bench/turns.bench.ts`
 * (that is what `npm run bench:turns` does). Flags after `--`:
 *   --n=200          reporters at once
 *   --rounds=10      rounds (the summary is the median of the second half)
 *   --db=pglite      or postgres (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server;
 *                    a database `bench_turns_<pid>` is created and dropped; the server's own CPU is not
 *                    counted here — `npm run bench:rush` counts it)
 *   --analyzed       VACUUM (ANALYZE) the database after the first round, as the embedded database is after
 *                    its first night and a server's autovacuum does by itself: the planner then has
 *                    statistics (without the flag the tables have none, as on a new database)
 *   --out=path.json  where to write the results (default bench/results/turns-<timestamp>.json)
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startChatRuntime } from '../src/app/chat/runtime.js';
import { vacuumEmbedded } from '../src/app/housekeeping.js';
import { loadOrgFile } from '../src/app/startup.js';
import { openDatabase } from '../src/db/database.js';
import { reporterId, writeOrgFile } from './rush/org.js';
import { SERVER_URL, onServer } from './rush/postgres.js';
import { QUIET_MOMENT, REPORT_TURNS, YEAR } from './rush/product.js';
import { ROOT } from './rush/processes.js';
import { machine, machineLine } from './machine.js';
import { silentChannel } from './silent-channel.js';

interface Options {
  n: number;
  rounds: number;
  db: 'pglite' | 'postgres';
  analyzed: boolean;
  out?: string;
}

function parseOptions(args: string[]): Options {
  const options: Options = { n: 200, rounds: 10, db: 'pglite', analyzed: false };
  for (const arg of args) {
    const [flag, value = ''] = arg.split('=');
    if (flag === '--n') options.n = positive(flag, value);
    else if (flag === '--rounds') options.rounds = positive(flag, value);
    else if (flag === '--db' && (value === 'pglite' || value === 'postgres')) options.db = value;
    else if (flag === '--analyzed' && !value) options.analyzed = true;
    else if (flag === '--out' && value) options.out = value;
    else throw new Error(`unknown flag ${arg} (see the header of bench/turns.bench.ts)`);
  }
  return options;
}

function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} wants a whole number ≥ 1, not "${value}"`);
  return number;
}

interface Round {
  round: number;
  messages: number;
  ratePerSecond: number;
  cpuMsPerMessage: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const info = machine();
  console.log(`turns bench — ${machineLine(info)}; node flags: ${process.execArgv.filter((flag) => flag.startsWith('--') && flag !== '--import').join(' ') || 'none'}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baoshu-turns-'));
  const dbName = `bench_turns_${process.pid}`;
  let url: string | undefined;
  if (options.db === 'postgres') {
    await onServer(`CREATE DATABASE ${dbName}`);
    const server = new URL(SERVER_URL);
    server.pathname = `/${dbName}`;
    url = server.toString();
  }
  const rounds: Round[] = [];
  try {
    const database = await openDatabase({ dataDir: path.join(dir, 'data'), url });
    const at = new Date(QUIET_MOMENT);
    const now = () => at;
    const deps = { prisma: database.prisma, now };
    const orgFile = await writeOrgFile(dir, { reporters: options.n * options.rounds, bind: true, year: YEAR });
    const loaded = await loadOrgFile(deps, { file: orgFile }, 'bench');
    if (!loaded.ok) throw new Error(`the generated organisation did not load: ${JSON.stringify(loaded.error)}`);
    // As the bot's Telegram channel looks to the chat: its name, its longest text.
    const channel = silentChannel('telegram', { maxTextLength: 4096 });
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel], now, sweepIntervalMs: 0 });
    let counter = 0;
    const say = (id: number, text: string) => {
      counter += 1;
      const chat = `telegram:${id}`;
      const handled = channel.say({ channel: 'telegram', messageId: `${chat}:${counter}`, from: chat, chat, isGroup: false, mentioned: false, text, receivedAt: at });
      // A reporter goes on once the answer is out.
      return handled.then((outcome) => outcome?.replied);
    };
    for (let round = 0; round < options.rounds; round += 1) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.n }, async (_, i) => {
          for (const turn of REPORT_TURNS) await say(reporterId(round * options.n + i), turn.text);
        }),
      );
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      const messages = options.n * REPORT_TURNS.length;
      const result = { round, messages, ratePerSecond: (messages / ms) * 1000, cpuMsPerMessage: (used.user + used.system) / 1000 / messages };
      rounds.push(result);
      console.log(`round ${round + 1}: ${result.ratePerSecond.toFixed(0)} msg/s, CPU ${result.cpuMsPerMessage.toFixed(3)} ms a message`);
      if (options.analyzed && round === 0) console.log(`VACUUM (ANALYZE): ${await vacuumEmbedded(database.prisma)} ms`);
    }
    await runtime.stop();
    await database.close();
  } finally {
    if (url) await onServer(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
  const late = rounds.slice(Math.floor(rounds.length / 2));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const summary = { ratePerSecond: median(late.map((r) => r.ratePerSecond)), cpuMsPerMessage: median(late.map((r) => r.cpuMsPerMessage)) };
  console.log(`${options.db}, ${options.n} reporters at once: median of rounds ${late[0]!.round + 1}–${rounds.length}: ${summary.ratePerSecond.toFixed(0)} msg/s, CPU ${summary.cpuMsPerMessage.toFixed(3)} ms a message`);
  const out = options.out ?? path.join(ROOT, 'bench/results', `turns-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ machine: info, nodeFlags: process.execArgv, options, rounds, summary }, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), out)}`);
}

await main();
