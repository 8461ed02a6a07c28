/*
 * `npm run bench:rush` — the month-end rush: many section heads reporting at once through the real
 * telegraf client against a fake Telegram Bot API on 127.0.0.1, with the bot in its own process exactly
 * as `npm start` runs it (`node --import tsx src/main.ts`), on the embedded database (PGlite) and on a
 * PostgreSQL server, beside a bare telegraf echo bot on the same fake server in the same run. Prints a
 * table with PASS/FAIL against the targets and writes everything as JSON under bench/results/.
 * (`npm run bench` runs bench/chat.bench.ts, then this.)
 *
 * Scenarios (each on every database chosen):
 *   pace-off  T1, T2  N reporters at once, no pause, pace limits off (huge per-second figure, 0 ms per
 *                     chat), at two sizes (20 and 200); the echo bot at the same sizes. Each bot (and
 *                     the echo bot) first takes five rounds of N other reporters each (--warm), then the
 *                     round measured: both are compared as V8 leaves them once it has compiled what they
 *                     run. A freshly spawned process's first rounds measure mostly the compiler: the echo
 *                     bot spent 0.5–0.6 ms of CPU per message in its second round and 0.1 in its sixth,
 *                     the bot ~2.7 and ~1.8 (one round of warm-up, until 2026-11-28, compared the bot
 *                     with an echo bot still compiling). The first round's figures are printed and kept
 *                     (`cold` in the JSON), and each warm-up round's (`warmRounds`). For the round
 *                     measured, the CPU each answered message cost the bot (and, on PostgreSQL, the
 *                     server: every local `postgres` process) is printed and kept (`cpu`): the rates
 *                     swing with whatever else the shared machine runs, the CPU per message far less.
 *   typing    T3      default pace (30 msg/s, 1 s per chat), N reporters (100 and 30) typing: a random
 *                     0–15 s before the first message, then 5–15 s after each answer.
 *   round     T4      default pace; a reminder round to 3,000 members who have not reported (the bot's
 *                     own scheduler, outbox and limiter, at a reminder moment), while 30 reporters type
 *                     (each starts at a random moment of the round's first 60 s — 60 % of its 100 s at
 *                     30/s — then pauses 5–15 s after each answer). The round lasts from its first to its
 *                     last reminder at the fake server; the reporters are not among the reminded.
 *   idle      T5      the bot idle on a new data folder (or database), then restarted on it: RSS, start-up.
 * Each reporter says `/report`, a figure, a figure, `确认` (4 messages), waiting each time for the bot's
 * answer: its latency is the first message to its chat after it spoke; it goes on once the answer's last
 * part has come; no answer within 120 s makes it unanswered (it stops).
 * Rate = answered messages / (first message → last answer). Pace at the fake server: the most messages in
 * any 1-second window, and the shortest gap between two messages to one chat.
 *
 * Flags (after `--`, e.g. `npm run bench:rush -- --quick --db=pglite`):
 *   --quick                     small sizes (pace-off 10/50, typing 20 with 1–3 s pauses, a round of 150
 *                               with 5 reporters, idle settle 2 s) on PGlite only unless --db says
 *                               otherwise: under 3 minutes (5 with --db=pglite,postgres on the current
 *                               code, whose slow answers stretch the typing runs); figures indicative.
 *   --scenarios=a,b             any of pace-off,typing,round,idle (default all)
 *   --db=pglite,postgres        (default both, quick: pglite; PostgreSQL is skipped, saying so, when
 *                               unreachable)
 *   --n=20,200                  pace-off sizes: small,large (T1 compares them, T2 uses large)
 *   --typing=100,30             typing sizes
 *   --pause=5000,15000          typing pause, min,max ms
 *   --reminders=3000            round size;  --round-reporters=30  reporters typing during the round
 *   --timeout=120000            ms to wait for an answer
 *   --warm=5                    pace off and echo: rounds of other reporters before the one measured (at
 *                               least 1; quick: 1); the first is printed as the first round after the
 *                               start, each further one as a warm-up round with its rate and CPU/message
 *   --settle=30000              ms the idle bot is left before its RSS is read (read each second meanwhile,
 *                               kept as `rssSeries`: until 2026-11-28 it was read at 10 s, while the bot
 *                               was still giving back start-up's memory)
 *   --out=path.json             where to write the results (default bench/results/<timestamp>.json)
 *   --logs=dir                  keep each bot's and echo bot's log (stderr) in dir/<scenario>.log
 * Environment: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
 * is the PostgreSQL server; a database `bench_rush_<pid>_<k>` is created per scenario and dropped after.
 *
 * The bot's moment: rush scenarios run the bot with its wall clock set (bench/rush/clock.ts) to a
 * moment of the month with no reminder due, or — the round — to a reminder moment, so that they behave
 * the same on any day. The idle scenario runs the bot untouched, with no chat account bound (nobody to
 * remind). Everything the bench assumes about the product is in bench/rush/product.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CpuPerMessage, startCpuMeter } from './rush/cpu.js';
import { SERVER_URL, onServer } from './rush/postgres.js';
import { machine, machineLine } from './machine.js';
import { type BenchTelegram, createBenchTelegram } from './rush/fake-telegram.js';
import { remindedId, reporterId, writeOrgFile } from './rush/org.js';
import { type Child, ROOT, killAll, startChild } from './rush/processes.js';
import {
  BOT_ENTRY,
  BOT_NODE_FLAGS,
  CLOCK_PRELOAD,
  DEFAULT_PACE,
  ECHO_TURNS,
  QUIET_MOMENT,
  REPORT_TURNS,
  ROUND_MOMENT,
  ROUND_QUEUED_MSG,
  YEAR,
  botSettings,
  isApology,
} from './rush/product.js';
import { type LoadResult, type Turn, paceOf, percentile, runLoad } from './rush/reporters.js';

type Db = 'pglite' | 'postgres';
type Scenario = 'pace-off' | 'typing' | 'round' | 'idle';
const SCENARIOS: Scenario[] = ['pace-off', 'typing', 'round', 'idle'];

interface Options {
  quick: boolean;
  scenarios: Scenario[];
  dbs: Db[];
  sizes: [number, number];
  typing: number[];
  pause: [number, number];
  reminders: number;
  roundReporters: number;
  timeoutMs: number;
  settleMs: number;
  /** Pace off and echo: rounds taken before the one measured (the first is `cold`). */
  warm: number;
  out?: string;
  logs?: string;
}

