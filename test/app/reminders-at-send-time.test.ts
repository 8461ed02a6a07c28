import { beforeEach, expect, it } from 'vitest';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { shanghai } from '../helpers/reminder-timeline.js';
import { createManualClock, forgetReporting, setUpDemoBureau, startBot, submit } from '../helpers/reminder-world.js';

/*
 * A reminder is planned at one moment and sent at another: held for the morning, retried after a failure,
 * waiting for WeChat to log in again. Just before it goes out it is looked at again: not sent when the
 * figures it asks for came in meanwhile, and not sent into quiet hours by a retry.
 */

const MONITORING = ['industrial_output_value', 'industrial_added_value', 'industrial_investment', 'new_above_scale_firms'];

describeEachDatabase('reminders looked at again just before they go out', (ctx) => {
  let ids: Map<string, number>;

  async function dialogueOf(member: string): Promise<unknown> {
    const row = await ctx.db().prisma.member.findUniqueOrThrow({ where: { key: member }, include: { conversation: true } });
    return (row.conversation?.state as { dialogue?: unknown } | undefined)?.dialogue ?? { kind: 'idle' };
  }

  beforeEach(async () => {
    const prisma = ctx.db().prisma;
    await forgetReporting(prisma);
    ids = await setUpDemoBureau(prisma, shanghai('2026-11-20 08:00'));
  });

  it('drops a reminder held for the morning when the section reported overnight, and sends the others', async () => {
    const prisma = ctx.db().prisma;
    // Started late on the 25th: the "3 working days before" reminders are caught up, held for 08:00.
    const clock = createManualClock(shanghai('2026-11-25 23:00'));
    const bot = await startBot(prisma, clock);
    try {
      await bot.tick();
      expect(bot.channel.sent).toEqual([]);
      // 运行监测股 reports everything at 07:30; 产业技术与工业节能股 one of its two figures.
      await submit(prisma, ids, MONITORING, shanghai('2026-11-26 07:30'));
      await submit(prisma, ids, ['tech_upgrade_investment'], shanghai('2026-11-26 07:40'));

      clock.set(shanghai('2026-11-26 08:00'));
      await bot.runtime.dispatcher.flush();
      expect(bot.channel.textsTo('wang')).toEqual([]);
      expect(bot.channel.textsTo('zhou')).toEqual([]);
      expect(bot.channel.textsTo('li')).toHaveLength(1);
      expect(bot.channel.textsTo('zhang')).toHaveLength(1);
      const monitoring = await prisma.outboxMessage.findMany({ where: { chat: { in: ['telegram:wang', 'telegram:zhou'] } } });
      expect(monitoring.map((row) => [row.status, row.lastError])).toEqual([
        ['cancelled', 'reported meanwhile'],
        ['cancelled', 'reported meanwhile'],
      ]);
    } finally {
      await bot.stop();
    }
  });

  it('names what is still missing when a held reminder goes out, and opens the report only then', async () => {
    const prisma = ctx.db().prisma;
    const clock = createManualClock(shanghai('2026-11-25 23:00'));
    const bot = await startBot(prisma, clock);
    try {
      await bot.tick();
      const held = await prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:wang', kind: 'reminder.before_deadline' } });
      expect(held.text).toContain('还差 4 项');
      // Before it goes out a number is not taken as the answer to a question nobody has asked yet.
      clock.set(shanghai('2026-11-25 23:10'));
      await bot.channel.say('wang', '12');
      expect(await dialogueOf('wang')).toMatchObject({ kind: 'idle' });
      // A colleague files 规上工业总产值 overnight.
      await submit(prisma, ids, ['industrial_output_value'], shanghai('2026-11-26 07:30'));

      clock.set(shanghai('2026-11-26 08:00'));
      await bot.runtime.dispatcher.flush();
      const reminder = bot.channel.textsTo('wang').at(-1) ?? '';
      expect(reminder).toContain('还差 3 项：规上工业增加值、工业投资、新增规上企业');
      expect(reminder).toContain('(1/3) 规上工业增加值');
      expect(reminder).not.toContain('规上工业总产值');
      expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: held.id } })).text).toBe(reminder);
      // Now the reply is the first answer (below the colleague's 总产值 of 1, which the demo file's check compares with).
      clock.set(shanghai('2026-11-26 08:05'));
      await bot.channel.say('wang', '0.8');
      expect(await dialogueOf('wang')).toMatchObject({ kind: 'reporting', answers: { industrial_added_value: { value: '0.8' } } });
    } finally {
      await bot.stop();
    }
  });

  it('lists in an escalation held for the morning only the sections still overdue when it goes out', async () => {
    const prisma = ctx.db().prisma;
    // Started late on 1 December, the day the November escalation is due: held for 08:00.
    const clock = createManualClock(shanghai('2026-12-01 23:00'));
    const bot = await startBot(prisma, clock);
    try {
      await bot.tick();
      const held = await prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:director', kind: 'reminder.escalation' } });
      expect(held.text).toContain('运行监测股');
      await submit(prisma, ids, MONITORING, shanghai('2026-12-02 07:30'));

      clock.set(shanghai('2026-12-02 08:00'));
      await bot.runtime.dispatcher.flush();
      const [escalation] = bot.channel.textsTo('director');
      expect(escalation).toMatch(/^2026年11月 数据逾期未报（截止 11月30日）：/);
      expect(escalation).toContain('· 中小企业局（赵敏）');
      expect(escalation).not.toContain('运行监测股');
      // The outbox keeps what was sent.
      expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: held.id } })).text).toBe(escalation);
    } finally {
      await bot.stop();
    }
  });

  it('names the overdue sections by their English names to a director who reads English', async () => {
    const prisma = ctx.db().prisma;
    await prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'en' } });
    const clock = createManualClock(shanghai('2026-12-01 09:00'));
    const bot = await startBot(prisma, clock);
    try {
      await submit(prisma, ids, MONITORING, shanghai('2026-11-30 17:00'));
      await bot.tick();
      const [escalation] = bot.channel.textsTo('deputy');
      expect(escalation?.split('\n').slice(0, 3)).toEqual([
        'November 2026 figures overdue (deadline 30 November):',
        '· Industrial Technology and Energy Conservation Section (李华): Industrial technology upgrade investment, Enterprises with cleaner-production audits',
        '· Radio, Digital Information and Work Safety Section (张伟): New 5G base stations, Upgraded 4G base stations, Fibre coverage of villages with 20+ households',
      ]);
      expect(escalation).not.toMatch(/股|局（/);
      expect(bot.channel.textsTo('director')[0]).toContain('· 产业技术与工业节能股（李华）');
    } finally {
      await bot.stop();
      await prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'zh-CN' } });
    }
  });

  it('holds a reminder whose retry falls in quiet hours for the morning, answering the person meanwhile', async () => {
    const prisma = ctx.db().prisma;
    const clock = createManualClock(new Date(shanghai('2026-11-25 20:59').getTime() + 58_000));
    const bot = await startBot(prisma, clock);
    try {
      const queued = (await enqueueDueReminders({ prisma, now: clock.now })).length;
      // Every first try fails (a network error): each is due again 2 s later, at 21:00:00 — quiet hours.
      bot.channel.failNextSends(queued);
      await bot.runtime.dispatcher.flush();
      expect(bot.channel.sent).toEqual([]);

      clock.set(shanghai('2026-11-25 21:00'));
      await bot.runtime.dispatcher.flush();
      expect(bot.channel.sent).toEqual([]);
      const wangs = await prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:wang' } });
      expect([wangs.status, wangs.attempts, wangs.notBefore.toISOString()]).toEqual(['pending', 0, shanghai('2026-11-26 08:00').toISOString()]);

      // Held for the morning, it does not hold back the answer to Wang at 21:30.
      clock.set(shanghai('2026-11-25 21:30'));
      const replies = await bot.channel.say('wang', '工业投资完成率');
      expect(replies.map((reply) => reply.text).join('\n')).toContain('工业投资：');

      clock.set(shanghai('2026-11-26 08:00'));
      await bot.runtime.dispatcher.flush();
      expect(bot.channel.textsTo('wang').at(-1)).toMatch(/^提醒：2026年11月 数据将于 11月30日 截止/);
      expect(await prisma.outboxMessage.count({ where: { kind: { startsWith: 'reminder.' }, status: 'sent' } })).toBe(queued);
    } finally {
      await bot.stop();
    }
  });
});

