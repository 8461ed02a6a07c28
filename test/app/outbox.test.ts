import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { type OutgoingMessage, enqueueMessages, writeMessages } from '../../src/app/outbox.js';
import { createSendPacer } from '../../src/app/send-pacer.js';
import { ChannelError } from '../../src/app/channel-errors.js';
import type { ChannelAdapter } from '../../src/app/port.js';
import { type TelegramAdapter, createTelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import type { Db } from '../../src/db/database.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { type FakeBotApi, createFakeBotApi } from '../helpers/fake-bot-api.js';
import { createManualClock } from '../helpers/reminder-world.js';

/*
 * The outbox and its dispatcher against Telegram's refusals, through the real telegraf adapter talking to
 * a fake Bot API: a storm of 429s, users who blocked the bot, chats that are gone, a server that fails.
 * The dispatcher's clock is injected; retry-after and backoff are honoured to the millisecond.
 */

const T0 = new Date('2026-11-30T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const tooMany = (seconds: number) => ({ error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } });

async function enqueue(prisma: Db, messages: Array<{ chat: number; text: string }>): Promise<bigint[]> {
  const outgoing: OutgoingMessage[] = messages.map(({ chat, text }) => ({ channel: 'telegram', chat: `telegram:${chat}`, kind: 'test', text }));
  return prisma.$transaction((tx) => enqueueMessages(tx, outgoing, T0));
}

describeEachDatabase('the outbox against Telegram', (ctx) => {
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;
  const clock = createManualClock(T0);
  const dispatcher = () => createDispatcher({ prisma: ctx.db().prisma, adapters: new Map([['telegram', adapter]]), now: clock.now });
  /** What the fake Bot API received successfully, per chat, in order. */
  const sentPerChat = () => {
    const perChat: Record<number, string[]> = {};
    for (const call of fake.sent) (perChat[call.chat_id] ??= []).push(call.text ?? '');
    return perChat;
  };
  const sendCalls = () => fake.calls.filter((call) => call.method === 'sendMessage').length;

  beforeEach(async () => {
    await ctx.db().prisma.outboxMessage.deleteMany();
    fake = await createFakeBotApi();
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.url });
    clock.set(T0);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('loses nothing and doubles nothing in a storm of 429s, each message waiting its retry_after', async () => {
    const prisma = ctx.db().prisma;
    // 60 reminders to 20 chats, three each; Telegram refuses the first 25 attempts with "retry after 7".
    const messages = Array.from({ length: 60 }, (_, i) => ({ chat: 880000 + (i % 20), text: `提醒 ${i + 1}` }));
    await enqueue(prisma, messages);
    for (let i = 0; i < 25; i += 1) fake.failNext('sendMessage', tooMany(7));
    const outbox = dispatcher();

    await outbox.flush();
    // Every chat's first message was refused; its later ones wait behind it instead of overtaking it.
    expect(fake.sent).toEqual([]);
    expect(sendCalls()).toBe(20);
    const waiting = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' }, select: { status: true, notBefore: true, attempts: true } });
    const refused = waiting.slice(0, 20).map((row) => `${row.status}, ${row.attempts} attempt, until ${row.notBefore.toISOString()}`);
    expect(new Set(refused)).toEqual(new Set([`pending, 1 attempt, until ${at(7000).toISOString()}`]));
    expect(new Set(waiting.slice(20).map((row) => `${row.status}, ${row.attempts} attempts`))).toEqual(new Set(['pending, 0 attempts']));

    clock.set(at(6999));
    await outbox.flush();
    expect(sendCalls()).toBe(20);

    // The storm dies down: five more refusals, then everything goes through within two more waits.
    for (const wait of [7000, 14_000, 21_000]) {
      clock.set(at(wait));
      await outbox.flush();
    }
    expect(sendCalls()).toBe(60 + 25);
    const expected: Record<number, string[]> = {};
    for (const { chat, text } of messages) (expected[chat] ??= []).push(text);
    expect(sentPerChat()).toEqual(expected);
    expect(await prisma.outboxMessage.count({ where: { status: 'sent' } })).toBe(60);
  });

  it('gives up for good on a user who blocked the bot and on a chat that is gone, and sends the rest', async () => {
    const prisma = ctx.db().prisma;
    const [blocked, gone, fine] = await enqueue(prisma, [
      { chat: 881001, text: '催报 1' },
      { chat: 881002, text: '催报 2' },
      { chat: 881003, text: '催报 3' },
    ]);
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    const outbox = dispatcher();
    await outbox.flush();
    for (const wait of [60_000, 3_600_000, 86_400_000]) {
      clock.set(at(wait));
      await outbox.flush();
    }
    expect(sendCalls()).toBe(3);
    const rows = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, attempts: true, lastError: true } });
    expect(rows.map((row) => [row.id, row.status, row.attempts])).toEqual([
      [blocked, 'failed', 1],
      [gone, 'failed', 1],
      [fine, 'sent', 1],
    ]);
    expect(rows[0]?.lastError).toContain('403 Forbidden: bot was blocked by the user');
    expect(rows[1]?.lastError).toContain('400 Bad Request: chat not found');
  });

  it('retries a transient failure after a backoff that doubles: 2 s, then 4 s', async () => {
    const prisma = ctx.db().prisma;
    await enqueue(prisma, [{ chat: 882001, text: '截止日提醒' }]);
    fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });
    fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    const outbox = dispatcher();
    const attemptsAt = async (ms: number) => {
      clock.set(at(ms));
      await outbox.flush();
      return sendCalls();
    };
    expect(await attemptsAt(0)).toBe(1);
    expect(await attemptsAt(1999)).toBe(1);
    expect(await attemptsAt(2000)).toBe(2);
    expect(await attemptsAt(5999)).toBe(2);
    expect(await attemptsAt(6000)).toBe(3);
    expect(sentPerChat()).toEqual({ 882001: ['截止日提醒'] });
    expect(await prisma.outboxMessage.findFirst({ select: { status: true, attempts: true } })).toEqual({ status: 'sent', attempts: 3 });
  });

  it('retries when the Bot API cannot be reached at all', async () => {
    const prisma = ctx.db().prisma;
    await enqueue(prisma, [{ chat: 883001, text: '开始报送' }]);
    const unreachable = createTelegramAdapter({ token: fake.token, apiRoot: 'http://127.0.0.1:9' });
    await createDispatcher({ prisma, adapters: new Map([['telegram', unreachable]]), now: clock.now }).flush();
    const row = await prisma.outboxMessage.findFirstOrThrow();
    expect([row.status, row.attempts, row.notBefore.toISOString()]).toEqual(['pending', 1, at(2000).toISOString()]);
    clock.set(at(2000));
    await dispatcher().flush();
    expect(sentPerChat()).toEqual({ 883001: ['开始报送'] });
  });

  it("leaves another channel's messages alone: the terminal chat does not claim the bot's Telegram replies", async () => {
    const prisma = ctx.db().prisma;
    await enqueue(prisma, [{ chat: 884001, text: '工业投资：…' }]);
    const terminal = { name: 'terminal', start: async () => {}, stop: async () => {}, sendText: async () => {} };
    await createDispatcher({ prisma, adapters: new Map([['terminal', terminal]]), now: clock.now }).flush();
    const row = await prisma.outboxMessage.findFirstOrThrow();
    expect([row.status, row.attempts, row.claimedBy, row.lastError]).toEqual(['pending', 0, null, null]);
    await dispatcher().flush();
    expect(sentPerChat()).toEqual({ 884001: ['工业投资：…'] });
  });
});

