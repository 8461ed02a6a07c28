import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { startReport, stepDialogue } from '../../src/core/dialogue/engine.js';
import type { DialogueItem, DialogueStep } from '../../src/core/dialogue/types.js';
import { isWord } from '../../src/core/dialogue/words.js';
import type { IndicatorDef } from '../../src/core/domain.js';
import { OCTOBER, after, context, investment, newFirms, rdShare, techUpgrade } from './dialogue-fixtures.js';

const INVESTMENT_QUESTION = '(1/1) 工业投资 1–11月累计（亿元）？上月 18.20';

function only(item: DialogueItem) {
  const ctx = context({ items: [item] });
  return { ctx, first: startReport(ctx, { correction: false }) };
}

/** The value kept for the single item after answering `text`. */
function kept(indicator: IndicatorDef, text: string): unknown {
  const { ctx, first } = only({ indicator });
  const step = stepDialogue(first.state, text, ctx);
  return step.state.kind === 'reporting' ? step.state.answers[indicator.key] : undefined;
}

const withOctober = (value: string): DialogueItem => ({ indicator: investment, previous: { period: OCTOBER, value: dec(value) } });

describe('answers in every form people write', () => {
  it.each([
    [investment, '2.43亿', '2.43'],
    [investment, '两千三百万', '0.23'],
    [investment, '196000万', '19.6'],
    [investment, '十九点六亿', '19.6'],
    [investment, '1,960,000,000元', '19.6'],
    [investment, '１９．６', '19.6'],
    [newFirms, '3家', '3'],
    [newFirms, '三家', '3'],
    [rdShare, '0.5%', '0.5'],
    [rdShare, '百分之零点五', '0.5'],
  ] as const)('keeps %s answered “%s” as %s in its own unit', (indicator, text, value) => {
    expect(kept(indicator, text)).toEqual({ value });
  });

  it('takes the unit written in English after the figure for the unit, not for the note', () => {
    expect(kept(newFirms, '2 firms')).toEqual({ value: '2' });
    expect(kept(newFirms, '1 firm')).toEqual({ value: '1' });
    const sites = { ...newFirms, key: 'sites', unit: '个' as const, unitEn: 'sites' };
    expect(kept(sites, '12 sites, 3 in Danxia town')).toEqual({ value: '12', note: '3 in Danxia town' });
    expect(kept(sites, '12 sitesmore')).toEqual({ value: '12', note: 'sitesmore' });
  });

  it('reads 无, 没有, 本月无新增 as 0 for a month’s increment only', () => {
    for (const text of ['无', '没有', '本月无', '无新增', '本月没有新增', '没有。', 'none', 'None this month.', 'no new ones this month', 'nothing new', 'No additions in the month']) {
      expect(kept(newFirms, text), text).toEqual({ value: '0' });
    }
    // Of a year-to-date total or a share it says nothing: asked again.
    for (const indicator of [investment, rdShare]) expect(kept(indicator, '无')).toBeUndefined();
    expect(kept(newFirms, '没有变化')).toBeUndefined();
    expect(kept(newFirms, 'no change')).toBeUndefined();
  });

  it('reads other bureaus\' units: tonnes, mu, kilometres, visits, kWh, each converted into the indicator\'s', () => {
    const grain = { ...investment, key: 'grain', name: '粮食产量', unit: '万吨' as const, min: undefined, max: undefined };
    const visitors = { ...newFirms, key: 'visitors', name: '接待游客', unit: '人次' as const };
    const power = { ...investment, key: 'power', name: '工业用电量', unit: '亿千瓦时' as const, min: undefined, max: undefined };
    expect(kept(grain, '3.5万吨')).toEqual({ value: '3.5' });
    expect(kept(grain, '12000吨 早稻为主')).toEqual({ value: '1.2', note: '早稻为主' });
    expect(kept(visitors, '3.2万人次')).toEqual({ value: '32000' });
    expect(kept(power, '2300万度')).toEqual({ value: '0.23' });
    const { ctx, first } = only({ indicator: visitors });
    expect(stepDialogue(first.state, '1500.5人次', ctx).replies[0]).toBe('1500.5 人次 不是整数，本项以“人次”计，请填写整数。');
    expect(stepDialogue(first.state, '3家', ctx).replies[0]).toBe('单位对不上：本项以“人次”计，您写的是“家”。请按人次回复，或只回复数字。');
    expect(stepDialogue(first.state, '3把', ctx).replies[0]).toBe('“把”不是能换算的单位：本项以“人次”计。请按人次回复，或只回复数字。');
    // Kept in 万人次, answered in 人次: the unit written is counted whole.
    const tenThousands = { ...visitors, key: 'visitors_wan', unit: '万人次' as const, decimals: 2 };
    const wan = only({ indicator: tenThousands });
    expect(stepDialogue(wan.first.state, '32000.5人次', wan.ctx).replies[0]).toBe('“32000.5人次”不是整数：人次只计整数。请重新填写。');
    expect(kept(tenThousands, '32000人次')).toEqual({ value: '3.2' });
  });

  it('keeps the note after the figure', () => {
    expect(kept(newFirms, '2家 博昇乐、创睿极光')).toEqual({ value: '2', note: '博昇乐、创睿极光' });
    expect(kept(newFirms, '三家（博昇乐、创睿极光、金丰）')).toEqual({ value: '3', note: '博昇乐、创睿极光、金丰' });
  });
});

