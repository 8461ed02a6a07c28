import { createServer } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelError, RateLimitError } from '../../src/app/channel-errors.js';
import type { IncomingMessage } from '../../src/app/port.js';
import { createTelegramAdapter, type TelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import { createFakeBotApi, type FakeBotApi } from '../helpers/fake-bot-api.js';

const GROUP = { id: -1001234567890, type: 'supergroup' as const };

/** Collects what the adapter hands over, and lets a test wait for the n-th message. */
function createInbox(onEach: (m: IncomingMessage) => void = () => {}) {
  const messages: IncomingMessage[] = [];
  const waiters = new Set<() => void>();
  return {
    messages,
    handler: async (m: IncomingMessage) => {
      messages.push(m);
      for (const wake of [...waiters]) wake();
      onEach(m);
    },
    waitFor(count: number, timeoutMs = 2000): Promise<IncomingMessage[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          done();
          resolve(messages.slice(0, count));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`expected ${count} messages within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function createLogSink() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function openHandles(): number {
  const kinds = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'];
  return process.getActiveResourcesInfo().filter((r) => kinds.includes(r)).length;
}

// First in the file, so that no earlier test's sockets are still closing when the baseline is counted.
describe('telegram adapter, shutdown', () => {
  it('leaves no sockets, servers or timers behind once stopped', async () => {
    const before = openHandles();
    const [pollFake, hookFake] = await Promise.all([createFakeBotApi(), createFakeBotApi()]);
    const [pollInbox, hookInbox] = [createInbox(), createInbox()];
    const port = await freePort();
    const polling = createTelegramAdapter({ token: pollFake.token, apiRoot: pollFake.url });
    const hook = createTelegramAdapter({
      token: hookFake.token,
      apiRoot: hookFake.url,
      webhook: { url: `http://127.0.0.1:${port}/hook`, secret: 's3cret', port, host: '127.0.0.1' },
    });
    await Promise.all([polling.start(pollInbox.handler), hook.start(hookInbox.handler)]);
    pollFake.userSays(880001, '你好');
    hookFake.userSays(880001, '你好');
    await Promise.all([pollInbox.waitFor(1), hookInbox.waitFor(1), polling.sendText('telegram:880001', '您好')]);
    await Promise.all([polling.stop(), hook.stop()]);
    await Promise.all([pollFake.close(), hookFake.close()]);
    // Closed sockets leave the handle list on a later turn of the event loop, not synchronously (later still
    // on a busy machine); one left open never does.
    await expect.poll(openHandles, { timeout: 10_000, interval: 5 }).toBe(before);
  });
});

