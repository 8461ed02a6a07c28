import { expect, it } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { type OutgoingMessage, enqueueMessages } from '../../src/app/outbox.js';
import type { ChannelAdapter } from '../../src/app/port.js';
import { createTelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import { createWechatAdapter } from '../../src/channels/wechat/wechat-adapter.js';
import { createMockWechat } from '../channels/wechat-mock.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createFakeBotApi } from '../helpers/fake-bot-api.js';
import { createManualClock } from '../helpers/reminder-world.js';

/*
 * Drill: the platform misbehaves in the middle of a reminder round. Telegram answers bursts of 429 (with
 * retry_after) and 5xx; the WeChat account is logged out after a few messages and logs in again later.
 * Each ends with every reminder delivered exactly once, each person's in order, every row `sent`.
 */

const T0 = new Date('2026-11-20T01:00:00Z');

function reminders(count: number, people: string[], prefix: string): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    channel: prefix.split(':')[0]!,
    chat: people[i % people.length]!,
    kind: 'reminder.overdue',
    dedupeKey: `${prefix}:${i + 1}`,
    text: `催报 #${i + 1}`,
  }));
}

/** Each text delivered once, and each chat's in the order enqueued. */
function expectEachOnceInOrder(messages: OutgoingMessage[], delivered: Array<{ chat: string; text: string }>) {
  expect(delivered.map((d) => d.text).sort()).toEqual(messages.map((m) => m.text).sort());
  for (const chat of new Set(messages.map((m) => m.chat))) {
    const numbers = delivered.filter((d) => d.chat === chat).map((d) => Number(d.text.slice(4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  }
}

describeEachDatabase('drill: the platform fails in the middle of a round', (ctx) => {
  it('delivers a 120-reminder Telegram round through bursts of 429 and 5xx, each reminder once', async () => {
    const { prisma } = ctx.db();
    const fake = await createFakeBotApi();
    try {
      const clock = createManualClock(T0);
      const people = Array.from({ length: 40 }, (_, i) => `telegram:${800000 + i}`);
      const messages = reminders(120, people, 'telegram:drill-429');
      await prisma.$transaction((tx) => enqueueMessages(tx, messages, T0));
      const telegram = createTelegramAdapter({ token: fake.token, apiRoot: fake.url });
      const dispatcher = createDispatcher({ prisma, adapters: new Map([['telegram', telegram]]), now: clock.now });

      const bursts = [
        [...Array(12).fill({ error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } }), ...Array(8).fill({ error_code: 502, description: 'Bad Gateway' })],
        [...Array(10).fill({ error_code: 503, description: 'Service Unavailable' }), ...Array(10).fill({ error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } })],
        Array(5).fill({ error_code: 500, description: 'Internal Server Error' }),
      ];
      for (let pass = 0; pass < 30; pass += 1) {
        for (const error of bursts[pass] ?? []) fake.failNext('sendMessage', error);
        await dispatcher.flush();
        if ((await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'telegram:drill-429' }, status: { not: 'sent' } } })) === 0) break;
        clock.set(new Date(clock.now().getTime() + 60_000));
      }
      expect(fake.calls.filter((call) => call.method === 'sendMessage').length).toBeGreaterThan(messages.length + 40);
      expectEachOnceInOrder(messages, fake.sent.map((call) => ({ chat: `telegram:${call.chat_id}`, text: call.text ?? '' })));
      expect(await prisma.outboxMessage.groupBy({ by: ['status'], where: { dedupeKey: { startsWith: 'telegram:drill-429' } }, _count: true })).toEqual([
        { status: 'sent', _count: messages.length },
      ]);
    } finally {
      await fake.close();
    }
  });

  it('holds a WeChat round while the account is logged out and sends the rest once after it logs in again', async () => {
    const { prisma } = ctx.db();
    const wechat = createMockWechat();
    const adapter = createWechatAdapter({ puppet: wechat.puppet, showQrcode: () => {} });
    await adapter.start(async () => {});
    try {
      wechat.login();
      for (let i = 0; i < 100 && !adapter.canSend(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const people = Array.from({ length: 8 }, (_, i) => wechat.person(`科长${i}`));
      const messages = reminders(32, people.map((p) => p.identity), 'wechat:drill-logout');
      await prisma.$transaction((tx) => enqueueMessages(tx, messages, T0));
      const clock = createManualClock(T0);
      // The account is kicked out by the phone right after its 10th message of the round.
      let sends = 0;
      const kicked: ChannelAdapter = {
        ...adapter,
        async sendText(chat, text) {
          await adapter.sendText(chat, text);
          sends += 1;
          if (sends === 10) await wechat.logout('kicked out by the phone');
        },
      };
      const dispatcher = createDispatcher({ prisma, adapters: new Map([['wechat', kicked]]), now: clock.now });
      await dispatcher.flush();
      expect(adapter.canSend()).toBe(false);
      // Logged out: later sweeps try nothing and fail nothing.
      for (let i = 0; i < 3; i += 1) {
        clock.set(new Date(clock.now().getTime() + 10 * 60_000));
        await dispatcher.flush();
      }
      expect(await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'wechat:drill-logout' }, status: 'failed' } })).toBe(0);
      const whileOut = sends;

      wechat.login();
      for (let i = 0; i < 100 && !adapter.canSend(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      for (let pass = 0; pass < 10; pass += 1) {
        clock.set(new Date(clock.now().getTime() + 10 * 60_000));
        await dispatcher.flush();
        if ((await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'wechat:drill-logout' }, status: { not: 'sent' } } })) === 0) break;
      }
      expect(whileOut).toBeLessThan(messages.length);
      for (const person of people) await person.inbox.waitFor(4);
      // What the people's phones received (a fifth message to anyone would be a duplicate).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const delivered = people.flatMap((person) => person.inbox.items.map((received) => ({ chat: person.identity, text: received.text ?? '' })));
      expectEachOnceInOrder(messages, delivered);
      expect(await prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'wechat:drill-logout' }, status: 'sent' } })).toBe(messages.length);
    } finally {
      await adapter.stop();
    }
  });
});