describe('a count whose note lists names', () => {
  it('queries a count that the names listed do not match, a name forgotten or the count mistyped', () => {
    const { ctx, first } = only({ indicator: newFirms });
    const step = stepDialogue(first.state, '3家 博昇乐、创睿极光', ctx);
    expect(step.replies[0]).toBe('请核对：新增规上企业 本次 3 家，备注里列了 2 个名称，数目对不上。');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
  });

  it('reads English names, which hold spaces, as listed by commas and "and"', () => {
    const { ctx, first } = only({ indicator: newFirms });
    expect(stepDialogue(first.state, '3 firms: Huafeng Agri and Green Valley', ctx).replies[0]).toBe('请核对：新增规上企业 本次 3 家，备注里列了 2 个名称，数目对不上。');
    for (const answer of ['2 firms: Huafeng Agri and Green Valley', '3 Huafeng Agri, Green Valley and Lishan Foods', '2 mostly in the new industrial park zone']) {
      const again = only({ indicator: newFirms });
      expect(stepDialogue(again.first.state, answer, again.ctx).state, answer).not.toMatchObject({ phase: 'confirm_suspicious' });
    }
  });

  it('asks nothing when they agree, or when the note is no plain list of names', () => {
    for (const answer of ['3家 博昇乐、创睿极光、金丰', '三家（博昇乐，创睿极光，金丰）', '3家 博昇乐、创睿极光等', '3家 其中2家下转上', '3家 博昇乐', '3家 新上规企业均在工业园区', '3家 已入库，待审核', '3家 其中两家已投产、一家在建']) {
      const { ctx, first } = only({ indicator: newFirms });
      expect(stepDialogue(first.state, answer, ctx).state, answer).not.toMatchObject({ phase: 'confirm_suspicious' });
    }
  });
});

