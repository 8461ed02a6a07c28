import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type BotHttpServer, answerEmpty, createHttpServer, readBody } from '../src/http-server.js';

/** The bot's one HTTP server: routes the adapters register, bodies read within a limit, a close that lets requests finish. */

let server: BotHttpServer;
let base: string;

async function start(): Promise<void> {
  server = createHttpServer({ port: 0, host: '127.0.0.1' });
  server.route('/echo', async (req, res) => {
    const read = await readBody(req, 16);
    if (!read.ok) return answerEmpty(res, 413, { closeConnection: true });
    res.writeHead(200).end(read.body);
  });
  const { port } = await server.listen();
  base = `http://127.0.0.1:${port}`;
}

/** GET without a body; POST with one, declared (a string) or streamed in chunks (an array). */
function send(path: string, body?: string | string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else {
      req.end(body);
    }
  });
}

afterEach(async () => {
  await server.close();
});

describe('the bot’s HTTP server', () => {
  it('answers a registered path, 404 elsewhere and once the route is gone', async () => {
    await start();
    const remove = server.route('/later', async (_req, res) => void res.writeHead(204).end());
    expect(await send('/echo?x=1', 'hello')).toEqual({ status: 200, body: 'hello' });
    expect((await send('/later')).status).toBe(204);
    remove();
    expect((await send('/later')).status).toBe(404);
    expect((await send('/')).status).toBe(404);
    expect(() => server.route('/echo', async () => {})).toThrow(/served already/);
  });

  it('serves a mounted prefix and every path under it, exact routes first', async () => {
    await start();
    const remove = server.mount('/board', async (_req, res, url) => void res.writeHead(200).end(`board ${url.pathname}`));
    server.route('/board/exact', async (_req, res) => void res.writeHead(200).end('exact'));
    expect(await send('/board')).toEqual({ status: 200, body: 'board /board' });
    expect(await send('/board/a/b?x=1')).toEqual({ status: 200, body: 'board /board/a/b' });
    expect(await send('/board/exact')).toEqual({ status: 200, body: 'exact' });
    expect((await send('/boardroom')).status).toBe(404);
    expect(() => server.mount('/board', async () => {})).toThrow(/served already/);
    remove();
    expect((await send('/board/a')).status).toBe(404);
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    await start();
    expect((await send('/echo', 'x'.repeat(17))).status).toBe(413);
    expect((await send('/echo', ['x'.repeat(10), 'x'.repeat(10)])).status).toBe(413);
    expect(await send('/echo', ['x'.repeat(8), 'y'.repeat(8)])).toEqual({ status: 200, body: `${'x'.repeat(8)}${'y'.repeat(8)}` });
  });

  it('lets a request under way finish when it closes', async () => {
    await start();
    server.route('/slow', async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res.writeHead(200).end('done');
    });
    const slow = send('/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await slow).toEqual({ status: 200, body: 'done' });
  });
});
