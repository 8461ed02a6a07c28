import { expect, it } from 'vitest';
import { bulletinDueAt, bulletinKey, enqueueDueBulletins } from '../../src/app/bulletin-push.js';
import { sendableAt } from '../../src/core/reminders.js';
import { getOrganisation } from '../../src/db/org-repository.js';
import { bind, seedFigures } from '../helpers/chat.js';
import { anotherConnection } from '../helpers/connections.js';
import { describeEachDatabase, withDemoFigures } from '../helpers/databases.js';
import { docxParagraphs } from '../helpers/documents.js';
import { TZ, shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, setUpDemoBureau, startBot, submit } from '../helpers/reminder-world.js';
import { startReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';

/*
 * After a period's deadline the bot sends the month's bulletin to every director, once per director and
 * period whoever plans it (a unique bulletin_delivery row), from the first working day after the deadline.
 */

const MINUTE = 60_000;

describeEachDatabase('the bulletin after the deadline', (ctx) => {
  async function prepare(period: { year: number; month: number }) {
    const deps = ctx.deps(new Date('2026-11-25T02:00:00Z'));
    await withDemoFigures(deps);
    await bind(ctx.db().prisma, 'telegram:director', 'director');
    await bind(ctx.db().prisma, 'wecom:deputy', 'deputy');
    await bind(ctx.db().prisma, 'telegram:wang', 'wang');
    const organisation = await getOrganisation(ctx.db().prisma);
    return { deps, organisation, due: bulletinDueAt(period, organisation) };
  }

  async function queued(period: string) {
    return ctx.db().prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `bulletin:${period}:` } }, orderBy: { id: 'asc' } });
  }

  it('queues nothing before the first working day after the deadline, then the bulletin once to each director', async () => {
    const november = { year: 2026, month: 11 };
    const { organisation, due } = await prepare(november);
    await seedFigures(ctx.deps(due), ['industrial_investment,2026-11,19.60']);
    // November's deadline is Monday 30 November: due on Tuesday 1 December at the reminder time.
    expect(due.toISOString()).toBe('2026-12-01T01:00:00.000Z');

    expect(await enqueueDueBulletins(ctx.deps(new Date(due.getTime() - MINUTE)))).toEqual([]);
    const first = await enqueueDueBulletins(ctx.deps(due));
    expect(first).toHaveLength(2);
    const rows = await queued('2026-11');
    expect(rows.map((row) => [row.dedupeKey, row.chat, row.kind])).toEqual([
      [bulletinKey(november, 'director'), 'telegram:director', 'bulletin'],
      [bulletinKey(november, 'deputy'), 'wecom:deputy', 'bulletin'],
    ]);
    expect(rows[0]?.fileName).toBe('乐昌市工业和信息化局2026年11月主要指标完成情况通报.docx');
    expect(rows[0]?.notBefore.getTime()).toBe(sendableAt(due, organisation.schedule, organisation.timezone).getTime());
    const paragraphs = await docxParagraphs(Buffer.from(rows[0]!.fileContent!));
    expect(paragraphs[0]).toBe('乐昌市工业和信息化局2026年11月主要指标完成情况通报');
    expect(paragraphs.join('\n')).toContain('1-11月我市完成工业投资19.60亿元');

    // The next ticks, and a second replica at the same moment, add nothing.
    const other = await anotherConnection(ctx);
    try {
      const again = await Promise.all([
        enqueueDueBulletins(ctx.deps(new Date(due.getTime() + MINUTE))),
        enqueueDueBulletins({ prisma: other.prisma, now: () => new Date(due.getTime() + MINUTE) }),
      ]);
      expect(again.flat()).toEqual([]);
    } finally {
      await other.close();
    }
    expect(await queued('2026-11')).toHaveLength(2);

    // The deliveries are recorded for good: once the outbox's history is pruned, nothing is sent again.
    const deliveries = await ctx.db().prisma.bulletinDelivery.findMany({ where: { period: '2026-11' }, include: { member: true } });
    expect(deliveries.map((row) => [row.member.key, row.chat])).toEqual([['director', 'telegram:director'], ['deputy', 'wecom:deputy']]);
    await ctx.db().prisma.outboxMessage.deleteMany({ where: { kind: 'bulletin' } });
    expect(await enqueueDueBulletins(ctx.deps(new Date(due.getTime() + 3 * MINUTE)))).toEqual([]);
  });

  it('never sends it to a member who is not a director, bound or not', async () => {
    const period = { year: 2026, month: 11 };
    const { due } = await prepare(period);
    await seedFigures(ctx.deps(due), ['industrial_investment,2026-11,19.60']);
    await enqueueDueBulletins(ctx.deps(due));
    // Members who are not directors never get it, bound or not.
    const chen = await ctx.db().prisma.member.findUniqueOrThrow({ where: { key: 'chen' } });
    expect(chen.roles).not.toContain('director');
    await bind(ctx.db().prisma, 'telegram:chen', 'chen');
    expect(await enqueueDueBulletins(ctx.deps(new Date(due.getTime() + 2 * MINUTE)))).toEqual([]);
    const directors = (await ctx.db().prisma.member.findMany()).filter((member) => member.roles.includes('director'));
    const deliveries = await ctx.db().prisma.bulletinDelivery.findMany({ where: { period: '2026-11' }, include: { member: true } });
    expect(deliveries.map((row) => row.member.key).sort()).toEqual(directors.map((member) => member.key).sort());
  });

  it('sends nothing for a period nobody has reported a figure for', async () => {
    const october = { year: 2026, month: 10 };
    const { due } = await prepare(october);
    const reported = await ctx.db().prisma.submission.count({ where: { year: 2026, month: 10 } });
    expect(reported).toBe(0);
    expect(await enqueueDueBulletins(ctx.deps(due))).toEqual([]);
    expect(await queued('2026-10')).toEqual([]);
  });
});

describeEachDatabase('the reminder job sends the bulletin', (ctx) => {
  it('delivers it as a file to each director on the first tick after the deadline, and never again', async () => {
    const prisma = ctx.db().prisma;
    const clock = createManualClock(shanghai('2026-12-01 09:00'));
    const ids = await setUpDemoBureau(prisma, clock.now());
    await submit(prisma, ids, ['industrial_investment'], shanghai('2026-11-27 10:00'));
    const bot = await startBot(prisma, clock);
    try {
      // A schedule that never fires during the test: only the tick the job runs at start.
      const options = { prisma, now: clock.now, dispatcher: bot.runtime.dispatcher, timeZone: TZ, expression: '0 0 1 1 *' };
      await startReminderScheduler(options).stop();
      clock.set(shanghai('2026-12-01 09:01'));
      await startReminderScheduler(options).stop();
      const files = bot.channel.sent.filter((message) => message.file?.name.endsWith('.docx'));
      // Each chat in its own lane: the two may arrive in either order.
      expect(files.map((message) => message.chat).sort()).toEqual(['telegram:deputy', 'telegram:director']);
      const paragraphs = await docxParagraphs(files[0]!.file!.content);
      expect(paragraphs[0]).toBe('乐昌市工业和信息化局2026年11月主要指标完成情况通报');
    } finally {
      await bot.stop();
    }
  });
});
