import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { runCli } from '../../src/cli/run.js';
import { NOV_25, storedFigure, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * Figures a director can trust and no message dropped (docs/product.md, Checks on a figure; Corrections
 * and one-shot reports), end to end through the chat runtime and the database. 2026-11-25: November is
 * open; September and October 2026 are in for 运行监测股 (see FIGURES_2026), nothing for the others.
 */

/** The admin CLI in-process on the suite's database: its exit code and what it printed. */
async function cli(prisma: Db, ...argv: string[]) {
  const out: string[] = [];
  const code = await runCli(argv, { env: {}, io: { stdout: (line) => out.push(line), stderr: () => {} }, now: () => NOV_25, database: prisma });
  return code === 2 ? { code } : { code, out: out.join('\n') };
}

async function queried(prisma: Db, key: string, year: number, month: number): Promise<boolean | undefined> {
  const indicator = await prisma.indicator.findUniqueOrThrow({ where: { key } });
  const row = await prisma.submission.findUnique({ where: { indicatorId_year_month: { indicatorId: indicator.id, year, month } } });
  return row?.queried;
}

describeEachDatabase('chat: checks on figures', (ctx) => {
  const chat = useChat(ctx);

  it("queries a first figure far above the year's target, with no month before it to compare (30 家 for a target of 5)", async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('chen', text));
    await say('/report');
    expect(await say('30家')).toEqual(['请核对：新增高新技术企业 本次 30 家，是年度目标（5 家）的约 6 倍，单位或位数是否写错了？', '确认无误请回复“是”；要重新填写请回复“否”，或直接回复正确的数字。']);
    expect((await say('3家'))[0]).toMatch(/^\(2\/2\)/);
    await say('取消');
  });

  it('checks a correction against the whole year and the organisation file, and marks what was kept for the directors', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    for (const answer of ['44.5亿', '10.8亿', '19.6亿', '3家']) await say(answer);
    expect((await say('确认'))[0]).toBe('已提交 2026年11月 数据 4 项。');

    expect((await say('/report 2026-11'))[0]).toContain('现在更正 2026年11月 数据');
    await say('跳过');
    // Above 总产值 (the demo file's check) and over 3× October: both said, each naming the indicator.
    expect(await say('50亿')).toEqual([
      [
        '请核对：规上工业增加值 本次 50.00 亿元，是上月（10.50 亿元）的约 4.8 倍。',
        '请核对：工业增加值不应超过工业总产值（规上工业增加值 50.00 亿元，规上工业总产值 44.50 亿元）。',
      ].join('\n'),
      '确认无误请回复“是”；要重新填写请回复“否”，或直接回复正确的数字。',
    ]);
    expect((await say('是的，没错'))[0]).toBe('(3/4) 工业投资 1–11月累计（亿元）？当前 19.60，上月 18.20');
    // Below September (15.10) and October (18.20): the query names the larger.
    expect((await say('12亿'))[0]).toBe('请核对：工业投资是累计数，一般不会减少，但本次 12.00 亿元 比上月（18.20 亿元）少。');
    await say('对');
    await say('跳过');
    await say('确认');
    const [done, progress] = await say('与统计局核对过');
    expect(done).toBe('已更正 2026年11月 数据 2 项，更正原因已记录。');
    expect(progress).toContain('规上工业增加值：1–11月累计 50.00 亿元（待核实）');
    expect(progress).toContain('工业投资：1–11月累计 12.00 亿元（待核实）');
    expect(await queried(prisma, 'industrial_added_value', 2026, 11)).toBe(true);
    expect(await queried(prisma, 'industrial_investment', 2026, 11)).toBe(true);
    expect(await queried(prisma, 'industrial_output_value', 2026, 11)).toBe(false);

    // The directors see the mark until the figure is corrected without a query.
    const overview = texts(await channel.say('director', '工业投资完成情况'));
    expect(overview.join('\n')).toContain('12.00 亿元（待核实）');
    expect(texts(await channel.say('director', '工业投资同比'))[0]).toMatch(/^工业投资：1–11月累计 12\.00 亿元（待核实）；2025年同期无数据/);
    await say('/report 2026-11');
    await say('跳过');
    await say('跳过');
    await say('19.6亿');
    await say('跳过');
    await say('确认');
    const [, after] = await say('更正为正确数字');
    expect(after).toBe('工业投资：1–11月累计 19.60 亿元，完成年度目标 21 亿元的 93.33%，序时进度 91.67%，领先 1.66 个百分点。');
    expect(await queried(prisma, 'industrial_investment', 2026, 11)).toBe(false);
    expect(await queried(prisma, 'industrial_added_value', 2026, 11)).toBe(true);

    // Someone who checked it confirms it (npm run cli -- confirm, the indicator by key, name or alias): the
    // mark goes, the figure stays.
    expect(await cli(prisma, 'confirm', '无此指标', '--period', '2026-11')).toMatchObject({ code: 1 });
    expect(await cli(prisma, 'confirm', '规上工业增加值', '--period', '2026-11')).toEqual({
      code: 0,
      out: '已核实：规上工业增加值 2026年11月 50.00 亿元，不再标记待核实。',
    });
    expect(await queried(prisma, 'industrial_added_value', 2026, 11)).toBe(false);
    expect(texts(await channel.say('director', '增加值')).join('\n')).not.toContain('待核实');
    expect(await prisma.auditLog.findFirst({ where: { action: 'figures.confirm' } })).toMatchObject({ actor: 'cli', subject: '2026-11' });
    expect(await cli(prisma, 'confirm', 'industrial_added_value', '--period', '2026-11')).toEqual({
      code: 0,
      out: '规上工业增加值 2026年11月 50.00 亿元 没有待核实标记，无需核实。',
    });
    expect(await cli(prisma, 'confirm', 'industrial_added_value', '--period', '2026-12')).toEqual({
      code: 1,
      out: '规上工业增加值 2026年12月 还没有数字。',
    });
    expect((await cli(prisma, 'confirm', 'industrial_added_value')).code).toBe(2);
  });

  it('queries a corrected cumulative figure above a later month of the year', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('zhou', text));
    await say('/report 2026-09');
    await say('跳过');
    await say('跳过');
    expect((await say('19亿'))[0]).toBe('请核对：工业投资是累计数，本次 19.00 亿元 比之后的2026年10月（18.20 亿元）还多。');
    expect(await say('取消')).toEqual(['已取消，本次填写的内容都没有提交。需要时发送 /report 重新开始。']);
  });

  it('takes a one-line report whose note names another indicator as a report with that note', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('zhang', text));
    // 光网 is another indicator of the section; here it is a word of the note, with no figure of its own.
    expect(await say('5G站点 本月新增12个 含光网配套站点')).toEqual([
      '5G基站建设 2026年11月 新增 12 个（备注：含光网配套站点），确认提交？回复“确认”或“取消”',
    ]);
    expect(await say('取消')).toEqual(['已取消，未提交。']);
  });

  it('keeps one-line reports sent while one waits for 确认 and confirms them in turn', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('zhang', text));

    expect(await say('5G站点 本月新增12个')).toEqual(['5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”']);
    expect(await say('4G改造 本月20个')).toEqual([
      '收到“4G改造 本月20个”，先处理上一条，确认后接着问这一条。',
      '5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”',
    ]);
    expect(await say('光网 累计60个')).toEqual([
      '收到“光网 累计60个”，先处理上一条，确认后接着问这一条。',
      '5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”',
    ]);
    // The same indicator again is a new figure for the pending one; a refused one leaves it as it was.
    expect(await say('5G站点 本月新增-3个')).toEqual([
      '5G基站建设不能是负数（您填的是 -3 个），请重新填写。',
      '5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”',
    ]);
    // Anything else meanwhile is answered with what is awaited.
    expect(await say('等一下')).toEqual([
      '上一条还在等您确认：',
      '5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”',
    ]);
    expect(await say('确认')).toEqual([
      '已提交 2026年11月 数据 1 项。',
      '5G基站建设：1–11月新增 12 个（1–10月未报送）。',
      '4G基站改造 2026年11月 新增 20 个，确认提交？回复“确认”或“取消”',
    ]);
    const third = await say('好的');
    expect(third.slice(0, 1)).toEqual(['已提交 2026年11月 数据 1 项。']);
    expect(third.at(-1)).toBe('20户以上自然村光网覆盖 2026年1–11月累计 60 个，确认提交？回复“确认”或“取消”');
    expect((await say('可以'))[0]).toBe('已提交 2026年11月 数据 1 项。');
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-11')).toMatchObject({ value: '12' });
    expect(await storedFigure(prisma, 'upgraded_4g_sites', '2026-11')).toMatchObject({ value: '20' });
    expect(await storedFigure(prisma, 'village_fibre_coverage', '2026-11')).toMatchObject({ value: '60' });
  });

  it('says plainly what it waits for when a one-line report of another indicator comes mid-report', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('zhang', text));
    expect((await say('/report 2026-10'))[1]).toBe('(1/3) 5G基站建设 10月新增（个）？');
    expect(await say('光网 累计60个')).toEqual([
      '收到“光网 累计60个”，但 2026年10月 的报送还没完成，没有记下这一条。请先回答下面这一项（或回复“取消”结束报送）：',
      '(1/3) 5G基站建设 10月新增（个）？',
    ]);
    // The indicator asked, named with its figure, is the answer.
    expect(await say('5G站点 新增10个')).toEqual(['(2/3) 4G基站改造 10月新增（个）？']);
    await say('取消');
  });

  it('files a past month never reported as 补报: no reason asked, closing with 已补报', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('chen', text));
    expect(await say('/report 2026-10')).toEqual([
      '陈股长您好！现在补报 2026年10月 数据，共 2 项。',
      '(1/2) 新增高新技术企业 10月新增（家）？',
    ]);
    await say('2家');
    await say('3家');
    expect((await say('确认'))[0]).toBe('已补报 2026年10月 数据 2 项。');
    expect(await storedFigure(prisma, 'new_high_tech_firms', '2026-10')).toEqual({
      value: '2',
      revisions: [{ value: '2', channel: 'telegram', note: null, reason: null }],
    });
    // Once all of it is in, the same month is a correction.
    expect((await say('/report 2026-10'))[0]).toContain('现在更正 2026年10月 数据');
    await say('取消');
  });

  it('files only what is missing of a past month partly reported, as 补报', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('li', text));
    expect(await say('/report 2026-10')).toEqual([
      '李股长您好！现在补报 2026年10月 数据：已报 1 项，还差 1 项。',
      '(1/1) 清洁生产审核企业 10月新增（家）？',
    ]);
    await say('1家');
    expect((await say('确认'))[0]).toBe('已补报 2026年10月 数据 1 项。');
    expect(await storedFigure(prisma, 'clean_production_audits', '2026-10')).toMatchObject({ revisions: [{ reason: null }] });
    expect(await storedFigure(prisma, 'tech_upgrade_investment', '2026-10')).toMatchObject({ value: '2.05' });
  });

  it('answers the dialogue words with no report open by saying so', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('liu', text));
    for (const word of ['确认', '是的，没错', '不对', '上一项', '返回', '跳过', '不知道', 'OK']) {
      expect(await say(word)).toEqual(['现在没有进行中的报送，发送 /report 开始。']);
    }
    for (const word of ['取消', '算了', 'cancel']) {
      expect(await say(word)).toEqual(['现在没有进行中的报送，不需要取消。需要报数时发送 /report。']);
    }
  });
  it('takes the mark off a figure that a correction of another month no longer makes look wrong', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('zhou', text));
    // September corrected above October (18.20) and kept: marked.
    await say('/report 2026-09');
    await say('跳过');
    await say('跳过');
    expect((await say('19亿'))[0]).toContain('比之后的2026年10月（18.20 亿元）还多');
    await say('是');
    await say('跳过');
    await say('确认');
    await say('与台账核对过');
    expect(await queried(prisma, 'industrial_investment', 2026, 9)).toBe(true);
    // October corrected to 19.50: September is no longer above a later month, and its mark goes.
    await say('/report 2026-10');
    await say('跳过');
    await say('跳过');
    expect((await say('19.5亿'))[0]).not.toContain('请核对');
    await say('跳过');
    await say('确认');
    expect((await say('10月数字报错了'))[0]).toBe('已更正 2026年10月 数据 1 项，更正原因已记录。');
    expect(await queried(prisma, 'industrial_investment', 2026, 9)).toBe(false);
    const audit = await prisma.auditLog.findFirst({ where: { action: 'figures.correct', subject: '2026-10' }, orderBy: { id: 'desc' } });
    expect(audit?.details).toMatchObject({ unmarked: [{ key: 'industrial_investment', period: '2026-09' }] });
  });
  it('sets a month marked 待核实 aside when it checks a figure, and shows the mark beside 上月', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('wang', text));
    // October's 工业投资 imported as 41.00, a known-bad figure, and marked: no yardstick for November's.
    const indicator = await prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_investment' } });
    await prisma.submission.update({
      where: { indicatorId_year_month: { indicatorId: indicator.id, year: 2026, month: 10 } },
      data: { value: '41', queried: true },
    });
    await say('/report 2026-11');
    await say('跳过');
    expect((await say('跳过'))[0]).toContain('上月 41.00（待核实）');
    // Below the marked October, above September (19.00): nothing to query.
    expect((await say('25.3亿'))[0]).toMatch(/^\(4\/4\) 新增规上企业/);
    await say('跳过');
    await say('确认');
    expect((await say('按台账更正'))[0]).toBe('已更正 2026年11月 数据 1 项，更正原因已记录。');
    expect(await queried(prisma, 'industrial_investment', 2026, 11)).toBe(false);
    expect(await queried(prisma, 'industrial_investment', 2026, 10)).toBe(true);
  });
});
