/*
 * A lean fake Telegram Bot API on 127.0.0.1 for the rush bench: real telegraf long-polls it, the bench's
 * reporters write through it, and it records the time of every sendMessage (performance.now(), this
 * process's clock) so that the pace the bot keeps is measured where Telegram would see it.
 *
 * Why not test/helpers/fake-bot-api.ts: it filters its whole queue of updates on every getUpdates and
 * every waitForSent listener scans the whole `sent` array on every send, which is O(n²) over a run of
 * thousands of messages and would distort the figures. This one keeps the same delivery rules that matter
 * (an update stays pending until a later offset confirms it; getUpdates long-polls) with O(1) work per
 * message: the updates are a queue with a head index, and each chat has at most one waiting reporter.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A sendMessage the bot made: when (ms, performance.now()), to which chat, what. */
export interface SentRecord {
  at: number;
  chat: number;
  text: string;
}

interface Update {
  update_id: number;
  message: Record<string, unknown>;
}

type Held = { offset: number; limit: number; res: ServerResponse; timer: NodeJS.Timeout };

export type BenchTelegram = Awaited<ReturnType<typeof createBenchTelegram>>;

export async function createBenchTelegram(options: { token?: string } = {}) {
  const token = options.token ?? '7000001:BENCH-rush_token';
  const botUser = { id: Number(token.split(':')[0]), is_bot: true, first_name: '报数助手', username: 'baoshu_bench_bot' };
  let queue: Update[] = [];
  let head = 0;
  let held: Held | undefined;
  let nextUpdateId = 1;
  let nextMessageId = 1;
  /** Every sendMessage since the last reset, in arrival order. */
  let sent: SentRecord[] = [];
  /** Per chat, the listeners of its next message. */
  const listeners = new Map<number, Set<(record: SentRecord) => void>>();
  const everyListeners = new Set<(record: SentRecord) => void>();
  const otherCalls = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();

  function take(offset: number, limit: number): Update[] {
    // Confirmed (offset past them): forgotten.
    while (head < queue.length && queue[head]!.update_id < offset) head += 1;
    if (head > 10_000 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return queue.slice(head, head + limit);
  }

  function releaseHeld(result: Update[] | undefined): void {
    const h = held;
    if (!h) return;
    held = undefined;
    clearTimeout(h.timer);
    if (!h.res.writableEnded) reply(h.res, { ok: true, result: result ?? take(h.offset, h.limit) });
  }

  function record(chat: number, text: string): SentRecord {
    const entry = { at: performance.now(), chat, text };
    sent.push(entry);
    const waiting = listeners.get(chat);
    if (waiting) for (const listener of [...waiting]) listener(entry);
    for (const listener of [...everyListeners]) listener(entry);
    return entry;
  }

  function answer(method: string, p: Record<string, unknown>, res: ServerResponse): void {
    const ok = (result: unknown) => reply(res, { ok: true, result });
    switch (method) {
      case 'getMe':
        return ok(botUser);
      case 'getUpdates': {
        if (held) releaseHeld([]); // as Telegram: a newer poll ends the older one
        const offset = Number(p.offset ?? 0);
        const limit = Math.min(100, Number(p.limit ?? 100));
        const updates = take(offset, limit);
        const timeoutMs = Number(p.timeout ?? 0) * 1000;
        if (updates.length > 0 || timeoutMs === 0) return ok(updates);
        const h: Held = { offset, limit, res, timer: setTimeout(() => held === h && releaseHeld([]), timeoutMs) };
        held = h;
        res.on('close', () => {
          if (held === h) {
            clearTimeout(h.timer);
            held = undefined;
          }
        });
        return;
      }
      case 'sendDocument': {
        // A file (the bulletin pushed to directors): counted as a message to its chat, its caption as text.
        const chat = Number(p.chat_id);
        const entry = record(chat, String(p.caption ?? '[document]'));
        return ok({ message_id: nextMessageId++, from: botUser, chat: { id: chat, type: 'private', first_name: 'x' }, date: unixNow(), caption: entry.text });
      }
      case 'sendMessage': {
        const chat = Number(p.chat_id);
        const entry = record(chat, String(p.text ?? ''));
        return ok({ message_id: nextMessageId++, from: botUser, chat: { id: chat, type: 'private', first_name: 'x' }, date: unixNow(), text: entry.text });
      }
      default:
        // deleteWebhook, setMyCommands, sendChatAction…: accepted and counted.
        otherCalls.set(method, (otherCalls.get(method) ?? 0) + 1);
        return ok(true);
    }
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match || match[1] !== token) return reply(res, { ok: false, error_code: 404, description: 'Not Found' }, 404);
      let payload: Record<string, unknown> = {};
      try {
        const type = String(req.headers['content-type'] ?? '');
        payload = type.startsWith('multipart/') ? multipartFields(body) : body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return reply(res, { ok: false, error_code: 400, description: 'Bad Request: not JSON' }, 400);
      }
      answer(match[2] ?? '', payload, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    /** A person writes `text` in their private chat with the bot; returns when (performance.now()). */
    say(userId: number, text: string): number {
      const from = { id: userId, is_bot: false, first_name: `r${userId}`, language_code: 'zh-hans' };
      const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
      const message = {
        message_id: nextMessageId++,
        from,
        chat: { id: userId, type: 'private', first_name: from.first_name },
        date: unixNow(),
        text,
        ...(entities ? { entities } : {}),
      };
      queue.push({ update_id: nextUpdateId++, message });
      const at = performance.now();
      if (held) releaseHeld(undefined);
      return at;
    },
    /** Calls `listener` with every message to `chat` from now on, until the returned function is called. */
    watch(chat: number, listener: (record: SentRecord) => void): () => void {
      let set = listeners.get(chat);
      if (!set) listeners.set(chat, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(chat) === set) listeners.delete(chat);
      };
    },
    /** Calls `listener` with every message to any chat from now on, until the returned function is called. */
    watchAll(listener: (record: SentRecord) => void): () => void {
      everyListeners.add(listener);
      return () => everyListeners.delete(listener);
    },
    /** Every sendMessage since the last reset. */
    sent: () => sent,
    otherCalls: () => Object.fromEntries(otherCalls),
    /** Forgets the updates and the sent messages: the next scenario starts from nothing. */
    reset(): void {
      releaseHeld([]);
      queue = [];
      head = 0;
      sent = [];
      listeners.clear();
      everyListeners.clear();
      otherCalls.clear();
    },
    async close(): Promise<void> {
      releaseHeld([]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function reply(res: ServerResponse, body: unknown, status = 200): void {
  if (res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The text fields of a multipart/form-data body (a file's bytes are left out): enough for chat_id and caption. */
function multipartFields(body: Buffer): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const match of body.toString('latin1').matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) {
    fields[match[1]!] = Buffer.from(match[2]!, 'latin1').toString('utf8');
  }
  return fields;
}
