import { expect, it } from 'vitest';
import { storedFigure, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { Decimal } from '../../src/core/decimal.js';

/*
 * A section files its figures in chat (docs/product.md, Reporting), end to end through the chat runtime
 * and the database. 2026-11-25: November is open; October's figures are 上月 (see FIGURES_2026).
 */

const REVIEW_INSTRUCTION = '回复“确认”提交；要改某一项，回复序号和新数字，如“2 2.5”；回复“取消”放弃本次填写。';

describeEachDatabase('chat: reporting', (ctx) => {
  const chat = useChat(ctx);

  it('walks a section head through the whole month: one question at a time, every re-ask, skip, back, review, 确认', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('wang', text));

    expect(await say('/report')).toEqual([
      '王股长您好！请报送 2026年11月 数据（截止 11月30日），共 4 项。直接回复数字即可，可带单位。',
      '(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00',
    ]);
    // Garbled, then the wrong unit: the reason and the same question again.
    expect(await say('还在统计')).toEqual([
      '没有找到数字：“还在统计”。请回复一个数字（可带单位，如 19.6亿、3家），也可以回复“跳过”“上一项”或“取消”。',
      '(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00',
    ]);
    expect(await say('3家')).toEqual([
      '单位对不上：本项以“亿元”计，您写的是“家”。请按亿元回复，或只回复数字。',
      '(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00',
    ]);
    // Impossible figures: negative, outside the indicator's bounds.
    expect(await say('-5亿')).toEqual([
      '规上工业总产值不能是负数（您填的是 -5.00 亿元），请重新填写。',
      '(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00',
    ]);
    expect((await say('2000亿'))[0]).toBe('2000.00 亿元 超出本项的范围（0 亿元 至 1000 亿元），请重新填写。');
    expect(await say('四十四点五亿')).toEqual(['(2/4) 规上工业增加值 1–11月累计（亿元）？上月 10.50']);
    // 两千三百万 is 0.23 亿元, less than October's year-to-date: queried; a corrected number answers the query.
    expect(await say('两千三百万')).toEqual([
      '请核对：规上工业增加值是累计数，一般不会减少，但本次 0.23 亿元 比上月（10.50 亿元）少。',
      '确认无误请回复“是”；要重新填写请回复“否”，或直接回复正确的数字。',
    ]);
    expect(await say('十点八亿')).toEqual(['(3/4) 工业投资 1–11月累计（亿元）？上月 18.20']);
    // A fall the section head confirms is taken.
    expect((await say('18.1亿'))[0]).toBe('请核对：工业投资是累计数，一般不会减少，但本次 18.10 亿元 比上月（18.20 亿元）少。');
    expect(await say('是')).toEqual(['(4/4) 新增规上企业 11月新增（家）？上月 2']);
    expect(await say('上一项')).toEqual(['(3/4) 工业投资 1–11月累计（亿元）？已填 18.10，上月 18.20']);
    expect(await say('1,960,000,000元')).toEqual(['(4/4) 新增规上企业 11月新增（家）？上月 2']);
    // More than three times last month: queried, and 否 asks again.
    expect((await say('7家'))[0]).toBe('请核对：新增规上企业 本次 7 家，是上月（2 家）的约 3.5 倍。');
    expect(await say('否')).toEqual(['(4/4) 新增规上企业 11月新增（家）？上月 2']);
    expect(await say('跳过')).toEqual([
      '请核对 2026年11月 数据：\n1. 规上工业总产值 44.50 亿元\n2. 规上工业增加值 10.80 亿元\n3. 工业投资 19.60 亿元\n4. 新增规上企业 跳过',
      REVIEW_INSTRUCTION,
    ]);
    expect((await say('4 3家 博昇乐、创睿极光、金丰'))[0]).toContain('4. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    // Only confirmed answers count as submitted.
    expect(await storedFigure(prisma, 'industrial_investment', '2026-11')).toBeUndefined();

    expect(await say('确认')).toEqual([
      '已提交 2026年11月 数据 4 项。',
      [
        '规上工业总产值：1–11月累计 44.50 亿元。',
        '规上工业增加值：1–11月累计 10.80 亿元。',
        '工业投资：1–11月累计 19.60 亿元，完成年度目标 21 亿元的 93.33%，序时进度 91.67%，领先 1.66 个百分点。',
        '新增规上企业：1–11月新增 6 家（1–8月未报送）。',
      ].join('\n'),
    ]);
    expect(await storedFigure(prisma, 'industrial_investment', '2026-11')).toEqual({
      value: '19.6',
      revisions: [{ value: '19.6', channel: 'telegram', note: null, reason: null }],
    });
    expect(await storedFigure(prisma, 'industrial_added_value', '2026-11')).toMatchObject({ value: '10.8' });
    expect(await storedFigure(prisma, 'new_above_scale_firms', '2026-11')).toMatchObject({
      value: '3',
      revisions: [{ note: '博昇乐、创睿极光、金丰' }],
    });
    expect(await say('/report')).toEqual(['2026年11月 的 4 项数据都已报送，谢谢！如需更正，请发送 /report 2026-11。']);
  });

  it('keeps a figure a colleague stored while the report was open: says so, stores the rest, and audits only what it stored', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('zhao', text));
    await say('/report');
    await say('22.5亿');
    await say('13.76亿');
    // Meanwhile the loans figure comes in another way (an import, a colleague).
    const loans = await prisma.indicator.findUniqueOrThrow({ where: { key: 'sme_loans_issued' } });
    await prisma.$transaction((tx) =>
      recordFigure(tx, { indicatorId: loans.id, period: { year: 2026, month: 11 }, value: new Decimal('13.7'), channel: 'import', at: new Date('2026-11-25T02:00:00Z') }),
    );

    // Only the figure stored is counted; the other is named, with the colleague's value.
    expect(await say('确认')).toEqual([
      '已提交 2026年11月 数据 1 项。',
      '“贷款发放”已由他人报送为 13.70 亿元，您的数字没有覆盖它；如需更正，请发送 /report 2026-11。',
      expect.stringMatching(/^企业授信：/),
    ]);
    expect(await storedFigure(prisma, 'sme_loans_issued', '2026-11')).toEqual({ value: '13.7', revisions: [{ value: '13.7', channel: 'import', note: null, reason: null }] });
    expect(await storedFigure(prisma, 'sme_credit_granted', '2026-11')).toEqual({
      value: '22.5',
      revisions: [{ value: '22.5', channel: 'telegram', note: null, reason: null }],
    });
    const audit = await prisma.auditLog.findMany({ where: { action: 'figures.submit', actor: 'zhao' } });
    expect(audit.map((row) => [row.subject, row.details])).toEqual([['2026-11', { channel: 'telegram', figures: [{ key: 'sme_credit_granted', value: '22.5' }], reason: null }]]);

    // The section's November is missing again for the tests after this one.
    const credit = await prisma.indicator.findUniqueOrThrow({ where: { key: 'sme_credit_granted' } });
    const november = { indicatorId: { in: [loans.id, credit.id] }, year: 2026, month: 11 };
    await prisma.submissionRevision.deleteMany({ where: { submission: november } });
    await prisma.submission.deleteMany({ where: november });
  });

  it('says when the reporting of a later month opens, instead of taking its figures', async () => {
    const { channel } = await chat.start();
    expect(texts(await channel.say('wang', '/report 2026-12'))).toEqual(['2026年12月 的报送从 12月20日 起开始，现在还不能报送。']);
  });

  it("queries a January total that carries last year's over, with last December's figure", async () => {
    const { prisma } = ctx.db();
    const credit = await prisma.indicator.findUniqueOrThrow({ where: { key: 'sme_credit_granted' } });
    const december = { indicatorId: credit.id, year: 2026, month: 12 };
    await prisma.$transaction((tx) =>
      recordFigure(tx, { indicatorId: credit.id, period: { year: 2026, month: 12 }, value: new Decimal('22.5'), channel: 'import', at: new Date('2027-01-05T02:00:00Z') }),
    );
    // 25 January 2027: January's window is open.
    const { channel } = await chat.start({ now: () => new Date('2027-01-25T02:00:00Z') });
    const say = async (text: string) => texts(await channel.say('zhao', text));
    expect((await say('/report'))[1]).toBe('(1/2) 企业授信 1月（亿元）？');
    expect(await say('23亿')).toEqual([
      '请核对：企业授信是累计数，每年1月起重新累计，但本次 23.00 亿元 已不少于2026年全年（22.50 亿元）：是否把去年的累计数也算进去了？',
      '确认无误请回复“是”；要重新填写请回复“否”，或直接回复正确的数字。',
    ]);
    expect(await say('0.5亿')).toEqual(['(2/2) 贷款发放 1月（亿元）？']);
    await say('取消');
    await prisma.submissionRevision.deleteMany({ where: { submission: december } });
    await prisma.submission.deleteMany({ where: december });
  });

  it('says nothing was submitted when the one-shot figure came in from someone else before 确认', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    expect(texts(await channel.say('zhang', '5G站点 10月新增4个'))).toEqual(['5G基站建设 2026年10月 新增 4 个，确认提交？回复“确认”或“取消”']);
    const sites = await prisma.indicator.findUniqueOrThrow({ where: { key: 'new_5g_sites' } });
    const october = { indicatorId: sites.id, period: { year: 2026, month: 10 } };
    await prisma.$transaction((tx) => recordFigure(tx, { ...october, value: new Decimal('5'), channel: 'import', at: new Date('2026-11-25T02:00:00Z') }));

    expect(texts(await channel.say('zhang', '确认'))).toEqual([
      '“5G基站建设”已由他人报送为 5 个，您的数字没有覆盖它；如需更正，请发送 /report 2026-10。',
    ]);
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-10')).toMatchObject({ value: '5', revisions: [{ channel: 'import' }] });

    const where = { indicatorId: sites.id, year: 2026, month: 10 };
    await prisma.submissionRevision.deleteMany({ where: { submission: where } });
    await prisma.submission.deleteMany({ where });
  });

  it('corrects a past month with /report 2026-09: asks why, stores a new revision with the reason, keeps the old one', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('zhou', text));

    expect(await say('/report 2026-09')).toEqual([
      '周婷您好！现在更正 2026年9月 数据，共 4 项。逐项回复正确的数字；不需要改的回复“跳过”。',
      '(1/4) 规上工业总产值 1–9月累计（亿元）？当前 36.00',
    ]);
    await say('跳过');
    await say('跳过');
    expect(await say('15.6亿')).toEqual(['(4/4) 新增规上企业 9月新增（家）？当前 1']);
    expect(await say('跳过')).toEqual([
      [
        '请核对 2026年9月 更正内容：',
        '1. 规上工业总产值 不变（当前 36.00 亿元）',
        '2. 规上工业增加值 不变（当前 9.40 亿元）',
        '3. 工业投资 15.60 亿元（原 15.10 亿元）',
        '4. 新增规上企业 不变（当前 1 家）',
      ].join('\n'),
      REVIEW_INSTRUCTION,
    ]);
    expect(await say('确认')).toEqual(['请简要说明更正原因（一句话即可）。']);
    const [done, progress] = await say('漏报了一个技改项目');
    expect(done).toBe('已更正 2026年9月 数据 1 项，更正原因已记录。');
    expect(progress).toBe('工业投资：1–9月累计 15.60 亿元，完成年度目标 21 亿元的 74.29%，序时进度 75%，落后 0.71 个百分点。');

    const stored = await storedFigure(prisma, 'industrial_investment', '2026-09');
    expect(stored?.value).toBe('15.6');
    expect(stored?.revisions.map((revision) => [revision.value, revision.channel])).toEqual([['15.1', 'import'], ['15.6', 'telegram']]);
    expect(stored?.revisions[1]?.reason).toBe('漏报了一个技改项目');
    expect(await storedFigure(prisma, 'industrial_output_value', '2026-09')).toMatchObject({ value: '36', revisions: [{}] });
    expect(await prisma.auditLog.findFirst({ where: { action: 'figures.correct', actor: 'zhou' } })).toMatchObject({ subject: '2026-09' });

    // The correction, asked about: the figure before and after, who, when and why.
    const line = '· 工业投资 2026年9月：15.10 亿元 → 15.60 亿元（周婷，2026-11-25 10:00；原因：漏报了一个技改项目）';
    const asked = texts(await channel.say('director', '工业投资修改记录'))[0]!.split('\n');
    expect(asked[0]).toMatch(/^工业投资 2026年共有 \d+ 处更正（新的在前）：$/);
    expect(asked).toContain(line);
    expect((await say('9月更正记录'))[0]).toContain(line);
    expect(await say('技改修改记录')).toEqual(['您只能查看本股室的指标。']);
    expect(await say('2020年修改记录')).toEqual(['2020年没有更正记录。']);
    expect(texts(await channel.say('huang', 'revisions in 2020'))).toEqual(['No corrections in 2020.']);
  });

  it('takes a one-shot figure (5G站点 本月新增12个) after 确认, and only from the section that owns it', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();

    expect(texts(await channel.say('wang', '5G站点 本月新增12个'))).toEqual([
      '5G基站建设由无线电与数字信息化和安全生产股报送，不在您所在股室的报送项目中，这条没有记下。',
    ]);
    expect(texts(await channel.say('director', '5G站点 本月新增12个'))).toEqual([
      '您没有需要报送的指标，这条没有记下：5G基站建设由无线电与数字信息化和安全生产股报送。要看它的进度，可以问“5G基站建设完成情况”。',
    ]);
    expect(texts(await channel.say('zhang', '5G站点 本月新增12个'))).toEqual([
      '5G基站建设 2026年11月 新增 12 个，确认提交？回复“确认”或“取消”',
    ]);
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-11')).toBeUndefined();
    expect(texts(await channel.say('zhang', '确认'))).toEqual(['已提交 2026年11月 数据 1 项。', '5G基站建设：1–11月新增 12 个（1–10月未报送）。']);
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-11')).toEqual({
      value: '12',
      revisions: [{ value: '12', channel: 'telegram', note: null, reason: null }],
    });
    // Another one-shot of a stored figure is its correction: reviewed, then a reason asked, as /report YYYY-MM does.
    expect(texts(await channel.say('zhang', '5G站点 本月新增15个'))[0]).toBe('5G基站建设 2026年11月 已报过（12 个），本条按更正处理。');
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-11')).toMatchObject({ value: '12' });
    expect(texts(await channel.say('zhang', '确认'))[0]).toMatch(/更正原因/);
    await channel.say('zhang', '漏报了三个站');
    expect(await storedFigure(prisma, 'new_5g_sites', '2026-11')).toEqual({
      value: '15',
      revisions: [
        { value: '12', channel: 'telegram', note: null, reason: null },
        { value: '15', channel: 'telegram', note: null, reason: '漏报了三个站' },
      ],
    });
    // The same figure again changes nothing.
    expect(texts(await channel.say('zhang', '5G站点 本月新增15个'))).toEqual([
      '5G基站建设 2026年11月 已经报过了（15 个）。如需更正，请发送 /report 2026-11。',
    ]);
  });

  it('drops a one-shot figure on 取消 and a whole report on 取消, storing nothing', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    await channel.say('chen', '高企 本月新增2家');
    expect(texts(await channel.say('chen', '取消'))).toEqual(['已取消，未提交。']);
    await channel.say('chen', '/report');
    await channel.say('chen', '2家');
    expect(texts(await channel.say('chen', '取消'))).toEqual(['已取消，本次填写的内容都没有提交。需要时发送 /report 重新开始。']);
    expect(await storedFigure(prisma, 'new_high_tech_firms', '2026-11')).toBeUndefined();
  });

  it('answers a question asked in the middle of a report, then asks the same question again', async () => {
    const { channel } = await chat.start();
    await channel.say('zhao', '/report');
    const [answer, again] = texts(await channel.say('zhao', '谁还没报'));
    expect(answer).toContain('中小企业局：企业授信、贷款发放');
    expect(again).toBe('(1/2) 企业授信 1–11月累计（亿元）？');
    expect(texts(await channel.say('zhao', '22.5亿'))).toEqual(['(2/2) 贷款发放 1–11月累计（亿元）？']);
    await channel.say('zhao', '取消');
  });

  it('takes a one-shot figure whose note holds words a question would (情况说明见附件), the note kept', async () => {
    const { channel } = await chat.start();
    const [asked] = texts(await channel.say('zhao', '10月授信累计20亿，情况说明见附件'));
    expect(asked).toMatch(/^企业授信 2026年1–10月累计 .*20.*确认提交？/);
    await channel.say('zhao', '确认');
    expect(await storedFigure(ctx.db().prisma, 'sme_credit_granted', '2026-10')).toMatchObject({
      value: '20',
      revisions: [{ value: '20', note: '情况说明见附件' }],
    });
  });
});
