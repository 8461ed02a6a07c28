import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { addDays, formatCivilDate } from '../../src/core/calendar.js';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import { startReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { TZ, local, shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, forgetReporting, remindersSent, setUpDemoBureau, startBot } from '../helpers/reminder-world.js';

/*
 * The reminder job on the demo bureau, one behaviour at a time: each reminder queued once however often
 * the job ticks, a reminder that opens the reporting dialogue, catching up after downtime, quiet hours.
 * Every test starts from a bureau where nobody has reported and nothing was sent.
 */

const REPORTERS = ['wang', 'zhou', 'li', 'zhang', 'chen', 'liu', 'huang', 'zhao'];

describeEachDatabase('the reminder job', (ctx) => {
  const clock = createManualClock(shanghai('2026-11-19 00:00'));
  let bot: Awaited<ReturnType<typeof startBot>>;

  beforeAll(async () => {
    await setUpDemoBureau(ctx.db().prisma, clock.now());
  });
  beforeEach(async () => {
    await forgetReporting(ctx.db().prisma);
    bot = await startBot(ctx.db().prisma, clock);
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('queues each reminder once: two runs at the same moment, or one every 5 minutes all day, add nothing more', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-20 09:00'));
    await bot.tick();
    const queued: string[] = [];
    for (let minutes = 0; minutes < 24 * 60; minutes += 5) {
      clock.set(new Date(shanghai('2026-11-25 00:00').getTime() + minutes * 60_000));
      // At 09:00, two runs at once, as two overlapping cron ticks would be.
      const runs = minutes === 9 * 60 ? await Promise.all([bot.tick(), enqueueDueReminders({ prisma, now: clock.now })]) : [await bot.tick()];
      if (runs.flat().length > 0) queued.push(`${local(clock.now())}: ${runs.map((ids) => ids.length).join(' + ')}`);
    }
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatch(/^Wed 2026-11-25 09:00: (8 \+ 0|0 \+ 8)$/);
    const sent = await remindersSent(prisma);
    for (const reporter of REPORTERS) expect(sent[reporter]).toEqual(['Fri 2026-11-20 09:00 open', 'Wed 2026-11-25 09:00 before-3']);
    expect(bot.channel.sent).toHaveLength(2 * REPORTERS.length);
  }, 120_000);

  it('opens the reporting dialogue with the reminder, so that the reply 19.6亿 is the first answer', async () => {
    clock.set(shanghai('2026-11-20 09:00'));
    await bot.tick();
    expect(bot.channel.textsTo('wang')).toEqual([
      '王股长您好！请报送 2026年11月 数据（截止 11月30日），共 4 项。直接回复数字即可，可带单位。\n(1/4) 规上工业总产值 1–11月累计（亿元）？',
    ]);

    clock.set(shanghai('2026-11-20 09:12'));
    const replies = await bot.channel.say('wang', '19.6亿');
    expect(replies.map((reply) => reply.text)).toEqual([expect.stringContaining('(2/4) 规上工业增加值 1–11月累计（亿元）？')]);
    const wang = await ctx.db().prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(wang.conversation?.state).toMatchObject({ dialogue: { kind: 'reporting', answers: { industrial_output_value: { value: '19.6' } } } });
  });

  it('adds the dialogue\'s question to a later reminder when no dialogue is open', async () => {
    clock.set(shanghai('2026-11-27 09:00'));
    await bot.tick();
    expect(bot.channel.textsTo('li')).toEqual([
      '提醒：2026年11月 数据将于 11月30日 截止，还差 2 项：工业技改投资、清洁生产审核企业。\n(1/2) 工业技改投资 1–11月累计（亿元）？',
    ]);
  });

  it('opens the new month\'s dialogue in place of last month\'s that nobody answered, so that the reply counts for the new month', async () => {
    clock.set(shanghai('2026-11-20 09:00'));
    await bot.tick();
    clock.set(shanghai('2026-12-21 09:00'));
    await bot.tick();
    expect(bot.channel.textsTo('wang').at(-1)).toContain('(1/4) 规上工业总产值 1–12月累计（亿元）？');
    await bot.channel.say('wang', '19.6亿');
    const wang = await ctx.db().prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(wang.conversation?.state).toMatchObject({ dialogue: { period: { year: 2026, month: 12 }, answers: { industrial_output_value: { value: '19.6' } } } });
  });

  it('leaves last month\'s dialogue alone once the member has begun answering it', async () => {
    clock.set(shanghai('2026-11-20 09:00'));
    await bot.tick();
    await bot.channel.say('wang', '19.6亿');
    clock.set(shanghai('2026-12-21 09:00'));
    await bot.tick();
    expect(bot.channel.textsTo('wang').at(-1)).toMatch(/^2026年12月 数据报送已开始（截止 12月31日），共 4 项：.*发送 \/report 开始报送。$/);
    const wang = await ctx.db().prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(wang.conversation?.state).toMatchObject({ dialogue: { period: { year: 2026, month: 11 }, answers: { industrial_output_value: { value: '19.6' } } } });
  });

  it('after a week of downtime sends only the current step, once', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-20 09:00'));
    await bot.tick();
    // Down from the 20th until Tuesday 1 December, 10:17: before-3, before-1 and the deadline were missed.
    clock.set(shanghai('2026-12-01 10:17'));
    await bot.tick();
    clock.set(shanghai('2026-12-01 10:18'));
    await bot.tick();
    const sent = await remindersSent(prisma);
    for (const reporter of REPORTERS) {
      expect(sent[reporter]).toEqual(['Fri 2026-11-20 09:00 open', 'Tue 2026-12-01 10:17 overdue-1']);
    }
    expect(sent.director).toEqual(['Tue 2026-12-01 10:17 escalation']);
    expect(sent.deputy).toEqual(['Tue 2026-12-01 10:17 escalation']);
  });

  it('catches up once when the process starts, and not again when it restarts', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-27 13:00'));
    // A schedule that never fires during the test: only the tick the job runs at start.
    const options = { prisma, now: clock.now, dispatcher: bot.runtime.dispatcher, timeZone: TZ, expression: '0 0 1 1 *' };
    await startReminderScheduler(options).stop();
    clock.set(shanghai('2026-11-27 13:01'));
    await startReminderScheduler(options).stop();
    const sent = await remindersSent(prisma);
    expect(Object.keys(sent).sort()).toEqual([...REPORTERS].sort());
    for (const reporter of REPORTERS) expect(sent[reporter]).toEqual(['Fri 2026-11-27 13:00 before-1']);
  });

  it('waits, when stopped, for a run under way: none is cut off by the database closing after it', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-27 13:00'));
    const scheduler = startReminderScheduler({ prisma, now: clock.now, dispatcher: bot.runtime.dispatcher, timeZone: TZ, expression: '0 0 1 1 *' });
    let finished = false;
    void scheduler.tick().then(() => {
      finished = true;
    });
    await scheduler.stop();
    expect(finished).toBe(true);
    expect(Object.keys(await remindersSent(prisma))).toHaveLength(REPORTERS.length);
  });

  it('holds a reminder queued at 22:00 until 08:00 the next morning, and sends nothing before then', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-25 22:00'));
    expect(await bot.tick()).toHaveLength(8);
    const rows = await prisma.outboxMessage.findMany({ select: { notBefore: true, status: true } });
    expect(new Set(rows.map((row) => `${row.status} until ${local(row.notBefore)}`))).toEqual(new Set(['pending until Thu 2026-11-26 08:00']));

    for (const at of ['2026-11-25 23:00', '2026-11-26 03:00', '2026-11-26 07:59']) {
      clock.set(shanghai(at));
      await bot.tick();
      expect(bot.channel.sent).toEqual([]);
    }
    clock.set(shanghai('2026-11-26 08:00'));
    await bot.runtime.dispatcher.flush();
    expect(bot.channel.sent).toHaveLength(8);
    expect(Object.values(await remindersSent(prisma)).flat()).toEqual(Array(8).fill('Thu 2026-11-26 08:00 before-3'));
  });

  it('does not catch up a deadline-day reminder after the deadline day: the 催报 speaks the next morning', async () => {
    const prisma = ctx.db().prisma;
    clock.set(shanghai('2026-11-30 22:00'));
    expect(await bot.tick()).toEqual([]);
    clock.set(shanghai('2026-12-01 09:00'));
    await bot.tick();
    expect((await remindersSent(prisma)).wang).toEqual(['Tue 2026-12-01 09:00 overdue-1']);
  });

  it('sends nothing for a month whose timeline is over', async () => {
    for (let day = { year: 2026, month: 12, day: 8 }; formatCivilDate(day) <= '2026-12-20'; day = addDays(day, 1)) {
      clock.set(shanghai(`${formatCivilDate(day)} 09:00`));
      expect(await bot.tick()).toEqual([]);
    }
    expect(bot.channel.sent).toEqual([]);
  });
});