function parseOptions(argv: string[]): Options {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg} (see the header of bench/rush.bench.ts)`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const known = ['quick', 'scenarios', 'db', 'n', 'typing', 'pause', 'reminders', 'round-reporters', 'timeout', 'settle', 'warm', 'out', 'logs'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown flag --${name}`);
  const quick = flags.get('quick') === 'true';
  const numbers = (name: string, fallback: number[]) => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const values = raw.split(',').map(Number);
    if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`--${name} takes numbers`);
    return values;
  };
  const list = <T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const values = raw.split(',') as T[];
    for (const value of values) if (!allowed.includes(value)) throw new Error(`--${name}: ${value} is not one of ${allowed.join(', ')}`);
    return values;
  };
  const sizes = numbers('n', quick ? [10, 50] : [20, 200]);
  const pause = numbers('pause', quick ? [1000, 3000] : [5000, 15000]);
  return {
    quick,
    scenarios: list('scenarios', SCENARIOS, SCENARIOS),
    dbs: list('db', ['pglite', 'postgres'] as const, quick ? ['pglite'] : ['pglite', 'postgres']),
    sizes: [sizes[0] ?? 20, sizes[1] ?? sizes[0] ?? 200],
    typing: numbers('typing', quick ? [20] : [100, 30]),
    pause: [pause[0] ?? 5000, pause[1] ?? pause[0] ?? 15000],
    reminders: numbers('reminders', [quick ? 150 : 3000])[0]!,
    roundReporters: numbers('round-reporters', [quick ? 5 : 30])[0]!,
    timeoutMs: numbers('timeout', [120_000])[0]!,
    settleMs: numbers('settle', [quick ? 2000 : 30_000])[0]!,
    warm: Math.max(1, numbers('warm', [quick ? 1 : 5])[0]!),
    out: flags.get('out'),
    logs: flags.get('logs'),
  };
}

/** One row of the table (and of the JSON). */
interface Run {
  scenario: string;
  db: Db | '-';
  n: number;
  pace: 'off' | 'default' | '-';
  /** Pace off and echo: the first round after the start, before the one measured (see the header). */
  cold?: { rate: number; p50: number; p99: number; ratio?: number };
  rate?: number;
  /** Pace off and echo, with --warm above 1: the rounds between the first and the one measured. */
  warmRounds?: { rate: number; p50: number; p99: number; cpu: CpuPerMessage }[];
  /** Pace off and echo: CPU ms per answered message in the measured round, the bot's and the server's. */
  cpu?: CpuPerMessage;
  echoRate?: number;
  ratio?: number;
  p50?: number;
  p99?: number;
  wholeP50?: number;
  wholeP99?: number;
  messages?: number;
  answered?: number;
  unanswered?: number;
  errors?: number;
  stray?: number;
  rssMiB?: number;
  peakMiB?: number;
  /** Idle scenarios: RSS (MiB) each second of the settle, the last being `rssMiB`. */
  rssSeries?: number[];
  startupMs?: number;
  /** ms after the spawn at which the start-up's log lines came. */
  startupPhases?: Record<string, number>;
  maxPerSecond?: number;
  minChatGapMs?: number;
  round?: {
    planned?: number;
    expected: number;
    delivered: number;
    durationS: number;
    limitS: number;
    firstReminderS?: number;
    /** Messages the fake received in each second from the round's first reminder: reminders, other (replies). */
    timeline?: { reminders: number[]; other: number[] };
  };
  logProblems?: { warn: number; error: number; first: string[] };
  /** How many log lines of the process said each message. */
  logMessages?: Record<string, number>;
  samples?: string[];
  /** The slowest first parts: asked `atS` seconds after the load began (the round: its first reminder), ms waited. */
  slowest?: Array<{ atS: number; ms: number; reporter: number; turn: number }>;
  checks: Check[];
  error?: string;
}