describe('telegram adapter, long polling', () => {
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;
  let inbox: ReturnType<typeof createInbox>;
  const log = createLogSink();
  let throwOnNext = false;

  beforeEach(async () => {
    fake = await createFakeBotApi();
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.url, logger: log.logger });
    inbox = createInbox(() => {
      if (throwOnNext) {
        throwOnNext = false;
        throw new Error('handler exploded');
      }
    });
    await adapter.start(inbox.handler);
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('hands a private text message to the handler as one IncomingMessage', async () => {
    const update = fake.userSays(880001, '工业投资 19.6亿');
    const [message] = await inbox.waitFor(1);
    expect(message).toEqual({
      channel: 'telegram',
      messageId: `telegram:880001:${update.message.message_id}`,
      from: 'telegram:880001',
      chat: 'telegram:880001',
      isGroup: false,
      mentioned: false,
      text: '工业投资 19.6亿',
      displayName: '王明',
      receivedAt: new Date(update.message.date * 1000),
    });
    expect(adapter.botUsername()).toBe(fake.botUsername);
  });

  it('sends a text to the numeric chat id', async () => {
    await adapter.sendText('telegram:880001', '已收到，谢谢！');
    expect(fake.sent).toEqual([{ method: 'sendMessage', chat_id: 880001, text: '已收到，谢谢！' }]);
  });

  it('splits a 5000-character text into two messages at a line break', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${String(i).padStart(2, '0')}${'进'.repeat(97)}`);
    const text = `${lines.join('\n')}。`;
    expect(text.length).toBe(5000);
    await adapter.sendText('telegram:-1001234567890', text);
    const texts = fake.sent.map((s) => s.text ?? '');
    expect(texts).toHaveLength(2);
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts.join('\n')).toBe(text);
    expect(fake.sent.every((s) => s.chat_id === -1001234567890)).toBe(true);
  });

  it('sends a file as a document with its name, bytes and caption', async () => {
    const content = Buffer.concat([Buffer.from('PK\x03\x04\r\n--x\r\n\r\n'), Buffer.from([0, 255, 13, 10])]);
    await adapter.sendFile?.('telegram:880001', { name: '2026年报数.xlsx', content, caption: '2026年数据' });
    const sent = await fake.waitForSent((s) => s.method === 'sendDocument');
    expect(sent.chat_id).toBe(880001);
    expect(sent.caption).toBe('2026年数据');
    expect(sent.document?.filename).toBe('2026年报数.xlsx');
    expect(sent.document?.bytes.equals(content)).toBe(true);
  });

  it('marks a group message that @mentions the bot and strips the mention', async () => {
    fake.userSays(880002, `@${fake.botUsername} 技改完成率`, { chat: GROUP });
    fake.userSays(880002, '大家好', { chat: GROUP });
    fake.userSays(880002, `/progress@${fake.botUsername}`, { chat: GROUP });
    fake.userSays(880002, '19.6亿', { chat: GROUP, replyToBot: true });
    const messages = await inbox.waitFor(4);
    expect(messages.map((m) => [m.text, m.mentioned, m.isGroup, m.chat])).toEqual([
      ['技改完成率', true, true, 'telegram:-1001234567890'],
      ['大家好', false, true, 'telegram:-1001234567890'],
      ['/progress', true, true, 'telegram:-1001234567890'],
      ['19.6亿', true, true, 'telegram:-1001234567890'],
    ]);
  });

  it('hands one chat its messages over in the order they were sent, even when they arrive in one batch', async () => {
    const events: string[] = [];
    let releaseFirst = () => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const ordered = createInbox();
    await adapter.stop();
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.url });
    await adapter.start(async (m) => {
      events.push(`start ${m.text}`);
      if (m.text === '1') await firstHeld;
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`end ${m.text}`);
      await ordered.handler(m);
    });
    fake.userSays(880001, '1');
    await vi.waitFor(() => expect(events).toEqual(['start 1']));
    // Queued while the first is being handled, these two come back from the next getUpdates together.
    fake.userSays(880001, '2');
    fake.userSays(880001, '3');
    releaseFirst();
    await ordered.waitFor(3);
    // The next batch is fetched only once the first message is handled; within a batch the messages are
    // handed over in update order, and the chat runner keeps that order from there.
    expect(events.slice(0, 2)).toEqual(['start 1', 'end 1']);
    expect(events.filter((event) => event.startsWith('start'))).toEqual(['start 1', 'start 2', 'start 3']);
  });

  it('hands a redelivered update over again with the same messageId', async () => {
    const update = fake.userSays(880001, '确认');
    await inbox.waitFor(1);
    fake.redeliver(update);
    const [first, second] = await inbox.waitFor(2);
    expect(second?.messageId).toBe(first?.messageId);
  });

  it('keeps receiving after a handler throws, and logs the failure', async () => {
    throwOnNext = true;
    fake.userSays(880001, '第一条');
    await inbox.waitFor(1);
    fake.userSays(880001, '第二条');
    const messages = await inbox.waitFor(2);
    expect(messages.map((m) => m.text)).toEqual(['第一条', '第二条']);
    expect(log.lines.some((l) => l.msg === 'telegram update handler failed')).toBe(true);
  });

  it('rejects with a RateLimitError carrying retryAfterMs when Telegram answers 429', async () => {
    const tooMany = { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } };
    fake.failNext('sendMessage', tooMany);
    const error = await adapter.sendText('telegram:880001', '提醒').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
    expect(fake.sent).toEqual([]);
    await adapter.sendText('telegram:880001', '提醒');
    expect(fake.sent).toHaveLength(1);
  });

  it('tells permanent refusals (blocked, chat not found) from passing failures', async () => {
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    fake.failNext('sendDocument', { error_code: 502, description: 'Bad Gateway' });
    const outcomes = await Promise.all([
      adapter.sendText('telegram:880001', 'a').catch((e: unknown) => e),
      adapter.sendText('telegram:880009', 'b').catch((e: unknown) => e),
      adapter.sendFile?.('telegram:880001', { name: 'x.xlsx', content: Buffer.from('x') }).catch((e: unknown) => e),
    ]);
    expect(outcomes.every((e) => e instanceof ChannelError && !(e instanceof RateLimitError))).toBe(true);
    expect(outcomes.map((e) => (e as ChannelError).permanent)).toEqual([true, true, false]);
  });

  it('stops promptly while a long poll is held open', async () => {
    const started = Date.now();
    await adapter.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('telegram adapter, webhook', () => {
  const secret = 'webhook-secret_0123456789';
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;
  let inbox: ReturnType<typeof createInbox>;

  beforeEach(async () => {
    fake = await createFakeBotApi();
    const port = await freePort();
    const webhook = { url: `http://127.0.0.1:${port}/telegram/hook`, secret, port, host: '127.0.0.1' };
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.url, webhook });
    inbox = createInbox();
    await adapter.start(inbox.handler);
  });

  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('registers the webhook with its secret and handles what Telegram posts', async () => {
    expect(fake.calls.find((c) => c.method === 'setWebhook')?.payload).toMatchObject({ secret_token: secret });
    fake.userSays(880001, '总体进度');
    const [message] = await inbox.waitFor(1);
    expect(message?.text).toBe('总体进度');
  });

  it('refuses a wrong or missing secret and does not handle the update', async () => {
    const from = { id: 1, is_bot: false, first_name: 'x' };
    const chat = { id: 1, type: 'private' as const, first_name: 'x' };
    const update = { update_id: 1, message: { message_id: 1, date: 1, chat, from, text: '伪造' } };
    expect(await fake.postToWebhook(update, { secret: 'wrong' })).toBe(403);
    expect(await fake.postToWebhook(update, {})).toBe(403);
    // telegraf answers a valid request only after its handler returned, so the inbox is settled here.
    expect(inbox.messages).toEqual([]);
    expect(await fake.postToWebhook(update, { secret })).toBe(200);
    expect(inbox.messages.map((m) => m.text)).toEqual(['伪造']);
  });
});
