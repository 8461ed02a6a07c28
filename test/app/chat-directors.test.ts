import { describe, expect, it } from 'vitest';
import { recordFigure } from '../../src/app/record-figure.js';
import { progressCommand } from '../../src/cli/commands.js';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { NOV_25, bind, createClock, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What directors ask in their own words, end to end through an in-memory channel on the demo organisation
 * (2019–2020 series, September and October 2026 figures; nothing of November 2026 in). The clock stands at
 * 2026-11-25 10:00 (Asia/Shanghai): November's window is open, its deadline Monday 30 November.
 */

const HOUR = 3_600_000;

describeEachDatabase('chat: directors’ questions in their own words', (ctx) => {
  const chat = useChat(ctx);

  async function ask(question: string, from = 'director'): Promise<string> {
    const { channel } = await chat.start();
    const replies = texts(await channel.say(from, question));
    expect(replies, question).toHaveLength(1);
    return replies[0]!;
  }

  describe('the overview', () => {
    it('is the same text in the chat and from `cli progress`, with the sections that have reported', async () => {
      const printed: string[] = [];
      const code = await progressCommand(
        { deps: ctx.deps(NOV_25), t: translator('zh-CN'), locale: 'zh-CN', print: (line) => printed.push(line) },
        { year: 2020 },
      );
      expect(code).toBe(0);
      const answer = await ask('2020年总体进度');
      expect(answer).toBe(printed.join('\n'));
      const lines = answer.split('\n');
      expect(lines[0]).toBe('乐昌市工业和信息化局 2020年目标任务完成情况（数据截至12月；2020年12月已报送 6/6 个股室）');
      // The seven with a 2020 target, behind schedule first, then one line for the eight without.
      expect(lines).toHaveLength(1 + 7 + 1);
      expect(lines[1]).toMatch(/^20户以上自然村光网覆盖：.*落后 71.43 个百分点。$/);
      expect(lines.at(-1)).toMatch(/^另有 8 项指标2020年未设目标：/);
    });

    it('counts the sections that have reported the current period, and says who owes each figure not in', async () => {
      const lines = (await ask('总体进度')).split('\n');
      expect(lines[0]).toContain('2026年11月已报送 0/6 个股室');
      expect(lines).toContain(
        '清洁生产审核企业：2026年尚无数据（最近有数据的是 2020年12月）；2026年11月尚未报送（产业技术与工业节能股 李华，截止11月30日）。',
      );
      // All reporters of a section, not only its head.
      expect(lines.find((line) => line.startsWith('新增研发机构：'))).toContain('（科技计划股 刘洋、黄磊，截止11月30日）');
    });

    it('writes a share against a share without a percentage of a percentage', async () => {
      const answer = await ask('2020年R&D完成率');
      // A level is measured against its target, never against 序时进度.
      expect(answer).toBe('R&D经费占GDP比重：截至12月 0.50%，目标 0.66%，完成 75.76%，距目标还差 0.16 个百分点。');
      expect(answer).not.toMatch(/%的/);
    });

    it('gives a share’s change on last year in percentage points, in the line and in the 同比 answer', async () => {
      const { prisma } = ctx.db();
      const share = await prisma.indicator.findFirstOrThrow({ where: { name: 'R&D经费占GDP比重' } });
      const at = (year: number) => ({ indicatorId: share.id, period: { year, month: 12 }, channel: 'test', at: NOV_25 });
      await prisma.$transaction((tx) => recordFigure(tx, { ...at(2019), value: dec('0.58') }));
      try {
        expect(await ask('2020年R&D完成率')).toBe(
          'R&D经费占GDP比重：截至12月 0.50%，目标 0.66%，完成 75.76%，距目标还差 0.16 个百分点；同比下降 0.08 个百分点。',
        );
        expect(await ask('2020年R&D同比')).toBe('R&D经费占GDP比重：截至12月 0.50%，去年同期 0.58%，同比下降 0.08 个百分点。');
      } finally {
        const december = { indicatorId: share.id, year: 2019, month: 12 };
        await prisma.submissionRevision.deleteMany({ where: { submission: december } });
        await prisma.submission.deleteMany({ where: december });
      }
    });

    it('says an indicator has no target instead of leaving the rate out silently', async () => {
      expect(await ask('规上工业总产值完成率')).toBe('规上工业总产值：1–10月累计 40.00 亿元（2026年未设目标）。');
    });
  });

  describe('what is behind', () => {
    it('lists only those behind schedule, worst first, with the section and every reporter', async () => {
      const answer = await ask('2020年哪些指标落后了');
      expect(answer.split('\n')).toEqual([
        '2020年落后于序时进度的指标（数据截至12月，2 项，差距大的在前）：',
        '1. 20户以上自然村光网覆盖：1–12月累计 98 个，完成年度目标 343 个的 28.57%，序时进度 100%，落后 71.43 个百分点。',
        '　负责：无线电与数字信息化和安全生产股 张伟',
        '2. 工业技改投资：1–12月累计 2.43 亿元，完成年度目标 3 亿元的 81%，序时进度 100%，落后 19 个百分点；同比增长 34.1%。',
        '　负责：产业技术与工业节能股 李华',
        // A level (a share) is not behind 序时进度: short of its target, it is named on a line of its own.
        '水平类指标按期末值比年度目标，不比序时进度；其中未达目标的 1 项：R&D经费占GDP比重 0.50%，距目标还差 0.16 个百分点（负责：科技计划股 刘洋、黄磊）。',
      ]);
      for (const ahead of ['工业投资', '清洁生产', '新增研发机构']) expect(answer).not.toContain(`${ahead}：`);
    });

    it('says a year without targets has nothing to be behind or ahead of, not that nothing is behind', async () => {
      // The demo's 2019 has figures (for 2020's 同比) and no targets.
      expect(await ask('2019年哪些指标落后')).toBe('2019年各项指标都没有设年度目标，无从与序时进度比较，也就说不上领先或落后。');
      expect(await ask('2019年哪些指标领先')).toBe('2019年各项指标都没有设年度目标，无从与序时进度比较，也就说不上领先或落后。');
    });

    it('understands other wordings, and names the targets with no figure yet this year', async () => {
      const answer = await ask('滞后的有哪些');
      expect(answer).toMatch(/^2026年落后于序时进度的指标（数据截至10月，1 项/);
      expect(answer).toContain('1. 工业技改投资：1–10月累计 2.05 亿元');
      expect(answer).toMatch(/另有 5 项指标2026年尚无数据：新增高新技术企业、/);
      expect(await ask('有没有拖后腿的')).toBe(answer);
    });
  });

  describe('what is ahead', () => {
    it('lists those ahead of schedule, furthest first, then those whose target is met', async () => {
      expect((await ask('2020年哪些指标领先')).split('\n')).toEqual([
        '2020年领先于序时进度的指标（数据截至12月，2 项，领先多的在前）：',
        '1. 清洁生产审核企业：1–12月新增 7 家，完成年度目标 5 家的 140%，序时进度 100%，领先 40 个百分点。',
        '　负责：产业技术与工业节能股',
        '2. 工业投资：1–12月累计 25.15 亿元，完成年度目标 21 亿元的 119.76%，序时进度 100%，领先 19.76 个百分点；同比增长 33.7%。',
        '　负责：运行监测股',
        '已完成2020年目标的 4 项：工业投资、新增高新技术企业、新增研发机构、清洁生产审核企业。',
      ]);
    });

    it('says when no target is met yet this year, and names the targets with no figure', async () => {
      const answer = await ask('超额完成的有哪些');
      expect(answer).toMatch(/^2026年领先于序时进度的指标（数据截至10月，1 项/);
      expect(answer).toContain('\n尚无指标完成2026年目标。\n另有 5 项指标2026年尚无数据：');
      expect(await ask('which are ahead')).toBe(answer);
    });
  });

  describe('year on year', () => {
    it('gives last year’s same months and the growth', async () => {
      expect(await ask('2020年工业投资同比')).toBe('工业投资：1–12月累计 25.15 亿元，去年同期 18.81 亿元，同比增长 33.7%。');
      expect(await ask('2020年技改和去年同期比怎么样')).toMatch(/^工业技改投资：1–12月累计 2.43 亿元，去年同期 [\d.]+ 亿元，同比增长 34.1%。$/);
    });

    it('names nobody as owing a figure of a month long past', async () => {
      const answer = await ask('2025年工业投资');
      expect(answer).toContain('2025年尚无数据');
      expect(answer).not.toContain('尚未报送');
    });

    it('gives no growth of a monthly-added indicator against a year that lacks some of its months', async () => {
      const { prisma } = ctx.db();
      const audits = await prisma.indicator.findUniqueOrThrow({ where: { key: 'clean_production_audits' } });
      // 2019's December alone: not 2019's 1–12月.
      await prisma.$transaction((tx) =>
        recordFigure(tx, { indicatorId: audits.id, period: { year: 2019, month: 12 }, value: dec('3'), channel: 'test', at: NOV_25 }),
      );
      expect(await ask('2020年清洁生产同比')).toBe(
        '清洁生产审核企业：1–12月新增 7 家；2019年1–12月缺少某些月份的数据（逐月新增的指标要各月都有才能累计），无法计算同比。',
      );
    });

    it('says plainly when last year has no figure, instead of dropping the comparison', async () => {
      expect(await ask('工业投资同比')).toBe('工业投资：1–10月累计 18.20 亿元；2025年同期无数据，无法计算同比。');
      expect(await ask('今年工业投资和去年比怎么样')).toBe('工业投资：1–10月累计 18.20 亿元；2025年同期无数据，无法计算同比。');
    });

    it('says last year came to zero, rather than that it has no figure, when its figure is 0', async () => {
      const { prisma } = ctx.db();
      const tech = await prisma.indicator.findUniqueOrThrow({ where: { key: 'tech_upgrade_investment' } });
      const october = { indicatorId: tech.id, year: 2025, month: 10 };
      await prisma.$transaction((tx) => recordFigure(tx, { indicatorId: tech.id, period: { year: 2025, month: 10 }, value: dec('0'), channel: 'test', at: NOV_25 }));
      try {
        expect(await ask('技改同比')).toBe('工业技改投资：1–10月累计 2.05 亿元；2025年同期为 0.00 亿元，从零起无法计算同比增长率。');
      } finally {
        await prisma.submissionRevision.deleteMany({ where: { submission: october } });
        await prisma.submission.deleteMany({ where: october });
      }
    });

    it('compares every indicator with a figure, and names the rest in one line', async () => {
      const lines = (await ask('2020年去年同期对比')).split('\n');
      expect(lines.length).toBeGreaterThan(5);
      expect(lines[0]).toMatch(/^规上工业总产值：1–12月累计 47.57 亿元，去年同期 [\d.]+ 亿元，同比增长 15.1%。$/);
      // Last year with nothing at all for the same months: said once, not once for each of 2026's five figures.
      expect(await ask('去年同期对比')).toBe('2025年同期没有任何指标的数据，无法计算同比；2026年的数字可以问“总体进度”。');
      // A year with no figure at all says so, not a lone 另有 15 项… line.
      expect(await ask('2025年去年同期对比')).toBe('2025年各项指标都还没有数据，无法比较。');
      expect(await ask('2025年各项目标是多少')).toBe('2025年各项指标都没有设年度目标。');
    });
  });

  describe('month on month (环比)', () => {
    it('compares a month’s own figure with the month before’s: an increment’s figures, a cumulative one’s additions', async () => {
      // The seeded 2026 figures: 新增规上企业 1 in September, 2 in October.
      expect(await ask('新增规上企业环比')).toBe('新增规上企业：10月 2 家，9月 1 家，环比增长 100%。');
      // 工业投资 has no August figure: October's addition (18.20 − 15.10) has nothing to compare with.
      expect(await ask('工业投资和上个月比')).toBe('工业投资：10月当月 3.10 亿元；9月当月无数据，无法计算环比。');
    });

    it('computes a cumulative indicator’s additions from the stored year-to-date figures', async () => {
      const { prisma } = ctx.db();
      const indicator = await prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_investment' } });
      const rows = await prisma.submission.findMany({ where: { indicatorId: indicator.id, year: 2020, month: { in: [10, 11, 12] } } });
      const at = (month: number) => Number(rows.find((row) => row.month === month)!.value);
      const december = at(12) - at(11);
      const november = at(11) - at(10);
      const growth = (((december - november) * 100) / november).toFixed(1).replace(/\.0$/, '');
      const answer = await ask('2020年工业投资环比');
      expect(answer).toBe(
        `工业投资：12月当月 ${december.toFixed(2)} 亿元，11月当月 ${november.toFixed(2)} 亿元，环比${december >= november ? '增长' : '下降'} ${growth.replace('-', '')}%。`,
      );
    });
  });

  it('gives a share’s change on the month before in percentage points, not as a growth rate', async () => {
    // The demo's 2020 series: 0.49% in October, 0.50% in November (a growth rate would say 2%).
    expect(await ask('2020年11月R&D环比')).toBe('R&D经费占GDP比重：11月 0.50%，10月 0.49%，环比提高 0.01 个百分点。');
  });

  describe('targets', () => {
    it('names an indicator’s own English unit in a target (institutions, not firms)', async () => {
      expect(await ask('new R&D institutions target', 'huang')).toBe('New R&D institutions: 2026 target 5 institutions.');
    });

    it('gives one indicator’s target, or every target set', async () => {
      expect(await ask('技改目标是多少')).toBe('工业技改投资：2026年目标 3 亿元。');
      expect(await ask('R&D的任务数')).toBe('R&D经费占GDP比重：2026年目标 0.66%。');
      const all = (await ask('全年目标是多少')).split('\n');
      expect(all).toHaveLength(7 + 1);
      expect(all).toContain('工业投资：2026年目标 21 亿元。');
      expect(all.at(-1)).toMatch(/^另有 8 项指标2026年未设目标：规上工业总产值、/);
    });
  });

  describe('why something is behind', () => {
    it('gives the gap in the indicator’s unit and what is missing: who owes it, by when', async () => {
      expect((await ask('技改为什么落后')).split('\n')).toEqual([
        '工业技改投资：完成 68.33%，序时进度 83.33%，落后 15 个百分点，按序时还差 0.45 亿元。',
        '2026年11月尚未报送（产业技术与工业节能股 李华，截止11月30日）。',
      ]);
      expect(await ask('R&D怎么这么慢')).toBe(
        'R&D经费占GDP比重：2026年尚无数据（最近有数据的是 2020年12月）；2026年11月尚未报送（科技计划股 刘洋、黄磊，截止11月30日）。',
      );
    });

    it('names the months an increment never reported, which its sum leaves out', async () => {
      const lines = (await ask('规上企业为什么落后')).split('\n');
      expect(lines[0]).toMatch(/^新增规上企业2026年未设目标，谈不上落后：1–10月新增 3 家/);
      expect(lines[1]).toBe('1–8月未报送，这些月份没有计入完成数；补报后完成率会随之更新。');
      // Its reporter is told how to file them; a director is not told to file what is not theirs.
      expect((await ask('规上企业为什么落后', 'wang')).split('\n')[1]).toBe('1–8月未报送，这些月份没有计入完成数；补报后完成率会随之更新（发送 /report 补报）。');
    });

    it('says so when the indicator is not behind, and who reported a period that is in', async () => {
      expect((await ask('2020年工业投资为什么落后')).split('\n')).toEqual([
        '工业投资并不落后：完成 119.76%，序时进度 100%，领先 19.76 个百分点。',
        '2020年12月数据已报送（运行监测股 王明、周婷）。',
      ]);
    });

    it('answers for every indicator behind when none is named', async () => {
      const answer = await ask('为什么落后');
      expect(answer).toMatch(/^工业技改投资：完成 68.33%/);
    });
  });

  describe('thanks and greetings', () => {
    it('answers briefly and in kind', async () => {
      expect(await ask('谢谢')).toBe('不客气，有需要随时找我。');
      expect(await ask('好的，辛苦了')).toBe('不客气，有需要随时找我。');
      expect(await ask('收到')).toBe('好的。有需要随时找我。');
      expect(await ask('早上好')).toBe('林局长您好！想了解什么直接问我，例如“总体进度”“哪些指标落后”。');
      expect(await ask('thanks', 'huang')).toBe("You're welcome. Ask me any time.");
    });

    it('leaves a reporting dialogue where it was: 谢谢 mid-report is no answer and no reply in kind', async () => {
      const { channel } = await chat.start();
      const [, question] = texts(await channel.say('zhang', '/report'));
      expect(question).toMatch(/^\(1\/3\) /);
      const replies = texts(await channel.say('zhang', '谢谢'));
      expect(replies.join('\n')).not.toContain('不客气');
      expect(replies.join('\n')).toContain(question!);
      // A remark on the figure is no question about every indicator: the dialogue asks again.
      for (const remark of ['比上月少了', '偏低']) {
        const again = texts(await channel.say('zhang', remark)).join('\n');
        expect(again, remark).not.toMatch(/环比|落后于序时进度/);
        expect(again, remark).toContain(question!);
      }
      // A question naming an indicator is answered, and the dialogue's question follows.
      const asked = texts(await channel.say('zhang', '光网覆盖率目标是多少'));
      expect(asked[0]).toBe('20户以上自然村光网覆盖：2026年目标 343 个。');
      expect(asked.at(-1)).toBe(question);
      await channel.say('zhang', '取消');
    });
  });

  describe('what staff may see', () => {
    it('keeps another section’s indicators out of what is behind, targets and comparisons', async () => {
      const replies = [await ask('哪些指标落后', 'zhou'), await ask('全年目标是多少', 'zhou'), await ask('去年同期对比', 'zhou')];
      for (const other of ['技改', '产业技术', '科技计划', '研发', '5G']) expect(replies.join('\n')).not.toContain(other);
      expect(replies[1]).toContain('工业投资：2026年目标 21 亿元。');
      expect(await ask('技改为什么落后', 'zhou')).toBe('您只能查看本股室的指标。');
    });

    it('heads a section member’s overview with the section, not the whole bureau', async () => {
      const overview = await ask('总体进度', 'zhou');
      expect(overview).toMatch(/^运行监测股 2026年目标任务完成情况/);
      expect(overview).not.toContain('乐昌市工业和信息化局');
    });

    it('does not report good news on what is behind while the section’s figures are missing', async () => {
      // 科技计划股 has no figure of 2026: nothing can be judged behind, and the answer says so first.
      expect(await ask('哪些指标落后', 'liu')).toMatch(/^2026年还没有数据，无法判断哪些指标落后；有目标的 \d+ 项都尚未报送：/);
    });
  });

  describe('the help', () => {
    it('takes its example from an indicator with a target, and offers the new questions', async () => {
      const help = await ask('帮助');
      expect(help).toContain('“工业投资完成率”');
      expect(help).toContain('“哪些指标落后”“哪些指标领先”“工业投资为什么落后”');
      expect(help).toContain('“催一下 姓名或股室”');
    });
  });
});

describeEachDatabase('chat: 催报 from the chat', (ctx) => {
  const chat = useChat(ctx);

  it('reminds a person now, through the outbox, logs it, and not twice within the hour', async () => {
    const clock = createClock(NOV_25);
    const { channel } = await chat.start({ now: clock.now });
    const { prisma } = ctx.db();

    expect(texts(await channel.say('director', '催一下李华'))).toEqual(['已催报 2026年11月（截止11月30日）：\n· 已提醒：李华']);
    expect(channel.textsTo('li')).toEqual([
      '林局长提醒：请尽快报送 2026年11月 数据（截止11月30日），还差 2 项：工业技改投资、清洁生产审核企业。发送 /report 开始报送。',
    ]);
    const row = await prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:li', kind: 'nudge' } });
    expect(row.status).toBe('sent');
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'figures.nudge' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actor: 'director', subject: '2026-11', details: { reminded: ['li'] } });

    // Another director, 59 minutes on: still within the hour.
    clock.advance(59 * 60_000);
    expect(texts(await channel.say('deputy', '催一下李股长'))).toEqual(['未催报任何人（2026年11月，截止11月30日）：\n· 未提醒（1小时内已提醒过）：李华']);
    expect(channel.textsTo('li')).toHaveLength(1);

    clock.advance(2 * 60_000);
    expect(texts(await channel.say('deputy', '催报 产业技术与工业节能股'))).toEqual(['已催报 2026年11月（截止11月30日）：\n· 已提醒：李华']);
    expect(channel.textsTo('li')).toHaveLength(2);
  });

  it('reminds a whole section, skips who has reported and who has no chat account, and says so', async () => {
    const clock = createClock(new Date(NOV_25.getTime() + 5 * HOUR));
    const { channel } = await chat.start({ now: clock.now });
    const { prisma } = ctx.db();
    // 运行监测股 reported all of October; 科技计划股's 黄磊 has no chat account in this test.
    expect(texts(await channel.say('director', '10月催一下运行监测股'))).toEqual([
      '未催报任何人（2026年10月，截止10月30日）：\n· 未提醒（已报送）：王明、周婷',
    ]);
    const huang = await prisma.member.findUniqueOrThrow({ where: { key: 'huang' } });
    await prisma.chatIdentity.deleteMany({ where: { memberId: huang.id } });
    try {
      expect(texts(await channel.say('director', '叫科技计划股赶紧报'))).toEqual([
        '已催报 2026年11月（截止11月30日）：\n· 已提醒：刘洋\n· 未提醒（未绑定聊天账号）：黄磊',
      ]);
    } finally {
      await bind(prisma, 'telegram:huang', 'huang');
    }
    expect(channel.textsTo('liu')).toHaveLength(1);
  });

  it('is for directors only: a section head is refused politely and nobody is reminded', async () => {
    const clock = createClock(new Date(NOV_25.getTime() + 10 * HOUR));
    const { channel } = await chat.start({ now: clock.now });
    expect(texts(await channel.say('wang', '催一下李华'))).toEqual(['催报仅限局领导使用。如需提醒同事报送，请告诉局领导。']);
    expect(texts(await channel.say('admin', '催一下没报的'))).toEqual(['催报仅限局领导使用。如需提醒同事报送，请告诉局领导。']);
    expect(channel.textsTo('li')).toEqual([]);
  });

  it('reminds a person once an hour even when two directors ask on two replicas at the same moment', async () => {
    const at = new Date(NOV_25.getTime() + 20 * HOUR);
    const first = await chat.start({ now: () => at });
    const second = await chat.start({ now: () => at });
    const [a, b] = await Promise.all([first.channel.say('director', '催一下张伟'), second.channel.say('deputy', '催一下张伟')]);
    const answers = [...texts(a), ...texts(b)];
    expect(answers.filter((answer) => answer.includes('已提醒：张伟'))).toHaveLength(1);
    expect(answers.filter((answer) => answer.includes('1小时内已提醒过'))).toHaveLength(1);
    const rows = await ctx.db().prisma.outboxMessage.count({ where: { chat: 'telegram:zhang', kind: 'nudge' } });
    expect(rows).toBe(1);
  });

  it('holds a reminder asked for in quiet hours until they end', async () => {
    // 2026-11-26 22:30 in Asia/Shanghai.
    const late = new Date('2026-11-26T14:30:00Z');
    const { channel } = await chat.start({ now: () => late });
    expect(texts(await channel.say('director', '催一下赵敏'))).toEqual(['已催报 2026年11月（截止11月30日）：\n· 已提醒：赵敏']);
    expect(channel.textsTo('zhao')).toEqual([]);
    const row = await ctx.db().prisma.outboxMessage.findFirstOrThrow({ where: { chat: 'telegram:zhao', kind: 'nudge' } });
    expect(row).toMatchObject({ status: 'pending', notBefore: new Date('2026-11-27T00:00:00Z') });
  });

  it('asks whom to remind when the message names nobody it knows', async () => {
    const { channel } = await chat.start({ now: () => new Date(NOV_25.getTime() + 30 * HOUR) });
    expect(texts(await channel.say('director', '催一下小张'))[0]).toMatch(/^没找到要催报的人员或股室。可以这样说：“催一下王明”“催报 运行监测股”/);
  });

  it('says every section is in when asked to remind those who have not reported and none is left', async () => {
    // 2020: every figure of December is in (the demo series).
    const { channel } = await chat.start({ now: () => new Date('2021-01-05T02:00:00Z') });
    expect(texts(await channel.say('director', '催一下没报的'))).toEqual(['2020年12月 各股室均已报齐，没有需要催报的人员。']);
  });
  it('reminds for the month before when this month is all in and that one is not, as 谁还没报 shows it', async () => {
    // May 2027 all in, April 2027 nothing: months no other test reports.
    const at = new Date('2027-05-26T02:00:00Z');
    const { prisma } = ctx.db();
    const indicators = await prisma.indicator.findMany({ where: { active: true } });
    for (const indicator of indicators) {
      await prisma.$transaction((tx) => recordFigure(tx, { indicatorId: indicator.id, period: { year: 2027, month: 5 }, value: dec('1'), channel: 'test', at }));
    }
    const { channel } = await chat.start({ now: () => at });
    expect(texts(await channel.say('director', '谁还没报')).join('\n')).toMatch(/^2027年5月 各股室均已报送。\n此外，2027年4月 还有未报/);
    const reply = texts(await channel.say('director', '催一下没报的'));
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/^已催报 2027年4月（截止4月30日）：\n· 已提醒：/);
    // A month named is that month only.
    expect(texts(await channel.say('deputy', '5月催一下没报的'))).toEqual(['2027年5月 各股室均已报齐，没有需要催报的人员。']);
  });
});
