/*
 * Real processes for the end-to-end tests: the bot (`src/main.ts`) and the terminal chat, spawned with
 * node and tsx exactly as `npm start` / `npm run chat` run them, on an embedded database prepared by the
 * admin CLI in this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../../src/config.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../../src/cli/run.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The settings a developer's shell might carry (every variable config.ts reads); a spawned process sees only the test's. */
const SETTINGS = Object.keys(configSchema.shape);

/** The test's own environment without any bot setting, plus `env`; no settings file (.env) is read. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SETTINGS.includes(name)));
  return { ...base, ENV_FILE: '', ...env };
}

const temporary: string[] = [];

/** A new temporary folder, removed by `removeTemporaryFolders`. */
export async function temporaryFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `baoshu-${prefix}-`));
  temporary.push(dir);
  return dir;
}

export async function removeTemporaryFolders(): Promise<void> {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Runs the admin CLI in this process on `dataDir`; throws with its output when it fails. */
export async function cli(dataDir: string, ...argv: string[]): Promise<string> {
  const lines: string[] = [];
  const io = { stdout: (line: string) => void lines.push(line), stderr: (line: string) => void lines.push(line) };
  const code = await runCli(argv, { env: { DATA_DIR: dataDir }, io });
  if (code !== 0) throw new Error(`cli ${argv.join(' ')} exited ${code}:\n${lines.join('\n')}`);
  return lines.join('\n');
}

/** The one-time code in the output of `cli invite <member>`. */
export async function invite(dataDir: string, member: string): Promise<string> {
  const output = await cli(dataDir, 'invite', member);
  const code = /\/start (\S+)/.exec(output)?.[1];
  if (!code) throw new Error(`no invite code in:\n${output}`);
  return code;
}

/** A copy of a prepared (closed) data folder, so that each scenario starts from the same database. */
export async function copyDataDir(template: string): Promise<string> {
  const dir = path.join(await temporaryFolder('copy'), 'data');
  await cp(template, dir, { recursive: true });
  return dir;
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** A spawned process whose output is collected, with waits on what it prints. */
export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The JSON log lines printed on stderr so far. */
  logs(): LogLine[];
  /** Resolves with the first log line matching `predicate`, printed already or still to come. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once stdout contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit; SIGKILL follows when SIGTERM is not enough within 10 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Spawned>();

/** Spawns `command` in the project folder; every process is tracked until `stopAll`. */
export function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    changed();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    changed();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    changed();
  });

  const logs = () =>
    err.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });

  function waitUntil<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (ended) {
          done();
          reject(new Error(`the process exited before ${what}\nstdout:\n${out}\nstderr:\n${err}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  }

  const spawned: Spawned = {
    child,
    stdout: () => out,
    stderr: () => err,
    logs,
    waitForLog: (predicate, timeoutMs = 30_000) => waitUntil(() => logs().find(predicate), 'matching log line', timeoutMs),
    waitForOutput: async (text, timeoutMs = 30_000) => {
      await waitUntil(() => (out.includes(text) ? true : undefined), `output "${text}"`, timeoutMs);
    },
    exited,
    async stop(signal = 'SIGTERM') {
      if (!ended) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(spawned);
    },
  };
  running.add(spawned);
  return spawned;
}

/** Stops every process a test started and has not stopped itself. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/**
 * The bot, `node --import tsx src/main.ts`, as `npm start` runs it; resolves once it says it is running.
 * `preload`: modules imported before it (a shifted clock).
 */
export async function startBot(env: Record<string, string>, options: { preload?: string[] } = {}): Promise<Spawned> {
  const preload = (options.preload ?? []).flatMap((file) => ['--import', pathToFileURL(file).href]);
  const bot = spawnProcess(process.execPath, ['--import', 'tsx', ...preload, 'src/main.ts'], cleanEnv({ LOG_LEVEL: 'debug', HTTP_PORT: '0', ...env }));
  await bot.waitForLog((line) => line.msg === 'running', 60_000);
  return bot;
}

/**
 * Runs the terminal chat (`node --import tsx src/cli/chat-main.ts`, as `npm run chat` does) as `member`
 * (no `--as` when undefined), types `lines` and ends the input; resolves when it exits.
 */
export async function chatAs(
  member: string | undefined,
  lines: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['--import', 'tsx', 'src/cli/chat-main.ts', ...(member === undefined ? [] : ['--as', member])];
  const chat = spawnProcess(process.execPath, args, cleanEnv(env));
  chat.child.stdin?.end(lines.map((line) => `${line}\n`).join(''));
  const code = await chat.exited;
  running.delete(chat);
  return { code, stdout: chat.stdout(), stderr: chat.stderr() };
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
