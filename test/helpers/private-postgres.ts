import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, rmSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/*
 * A private, throwaway PostgreSQL server that a test may really stop and start again: `initdb` into a
 * temporary folder, `pg_ctl` on a free port of 127.0.0.1 with its socket in that folder. The machine's
 * shared server, which other tests use, is never touched. PostgreSQL refuses to run as root, so under root
 * the binaries run as the `postgres` user (runuser), owning the folder.
 */

const run = promisify(execFile);
const BINARIES = ['initdb', 'pg_ctl'] as const;
const asRoot = process.getuid?.() === 0;

/** Where each binary is (on PATH, in /usr/local/bin or Debian's folder); undefined when absent. */
const found = Object.fromEntries(BINARIES.map((name) => [name, locate(name)])) as Record<(typeof BINARIES)[number], string | undefined>;

/** Why a private server cannot be run here, or undefined when it can. */
export const privateServerProblem: string | undefined = BINARIES.some((name) => !found[name])
  ? `${BINARIES.filter((name) => !found[name]).join(' and ')} not found (PATH, /usr/local/bin, /usr/lib/postgresql/*/bin)`
  : asRoot && !locate('runuser')
    ? 'running as root without runuser, and PostgreSQL refuses to run as root'
    : asRoot && spawnSync('id', ['-u', 'postgres']).status !== 0
      ? 'running as root without a postgres user, and PostgreSQL refuses to run as root'
      : undefined;

/** CI has the binaries: there their absence fails the suite instead of skipping it. */
export const privateServerRequired = process.env.CI === 'true';

export interface PrivatePostgres {
  /** The server's `postgres` database over TCP. */
  url: string;
  /** Shuts the server down (`pg_ctl stop -m fast`): open connections are terminated, the port refuses new ones. */
  stop(): Promise<void>;
  /** Starts the same data folder again on the same port, and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server at once and removes its folder; safe to call more than once. */
  close(): Promise<void>;
}

/** Servers not closed yet: stopped and removed when the test process exits without closing them. */
const open = new Map<string, string>();
process.once('exit', () => {
  for (const [dir, data] of open) {
    spawnSync(...command('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']), { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Creates and starts a private server; everything it made is removed if it does not come up. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (privateServerProblem !== undefined) throw new Error(`cannot run a private PostgreSQL server: ${privateServerProblem}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'baoshu-pg-'));
  const data = path.join(dir, 'data');
  open.set(dir, data);
  const close = async () => {
    if (!open.delete(dir)) return;
    await pgCtl('stop', '-D', data, '-m', 'immediate', '-w').catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) await run('chown', ['postgres:', dir]);
    await runBinary('initdb', '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync');
    const port = await freePort();
    // In the server's own settings, so that a start after a stop finds the same port and socket folder.
    const settings = [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`, 'fsync = off', 'synchronous_commit = off'];
    await appendFile(path.join(data, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
    const start = () => pgCtl('start', '-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30');
    await start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => pgCtl('stop', '-D', data, '-m', 'fast', '-w', '-t', '30'),
      start,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function pgCtl(...args: string[]): Promise<void> {
  await runBinary('pg_ctl', ...args);
}

/** Runs a PostgreSQL binary (as `postgres` under root); its output is in the error when it fails. */
async function runBinary(binary: (typeof BINARIES)[number], ...args: string[]): Promise<void> {
  const [file, argv] = command(binary, args);
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function command(binary: (typeof BINARIES)[number], args: string[]): [string, string[]] {
  const file = found[binary]!;
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function locate(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/bin', ...debianVersions()];
  for (const dir of dirs.filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Debian's packages keep the server binaries out of PATH, in /usr/lib/postgresql/<version>/bin: newest first. */
function debianVersions(): string[] {
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((entry) => /^\d+$/.test(entry));
    return versions.sort((a, b) => Number(b) - Number(a)).map((version) => `/usr/lib/postgresql/${version}/bin`);
  } catch {
    return [];
  }
}

/** A port nothing listens on now (the kernel's choice, released at once for the server to take). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
