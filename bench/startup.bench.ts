// `npm run bench:startup`: how long `npm start` takes to be running and how much memory it then holds
// while idle, on the embedded database, (a) in a new data folder and (b) in the same folder opened again.
// The bot runs as `npm start` runs it (package.json's start script, through sh, with node_modules/.bin on
// the PATH) with the Telegram channel on, talking to a fake Bot API on 127.0.0.1. "The bot" is the process
// running main.ts: the deepest one whose command names src/main.ts (`tsx src/main.ts` runs it in a child of
// its launcher); the launcher, a shell or an esbuild helper are reported on their own. Writes the figures
// to bench/results/.
//
//   npx tsx bench/startup.bench.ts [--runs N] [--idle SECONDS] [--label NAME] [--command 'node … src/main.ts']
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFakeBotApi } from '../test/helpers/fake-bot-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface ProcessMemory {
  pid: number;
  role: 'bot' | 'launcher' | 'esbuild' | 'other';
  command: string;
  rssMiB: number;
  peakRssMiB: number;
}

interface Run {
  folder: 'new' | 'existing';
  startupSeconds: number;
  bot: ProcessMemory;
  helpers: ProcessMemory[];
  /** What main.ts logged as applied by this start. */
  migrationsApplied?: string[];
}

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    idle: { type: 'string', default: '5' },
    label: { type: 'string', default: '' },
    command: { type: 'string' },
  },
});
const startCommand =
  args.command ?? (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
const runs = Math.max(1, Number(args.runs));
const idleMs = Number(args.idle) * 1000;

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

async function status(pid: number): Promise<{ ppid: number; rss: number; hwm: number } | undefined> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { ppid: field('PPid'), rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function commandLine(pid: number): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return portable(raw.split('\0').filter(Boolean).join(' '));
}

/**
 * A command line as the results keep it: paths inside node_modules start there, not at the machine's
 * checkout (bench/results/ is committed, and where someone's copy of the repository lives is no figure).
 */
function portable(command: string): string {
  return command.replace(/(?:file:\/\/)?\/[^\s"]*?\/node_modules\//g, 'node_modules/');
}

/** Every descendant of `root` (itself included), found through the parent ids in /proc. */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const found = await status(Number(entry));
    if (found) parents.set(Number(entry), found.ppid);
  }
  const family = new Set([root]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const [pid, ppid] of parents) {
      if (family.has(ppid) && !family.has(pid)) {
        family.add(pid);
        grown = true;
      }
    }
  }
  return [...family];
}

async function memoryOf(root: number): Promise<ProcessMemory[]> {
  const found: Array<Omit<ProcessMemory, 'role'> & { ppid: number }> = [];
  for (const pid of await descendants(root)) {
    const [state, command] = await Promise.all([status(pid), commandLine(pid)]);
    if (!state) continue;
    found.push({ pid, ppid: state.ppid, command: command.length > 160 ? `${command.slice(0, 157)}…` : command, rssMiB: mib(state.rss), peakRssMiB: mib(state.hwm) });
  }
  const runsMain = (entry: { command: string }) => /src\/main\.ts/.test(entry.command);
  const bot = found.find((entry) => runsMain(entry) && !found.some((other) => other.ppid === entry.pid && runsMain(other)));
  return found.map(({ ppid: _, ...entry }) => ({
    ...entry,
    role: entry.pid === bot?.pid ? 'bot' : /esbuild/.test(entry.command) ? 'esbuild' : runsMain(entry) || entry.pid === root ? 'launcher' : 'other',
  }));
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function startOnce(dataDir: string, folder: Run['folder'], telegram: { url: string; token: string }): Promise<Run> {
  const started = performance.now();
  // `exec` puts the command in the shell's place, so that the signal to stop reaches it as Ctrl-C would.
  const child = spawn('sh', ['-c', `exec ${startCommand}`], {
    cwd: ROOT,
    env: {
      PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? os.homedir(),
      ENV_FILE: '',
      // Any free port for the dashboard: a bot already running on the default one would stop this one.
      HTTP_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.url,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = waitForExit(child);
  let buffered = '';
  let log = '';
  let migrationsApplied: string[] | undefined;
  const running = new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      log += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let entry: { msg?: string; migrationsApplied?: string[] } | undefined;
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry?.msg === 'database ready') migrationsApplied = entry.migrationsApplied;
        if (entry?.msg === 'running') resolve(performance.now());
      }
    });
    void exited.then((code) => reject(new Error(`the bot exited (${code}) before running:\n${log}`)));
  });
  const ready = await running;
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const processes = await memoryOf(child.pid!);
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`the bot stopped with ${code}:\n${log}`);
  const bot = processes.find((entry) => entry.role === 'bot');
  if (!bot) throw new Error(`no process running src/main.ts among ${JSON.stringify(processes)}`);
  return {
    folder,
    startupSeconds: Math.round(((ready - started) / 1000) * 100) / 100,
    bot,
    helpers: processes.filter((entry) => entry !== bot),
    ...(migrationsApplied ? { migrationsApplied } : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
  // The machine is shared: its load when the run starts and ends says how far the times can be trusted.
  const loadAtStart = os.loadavg()[0]!;
  console.log(`machine: ${machine}; load average ${loadAtStart.toFixed(2)}`);
  console.log(`npm start: ${startCommand}`);
  const telegram = await createFakeBotApi();
  const all: Run[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'baoshu-startup-'));
      try {
        const dataDir = path.join(dir, 'data');
        for (const folder of ['new', 'existing'] as const) {
          const result = await startOnce(dataDir, folder, telegram);
          all.push(result);
          const helpers = result.helpers.map((entry) => `${entry.role} ${entry.rssMiB}`).join(', ');
          console.log(
            `${folder.padEnd(8)} folder: running in ${result.startupSeconds.toFixed(2)} s, bot idle rss ${result.bot.rssMiB} MiB (peak ${result.bot.peakRssMiB})  [${helpers}]`,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await telegram.close();
  }
  const summary = Object.fromEntries(
    (['new', 'existing'] as const).map((folder) => {
      const of = all.filter((run) => run.folder === folder);
      return [folder, {
        startupSeconds: median(of.map((run) => run.startupSeconds)),
        fastestStartupSeconds: Math.min(...of.map((run) => run.startupSeconds)),
        botRssMiB: median(of.map((run) => run.bot.rssMiB)),
        botPeakRssMiB: median(of.map((run) => run.bot.peakRssMiB)),
        helpersRssMiB: median(of.map((run) => run.helpers.reduce((sum, entry) => sum + entry.rssMiB, 0))),
      }];
    }),
  );
  const load = { atStart: loadAtStart, atEnd: os.loadavg()[0]! };
  console.log(`median of ${runs}: ${JSON.stringify(summary)}; load average at the end ${load.atEnd.toFixed(2)}`);
  const resultsDir = path.join(ROOT, 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(resultsDir, `startup-${stamp}${args.label ? `-${args.label}` : ''}.json`);
  await writeFile(file, `${JSON.stringify({ machine, at: new Date().toISOString(), label: args.label, command: portable(startCommand), load, idleSeconds: idleMs / 1000, runs, summary, all }, null, 2)}\n`);
  console.log(`written to ${path.relative(ROOT, file)}`);
}

await main();