describe('answers that are asked again', () => {
  const { ctx, first } = only(withOctober('18.2'));
  const reply = (text: string): DialogueStep => stepDialogue(first.state, text, ctx);

  it.each([
    ['还在统计', '没有找到数字：“还在统计”。请回复一个数字（可带单位，如 19.6亿、3家），也可以回复“跳过”“上一项”或“取消”。'],
    ['1.2.3', '“1.2.3”不像一个数字，请重新输入，例如 19.6 或 十九点六。'],
    ['19 或 20', '“19 或 20”里不止一个数字，请只回复一个数字；说明可以写在数字后面，如“2家 博昇乐、创睿极光”。'],
    ['   ', '没有收到内容。请回复一个数字，也可以回复“跳过”“上一项”或“取消”。'],
    ['3家', '单位对不上：本项以“亿元”计，您写的是“家”。请按亿元回复，或只回复数字。'],
    ['-2', '工业投资不能是负数（您填的是 -2.00 亿元），请重新填写。'],
    ['1200亿', '1200.00 亿元 超出本项的范围（0 亿元 至 1000 亿元），请重新填写。'],
    ['0.001元', '0.00000000001 位数太多，无法准确保存（整数部分最多 20 位，小数最多 10 位），请核对后重新填写。'],
  ])('re-asks the same question after “%s”', (text, explanation) => {
    const step = reply(text);
    expect(step.replies).toEqual([explanation, INVESTMENT_QUESTION]);
    expect(step.state).toEqual(first.state);
    expect(step.effects).toEqual([]);
  });

  it('refuses a fraction of a count', () => {
    const { ctx: firmsCtx, first: firmsFirst } = only({ indicator: newFirms });
    expect(stepDialogue(firmsFirst.state, '2.5家', firmsCtx).replies[0]).toBe('2.5 家 不是整数，本项以“家”计，请填写整数。');
    // Its example of a number is a count, not 19.6.
    expect(stepDialogue(firmsFirst.state, '1.2.3', firmsCtx).replies[0]).toBe('“1.2.3”不像一个数字，请重新输入，例如 3 或 三。');
  });

  it('names the one bound an indicator has', () => {
    const floor = { ...techUpgrade, min: dec(1) };
    const ceiling = { ...techUpgrade, max: dec(50) };
    const a = only({ indicator: floor });
    const b = only({ indicator: ceiling });
    expect(stepDialogue(a.first.state, '0.5', a.ctx).replies[0]).toBe('0.50 亿元 低于本项的下限 1 亿元，请重新填写。');
    expect(stepDialogue(b.first.state, '51', b.ctx).replies[0]).toBe('51.00 亿元 超过本项的上限 50 亿元，请重新填写。');
  });

  it('accepts a negative figure when the indicator allows one', () => {
    const growth = { ...rdShare, min: dec(-100) };
    expect(kept(growth, '-1.5%')).toEqual({ value: '-1.5' });
  });
});

