import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORG_FILE } from '../../src/app/demo-data.js';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { addDays, formatCivilDate } from '../../src/core/calendar.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { local, shanghai } from '../helpers/reminder-timeline.js';
import { bindEveryone, createManualClock, remindersSent, startBot } from '../helpers/reminder-world.js';

/*
 * Sections on schedules of their own (docs/product.md, Periods: "configurable in the organisation file, also
 * per section"): the demo bureau where 中小企业局 opens on the 10th with a deadline on the 25th, and
 * 运行监测股 keeps quiet until 09:30.
 */

async function ownSchedulesBureau(): Promise<string> {
  const demo = await readFile(DEMO_ORG_FILE, 'utf8');
  const text = demo
    .replace('  - key: sme_bureau\n    name: 中小企业局\n', '  - key: sme_bureau\n    name: 中小企业局\n    schedule: { window_opens_day: 10, deadline: 25 }\n')
    .replace('  - key: monitoring\n    name: 运行监测股\n', '  - key: monitoring\n    name: 运行监测股\n    schedule: { quiet_hours: "18:00-09:30" }\n');
  if (text === demo) throw new Error('the demo organisation file changed: these overrides no longer apply');
  return text;
}

describeEachDatabase('reminders on sections\' own schedules', (ctx) => {
  // From Monday 9 November: October's 催报 are over, nobody has reported November.
  const clock = createManualClock(shanghai('2026-11-09 00:00'));
  let bot: Awaited<ReturnType<typeof startBot>>;
  let sent: Record<string, string[]>;
  let pendingAt0900: string[];

  beforeAll(async () => {
    const prisma = ctx.db().prisma;
    const text = await ownSchedulesBureau();
    const parsed = parseOrgFile(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    await loadOrganisation({ prisma, now: clock.now }, parsed.value, { hash: orgSourceHash(text), actor: 'test' });
    await bindEveryone(prisma, clock.now());
    bot = await startBot(prisma, clock);
    for (let day = { year: 2026, month: 11, day: 9 }; formatCivilDate(day) <= '2026-11-27'; day = addDays(day, 1)) {
      for (const time of ['09:00', '09:30', '15:00']) {
        clock.set(shanghai(`${formatCivilDate(day)} ${time}`));
        await bot.tick();
        if (formatCivilDate(day) === '2026-11-20' && time === '09:00') {
          const pending = await prisma.outboxMessage.findMany({ where: { status: 'pending' }, select: { chat: true, notBefore: true } });
          pendingAt0900 = pending.map((row) => `${row.chat} at ${local(row.notBefore)}`).sort();
        }
      }
    }
    sent = await remindersSent(prisma);
  }, 240_000);
  afterAll(async () => {
    await bot?.stop();
  });

  it('opens a section\'s window on its own day, before the organisation\'s', () => {
    expect(sent.zhao?.[0]).toBe('Tue 2026-11-10 09:00 open');
  });

  it('runs that section\'s whole timeline to its own deadline, and escalates it alone', () => {
    expect(sent.zhao).toEqual([
      'Tue 2026-11-10 09:00 open',
      'Fri 2026-11-20 09:00 before-3',
      'Tue 2026-11-24 09:00 before-1',
      'Wed 2026-11-25 09:00 deadline',
      'Thu 2026-11-26 09:00 overdue-1',
      'Fri 2026-11-27 09:00 overdue-2',
    ]);
    expect(sent.director).toEqual(['Thu 2026-11-26 09:00 escalation']);
    expect(bot.channel.textsTo('director')).toEqual(['2026年11月 数据逾期未报（截止 11月25日）：\n· 中小企业局（赵敏）：企业授信、贷款发放']);
  });

  it('keeps the other sections on the organisation\'s schedule', () => {
    expect(sent.li).toEqual(['Fri 2026-11-20 09:00 open', 'Wed 2026-11-25 09:00 before-3', 'Fri 2026-11-27 09:00 before-1']);
  });

  it('holds a section\'s reminders through its own quiet hours', () => {
    expect(pendingAt0900).toEqual(['telegram:wang at Fri 2026-11-20 09:30', 'telegram:zhou at Fri 2026-11-20 09:30']);
    expect(sent.wang).toEqual(['Fri 2026-11-20 09:30 open', 'Wed 2026-11-25 09:30 before-3', 'Fri 2026-11-27 09:30 before-1']);
  });
});
