/*
 * A fake Telegram Bot API on 127.0.0.1 that real telegraf talks to (`apiRoot: fake.url`). It keeps
 * Telegram's delivery rules that matter to us: getUpdates long-polls and an update stays pending until
 * a later offset confirms it; a webhook gets each update POSTed with the secret header.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update } from 'telegraf/types';
import { parseMultipart } from './multipart.js';

/** A successful sendMessage or sendDocument, as the fake understood it. */
export interface SentCall {
  method: 'sendMessage' | 'sendDocument';
  chat_id: number;
  text?: string;
  caption?: string;
  document?: { filename: string; bytes: Buffer };
}

/** A scripted Bot API error, as Telegram sends it. */
export interface FakeApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** How `userSays` shapes its message: a private chat unless `chat` says otherwise. */
export interface UserSaysOptions {
  chat?: { id: number; type: 'group' | 'supergroup'; title?: string };
  firstName?: string;
  replyToBot?: boolean;
}

type Payload = Record<string, unknown>;
type Held = { offset: number; res: ServerResponse; timer: NodeJS.Timeout };

/** Starts a fake Bot API server on a random local port. */
export async function createFakeBotApi(options: { token?: string } = {}) {
  const token = options.token ?? '7000001:FAKE-token_for-tests';
  const botId = Number(token.split(':')[0]);
  const botUsername = 'baoshu_test_bot';
  const botUser = { id: botId, is_bot: true, first_name: '报数助手', username: botUsername };
  const calls: Array<{ method: string; payload: Payload }> = [];
  const sent: SentCall[] = [];
  const sentListeners = new Set<() => void>();
  const failures = new Map<string, FakeApiError[]>();
  let pending: Array<{ update: Update; delivered: boolean }> = [];
  let held: Held[] = [];
  const webhookDeliveries: Array<{ update: Update; status: number }> = [];
  const inflight = new Set<Promise<void>>();
  let webhook: { url: string; secret?: string } | undefined;
  let nextUpdateId = 500_000;
  let nextMessageId = 1;
  const now = () => Math.floor(Date.now() / 1000);

  function takeUpdates(offset: number, limit = 100): Update[] {
    // An update is confirmed (and forgotten) once getUpdates asks for an offset past it.
    pending = pending.filter((p) => !(p.delivered && p.update.update_id < offset));
    const batch = pending.sort((a, b) => a.update.update_id - b.update.update_id).slice(0, limit);
    for (const p of batch) p.delivered = true;
    return batch.map((p) => p.update);
  }

  function release(h: Held, body: unknown): void {
    clearTimeout(h.timer);
    held = held.filter((x) => x !== h);
    if (!h.res.writableEnded) reply(h.res, body);
  }

  function deliver(update: Update): void {
    if (webhook) {
      const posting = postJson(webhook.url, update, webhook.secret)
        .catch(() => 0)
        .then((status) => void webhookDeliveries.push({ update, status }))
        .finally(() => posting && inflight.delete(posting));
      inflight.add(posting);
      return;
    }
    pending.push({ update, delivered: false });
    for (const h of [...held]) release(h, { ok: true, result: takeUpdates(h.offset) });
  }

  function answer(method: string, p: Payload, res: ServerResponse): void {
    const ok = (result: unknown) => reply(res, { ok: true, result });
    switch (method) {
      case 'getMe':
        return ok(botUser);
      case 'getUpdates': {
        if (webhook) return fail(res, conflict("can't use getUpdates method while webhook is active"));
        for (const h of [...held]) release(h, { ok: false, ...conflict('terminated by other getUpdates request') });
        const offset = Number(p.offset ?? 0);
        const updates = takeUpdates(offset, Number(p.limit ?? 100));
        const timeoutMs = Number(p.timeout ?? 0) * 1000;
        if (updates.length > 0 || timeoutMs === 0) return ok(updates);
        const h: Held = { offset, res, timer: setTimeout(() => release(h, { ok: true, result: [] }), timeoutMs) };
        held.push(h);
        res.on('close', () => release(h, undefined));
        return;
      }
      case 'setWebhook':
        webhook = { url: String(p.url), ...(p.secret_token ? { secret: String(p.secret_token) } : {}) };
        for (const { update } of pending.filter((x) => !x.delivered)) deliver(update);
        pending = [];
        return ok(true);
      case 'deleteWebhook':
        webhook = undefined;
        if (p.drop_pending_updates) pending = [];
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: pending.length });
      case 'sendChatAction':
      case 'setMyCommands':
        return ok(true);
      case 'sendMessage':
      case 'sendDocument':
        return ok(recordSent(method, p));
      default:
        return fail(res, { error_code: 404, description: 'Not Found' });
    }
  }

  function recordSent(method: 'sendMessage' | 'sendDocument', p: Payload): Message {
    const chat_id = Number(p.chat_id);
    const document = p.document as SentCall['document'];
    const call: SentCall = { method, chat_id, ...(method === 'sendMessage' ? { text: String(p.text) } : { document }) };
    if (p.caption !== undefined) call.caption = String(p.caption);
    sent.push(call);
    for (const listener of [...sentListeners]) listener();
    const id = nextMessageId++;
    const base = { message_id: id, from: botUser, chat: { id: chat_id, type: 'private', first_name: 'x' }, date: now() };
    if (method === 'sendMessage') return { ...base, text: call.text } as Message;
    const file = { file_id: `file-${id}`, file_unique_id: `u${id}`, file_name: document?.filename };
    return { ...base, caption: call.caption, document: { ...file, file_size: document?.bytes.length } } as Message;
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match) return fail(res, { error_code: 404, description: 'Not Found' });
      if (match[1] !== token) return fail(res, { error_code: 401, description: 'Unauthorized' });
      const method = match[2] ?? '';
      const payload = parsePayload(String(req.headers['content-type'] ?? ''), body);
      calls.push({ method, payload });
      const scripted = failures.get(method)?.shift();
      return scripted ? fail(res, scripted) : answer(method, payload, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Queues an update for getUpdates, or POSTs it to the webhook once one is set. */
  function pushUpdate(update: Update): Update {
    deliver(update);
    return update;
  }

  return {
    url,
    token,
    botUsername,
    botId,
    /** Every API call received, failed ones included. */
    calls,
    sent,
    webhookDeliveries,
    pushUpdate,
    /** A person writes `text` to the bot; entities for `@names` and `/commands` are filled in as Telegram does. */
    userSays(userId: number, text: string, opts: UserSaysOptions = {}): Update.MessageUpdate {
      const from = { id: userId, is_bot: false, first_name: opts.firstName ?? '王明', language_code: 'zh-hans' };
      const chat = opts.chat
        ? { title: '报数群', ...opts.chat }
        : { id: userId, type: 'private', first_name: from.first_name };
      const date = now();
      const botsQuestion = { message_id: nextMessageId++, from: botUser, chat, date, text: '(1/3) 工业投资？' };
      const reply = opts.replyToBot ? { reply_to_message: botsQuestion } : {};
      const message = { message_id: nextMessageId++, from, chat, date, text, ...entitiesOf(text), ...reply };
      return pushUpdate({ update_id: nextUpdateId++, message } as Update.MessageUpdate) as Update.MessageUpdate;
    },
    /** Delivers the same update again, as Telegram does when a delivery was not confirmed. */
    redeliver(update: Update): void {
      deliver(structuredClone(update));
    },
    /** Sends a request to the webhook with any secret (or none); resolves with the HTTP status. */
    async postToWebhook(update: Update, opts: { secret?: string } = {}): Promise<number> {
      if (!webhook) throw new Error('no webhook is set');
      return postJson(webhook.url, update, opts.secret);
    },
    /** Makes the next call of `method` fail with `error`. */
    failNext(method: string, error: FakeApiError): void {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    /** Resolves with the first sent call matching `predicate`, already sent or still to come. */
    waitForSent(predicate: (call: SentCall) => boolean, timeoutMs = 2000): Promise<SentCall> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = sent.find(predicate);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = sent.map((s) => ({ ...s, document: s.document?.filename }));
          reject(new Error(`nothing matching was sent within ${timeoutMs} ms; sent: ${JSON.stringify(seen)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          sentListeners.delete(check);
        };
        sentListeners.add(check);
        check();
      });
    },
    /** Answers held long polls at once and closes every connection. */
    async close(): Promise<void> {
      for (const h of [...held]) release(h, { ok: true, result: [] });
      await Promise.allSettled([...inflight]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The fake's handle, as returned by `createFakeBotApi`. */
export type FakeBotApi = Awaited<ReturnType<typeof createFakeBotApi>>;

function reply(res: ServerResponse, body: unknown, status = 200): void {
  if (body === undefined || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function conflict(what: string): FakeApiError {
  return { error_code: 409, description: `Conflict: ${what}` };
}

function fail(res: ServerResponse, error: FakeApiError): void {
  reply(res, { ok: false, ...error }, error.error_code);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parsePayload(contentType: string, body: Buffer): Payload {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(contentType);
  if (boundary) return parseMultipart(body, boundary[1] ?? boundary[2] ?? '');
  return body.length > 0 ? (JSON.parse(body.toString('utf8')) as Payload) : {};
}

function entitiesOf(text: string): { entities?: Array<{ type: string; offset: number; length: number }> } {
  const entities = [...text.matchAll(/(^\/\w+(?:@\w+)?)|(@\w{5,32})/g)].map((m) => ({
    type: m[1] ? 'bot_command' : 'mention',
    offset: m.index,
    length: m[0].length,
  }));
  return entities.length > 0 ? { entities } : {};
}

function postJson(url: string, body: unknown, secret: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    // agent: false closes the connection afterwards, so no keep-alive socket outlives a test.
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