describeEachDatabase('the outbox against a failure that is probably permanent', (ctx) => {
  // As WeChat's lookup of a contact fails: an unknown contact and a passing hiccup look the same.
  const GIVE_UP_AFTER = 3;
  const CHAT = 'wechat:wxid_wang';
  const clock = createManualClock(T0);

  /** A channel whose lookup of the recipient fails `failures` times, then succeeds. */
  function flakyLookup(failures: number) {
    const sent: string[] = [];
    let calls = 0;
    const adapter: ChannelAdapter = {
      name: 'wechat',
      start: async () => {},
      stop: async () => {},
      async sendText(chat, text) {
        calls += 1;
        if (calls <= failures) {
          throw new ChannelError('wechat', `this WeChat account does not know ${chat}`, { permanent: false, giveUpAfter: GIVE_UP_AFTER });
        }
        sent.push(text);
      },
    };
    return { adapter, sent, calls: () => calls };
  }

  async function enqueueOne(prisma: Db, text: string): Promise<bigint> {
    const [id] = await prisma.$transaction((tx) => enqueueMessages(tx, [{ channel: 'wechat', chat: CHAT, kind: 'test', text }], T0));
    return id!;
  }

  beforeEach(async () => {
    await ctx.db().prisma.outboxMessage.deleteMany();
    clock.set(T0);
  });

  it('retries it with the usual backoff, and fails the message for good once it has been tried that often', async () => {
    const prisma = ctx.db().prisma;
    const id = await enqueueOne(prisma, '截止日提醒');
    const channel = flakyLookup(Infinity);
    const outbox = createDispatcher({ prisma, adapters: new Map([['wechat', channel.adapter]]), now: clock.now });
    const row = () => prisma.outboxMessage.findUniqueOrThrow({ where: { id } });

    let due = 0;
    for (let attempt = 1; attempt < GIVE_UP_AFTER; attempt += 1) {
      clock.set(at(due));
      await outbox.flush();
      const backoff = 1000 * 2 ** attempt;
      const pending = await row();
      expect([pending.status, pending.attempts, pending.notBefore.toISOString()]).toEqual(['pending', attempt, at(due + backoff).toISOString()]);
      expect(pending.lastError).toBe(`this WeChat account does not know ${CHAT}`);
      // Not a moment before its backoff is over.
      clock.set(at(due + backoff - 1));
      await outbox.flush();
      expect(channel.calls()).toBe(attempt);
      due += backoff;
    }

    clock.set(at(due));
    await outbox.flush();
    const failed = await row();
    expect([failed.status, failed.attempts, failed.claimedBy]).toEqual(['failed', GIVE_UP_AFTER, null]);
    expect(failed.lastError).toBe(`this WeChat account does not know ${CHAT}`);

    clock.set(at(due + 86_400_000));
    await outbox.flush();
    expect(channel.calls()).toBe(GIVE_UP_AFTER);
    expect(channel.sent).toEqual([]);
  });

  it('sends the message exactly once when the lookup fails twice and then succeeds', async () => {
    const prisma = ctx.db().prisma;
    const id = await enqueueOne(prisma, '请报送本月数据');
    const channel = flakyLookup(2);
    const outbox = createDispatcher({ prisma, adapters: new Map([['wechat', channel.adapter]]), now: clock.now });
    for (const ms of [0, 2000, 6000, 86_400_000]) {
      clock.set(at(ms));
      await outbox.flush();
    }
    expect(channel.calls()).toBe(3);
    expect(channel.sent).toEqual(['请报送本月数据']);
    const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.attempts, row.lastError, row.sentAt?.toISOString()]).toEqual(['sent', 3, null, at(6000).toISOString()]);
  });

  it('tries nothing while the channel cannot send (WeChat logged out), so that a long logout uses up no attempts', async () => {
    const prisma = ctx.db().prisma;
    const id = await enqueueOne(prisma, '请报送本月数据');
    const channel = flakyLookup(0);
    let loggedIn = false;
    const adapter: ChannelAdapter = { ...channel.adapter, canSend: () => loggedIn };
    const outbox = createDispatcher({ prisma, adapters: new Map([['wechat', adapter]]), now: clock.now });
    // A weekend logged out, the dispatcher sweeping all along.
    for (let hour = 0; hour < 60; hour += 6) {
      clock.set(at(hour * 3_600_000));
      await outbox.flush();
    }
    const waiting = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect([waiting.status, waiting.attempts, waiting.lastError, channel.calls()]).toEqual(['pending', 0, null, 0]);

    loggedIn = true;
    await outbox.flush();
    expect(channel.sent).toEqual(['请报送本月数据']);
    const sent = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect([sent.status, sent.attempts]).toEqual(['sent', 1]);
  });
});

