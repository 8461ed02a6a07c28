import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';

/*
 * The bot's one HTTP server (HTTP_HOST:HTTP_PORT), started by main.ts: the web dashboard (mounted under
 * /dashboard) and WeCom's callback; channel adapters register the paths they answer. Behind the operator's reverse proxy, which
 * terminates TLS. (Telegram's webhook keeps a server of its own.)
 */

/** Answers one request on a registered path; `url` is the request's, parsed. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Where an adapter registers the paths it answers on the bot's HTTP server. */
export interface HttpRoutes {
  /** Serves `path` (exactly that path, any method) with `handler` until the returned function is called. */
  route(path: string, handler: RouteHandler): () => void;
  /** Serves `prefix` and every path under it (`prefix/…`) with `handler`, below the exact paths of `route`. */
  mount(prefix: string, handler: RouteHandler): () => void;
}

/** The server itself: routes, then listen; close lets the requests under way finish first. */
export interface BotHttpServer extends HttpRoutes {
  /** Starts listening; resolves with the address (port 0 picks a free port). */
  listen(): Promise<{ host: string; port: number }>;
  /** Stops taking requests and waits for those under way (at most `graceMs`, 5 s by default). */
  close(graceMs?: number): Promise<void>;
}

/** Where the server listens. */
export interface HttpServerOptions {
  port: number;
  host: string;
  logger?: Logger;
}

/** A body read within a size limit, or why it could not be. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/** Builds the server; nothing listens until `listen`. */
export function createHttpServer(options: HttpServerOptions): BotHttpServer {
  const routes = new Map<string, RouteHandler>();
  const mounts = new Map<string, RouteHandler>();
  const mounted = (pathname: string) => {
    for (const [prefix, handler] of mounts) if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return handler;
    return undefined;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = routes.get(url.pathname) ?? mounted(url.pathname);
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    handler(req, res, url).catch((err: unknown) => {
      options.logger?.error({ err, path: url.pathname }, 'http request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Nothing the bot serves takes long to send: a client that trickles its request is cut off.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  return {
    route(path, handler) {
      if (routes.has(path)) throw new Error(`the HTTP path ${path} is served already`);
      routes.set(path, handler);
      return () => void (routes.get(path) === handler && routes.delete(path));
    },

    mount(prefix, handler) {
      if (mounts.has(prefix)) throw new Error(`the HTTP prefix ${prefix} is served already`);
      mounts.set(prefix, handler);
      return () => void (mounts.get(prefix) === handler && mounts.delete(prefix));
    },

    async listen() {
      server.listen(options.port, options.host);
      await once(server, 'listening');
      const { address, port } = server.address() as AddressInfo;
      options.logger?.info({ host: address, port, paths: [...routes.keys(), ...[...mounts.keys()].map((prefix) => `${prefix}/…`)] }, 'http server listening');
      return { host: address, port };
    },

    async close(graceMs = 5_000) {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * Reads a request's body, stopping (the rest unread) once it is longer than `maxBytes`: the answer should
 * then close the connection (`answerEmpty(res, 413, { closeConnection: true })`).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle({ ok: false, reason: 'too_large' });
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle(req.complete ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, reason: 'aborted' }));
  });
}

/** Answers with `status` and no body, closing the connection when the request's body was left unread. */
export function answerEmpty(res: ServerResponse, status: number, options: { closeConnection?: boolean } = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-length': '0', ...(options.closeConnection ? { connection: 'close' } : {}) }).end();
}
