import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.js';
import { NOVEMBER_ESCALATION, NOVEMBER_REMINDERS, NOVEMBER_SUBMISSIONS, walkDays } from '../helpers/november-2026.js';
import { local, shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, deliveriesAndSentRows, remindersSent, setUpDemoBureau, startBot, submit } from '../helpers/reminder-world.js';

/*
 * The whole month of November 2026 on the demo bureau, as the reminder job lives it: a clock walked from
 * 19 November to 10 December, the job's tick at five moments of every day (in and out of quiet hours),
 * and sections reporting part-way (test/helpers/november-2026.ts). The deadline is Monday 30 November.
 */

const TICK_TIMES = ['00:30', '08:00', '09:00', '13:37', '21:30'];

describeEachDatabase('a month of reminders on the demo bureau', (ctx) => {
  let sent: Record<string, string[]>;
  let queuedAt: string[];
  let bot: Awaited<ReturnType<typeof startBot>>;

  beforeAll(async () => {
    const prisma = ctx.db().prisma;
    const clock = createManualClock(shanghai('2026-11-19 00:00'));
    const ids = await setUpDemoBureau(prisma, clock.now());
    bot = await startBot(prisma, clock);

    const events: Array<{ at: Date; run: () => Promise<unknown> }> = NOVEMBER_SUBMISSIONS.map(({ at, keys }) => ({
      at: shanghai(at),
      run: () => submit(prisma, ids, keys, shanghai(at)),
    }));
    queuedAt = [];
    for (const day of walkDays()) {
      for (const time of TICK_TIMES) {
        const at = shanghai(`${day} ${time}`);
        events.push({ at, run: async () => (await bot.tick()).length > 0 && queuedAt.push(local(at)) });
      }
    }
    for (const event of events.sort((a, b) => a.at.getTime() - b.at.getTime())) {
      clock.set(event.at);
      await event.run();
    }
    sent = await remindersSent(prisma);
  }, 240_000);

  afterAll(async () => {
    await bot?.stop();
  });

  it('queues reminders only at 09:00 on the days of the timeline, whatever else ticks', () => {
    expect(queuedAt).toEqual([
      'Fri 2026-11-20 09:00',
      'Wed 2026-11-25 09:00',
      'Fri 2026-11-27 09:00',
      'Mon 2026-11-30 09:00',
      'Tue 2026-12-01 09:00',
      'Wed 2026-12-02 09:00',
      'Thu 2026-12-03 09:00',
      'Fri 2026-12-04 09:00',
      'Mon 2026-12-07 09:00',
    ]);
  });

  it('reminds each reporter until their section has reported, and never after', () => {
    expect(sent).toEqual(NOVEMBER_REMINDERS);
  });

  it('escalates once to the two directors with the overdue sections, their people and what each still owes', () => {
    expect(bot.channel.textsTo('director')).toEqual([NOVEMBER_ESCALATION]);
    expect(bot.channel.textsTo('deputy')).toEqual([NOVEMBER_ESCALATION]);
  });

  it('names only what is still missing, in the member\'s language', () => {
    const wang = bot.channel.textsTo('wang');
    expect(wang[0]).toContain('王股长您好！请报送 2026年11月 数据（截止 11月30日），共 4 项。');
    expect(wang[1]).toContain('提醒：2026年11月 数据将于 11月30日 截止，还差 4 项');
    expect(wang[2]).toContain('提醒：2026年11月 数据将于 11月30日 截止，还差 1 项：新增规上企业。');
    expect(wang[3]).toContain('今天是 2026年11月 数据报送截止日（11月30日），还差 1 项：新增规上企业。');
    expect(wang[4]).toContain('催报：2026年11月 数据已于 11月30日 截止，还差 1 项未报：新增规上企业。');
    expect(bot.channel.textsTo('huang').at(-1)).toContain('Overdue: the November 2026 figures were due on 30 November; 2 still missing');
  });

  it('sends nothing to the office, which owns no indicator', () => {
    expect(bot.channel.textsTo('admin')).toEqual([]);
    expect(Object.keys(sent)).not.toContain('admin');
  });

  it('delivers every reminder exactly once', async () => {
    const total = Object.values(sent).reduce((sum, steps) => sum + steps.length, 0);
    expect(total).toBe(54);
    expect(bot.channel.sent).toHaveLength(total);
    const { delivered, sentRows } = await deliveriesAndSentRows(ctx.db().prisma, bot.channel);
    expect(delivered).toEqual(sentRows);
  });
});
