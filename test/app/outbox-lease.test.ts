import { expect, it } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { enqueueMessages } from '../../src/app/outbox.js';
import type { SendPacer } from '../../src/app/send-pacer.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createMemoryChannel } from '../helpers/memory-channel.js';

const LEASE_MS = 60_000;

describeEachDatabase('the outbox lease on a slow channel', (ctx) => {
  /** A clock that a slow pacer moves forward, as WeChat's pace would while a batch is being sent. */
  function slowWorld(stepMs: number, onWait?: () => Promise<void>) {
    let time = new Date('2026-11-25T02:00:00Z').getTime();
    const now = () => new Date(time);
    let turns: Promise<unknown> = Promise.resolve();
    const limiter: SendPacer = {
      run(_chat, _priority, send) {
        // One send at a time, each after a wait of `stepMs`, as an account-wide pace has it.
        const turn = turns.then(async () => {
          time += stepMs;
          await onWait?.();
          return send(async () => {});
        });
        turns = turn.catch(() => undefined);
        return turn;
      },
    };
    return { now, limiter };
  }

  async function queue(count: number, tag: string, now: () => Date): Promise<bigint[]> {
    const prisma = ctx.db().prisma;
    const messages = Array.from({ length: count }, (_, index) => ({
      channel: 'wechat',
      chat: `wechat:${tag}-${index}`,
      kind: 'reply',
      text: `${tag} ${index}`,
    }));
    return prisma.$transaction((tx) => enqueueMessages(tx, messages, now()));
  }

  it('renews the lease of rows still waiting for their turn, and sends each once', async () => {
    const { now, limiter } = slowWorld(40_000);
    const ids = await queue(4, 'slow', now);
    const channel = createMemoryChannel('wechat');
    const dispatcher = createDispatcher({
      prisma: ctx.db().prisma,
      adapters: new Map([['wechat', channel]]),
      now,
      leaseMs: LEASE_MS,
      pacers: new Map([['wechat', limiter]]),
    });
    await dispatcher.flush(ids);
    expect(channel.sent.map((message) => message.text)).toEqual(['slow 0', 'slow 1', 'slow 2', 'slow 3']);
    const rows = await ctx.db().prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('leaves a row whose lease ran out and was taken by another sender', async () => {
    const prisma = ctx.db().prisma;
    let taken: bigint | undefined;
    const world = slowWorld(70_000, async () => {
      // Meanwhile another process claims the row whose lease has run out (it moves the lease on).
      if (taken !== undefined) return;
      const [row] = await prisma.outboxMessage.findMany({ where: { text: 'taken 0' } });
      taken = row?.id;
      if (row) await prisma.outboxMessage.update({ where: { id: row.id }, data: { notBefore: new Date(world.now().getTime() + LEASE_MS) } });
    });
    const ids = await queue(1, 'taken', world.now);
    const channel = createMemoryChannel('wechat');
    const dispatcher = createDispatcher({
      prisma,
      adapters: new Map([['wechat', channel]]),
      now: world.now,
      leaseMs: LEASE_MS,
      pacers: new Map([['wechat', world.limiter]]),
    });
    await dispatcher.flush(ids);
    expect(channel.sent).toEqual([]);
    const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(row.status).toBe('pending');
  });
});
