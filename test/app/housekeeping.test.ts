import { expect, it } from 'vitest';
import { ROUND_ANALYZE_THRESHOLD, afterRound, pruneHistory, vacuumEmbedded } from '../../src/app/housekeeping.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('housekeeping', (ctx) => {
  it('forgets old message ids and finished outbox rows, and keeps recent and pending ones', async () => {
    const prisma = ctx.db().prisma;
    const now = new Date('2026-11-25T02:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    await prisma.processedMessage.createMany({
      data: [
        { messageId: 'hk:old', processedAt: daysAgo(8) },
        { messageId: 'hk:recent', processedAt: daysAgo(1) },
      ],
    });
    const row = (text: string, status: string, created: Date) => ({
      channel: 'telegram', chat: 'telegram:1', kind: 'reply', text, status, createdAt: created, notBefore: created,
    });
    await prisma.outboxMessage.createMany({
      data: [
        row('old sent', 'sent', daysAgo(91)),
        row('old pending', 'pending', daysAgo(91)),
        row('recent sent', 'sent', daysAgo(10)),
      ],
    });
    expect(await pruneHistory({ prisma, now: () => now })).toEqual({ messages: 1, outbox: 1 });
    const ids = await prisma.processedMessage.findMany({ where: { messageId: { startsWith: 'hk:' } } });
    expect(ids.map((message) => message.messageId)).toEqual(['hk:recent']);
    const texts = (await prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((message) => message.text);
    expect(texts).toEqual(['old pending', 'recent sent']);
  });

  it('refreshes the outbox statistics after a large reminder round, and not after a few messages', async () => {
    const prisma = ctx.db().prisma;
    const estimate = async () => {
      const [row] = await prisma.$queryRaw<{ estimate: number }[]>`SELECT reltuples::int AS estimate FROM pg_class WHERE relname = 'outbox_message'`;
      return row?.estimate ?? -1;
    };
    const at = new Date('2026-11-25T02:00:00Z');
    await prisma.outboxMessage.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({ channel: 'telegram', chat: `telegram:r${i}`, kind: 'reminder.due', text: 'x', createdAt: at, notBefore: at })),
    });
    expect(await afterRound(prisma, ROUND_ANALYZE_THRESHOLD - 1)).toBe(false);
    // The embedded database has no autovacuum that could have counted them meanwhile; a server might.
    if (ctx.kind === 'pglite') expect(await estimate()).toBeLessThan(300);
    expect(await afterRound(prisma, 300)).toBe(true);
    expect(await estimate()).toBeGreaterThanOrEqual(300);
  });

  it('vacuums and analyses the whole database: deleted rows made reusable, every table counted', async () => {
    const prisma = ctx.db().prisma;
    const at = new Date('2026-11-25T02:00:00Z');
    await prisma.outboxMessage.createMany({
      data: Array.from({ length: 300 }, (_, i) => ({ channel: 'telegram', chat: `telegram:v${i}`, kind: 'reply', text: 'x', status: 'sent', createdAt: at, notBefore: at })),
    });
    await prisma.processedMessage.createMany({ data: Array.from({ length: 200 }, (_, i) => ({ messageId: `v:${i}`, processedAt: at })) });
    expect((await prisma.outboxMessage.deleteMany({ where: { chat: { startsWith: 'telegram:v1' } } })).count).toBe(111);
    const rows = await prisma.outboxMessage.count();
    const table = async (name: string) => {
      const [row] = await prisma.$queryRawUnsafe<{ tuples: number; visible: number }[]>(
        'SELECT reltuples::int AS tuples, relallvisible::int AS visible FROM pg_class WHERE relname = $1',
        name,
      );
      return row;
    };
    // Pages become all-visible only by VACUUM (ANALYZE alone leaves them as they were): the space of the
    // deleted rows is then known free, and the planner's counts are there for every table.
    expect(await vacuumEmbedded(prisma)).toBeGreaterThanOrEqual(0);
    const outbox = await table('outbox_message');
    expect(outbox?.tuples).toBe(rows);
    expect(outbox?.visible).toBeGreaterThan(0);
    expect((await table('processed_message'))?.tuples).toBe(await prisma.processedMessage.count());
  });
});
