import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/*
 * A TCP proxy in front of the test PostgreSQL server, which a test can cut and restore: while cut, every
 * open connection is dropped and the port refuses new ones (ECONNREFUSED), as when the server is stopped;
 * restored, it listens on the same port and forwards again. The shared server itself is never stopped.
 */

export interface DbProxy {
  /** `url` with its host and port pointing at the proxy. */
  url(target: string): string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
  /**
   * The next connection gets, in the same packet as its first ReadyForQuery, the FATAL a server shutting
   * down sends (57P01, "terminating connection due to administrator command"), and is closed.
   */
  terminateNext(): void;
}

/** ErrorResponse: FATAL 57P01, as `pg_ctl stop -m fast` terminates a backend. */
const TERMINATED = errorResponse({ S: 'FATAL', V: 'FATAL', C: '57P01', M: 'terminating connection due to administrator command' });

/** Starts a proxy on 127.0.0.1 forwarding to `host:port`. */
export async function createDbProxy(host: string, port: number): Promise<DbProxy> {
  const sockets = new Set<Socket>();
  let terminateNext = false;
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    const terminate = terminateNext;
    terminateNext = false;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    if (terminate) terminateAfterReady(upstream, client);
    else upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const own = (server.address() as AddressInfo).port;
  return {
    url(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(own);
      return url.toString();
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restore() {
      server.listen(own, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
    },
    terminateNext() {
      terminateNext = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards the server's messages until the first ReadyForQuery, which goes out with TERMINATED appended. */
function terminateAfterReady(upstream: Socket, client: Socket): void {
  let pending = Buffer.alloc(0);
  upstream.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    let at = 0;
    while (at + 5 <= pending.length) {
      const end = at + 1 + pending.readInt32BE(at + 1);
      if (end > pending.length) break;
      if (pending[at] === 'Z'.charCodeAt(0)) {
        client.end(Buffer.concat([pending.subarray(0, end), TERMINATED]));
        upstream.destroy();
        return;
      }
      at = end;
    }
    client.write(pending.subarray(0, at));
    pending = pending.subarray(at);
  });
}

function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(fields).map(([code, text]) => Buffer.from(`${code}${text}\0`)), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
