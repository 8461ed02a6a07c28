import { expect, it } from 'vitest';
import { createClock, storedFigure, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What a person types in the middle of a report that is not a plain answer: a figure with a note that
 * names an indicator, an unclear question, another month, and a correction of the current month.
 * 2026-11-25: November is open (see test/helpers/chat.ts).
 */

describeEachDatabase('chat: in the middle of a report', (ctx) => {
  const chat = useChat(ctx);

  it('takes a figure whose note names an indicator as the answer, not as a question', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    expect(await say('44.5亿 含工业投资项目')).toEqual(['(2/4) 规上工业增加值 1–11月累计（亿元）？上月 10.50']);
    expect(await say('取消')).toHaveLength(1);
  });

  it('answers a clear question and asks again, but offers no numbered list a figure could be taken for', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    const clear = await say('9月工业投资');
    expect(clear[0]).toContain('工业投资：');
    expect(clear.at(-1)).toBe('(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00');
    const unclear = await say('工业');
    expect(unclear.join('\n')).not.toMatch(/^1\. /m);
    expect(unclear.at(-1)).toBe('(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00');
    // With no list on offer, a bare 1 is the answer it looks like — and a fall that large is queried.
    expect((await say('1'))[0]).toContain('比上月（40.00 亿元）少');
    await say('取消');
  });

  it('asks to finish or cancel before another month is started', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    const other = await say('/report 2026-09');
    expect(other[0]).toBe('您正在填写 2026年11月 的数据：请先完成，或回复“取消”后再开始另一个月份。');
    expect(other.at(-1)).toBe('(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00');
    await say('取消');
  });

  it('corrects the current month when it is named and all of it is in', async () => {
    // January 2027 (window open on the 20th): a month no other test reports.
    const { channel } = await chat.start({ now: () => new Date('2027-01-25T02:00:00Z') });
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    for (const answer of ['44.5亿', '11.2亿', '21亿', '3家']) await say(answer);
    for (const answer of ['是', '是', '是', '是']) if ((await say(answer)).length === 0) break;
    await say('确认');
    const again = await say('/report 2027-01');
    expect(again.join('\n')).toContain('当前 44.50');
    await say('45亿');
    for (let i = 0; i < 3; i += 1) await say('跳过');
    await say('确认');
    await say('补报一家企业的数据');
    const figure = await storedFigure(prisma, 'industrial_output_value', '2027-01');
    expect(figure?.value).toBe('45');
    expect(figure?.revisions.at(-1)?.reason).toBe('补报一家企业的数据');
  });

  it("shows December's figure as 上月 in January, but not for a year-to-date total, which starts again", async () => {
    // December 2027, filed late in January 2028: months no other test reports.
    const { channel } = await chat.start({ now: () => new Date('2028-01-25T02:00:00Z') });
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report 2027-12');
    for (const answer of ['50亿', '12亿', '22亿', '4家']) await say(answer);
    for (const answer of ['是', '是', '是', '是']) if ((await say(answer)).length === 0) break;
    await say('确认');
    try {
      const january = await say('/report');
      expect(january.at(-1)).toBe('(1/4) 规上工业总产值 1月（亿元）？');
      await say('跳过');
      await say('跳过');
      expect((await say('跳过')).at(-1)).toMatch(/^\(4\/4\) 新增规上企业.*上月 4$/);
    } finally {
      await say('取消');
    }
  });

  it('never replaces a figure a colleague stored after the report was opened', async () => {
    // February 2027: a month no other test reports.
    const { channel } = await chat.start({ now: () => new Date('2027-02-24T02:00:00Z') });
    const { prisma } = ctx.db();
    await channel.say('wang', '/report');
    await channel.say('zhou', '规上工业总产值 46亿');
    await channel.say('zhou', '确认');
    await channel.say('wang', '50亿');
    for (let i = 0; i < 3; i += 1) await channel.say('wang', '跳过');
    const confirmed = texts(await channel.say('wang', '确认')).join('\n');
    expect(confirmed).toContain('“规上工业总产值”已由他人报送为 46.00 亿元');
    expect((await storedFigure(prisma, 'industrial_output_value', '2027-02'))?.value).toBe('46');
  });
  it('takes a one-line report of an item in the summary as that item, and ends a report with everything skipped', async () => {
    // March 2027: a month no other test reports.
    const { channel } = await chat.start({ now: () => new Date('2027-03-24T02:00:00Z') });
    const { prisma } = ctx.db();
    const say = async (text: string) => texts(await channel.say('wang', text));
    await say('/report');
    for (let i = 0; i < 4; i += 1) await say('跳过');
    const edited = await say('新增规上企业 本月新增2家 韶关丹霞机械、仁化华粤');
    expect(edited.join('\n')).toMatch(/^4\. 新增规上企业 2 家/m);
    // Another month's figure is not taken for the summary's: said so, with the summary again.
    const other = await say('2月新增规上企业 3家');
    expect(other[0]).toBe('收到“2月新增规上企业 3家”，但 2027年3月 的报送还没完成，没有记下这一条。请先确认下面的内容（或回复“取消”结束报送）：');
    await say('确认');
    expect((await storedFigure(prisma, 'new_above_scale_firms', '2027-03'))?.value).toBe('2');

    await say('/report');
    for (let i = 0; i < 3; i += 1) await say('跳过');
    const ended = await say('确认');
    expect(ended).toEqual(['所有项目都跳过了，没有可提交的数据，本次报送已结束。有数字后发送 /report 再报，或直接发“指标 数值”。']);
    // The chat is free again: a question is answered, not taken for the report.
    expect((await say('工业投资完成率'))[0]).toMatch(/^工业投资：/);
  });
  it('takes an answer sent twice within moments for one answer, not also for the next question', async () => {
    // April 2028: a month no other test reports, nor any month after it.
    const clock = createClock(new Date('2028-04-26T02:00:00Z'));
    const { channel } = await chat.start({ now: clock.now });
    const { prisma } = ctx.db();
    const say = async (text: string, after = 0) => {
      clock.advance(after);
      return texts(await channel.say('wang', text));
    };
    await say('/report');
    expect(await say('48亿', 5_000)).toEqual(['(2/4) 规上工业增加值 1–4月累计（亿元）？']);
    // A double tap: the same text half a second later.
    expect(await say('48 亿', 500)).toEqual([
      '“48 亿”刚才已记为规上工业总产值，这条相同的消息没有再计入（可能是重复发送）。如果下面这一项也是这个数，请再发一次：',
      '(2/4) 规上工业增加值 1–4月累计（亿元）？',
    ]);
    // Sent once more, it is the answer.
    expect((await say('12亿', 4_000))[0]).toBe('(3/4) 工业投资 1–4月累计（亿元）？');
    // The same figure for the next item, typed after reading the question: taken.
    expect((await say('12亿', 4_000))[0]).toBe('(4/4) 新增规上企业 4月新增（家）？');
    // The last answer sent twice: the summary again, the second not taken for anything.
    await say('2家', 4_000);
    const twice = await say('2家', 300);
    expect(twice[0]).toBe('“2家”刚才已记为新增规上企业，这条相同的消息没有再计入（可能是重复发送）。请核对下面的内容：');
    expect(twice[1]).toMatch(/^请核对 2028年4月 数据：/);
    // An item of the summary opened by its number, sent twice: opened once, the second not taken for its figure.
    expect((await say('3', 4_000)).at(-1)).toMatch(/^\(3\/4\) 工业投资/);
    expect(await say('3', 300)).toEqual(['“3”刚才已打开工业投资这一项，这条相同的消息没有计入（可能是重复发送）。请回答：', expect.stringMatching(/^\(3\/4\) 工业投资/)]);
    await say('12亿', 4_000);
    await say('确认', 4_000);
    expect((await storedFigure(prisma, 'industrial_output_value', '2028-04'))?.value).toBe('48');
    expect((await storedFigure(prisma, 'industrial_added_value', '2028-04'))?.value).toBe('12');
    expect((await storedFigure(prisma, 'industrial_investment', '2028-04'))?.value).toBe('12');
  });

  it('says the deadline has passed when a report is opened after it', async () => {
    // 2 June 2027: May is still the month being reported, its deadline (Monday 31 May) past.
    const { channel } = await chat.start({ now: () => new Date('2027-06-02T02:00:00Z') });
    const opening = texts(await channel.say('wang', '/report'))[0];
    expect(opening).toMatch(/^王股长您好！请报送 2027年5月 数据（截止 5月31日，已逾期），共 4 项。/);
    await channel.say('wang', '取消');
  });
});