interface Check {
  target: string;
  what: string;
  value: number;
  limit: string;
  pass: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const uniform = (min: number, max: number) => () => min + Math.random() * (max - min);

// ---------------------------------------------------------------------------------------------- cleanup

const cleanups: Array<() => Promise<void>> = [];
async function cleanupAll(): Promise<void> {
  killAll();
  for (const task of cleanups.splice(0).reverse()) await task().catch(() => {});
}

// ------------------------------------------------------------------------------------------- databases

async function postgresProblem(): Promise<string | undefined> {
  try {
    await onServer('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

let databases = 0;

/** A scratch place for one bot: a temporary folder, and on PostgreSQL a new database; both removed after. */
async function withDatabase<T>(db: Db, run: (place: { dataDir: string; databaseUrl?: string }) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baoshu-rush-'));
  const removeDir = () => rm(dir, { recursive: true, force: true });
  cleanups.push(removeDir);
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  try {
    if (db === 'postgres') {
      databases += 1;
      const name = `bench_rush_${process.pid}_${databases}`;
      await onServer(`CREATE DATABASE ${name}`);
      dropDb = () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      cleanups.push(dropDb);
      const url = new URL(SERVER_URL);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    }
    return await run({ dataDir: path.join(dir, 'data'), databaseUrl });
  } finally {
    if (dropDb) await dropDb().catch((error: unknown) => console.error(`could not drop a bench database: ${String(error)}`));
    await removeDir();
  }
}

// ------------------------------------------------------------------------------------------- scenarios

interface Context {
  fake: BenchTelegram;
  options: Options;
  orgDir: string;
}

/** The slowest replies, each with when it was asked (s after `since`): to match them with what the bot did then. */
function slowestReplies(load: LoadResult, since: number, count = 5): NonNullable<Run['slowest']> {
  return [...load.replies]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((reply) => ({ atS: (reply.spoke - since) / 1000, ms: reply.ms, reporter: reply.reporter, turn: reply.turn }));
}

function loadFigures(load: LoadResult, since = load.startedAt): Partial<Run> {
  const seconds = (load.endedAt - load.startedAt) / 1000;
  return {
    slowest: slowestReplies(load, since),
    rate: load.completed > 0 && seconds > 0 ? load.completed / seconds : 0,
    p50: percentile(load.firstPart, 50),
    p99: percentile(load.firstPart, 99),
    wholeP50: percentile(load.whole, 50),
    wholeP99: percentile(load.whole, 99),
    messages: load.messages,
    answered: load.answered,
    unanswered: load.unanswered,
    errors: load.errors,
    stray: load.stray,
    ...(load.samples.length > 0 ? { samples: load.samples } : {}),
  };
}

/** An idle run's RSS at 10 s, where it was read until 2026-11-28, when the settle lasted longer. */
function atTenSeconds(run: Run): string {
  const at = run.rssSeries?.[9];
  return at === undefined || run.rssSeries!.length <= 10 ? '' : ` (at 10 s: ${at})`;
}

function memoryOf(child: Child): Partial<Run> {
  const memory = child.memory();
  return { startupMs: child.startupMs, startupPhases: child.phases(), rssMiB: memory?.rssMiB, peakMiB: memory?.peakMiB };
}

async function startBot(
  ctx: Context,
  place: { dataDir: string; databaseUrl?: string },
  spec: { label: string; orgFile: string; pace: 'off' | 'default'; clockAt?: string },
): Promise<Child> {
  ctx.fake.reset();
  const env = botSettings({ ...place, ...spec, token: ctx.fake.token, apiRoot: ctx.fake.url });
  const imports = spec.clockAt ? [CLOCK_PRELOAD] : [];
  const bot = await startChild(BOT_ENTRY, env, { imports, nodeFlags: BOT_NODE_FLAGS, readyTimeoutMs: 300_000, logFile: await logFile(ctx, spec.label) });
  cleanups.push(async () => void (await bot.stop(5_000)));
  return bot;
}

async function stopChild(child: Child, run: Run): Promise<void> {
  run.logProblems = child.problems();
  run.logMessages = child.messages();
  const code = await child.stop();
  if (code !== 0) run.error = `${run.error ? `${run.error}; ` : ''}exited with ${code}`;
}

function loadPlan(ids: number[], turns: Turn[], ctx: Context, typing: boolean, firstDelayMax?: number) {
  const { pause, timeoutMs } = ctx.options;
  return {
    ids,
    turns,
    firstDelayMs: typing ? uniform(0, firstDelayMax ?? pause[1]) : () => 0,
    pauseMs: typing ? uniform(pause[0], pause[1]) : () => 0,
    answerTimeoutMs: timeoutMs,
    isError: isApology,
    deadline: performance.now() + 30 * 60_000,
  };
}

const ids = (n: number, of: (i: number) => number = reporterId) => Array.from({ length: n }, (_, i) => of(i));
/** Round k's reporters (the first round is 0): each round has n of its own. */
const roundOf = (n: number, k: number) => (i: number) => reporterId(k * n + i);

/**
 * The rounds before the measured one: the first (`cold`), then the warm-up rounds, each with its own
 * reporters; returns the measured round's index.
 */
async function warmUp(ctx: Context, run: Run, n: number, turns: Turn[], pid: number, withServer: boolean): Promise<number> {
  run.cold = coldFigures(await runLoad(ctx.fake, loadPlan(ids(n), turns, ctx, false)));
  for (let k = 1; k < ctx.options.warm; k += 1) {
    const { load, cpu } = await meteredRound(ctx, n, k, turns, pid, withServer);
    (run.warmRounds ??= []).push({ ...coldFigures(load), cpu });
  }
  return ctx.options.warm;
}

/** Round k of n reporters at once, with the CPU each answered message cost process `pid` (and the server). */
async function meteredRound(ctx: Context, n: number, k: number, turns: Turn[], pid: number, withServer: boolean): Promise<{ load: LoadResult; cpu: CpuPerMessage }> {
  const meter = startCpuMeter(pid, withServer);
  const load = await runLoad(ctx.fake, loadPlan(ids(n, roundOf(n, k)), turns, ctx, false));
  return { load, cpu: meter.per(load.answered) };
}

function coldFigures(load: LoadResult): NonNullable<Run['cold']> {
  const figures = loadFigures(load);
  return { rate: figures.rate ?? 0, p50: figures.p50 ?? NaN, p99: figures.p99 ?? NaN };
}

/** The bare echo bot, same reporters, same fake server. */
async function echoRun(ctx: Context, n: number): Promise<Run> {
  const run: Run = { scenario: 'echo', db: '-', n, pace: 'off', checks: [] };
  ctx.fake.reset();
  const env = { BENCH_TOKEN: ctx.fake.token, BENCH_API_ROOT: ctx.fake.url };
  const echo = await startChild('bench/rush/echo-bot.ts', env, { logFile: await logFile(ctx, `echo-${n}`) });
  cleanups.push(async () => void (await echo.stop(5_000)));
  try {
    const measured = await warmUp(ctx, run, n, ECHO_TURNS, echo.pid, false);
    const { load, cpu } = await meteredRound(ctx, n, measured, ECHO_TURNS, echo.pid, false);
    Object.assign(run, loadFigures(load), { cpu }, memoryOf(echo));
  } finally {
    await stopChild(echo, run);
  }
  return run;
}

/** T1/T2: N reporters at once, pace limits off. */
async function paceOffRun(ctx: Context, db: Db, n: number): Promise<Run> {
  const run: Run = { scenario: 'pace-off', db, n, pace: 'off', checks: [] };
  // A section per reporter of every round: the first round's, the warm-up rounds', the measured round's.
  const orgFile = await writeOrgFile(await orgDir(ctx), { reporters: (ctx.options.warm + 1) * n, bind: true, year: YEAR });
  await withDatabase(db, async (place) => {
    const bot = await startBot(ctx, place, { label: `pace-off-${db}-${n}`, orgFile, pace: 'off', clockAt: QUIET_MOMENT });
    try {
      const withServer = db === 'postgres';
      const measured = await warmUp(ctx, run, n, REPORT_TURNS, bot.pid, withServer);
      const { load, cpu } = await meteredRound(ctx, n, measured, REPORT_TURNS, bot.pid, withServer);
      Object.assign(run, loadFigures(load), { cpu }, memoryOf(bot), paceOf(ctx.fake.sent()));
    } finally {
      await stopChild(bot, run);
    }
  });
  return run;
}

/** T3: default pace, N reporters typing. */
async function typingRun(ctx: Context, db: Db, n: number): Promise<Run> {
  const run: Run = { scenario: 'typing', db, n, pace: 'default', checks: [] };
  const orgFile = await writeOrgFile(await orgDir(ctx), { reporters: n, bind: true, year: YEAR });
  await withDatabase(db, async (place) => {
    const bot = await startBot(ctx, place, { label: `typing-${db}-${n}`, orgFile, pace: 'default', clockAt: QUIET_MOMENT });
    try {
      const load = await runLoad(ctx.fake, loadPlan(ids(n), REPORT_TURNS, ctx, true));
      Object.assign(run, loadFigures(load), memoryOf(bot), paceOf(ctx.fake.sent()));
    } finally {
      await stopChild(bot, run);
    }
  });
  return run;
}

/** T4: a reminder round at the default pace while reporters type. */
async function roundRun(ctx: Context, db: Db): Promise<Run> {
  const { reminders, roundReporters } = ctx.options;
  const run: Run = { scenario: 'round', db, n: roundReporters, pace: 'default', checks: [] };
  const orgFile = await writeOrgFile(await orgDir(ctx), {
    reporters: roundReporters,
    bind: true,
    year: YEAR,
    reminded: { count: reminders, perSection: 10 },
  });
  const first = remindedId(0);
  const isReminded = (chat: number) => chat >= first && chat < first + reminders;
  await withDatabase(db, async (place) => {
    const bot = await startBot(ctx, place, { label: `round-${db}-${reminders}`, orgFile, pace: 'default', clockAt: ROUND_MOMENT });
    try {
      // The fake was reset when the bot was spawned: what it sent before it said 'running' counts too.
      let firstAt: number | undefined;
      let lastAt = 0;
      let delivered = 0;
      let started: () => void = () => {};
      const roundStarted = new Promise<void>((resolve) => (started = resolve));
      const count = (record: { at: number; chat: number }) => {
        if (!isReminded(record.chat)) return;
        firstAt ??= record.at;
        lastAt = record.at;
        delivered += 1;
        started();
      };
      ctx.fake.sent().forEach(count);
      const unwatch = ctx.fake.watchAll(count);
      const limitS = (1.05 * reminders) / DEFAULT_PACE.perSecond;
      // Planning the round may take a while: bounded.
      let timer: NodeJS.Timeout | undefined;
      const planningTimeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 300_000)));
      const outcome = await Promise.race([roundStarted.then(() => 'started' as const), planningTimeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') throw new Error('no reminder reached the fake server within 300 s of the start');
      // Reporters start at random times over the first 60 % of the round, so that they type throughout it.
      const expectedMs = (reminders / DEFAULT_PACE.perSecond) * 1000;
      const loading = runLoad(ctx.fake, loadPlan(ids(roundReporters), REPORT_TURNS, ctx, true, 0.6 * expectedMs));
      // The round is over when every reminder came, or when none came for 30 s (bounded in all).
      const until = performance.now() + Math.max(5 * expectedMs, 60_000) + 60_000;
      while (delivered < reminders && performance.now() < until && performance.now() - lastAt < 30_000) await sleep(250);
      const load = await loading;
      unwatch();
      const queued = await bot.waitForLog((line) => line.msg === ROUND_QUEUED_MSG, 0);
      run.round = {
        planned: typeof queued?.reminders === 'number' ? queued.reminders : undefined,
        expected: reminders,
        delivered,
        durationS: firstAt === undefined ? NaN : (lastAt - firstAt) / 1000,
        limitS,
        firstReminderS: firstAt === undefined ? undefined : (firstAt - bot.spawnedAt) / 1000,
      };
      const sent = ctx.fake.sent();
      if (firstAt !== undefined) {
        const timeline = { reminders: [] as number[], other: [] as number[] };
        for (const record of sent) {
          if (record.at < firstAt) continue;
          const list = isReminded(record.chat) ? timeline.reminders : timeline.other;
          const second = Math.floor((record.at - firstAt) / 1000);
          while (timeline.reminders.length <= second) timeline.reminders.push(0);
          while (timeline.other.length <= second) timeline.other.push(0);
          list[second]! += 1;
        }
        run.round.timeline = timeline;
      }
      Object.assign(run, loadFigures(load, firstAt), memoryOf(bot), paceOf(sent));
      // The rate of this row: messages out per second over the round.
      run.rate = firstAt === undefined ? 0 : sent.filter((r) => r.at >= firstAt! && r.at <= lastAt).length / Math.max(0.001, (lastAt - firstAt) / 1000);
    } finally {
      await stopChild(bot, run);
    }
  });
  return run;
}

/** T5: the bot idle on a new data folder (database), then restarted on the same one. */
async function idleRuns(ctx: Context, db: Db): Promise<Run[]> {
  const n = ctx.options.sizes[1];
  // Nobody bound: nobody can be reminded, whatever the day; the bot runs on the real clock, untouched.
  const orgFile = await writeOrgFile(await orgDir(ctx), { reporters: n, bind: false, year: YEAR });
  const runs: Run[] = [];
  await withDatabase(db, async (place) => {
    for (const scenario of ['idle-new', 'idle-existing']) {
      const run: Run = { scenario, db, n, pace: '-', checks: [] };
      runs.push(run);
      ctx.fake.reset();
      const env = botSettings({ ...place, orgFile, pace: 'default', token: ctx.fake.token, apiRoot: ctx.fake.url });
      const bot = await startChild(BOT_ENTRY, env, { nodeFlags: BOT_NODE_FLAGS, readyTimeoutMs: 300_000, logFile: await logFile(ctx, `${scenario}-${db}`) });
      cleanups.push(async () => void (await bot.stop(5_000)));
      try {
        // RSS read every second while the bot settles: V8 and the allocator give back start-up's memory in
        // steps, 6–16 s after "running" on the development machine (BENCHMARKS.md, "the idle bot's memory").
        const series: number[] = [];
        for (let at = 0; at < ctx.options.settleMs; at += 1000) {
          await sleep(Math.min(1000, ctx.options.settleMs - at));
          const rss = bot.memory()?.rssMiB;
          if (rss !== undefined) series.push(Math.round(rss));
        }
        Object.assign(run, memoryOf(bot), { rssSeries: series });
        run.stray = ctx.fake.sent().length;
      } finally {
        await stopChild(bot, run);
      }
    }
  });
  return runs;
}

async function logFile(ctx: Context, label: string): Promise<string | undefined> {
  if (!ctx.options.logs) return undefined;
  await mkdir(ctx.options.logs, { recursive: true });
  return path.join(ctx.options.logs, `${label}.log`);
}

let orgs = 0;
async function orgDir(ctx: Context): Promise<string> {
  orgs += 1;
  const dir = path.join(ctx.orgDir, String(orgs));
  await mkdir(dir, { recursive: true });
  return dir;
}

// --------------------------------------------------------------------------------------------- targets

function check(run: Run | undefined, target: string, what: string, value: number | undefined, limit: number, atMost: boolean): void {
  if (!run || value === undefined) return;
  const pass = Number.isFinite(value) && (atMost ? value <= limit : value >= limit);
  run.checks.push({ target, what, value, limit: `${atMost ? '≤' : '≥'} ${limit}`, pass });
}

function judge(runs: Run[], options: Options): void {
  const find = (scenario: string, db: Db | '-', n: number) => runs.find((r) => r.scenario === scenario && r.db === db && r.n === n && !r.error);
  const [small, large] = options.sizes;
  const echo = find('echo', '-', large);
  for (const run of runs) {
    if (run.error) run.checks.push({ target: '-', what: 'ran', value: 0, limit: 'no error', pass: false });
    if (run.scenario === 'pace-off' && run.db !== '-') {
      const echoSame = find('echo', '-', run.n);
      if (echoSame?.rate && run.rate !== undefined) {
        run.echoRate = echoSame.rate;
        run.ratio = run.rate / echoSame.rate;
      }
      if (run.cold && echoSame?.cold?.rate) run.cold.ratio = run.cold.rate / echoSame.cold.rate;
    }
  }
  for (const db of options.dbs) {
    const few = find('pace-off', db, small);
    const many = find('pace-off', db, large);
    if (few?.rate && many?.rate !== undefined) check(many, 'T1', `rate@${large}/rate@${small}`, many.rate / few.rate, 0.7, false);
    check(many, 'T1', 'unanswered', many?.unanswered, 0, true);
    if (echo?.rate && many?.rate !== undefined) check(many, 'T2', 'rate/echo', many.rate / echo.rate, db === 'pglite' ? 0.1 : 0.25, false);
    for (const n of options.typing) {
      const typing = find('typing', db, n);
      check(typing, 'T3', 'p50 ms', typing?.p50, 300, true);
      check(typing, 'T3', 'p99 ms', typing?.p99, n <= 30 ? 1000 : 1500, true);
      check(typing, 'T3', 'unanswered', typing?.unanswered, 0, true);
    }
    const round = runs.find((r) => r.scenario === 'round' && r.db === db && !r.error);
    if (round?.round) {
      check(round, 'T4', 'round s', round.round.durationS, Math.round(round.round.limitS * 10) / 10, true);
      check(round, 'T4', 'delivered', round.round.delivered, round.round.expected, false);
      check(round, 'T4', 'p50 ms', round.p50, 300, true);
      check(round, 'T4', 'p99 ms', round.p99, 1000, true);
      check(round, 'T4', 'unanswered', round.unanswered, 0, true);
      check(round, 'T4', 'max/1s', round.maxPerSecond, DEFAULT_PACE.perSecond, true);
      check(round, 'T4', 'min chat gap ms', round.minChatGapMs, DEFAULT_PACE.chatIntervalMs, false);
    }
    for (const scenario of ['idle-new', 'idle-existing']) {
      const idle = runs.find((r) => r.scenario === scenario && r.db === db && !r.error);
      check(idle, 'T5', 'RSS MiB', idle?.rssMiB, 250, true);
      if (scenario === 'idle-existing') check(idle, 'T5', 'start-up ms', idle?.startupMs, 3000, true);
    }
  }
}

// ---------------------------------------------------------------------------------------------- output

const fmt = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

function printTable(runs: Run[]): void {
  const header = ['scenario', 'DB', 'N', 'rate/s', 'echo/s', 'ratio', 'p50 ms', 'p99 ms', 'unans.', 'RSS (peak) MiB', 'start s', 'targets'];
  const rows = runs.map((r) => [
    r.scenario === 'round' && r.round ? `round ${r.round.expected}` : r.scenario,
    r.db,
    String(r.n),
    fmt(r.rate, 1),
    fmt(r.echoRate, 1),
    r.ratio === undefined ? '–' : `${(r.ratio * 100).toFixed(1)}%`,
    fmt(r.p50),
    fmt(r.p99),
    r.unanswered === undefined ? '–' : String(r.unanswered + (r.errors ?? 0)),
    r.rssMiB === undefined ? '–' : `${fmt(r.rssMiB)} (${fmt(r.peakMiB)})`,
    fmt(r.startupMs === undefined ? undefined : r.startupMs / 1000, 1),
    r.error
      ? `ERROR ${r.error.split('\n')[0]!.slice(0, 60)}`
      : r.checks.map((c) => `${c.target} ${c.what} ${c.pass ? 'PASS' : 'FAIL'}`).join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : pad(cell, widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

// CJK characters take two columns.
const width = (text: string) => [...text].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - width(text)));

function printDetails(runs: Run[]): void {
  for (const r of runs) {
    const bits: string[] = [];
    if (r.cold) {
      const share = r.cold.ratio === undefined ? '' : ` (${(r.cold.ratio * 100).toFixed(1)}% of the echo bot's first round)`;
      bits.push(`first round after the start ${fmt(r.cold.rate, 1)} msg/s${share}, p50/p99 ${fmt(r.cold.p50)}/${fmt(r.cold.p99)} ms`);
    }
    for (const [k, w] of (r.warmRounds ?? []).entries()) {
      const cpu = w.cpu.botMs === undefined ? '' : `, CPU ${fmt(w.cpu.botMs, 2)}${w.cpu.serverMs === undefined ? '' : ` + ${fmt(w.cpu.serverMs, 2)}`} ms/msg`;
      bits.push(`warm-up round ${k + 1}: ${fmt(w.rate, 1)} msg/s, p50/p99 ${fmt(w.p50)}/${fmt(w.p99)} ms${cpu}`);
    }
    if (r.cpu?.botMs !== undefined) {
      const server = r.cpu.serverMs === undefined ? '' : ` + the PostgreSQL server ${fmt(r.cpu.serverMs, 2)}`;
      bits.push(`CPU per message: ${r.scenario === 'echo' ? 'echo bot' : 'bot'} ${fmt(r.cpu.botMs, 2)} ms${server}`);
    }
    if (r.wholeP50 !== undefined && !Number.isNaN(r.wholeP50)) bits.push(`whole answer p50/p99 ${fmt(r.wholeP50)}/${fmt(r.wholeP99)} ms`);
    if (r.maxPerSecond !== undefined) bits.push(`max ${r.maxPerSecond} msg in any 1 s`);
    if (r.minChatGapMs !== undefined && Number.isFinite(r.minChatGapMs)) bits.push(`min gap per chat ${fmt(r.minChatGapMs)} ms`);
    if (r.round) {
      bits.push(`round: ${r.round.delivered}/${r.round.expected} delivered (planned ${r.round.planned ?? '?'}) in ${fmt(r.round.durationS, 1)} s (target ≤ ${fmt(r.round.limitS, 1)} s), first reminder ${fmt(r.round.firstReminderS, 1)} s after the spawn`);
    }
    if (r.scenario.startsWith('idle') && r.startupPhases) {
      const phases = Object.entries(r.startupPhases).filter(([msg]) => msg !== 'running');
      bits.push(`start-up: ${phases.map(([msg, ms]) => `${msg} at ${fmt(ms / 1000, 1)} s`).join(', ')}, running at ${fmt((r.startupMs ?? NaN) / 1000, 1)} s`);
    }
    if (r.slowest && r.slowest.length > 0 && r.pace === 'default') {
      const since = r.round ? 'the first reminder' : 'the start';
      bits.push(`slowest first parts (asked s after ${since}: ms) ${r.slowest.map((s) => `${fmt(s.atS, 1)}: ${fmt(s.ms)}`).join(', ')}`);
    }
    if (r.stray) bits.push(`${r.stray} message(s) nobody asked for`);
    if (r.errors) bits.push(`${r.errors} apology(ies)`);
    if (r.logProblems && r.logProblems.warn + r.logProblems.error > 0) bits.push(`log: ${r.logProblems.warn} warn, ${r.logProblems.error} error`);
    for (const c of r.checks.filter((c) => !c.pass)) bits.push(`${c.target} FAIL: ${c.what} = ${fmt(c.value, c.value < 10 ? 3 : 0)} (${c.limit})`);
    if (bits.length > 0 || r.samples || r.error) {
      console.log(`  ${r.scenario} ${r.db} N=${r.n}: ${bits.join('; ')}`);
      for (const sample of r.samples ?? []) console.log(`    ${sample}`);
      for (const first of r.logProblems?.first ?? []) console.log(`    log: ${first}`);
      if (r.error) console.log(`    error: ${r.error}`);
    }
  }
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const info = machine();
  console.log(`rush bench${options.quick ? ' (quick: small sizes, figures indicative)' : ''} — ${machineLine(info)}`);
  const started = new Date();
  const notes: string[] = [];
  if (options.dbs.includes('postgres')) {
    const problem = await postgresProblem();
    if (problem) {
      const note = `PostgreSQL not reachable at ${SERVER_URL.replace(/\/\/[^@]*@/, '//…@')} (${problem}): its scenarios are skipped`;
      console.log(note);
      notes.push(note);
      options.dbs = options.dbs.filter((db) => db !== 'postgres');
    }
  }
  const fake = await createBenchTelegram();
  cleanups.push(() => fake.close());
  const orgDirRoot = await mkdtemp(path.join(os.tmpdir(), 'baoshu-rush-orgs-'));
  cleanups.push(() => rm(orgDirRoot, { recursive: true, force: true }));
  const ctx: Context = { fake, options, orgDir: orgDirRoot };
  const runs: Run[] = [];

  async function attempt(label: string, work: () => Promise<Run | Run[]>, fallback: Run): Promise<void> {
    const t0 = performance.now();
    process.stdout.write(`${label} … `);
    try {
      const result = await work();
      const list = Array.isArray(result) ? result : [result];
      runs.push(...list);
      const summary = list.map((r) =>
        r.rate !== undefined ? `${fmt(r.rate, 1)} msg/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, unanswered ${r.unanswered}` : `RSS ${fmt(r.rssMiB)} MiB${atTenSeconds(r)}, start-up ${fmt((r.startupMs ?? 0) / 1000, 1)} s`,
      );
      console.log(`${summary.join(' | ')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    } catch (error) {
      fallback.error = error instanceof Error ? error.message : String(error);
      runs.push(fallback);
      console.log(`ERROR: ${fallback.error.split('\n')[0]}`);
    }
  }

  const blank = (scenario: string, db: Db | '-', n: number, pace: Run['pace']): Run => ({ scenario, db, n, pace, checks: [] });
  for (const scenario of options.scenarios) {
    if (scenario === 'pace-off') {
      for (const n of new Set(options.sizes)) {
        await attempt(`echo N=${n}`, () => echoRun(ctx, n), blank('echo', '-', n, 'off'));
        for (const db of options.dbs) await attempt(`pace off ${db} N=${n}`, () => paceOffRun(ctx, db, n), blank('pace-off', db, n, 'off'));
      }
    } else if (scenario === 'typing') {
      for (const n of options.typing) {
        for (const db of options.dbs) await attempt(`typing ${db} N=${n}`, () => typingRun(ctx, db, n), blank('typing', db, n, 'default'));
      }
    } else if (scenario === 'round') {
      for (const db of options.dbs) {
        await attempt(`round of ${options.reminders} + ${options.roundReporters} typing, ${db}`, () => roundRun(ctx, db), blank('round', db, options.roundReporters, 'default'));
      }
    } else {
      for (const db of options.dbs) await attempt(`idle ${db}`, () => idleRuns(ctx, db), blank('idle-new', db, options.sizes[1], '-'));
    }
  }

  judge(runs, options);
  console.log('');
  printTable(runs);
  printDetails(runs);
  const failed = runs.flatMap((r) => r.checks).filter((c) => !c.pass).length;
  const passed = runs.flatMap((r) => r.checks).filter((c) => c.pass).length;
  console.log(`targets: ${passed} passed, ${failed} failed${options.quick ? ' (quick sizes: indicative only)' : ''}`);

  const out = options.out ? path.resolve(options.out) : path.join(ROOT, 'bench/results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(path.dirname(out), { recursive: true });
  const json = { startedAt: started.toISOString(), finishedAt: new Date().toISOString(), machine: info, loadAverageAtEnd: os.loadavg(), options, notes, runs };
  await writeFile(out, `${JSON.stringify(json, (_, v: unknown) => (typeof v !== 'number' ? v : Number.isFinite(v) ? Math.round(v * 100) / 100 : null), 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), out)}`);
  return 0;
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the bench processes and removing its databases and folders`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
