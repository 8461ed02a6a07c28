/*
 * Child processes of the rush bench: the bot (`node --import tsx src/main.ts`, the process `npm start`
 * ends up running — tsx's own CLI would put a second node process in front of it, whose memory is not
 * the bot's) and the bare echo bot. Start-up time is spawn → the JSON log line with msg 'running'; memory
 * is read from /proc/<pid>/status of that very process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settings a developer's shell may carry that must not leak into a bench process (see .env.example). */
const SETTING = /^(DATA_DIR|DATABASE_URL|ORG_FILE|BOT_TIMEZONE|LOG_LEVEL|TELEGRAM_.*|WECHAT.*|NODE_OPTIONS|BENCH_CLOCK_AT)$/;

export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface Child {
  pid: number;
  /** When it was spawned (performance.now()). */
  spawnedAt: number;
  /** Spawn → the 'running' log line, in ms. */
  startupMs: number;
  /** The process's resident memory now (VmRSS) and its peak so far (VmHWM), MiB; undefined once it exited. */
  memory(): { rssMiB: number; peakMiB: number } | undefined;
  /** Log lines at warn (40) and above, counted; the first few kept. */
  problems(): { warn: number; error: number; first: string[] };
  /** How many log lines said each message. */
  messages(): Record<string, number>;
  /** When the start-up's log lines were read, ms after the spawn ('database ready', 'organisation loaded', 'running'). */
  phases(): Record<string, number>;
  /** Resolves with the first log line matching, seen already or still to come (undefined on timeout). */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine | undefined>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null: killed by a signal). */
  stop(graceMs?: number): Promise<number | null>;
}

const children = new Set<ChildProcess>();

/** Kills whatever bench child is still running (an interrupted or failed run). */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * Spawns `node --import tsx <extraImports…> <entry>` in the project folder with only `env`'s settings;
 * resolves once it logs 'running'.
 */
export async function startChild(
  entry: string,
  env: Record<string, string>,
  options: { imports?: string[]; readyTimeoutMs?: number; logFile?: string; nodeFlags?: string[] } = {},
): Promise<Child> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTING.test(name)));
  const imports = ['tsx', ...(options.imports ?? [])].flatMap((module) => ['--import', module]);
  const started = performance.now();
  const args = [...(options.nodeFlags ?? []), ...imports, entry];
  // Only the bench's settings: no settings file (.env) of the developer's, and the dashboard on any free
  // port, so that a bot the developer runs on the default port does not stop the bench's from starting.
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...base, ENV_FILE: '', HTTP_PORT: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const seen: LogLine[] = [];
  const tail: string[] = [];
  const problems = { warn: 0, error: 0, first: [] as string[] };
  const waiters = new Set<(line: LogLine | undefined) => void>();
  const counts = new Map<string, number>();
  const phases: Record<string, number> = {};
  const log = options.logFile ? createWriteStream(options.logFile) : undefined;
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => {
    ended = true;
    children.delete(child);
    log?.end();
    for (const check of [...waiters]) check(undefined);
  });
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    log?.write(chunk);
    for (const text of lines) {
      tail.push(text);
      if (tail.length > 40) tail.shift();
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      if (line.msg) counts.set(line.msg, (counts.get(line.msg) ?? 0) + 1);
      if ((line.level ?? 0) >= 40) {
        if ((line.level ?? 0) >= 50) problems.error += 1;
        else problems.warn += 1;
        if (problems.first.length < 5) problems.first.push(problemLine(line));
      }
      // Only lines someone may wait for are kept (not every debug line of a long run).
      if (line.msg && KEPT.has(line.msg)) {
        seen.push(line);
        phases[line.msg] ??= performance.now() - started;
      }
      for (const check of [...waiters]) check(line);
    }
  });

  function waitForLog(predicate: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine | undefined> {
    const found = seen.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const check = (line: LogLine | undefined) => {
        if (line === undefined || predicate(line)) finish(line);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (line: LogLine | undefined) => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(line);
      };
      if (ended) return finish(undefined);
      waiters.add(check);
    });
  }

  const running = await waitForLog((line) => line.msg === 'running', options.readyTimeoutMs ?? 120_000);
  const startupMs = performance.now() - started;
  if (!running) {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`${entry} did not start (no 'running' log line); its last output:\n${tail.join('\n')}`);
  }

  return {
    pid: child.pid!,
    spawnedAt: started,
    startupMs,
    memory: () => (ended ? undefined : readMemory(child.pid!)),
    problems: () => problems,
    messages: () => Object.fromEntries(counts),
    phases: () => ({ ...phases }),
    waitForLog,
    async stop(graceMs = 30_000) {
      if (!ended) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return exited;
    },
  };
}

/** Log messages a scenario may wait for. */
const KEPT = new Set(['database ready', 'organisation loaded', 'running', 'reminders queued', 'stopped']);

function readMemory(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * A warning or an error as the results keep it: the log's message, the error's, and where it was thrown,
 * paths from the repository's root (the results are committed; the machine's paths are not theirs).
 */
function problemLine(line: LogLine): string {
  const err = (line as { err?: { message?: string; stack?: string } }).err;
  const where = err?.stack?.split('\n').slice(1, 3).map((frame) => frame.trim()).join(' < ');
  return [line.msg, err?.message, where].filter(Boolean).join(' — ').split(ROOT).join('.').slice(0, 400);
}