describeEachDatabase('the outbox during a long round of reminders', (ctx) => {
  const clock = createManualClock(T0);

  beforeEach(async () => {
    await ctx.db().prisma.outboxMessage.deleteMany();
    clock.set(T0);
  });

  it('answers someone who writes in the middle of it at the next free slot, then carries on with the round, nothing doubled', async () => {
    const prisma = ctx.db().prisma;
    const sent: string[] = [];
    const adapter: ChannelAdapter = { name: 'wechat', start: async () => {}, stop: async () => {}, sendText: async (chat, text) => void sent.push(`${chat} ${text}`) };
    const round = Array.from({ length: 12 }, (_, i) => ({ channel: 'wechat', chat: `wechat:r${i}`, kind: 'reminder.before_deadline', text: `提醒 ${i}` }));
    await prisma.$transaction((tx) => enqueueMessages(tx, round, T0));
    // WeChat's account-wide pace, shortened: 40 ms between any two messages.
    const pacers = new Map([['wechat', createSendPacer({ perSecond: Number.POSITIVE_INFINITY, chatIntervalMs: 0, minIntervalMs: 40 })]]);
    const outbox = createDispatcher({ prisma, adapters: new Map([['wechat', adapter]]), now: clock.now, pacers });

    const sweep = outbox.flush();
    while (sent.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // r0 answers the first reminder while the round is still going out: the reply is written born claimed
    // and handed over from memory, as the chat service does.
    const reply = await prisma.$transaction((tx) =>
      writeMessages(tx, [{ channel: 'wechat', chat: 'wechat:r0', kind: 'reply', text: '(2/4) 规上工业增加值？' }], T0, outbox.birthClaim(T0)),
    );
    await outbox.deliver(reply);
    expect(sent.indexOf('wechat:r0 (2/4) 规上工业增加值？')).toBeLessThanOrEqual(2);
    expect(sent.length).toBeLessThan(round.length);
    await Promise.all([sweep, outbox.flush()]);
    expect([...sent].sort()).toEqual([...round.map((message) => `${message.chat} ${message.text}`), 'wechat:r0 (2/4) 规上工业增加值？'].sort());
    expect(sent.indexOf('wechat:r0 提醒 0')).toBeLessThan(sent.indexOf('wechat:r0 (2/4) 规上工业增加值？'));
    const rows = await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.status, row.attempts, row.claimedBy])).toEqual(rows.map(() => ['sent', 1, null]));
  });
});
