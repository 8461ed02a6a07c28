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
}

/** Starts a proxy on 127.0.0.1 forwarding to `host:port`. */
export async function createDbProxy(host: string, port: number): Promise<DbProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
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
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
