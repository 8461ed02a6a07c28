/*
 * The embedded database belongs to one process, the running bot. So that the administrator need not stop
 * the bot to create an invite or load a changed organisation file, the bot listens on a Unix socket in
 * DATA_DIR (readable by its own user only) and runs the commands of `npm run cli` that reach it there, on
 * its open database. The CLI turns to it when it finds the database locked by the bot.
 *
 * The terminal chat (`npm run chat`) goes on there too. One connection is one command or one chat: the
 * client writes a JSON line `{ kind, argv, cwd }`, then for a chat `{ line }` for each line typed and
 * ends its side when the input ends; the bot answers with JSON lines `{ out }` and `{ err }` as it
 * prints, then `{ exit }`.
 */
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { AppError } from '../core/errors.js';
import type { Translate } from '../core/i18n.js';
import type { Logger } from '../logger.js';
import type { CliIo } from './io.js';

/** A command line as the CLI was given it, and where it was typed (relative file names start there). */
export interface AdminRequest {
  /** `npm run cli` (the default) or `npm run chat`. */
  kind?: 'command' | 'chat';
  argv: string[];
  cwd: string;
}

/** What the bot does with a request: a command prints to `io`; a chat also reads `input` to its end. */
export interface AdminHandlers {
  command(request: AdminRequest, io: CliIo): Promise<number>;
  chat(request: AdminRequest, session: { input: Readable; output: Writable; error: Writable }): Promise<number>;
}

type Frame = { out: string } | { err: string } | { exit: number } | { line: string };

export function adminSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'admin.sock');
}

export interface AdminSocket {
  /** `stopping` is what an open terminal chat is told (from locales/). */
  close(stopping: string): Promise<void>;
}

/** Serves CLI commands on `socketPath`, each run by `run` with the connection as its output. */
export async function serveAdminCommands(socketPath: string, handlers: AdminHandlers, logger?: Logger): Promise<AdminSocket> {
  // Left over from a run that crashed: this process holds the database, so no other bot listens there.
  await rm(socketPath, { force: true });
  const connections = new Set<net.Socket>();
  const running = new Set<Promise<void>>();
  const chats = new Set<{ input: PassThrough; send: (frame: Frame) => void }>();
  // Half-open: a chat's client ends its side when its input ends, and still reads the last answers.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    // A client that went away mid-command: nothing to tell it (readline passes the socket's errors on).
    socket.on('error', () => {});
    const lines = createInterface({ input: socket }).on('error', () => {});
    const send = (frame: Frame) => {
      if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(frame)}\n`);
    };
    const input = new PassThrough();
    let request: AdminRequest | undefined;
    lines.on('line', (line) => {
      if (request) {
        const frame = parseFrame(line);
        if (frame && 'line' in frame && !input.writableEnded) input.write(`${frame.line}\n`);
        return;
      }
      request = parseRequest(line);
      if (!request) {
        lines.close();
        socket.end(`${JSON.stringify({ exit: 2 } satisfies Frame)}\n`);
        return;
      }
      run(request);
    });
    lines.on('close', () => input.end());

    function run(request: AdminRequest): void {
      const io: CliIo = { stdout: (text) => send({ out: text }), stderr: (text) => send({ err: text }) };
      const chat = request.kind === 'chat' ? { input, send } : undefined;
      if (chat) chats.add(chat);
      const started = chat
        ? handlers.chat(request, { input, output: lineWriter(io.stdout), error: lineWriter(io.stderr) })
        : handlers.command(request, io);
      const finished = started
        .catch((error: unknown) => {
          logger?.error({ err: error, kind: request.kind ?? 'command', argv: request.argv }, 'admin command failed');
          return 1;
        })
        .then((exit) => {
          logger?.info({ kind: request.kind ?? 'command', argv: request.argv, exit }, 'admin command run for npm run cli');
          if (!socket.destroyed) socket.end(`${JSON.stringify({ exit } satisfies Frame)}\n`);
        })
        .finally(() => {
          if (chat) chats.delete(chat);
          running.delete(finished);
        });
      running.add(finished);
    }
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
    /**
     * Stops listening and lets what is running finish, before the database closes: a command runs to its
     * end; a terminal chat is told the bot is stopping and ends as if its input had (its last lines are
     * answered). Connections that never asked for anything are dropped.
     */
    async close(stopping) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const chat of chats) {
        chat.send({ err: stopping });
        chat.input.end();
      }
      await Promise.allSettled([...running]);
      for (const socket of connections) socket.destroy();
      await closed;
      await rm(socketPath, { force: true });
    },
  };
}

/**
 * After opening the database failed with `error`: when it is the embedded one, held by another process,
 * hands the request to the bot listening in its folder. Resolves with the bot's exit code (1, said so,
 * when the bot went away before the end), or undefined when no bot answers there.
 */
export async function handToRunningBot(
  error: unknown,
  settings: { databaseUrl?: string; dataDir: string },
  request: AdminRequest,
  io: CliIo & { t: Translate },
  input?: Readable,
): Promise<number | undefined> {
  if (!(error instanceof AppError && error.code === 'database_locked') || settings.databaseUrl) return undefined;
  const exit = await runInBot(adminSocketPath(settings.dataDir), request, io, input);
  if (exit === null) io.stderr(io.t(request.kind === 'chat' ? 'cli.bot_went_away_chat' : 'cli.bot_went_away'));
  return exit === null ? 1 : exit;
}

/**
 * Runs a command (or a chat, reading `input` to its end) in the bot listening on `socketPath`, printing
 * what it prints. Resolves with its exit code, `undefined` when no bot listens there, and `null` when the
 * bot went away before the end.
 */
export function runInBot(socketPath: string, request: AdminRequest, io: CliIo, input?: Readable): Promise<number | null | undefined> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    let connected = false;
    let exit: number | null = null;
    let typed: ReturnType<typeof createInterface> | undefined;
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
      if (!input) return;
      typed = createInterface({ input, terminal: false });
      typed.on('line', (line) => {
        if (socket.writable) socket.write(`${JSON.stringify({ line } satisfies Frame)}\n`);
      });
      typed.on('close', () => socket.end());
    });
    // No bot listening (ENOENT, ECONNREFUSED) is an answer, not a failure: see the close handler.
    socket.on('error', () => {});
    const lines = createInterface({ input: socket }).on('error', () => {});
    lines.on('line', (line) => {
      const frame = parseFrame(line);
      if (!frame) return;
      if ('out' in frame) io.stdout(frame.out);
      else if ('err' in frame) io.stderr(frame.err);
      else if ('exit' in frame) exit = frame.exit;
    });
    socket.on('close', () => {
      // The bot has ended the chat: what is typed from now on is for nobody.
      typed?.close();
      resolve(connected ? exit : undefined);
    });
  });
}

/** A stream that sends each line written to it (the terminal chat writes whole lines) to `print`. */
function lineWriter(print: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) print(line);
      callback();
    },
    final(callback) {
      if (pending) print(pending);
      callback();
    },
  });
}

function parseRequest(line: string): AdminRequest | undefined {
  try {
    const value = JSON.parse(line) as Partial<AdminRequest>;
    const argv = Array.isArray(value.argv) && value.argv.every((arg) => typeof arg === 'string') ? value.argv : undefined;
    const kind = value.kind === 'chat' ? 'chat' : 'command';
    return argv && typeof value.cwd === 'string' ? { kind, argv, cwd: value.cwd } : undefined;
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
    if (typeof value.line === 'string') return { line: value.line };
    return undefined;
  } catch {
    return undefined;
  }
}