describe('suspicious figures', () => {
  const { ctx, first } = only(withOctober('18.2'));

  it('queries a cumulative figure below last month, naming both numbers', () => {
    const step = stepDialogue(first.state, '15', ctx);
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious', pending: { key: 'industrial_investment', value: '15', returnTo: 'asking' } });
    expect(step.replies).toEqual([
      '请核对：工业投资是累计数，一般不会减少，但本次 15.00 亿元 比上月（18.20 亿元）少。',
      '确认无误请回复“是”；要重新填写请回复“否”，或直接回复正确的数字。',
    ]);
  });

  it('keeps the queried figure on 是 and its variants', () => {
    for (const yes of ['是', '确认', '对', '好的', 'yes', 'Y', 'ＯＫ']) {
      const step = after(ctx, first, '15', yes);
      expect(step.state).toMatchObject({ phase: 'review', answers: { industrial_investment: { value: '15' } } });
      expect(step.state).not.toHaveProperty('pending');
    }
  });

  it('asks the same question again on 否 and its variants', () => {
    for (const no of ['否', '不是', '不对', 'no', 'N']) {
      const step = after(ctx, first, '15', no);
      expect(step.replies).toEqual([INVESTMENT_QUESTION]);
      expect(step.state).toMatchObject({ phase: 'asking', index: 0, answers: {} });
    }
  });

  it('leaves the item for later on 跳过, the queried figure with it, as when the question is asked', () => {
    const step = after(ctx, first, '15', '跳过');
    expect(step.state).toMatchObject({ phase: 'review', answers: { industrial_investment: { skipped: true } } });
    expect(step.state).not.toHaveProperty('pending');
  });

  it('takes a new figure sent instead of 是/否 as the answer', () => {
    const step = after(ctx, first, '15', '19.6');
    expect(step.state).toMatchObject({ phase: 'review', answers: { industrial_investment: { value: '19.6' } } });
  });

  it('repeats the query for a reply that is neither', () => {
    const query = stepDialogue(first.state, '15', ctx);
    const step = stepDialogue(query.state, '嗯哼？', ctx);
    expect(step.state).toEqual(query.state);
    expect(step.replies).toEqual(query.replies);
  });

  it('can be cancelled while a figure is queried', () => {
    expect(after(ctx, first, '15', '取消')).toMatchObject({ state: { kind: 'idle' }, effects: [] });
  });

  it('queries a jump over 3× last month for any kind', () => {
    const firms = only({ indicator: newFirms, previous: { period: OCTOBER, value: dec(2) } });
    const step = stepDialogue(firms.first.state, '7家', firms.ctx);
    expect(step.replies[0]).toBe('请核对：新增规上企业 本次 7 家，是上月（2 家）的约 3.5 倍。');
    expect(stepDialogue(step.state, '是', firms.ctx).state).toMatchObject({ answers: { new_above_scale_firms: { value: '7' } } });
    // confirm keeps it too, as 确认 does: it was asked again, with nothing said.
    for (const keep of ['确认', 'confirm', 'Confirmed']) {
      expect(stepDialogue(step.state, keep, firms.ctx).state).toMatchObject({ answers: { new_above_scale_firms: { value: '7' } } });
    }
  });

  it('does not query a small count that moves by more than 3× in an ordinary month (1 firm, then 4 or 5)', () => {
    const firms = only({ indicator: newFirms, previous: { period: OCTOBER, value: dec(1) } });
    for (const answer of ['4家', '5家']) expect(stepDialogue(firms.first.state, answer, firms.ctx).state, answer).not.toMatchObject({ phase: 'confirm_suspicious' });
    expect(stepDialogue(firms.first.state, '6家', firms.ctx).state).toMatchObject({ phase: 'confirm_suspicious' });
    // An amount is no count: 1 亿元, then 4, is still a jump.
    const invest = only({ indicator: techUpgrade, previous: { period: OCTOBER, value: dec(1) } });
    expect(stepDialogue(invest.first.state, '4', invest.ctx).state).toMatchObject({ phase: 'confirm_suspicious' });
  });

  it('does not query exactly 3×, nor a jump from zero', () => {
    const firms = only({ indicator: newFirms, previous: { period: OCTOBER, value: dec(2) } });
    expect(stepDialogue(firms.first.state, '6', firms.ctx).state).toMatchObject({ phase: 'review' });
    const fromZero = only({ indicator: newFirms, previous: { period: OCTOBER, value: dec(0) } });
    expect(stepDialogue(fromZero.first.state, '6', fromZero.ctx).state).toMatchObject({ phase: 'review' });
  });

  it('does not compare a January total with December of the year before', () => {
    const january = context({
      period: { year: 2027, month: 1 },
      items: [{ indicator: investment, previous: { period: { year: 2026, month: 12 }, value: dec('25.15') } }],
    });
    const first = startReport(january, { correction: false });
    expect(first.replies[1]).toBe('(1/1) 工业投资 1月（亿元）？');
    expect(stepDialogue(first.state, '1.2', january).state).toMatchObject({ phase: 'review' });
  });

  it('lets a level figure fall without a query', () => {
    const level = only({ indicator: rdShare, previous: { period: OCTOBER, value: dec('0.6') } });
    expect(stepDialogue(level.first.state, '0.5%', level.ctx).state).toMatchObject({ phase: 'review' });
  });
});

describe('control words', () => {
  it('are matched trimmed, in half width and in any case', () => {
    expect(isWord(' 跳过 ', 'skip')).toBe(true);
    expect(isWord('ＳＫＩＰ', 'skip')).toBe(true);
    expect(isWord('Back', 'back')).toBe(true);
    expect(isWord('上一个', 'back')).toBe(true);
    expect(isWord('提交！', 'confirm')).toBe(true);
    expect(isWord('/cancel', 'cancel')).toBe(true);
    expect(isWord('跳过这个指标的说明', 'skip')).toBe(false);
    expect(isWord('是', 'no')).toBe(false);
  });
});
