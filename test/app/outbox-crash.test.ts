import { expect, it } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { type OutgoingMessage, enqueueMessages } from '../../src/app/outbox.js';
import type { ChannelAdapter } from '../../src/app/port.js';
import { anotherConnection } from '../helpers/connections.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createManualClock } from '../helpers/reminder-world.js';

/*
 * A process killed half-way through sending 500 reminders, and started again. The killed process is a
 * dispatcher whose platform calls never return from the 237th message on — the moment a kill -9 would
 * strike, between "the platform has it" and "the outbox knows" — abandoned with its database connection.
 * The restarted process is a new dispatcher on a fresh connection. Chats are sent to side by side, so
 * what may go out twice is what was in flight at the kill: messages of the batch being sent then.
 */

const T0 = new Date('2026-11-20T01:00:00Z');
const LEASE_MS = 60_000;
const TOTAL = 500;
const CRASH_AT = 237;

/** A platform that delivers (records) every message; from `crashAt` on, the call never returns. */
function createPlatform(crashAt = Number.POSITIVE_INFINITY) {
  const delivered: string[] = [];
  let crash: () => void = () => {};
  const crashed = new Promise<void>((resolve) => (crash = resolve));
  const adapter: ChannelAdapter = {
    name: 'telegram',
    start: async () => {},
    stop: async () => {},
    async sendText(_chat, text) {
      delivered.push(text);
      if (delivered.length < crashAt) return;
      crash();
      await new Promise<never>(() => {});
    },
  };
  return { adapter, delivered, crashed };
}

describeEachDatabase('a dispatcher killed half-way and restarted', (ctx) => {
  it('delivers all 500 reminders, none lost, and none twice but the one in flight at the kill', async () => {
    const clock = createManualClock(T0);
    // 500 reminders to 100 people, five each, so that each person's order matters too.
    const messages: OutgoingMessage[] = Array.from({ length: TOTAL }, (_, i) => ({
      channel: 'telegram',
      chat: `telegram:${700000 + (i % 100)}`,
      kind: 'reminder.overdue',
      dedupeKey: `crash-test:${i + 1}`,
      text: `催报 #${i + 1}`,
    }));
    await ctx.db().prisma.$transaction((tx) => enqueueMessages(tx, messages, T0));

    const first = await anotherConnection(ctx);
    const killed = createPlatform(CRASH_AT);
    const adapters = (platform: ChannelAdapter) => new Map([['telegram', platform]]);
    // Never awaited: this pass never ends, as a killed process's would not.
    void createDispatcher({ prisma: first.prisma, adapters: adapters(killed.adapter), now: clock.now, leaseMs: LEASE_MS }).flush();
    await killed.crashed;
    await first.close();

    const restarted = await anotherConnection(ctx);
    try {
      const platform = createPlatform();
      const dispatcher = createDispatcher({ prisma: restarted.prisma, adapters: adapters(platform.adapter), now: clock.now, leaseMs: LEASE_MS });

      // Within the lease the killed process's claimed batch (ids 201–300) is still its own: none is sent again.
      clock.set(new Date(T0.getTime() + 10_000));
      await dispatcher.flush();
      const claimedByTheKilled = new Set(Array.from({ length: 100 }, (_, i) => `催报 #${201 + i}`));
      expect(platform.delivered.filter((text) => claimedByTheKilled.has(text))).toEqual([]);

      clock.set(new Date(T0.getTime() + LEASE_MS));
      await dispatcher.flush();

      const all = [...killed.delivered, ...platform.delivered];
      const times = new Map<string, number>();
      for (const text of all) times.set(text, (times.get(text) ?? 0) + 1);
      // None lost.
      expect(messages.filter((message) => !times.has(message.text))).toEqual([]);
      // None twice, except messages whose send was under way when the process died (the platform had them,
      // the outbox had not yet marked them sent): all of the batch in flight then, and never more than twice.
      const twice = [...times].filter(([, count]) => count > 1);
      expect(twice.every(([text, count]) => claimedByTheKilled.has(text) && count === 2)).toBe(true);
      expect(twice.map(([text]) => text)).toContain(`催报 #${CRASH_AT}`);
      expect(all).toHaveLength(TOTAL + twice.length);
      expect(await restarted.prisma.outboxMessage.count({ where: { status: 'sent' } })).toBe(TOTAL);

      // Each person still got their reminders in order.
      for (let person = 0; person < 100; person += 1) {
        const numbers = all.filter((text) => (Number(text.slice(4)) - 1) % 100 === person).map((text) => Number(text.slice(4)));
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      }
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
