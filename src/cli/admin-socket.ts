/*
 * The embedded database belongs to one process, the running bot. So that the administrator need not stop
 * the bot to create an invite or load a changed organisation file, the bot listens on a Unix socket in
 * DATA_DIR (readable by its own user only) and runs the commands of `npm run cli` that reach it there, on
 * its open database. The CLI turns to it when it finds the database locked by the bot.
 *
 * One connection is one command: the CLI writes a JSON line `{ argv, cwd }`; the bot answers with JSON
 * lines `{ out }` and `{ err }` as the command prints, then `{ exit }`.
 */
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';
import type { CliIo } from './run.js';

/** A command line as the CLI was given it, and where it was typed (relative file names start there). */
export interface AdminRequest {
  argv: string[];
  cwd: string;
}

type Frame = { out: string } | { err: string } | { exit: number };

export function adminSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'admin.sock');
}

export interface AdminSocket {
  close(): Promise<void>;
}

/** Serves CLI commands on `socketPath`, each run by `run` with the connection as its output. */
export async function serveAdminCommands(
  socketPath: string,
  run: (request: AdminRequest, io: CliIo) => Promise<number>,
  logger?: Logger,
): Promise<AdminSocket> {
  // Left over from a run that crashed: this process holds the database, so no other bot listens there.
  await rm(socketPath, { force: true });
  const server = net.createServer((socket) => {
    // A CLI that went away mid-command: nothing to tell it (readline passes the socket's errors on).
    socket.on('error', () => {});
    const lines = createInterface({ input: socket }).on('error', () => {});
    lines.once('line', (line) => {
      lines.close();
      const send = (frame: Frame) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
      };
      const request = parseRequest(line);
      if (!request) {
        socket.end(`${JSON.stringify({ exit: 2 } satisfies Frame)}\n`);
        return;
      }
      const io: CliIo = { stdout: (text) => send({ out: text }), stderr: (text) => send({ err: text }) };
      run(request, io)
        .catch((error: unknown) => {
          logger?.error({ err: error, argv: request.argv }, 'admin command failed');
          return 1;
        })
        .then((exit) => {
          logger?.info({ argv: request.argv, exit }, 'admin command run for npm run cli');
          if (!socket.destroyed) socket.end(`${JSON.stringify({ exit } satisfies Frame)}\n`);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Commands change the organisation and create invites: the bot's own user only.
  await chmod(socketPath, 0o600);
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socketPath, { force: true });
    },
  };
}

/**
 * Runs a command in the bot listening on `socketPath`, printing what it prints. Resolves with its exit
 * code, `undefined` when no bot listens there, and `null` when the bot went away before the end.
 */
export function runInBot(socketPath: string, request: AdminRequest, io: CliIo): Promise<number | null | undefined> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    let connected = false;
    let exit: number | null = null;
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    // No bot listening (ENOENT, ECONNREFUSED) is an answer, not a failure: see the close handler.
    socket.on('error', () => {});
    const lines = createInterface({ input: socket }).on('error', () => {});
    lines.on('line', (line) => {
      const frame = parseFrame(line);
      if (!frame) return;
      if ('out' in frame) io.stdout(frame.out);
      else if ('err' in frame) io.stderr(frame.err);
      else exit = frame.exit;
    });
    socket.on('close', () => resolve(connected ? exit : undefined));
  });
}

function parseRequest(line: string): AdminRequest | undefined {
  try {
    const value = JSON.parse(line) as Partial<AdminRequest>;
    const argv = Array.isArray(value.argv) && value.argv.every((arg) => typeof arg === 'string') ? value.argv : undefined;
    return argv && typeof value.cwd === 'string' ? { argv, cwd: value.cwd } : undefined;
  } catch {
    return undefined;
  }
}

function parseFrame(line: string): Frame | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value.out === 'string') return { out: value.out };
    if (typeof value.err === 'string') return { err: value.err };
    if (typeof value.exit === 'number') return { exit: value.exit };
    return undefined;
  } catch {
    return undefined;
  }
}
