import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { startOneShot, startReport, stepDialogue } from '../../src/core/dialogue/engine.js';
import { queueOneShot } from '../../src/core/dialogue/one-shot.js';
import type { DialogueContext, DialogueItem, DialogueRelation } from '../../src/core/dialogue/types.js';
import { isWord } from '../../src/core/dialogue/words.js';
import type { IndicatorDef } from '../../src/core/domain.js';
import { NOVEMBER, OCTOBER, after, context, investment, sites5g, techUpgrade } from './dialogue-fixtures.js';

/* The checks of docs/product.md, Checks on a figure: the whole year, the organisation file's relations. */

const SEPTEMBER = { year: 2026, month: 9 };
const AUGUST = { year: 2026, month: 8 };
const DECEMBER = { year: 2026, month: 12 };

const output: IndicatorDef = {
  key: 'industrial_output_value', name: '规上工业总产值', nameEn: 'Industrial output value', sectionKey: 'monitoring',
  kind: 'cumulative', unit: '亿元', decimals: 2, aliases: [],
};
const added: IndicatorDef = {
  key: 'industrial_added_value', name: '规上工业增加值', nameEn: 'Industrial value added', sectionKey: 'monitoring',
  kind: 'cumulative', unit: '万元', decimals: 0, aliases: [],
};
const addedAtMostOutput: DialogueRelation = { left: added, op: '<=', right: output };

/** A correction of November with September and October stored, as the example had it. */
function correction(items: DialogueItem[], overrides: Partial<DialogueContext> = {}) {
  const ctx = context({ items, ...overrides });
  return { ctx, open: startReport(ctx, { correction: true }) };
}

describe('checks against the whole year', () => {
  const year = [
    { period: SEPTEMBER, value: dec('18.2') },
    { period: OCTOBER, value: dec('20') },
  ];

  it('queries a corrected cumulative figure below any earlier month, naming the indicator and the largest', () => {
    const { ctx, open } = correction([{ indicator: investment, current: { value: dec('19.6') }, year }]);
    const step = stepDialogue(open.state, '12', ctx);
    expect(step.replies[0]).toBe('请核对：工业投资是累计数，一般不会减少，但本次 12.00 亿元 比上月（20.00 亿元）少。');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
  });

  it('queries a level below half the month before (46 firms, then 4), not one that moves less', () => {
    const stock: IndicatorDef = { key: 'high_tech_stock', name: '高新技术企业存量', nameEn: 'High-tech firms', sectionKey: 'monitoring', kind: 'level', unit: '家', decimals: 0, aliases: [] };
    const ctx = context({ items: [{ indicator: stock, year: [{ period: OCTOBER, value: dec('46') }] }] });
    const step = stepDialogue(startReport(ctx, { correction: false }).state, '4家', ctx);
    expect(step.replies[0]).toBe('请核对：高新技术企业存量 本次 4 家，不到上月（46 家）的一半。');
    expect(stepDialogue(startReport(ctx, { correction: false }).state, '40家', ctx).state).not.toMatchObject({ phase: 'confirm_suspicious' });
  });

  it('compares with the month before last when last month is missing, and names it', () => {
    const { ctx, open } = correction([{ indicator: investment, year: [{ period: SEPTEMBER, value: dec('18.2') }] }]);
    expect(stepDialogue(open.state, '17亿', ctx).replies[0]).toBe(
      '请核对：工业投资是累计数，一般不会减少，但本次 17.00 亿元 比2026年9月（18.20 亿元）少。',
    );
  });

  it('queries a figure that would show as zero: a unit mistaken, 1.8万 for an indicator kept in 亿元', () => {
    const ctx = context({ items: [{ indicator: investment }] });
    const step = stepDialogue(startReport(ctx, { correction: false }).state, '1.8万', ctx);
    expect(step.replies[0]).toBe('请核对：工业投资 本次 0.00018 亿元，按指标的小数位只显示为 0.00 亿元，单位是否写错了？');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
    // Zero itself, or a figure that shows, is asked nothing.
    for (const answer of ['0', '0.005亿']) expect(stepDialogue(startReport(ctx, { correction: false }).state, answer, ctx).state).not.toMatchObject({ phase: 'confirm_suspicious' });
  });

  it("queries a bureau's first figure over 3× the year's target (196 亿 for 21): a unit slip with nothing before it to show", () => {
    const ctx = context({ items: [{ indicator: investment, target: dec('21') }] });
    const open = () => startReport(ctx, { correction: false }).state;
    const step = stepDialogue(open(), '196亿', ctx);
    expect(step.replies[0]).toBe('请核对：工业投资 本次 196.00 亿元，是年度目标（21.00 亿元）的约 9.3 倍，单位或位数是否写错了？');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
    // Ahead of the target, even twice over, is asked nothing; with no target there is nothing to compare.
    expect(stepDialogue(open(), '42', ctx).state).not.toMatchObject({ phase: 'confirm_suspicious' });
    const untargeted = context({ items: [{ indicator: investment }] });
    expect(stepDialogue(startReport(untargeted, { correction: false }).state, '196', untargeted).state).not.toMatchObject({ phase: 'confirm_suspicious' });
    // A jump from a month before says it already: one query, not two.
    const withOctober = context({ items: [{ indicator: investment, target: dec('21'), year: [{ period: OCTOBER, value: dec('18.2') }] }] });
    const jumped = stepDialogue(startReport(withOctober, { correction: false }).state, '196', withOctober);
    expect(jumped.replies[0]).toBe('请核对：工业投资 本次 196.00 亿元，是上月（18.20 亿元）的约 10.8 倍。');
    // From a hundred times on, whole: 约 218 倍, not 217.8.
    const small = context({ items: [{ indicator: investment, target: dec('21'), year: [{ period: OCTOBER, value: dec('0.9') }] }] });
    const far = stepDialogue(startReport(small, { correction: false }).state, '196', small);
    expect(far.replies[0]).toBe('请核对：工业投资 本次 196.00 亿元，是上月（0.90 亿元）的约 218 倍。');
  });

  it("queries a figure under a thousandth of the year's target in money (2.43 for 43740 万元 meant 亿), never a count", () => {
    const ctx = context({ items: [{ indicator: added, target: dec('43740') }] });
    const open = () => startReport(ctx, { correction: false }).state;
    const step = stepDialogue(open(), '2.43', ctx);
    expect(step.replies[0]).toBe('请核对：规上工业增加值 本次 2.43 万元，不到年度目标（43740 万元）的千分之一，单位是否写错了？');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
    // A thousandth or more is asked nothing; neither is a count, however small against its target.
    expect(stepDialogue(open(), '43.74', ctx).state).not.toMatchObject({ phase: 'confirm_suspicious' });
    const sites = context({ items: [{ indicator: sites5g, target: dec('5000') }] });
    expect(stepDialogue(startReport(sites, { correction: false }).state, '3', sites).state).not.toMatchObject({ phase: 'confirm_suspicious' });
    // One that shows as zero is queried for that alone.
    const invest = context({ items: [{ indicator: investment, target: dec('21') }] });
    const zero = stepDialogue(startReport(invest, { correction: false }).state, '1.8万', invest);
    expect(zero.replies[0]).toContain('只显示为 0.00 亿元');
    expect(zero.replies[0]).not.toContain('千分之一');
  });

  it("queries a January total that reaches last year's whole: last year carried over instead of starting again", () => {
    const january = { year: 2027, month: 1 };
    const ctx = context({ period: january, items: [{ indicator: investment, yearBefore: { period: { year: 2026, month: 12 }, value: dec('29.6') } }] });
    const open = () => startReport(ctx, { correction: false }).state;
    const step = stepDialogue(open(), '31.3', ctx);
    expect(step.replies[0]).toBe('请核对：工业投资是累计数，每年1月起重新累计，但本次 31.30 亿元 已不少于2026年全年（29.60 亿元）：是否把去年的累计数也算进去了？');
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
    // January's own total is asked nothing; a later month is never compared with last December.
    expect(stepDialogue(open(), '1.7', ctx).state).not.toMatchObject({ phase: 'confirm_suspicious' });
    const february = context({ period: { year: 2027, month: 2 }, items: [{ indicator: investment, yearBefore: { period: { year: 2026, month: 12 }, value: dec('29.6') } }] });
    expect(stepDialogue(startReport(february, { correction: false }).state, '31.3', february).state).not.toMatchObject({ phase: 'confirm_suspicious' });
  });

  it('queries a cumulative figure above a later month of the year', () => {
    const ctx = context({ period: SEPTEMBER, items: [{ indicator: investment, year: [{ period: OCTOBER, value: dec('18.2') }, { period: DECEMBER, value: dec('25') }] }] });
    const step = stepDialogue(startReport(ctx, { correction: true }).state, '19', ctx);
    expect(step.replies[0]).toBe('请核对：工业投资是累计数，本次 19.00 亿元 比之后的2026年10月（18.20 亿元）还多。');
  });

  it('names the indicator in a jump and compares with the nearest month before that has a figure', () => {
    const { ctx, open } = correction([{ indicator: techUpgrade, year: [{ period: AUGUST, value: dec('0.23') }] }]);
    expect(stepDialogue(open.state, '19.6', ctx).replies[0]).toBe(
      '请核对：工业技改投资 本次 19.60 亿元，是2026年8月（0.23 亿元）的约 85.2 倍。',
    );
  });

  it('lets a figure through that fits the year', () => {
    const { ctx, open } = correction([{ indicator: investment, year }]);
    expect(stepDialogue(open.state, '21', ctx).state).toMatchObject({ phase: 'review' });
  });

  it('keeps a queried figure marked once confirmed, and unmarked when answered again with one that fits', () => {
    const { ctx, open } = correction([{ indicator: investment, year }]);
    // The summary before 确认 says which figure goes in marked.
    expect(after(ctx, open, '12', '是的，没错').replies[0]).toContain('1. 工业投资 12.00 亿元（待核实）');
    const kept = after(ctx, open, '12', '是的，没错', '确认', '核对无误');
    expect(kept.effects[0]?.figures).toEqual([{ key: 'industrial_investment', value: dec(12), queried: true }]);
    const replaced = after(ctx, open, '12', '21', '确认', '核对无误');
    expect(replaced.effects[0]?.figures).toEqual([{ key: 'industrial_investment', value: dec(21) }]);
  });
});

describe('a correction that gives a figure as it is stored', () => {
  const items = (): DialogueItem[] => [
    { indicator: investment, current: { value: dec('19.6') } },
    { indicator: techUpgrade, current: { value: dec('2.1'), note: '含设备' } },
  ];

  it('keeps it as 不变: no reason asked, no correction claimed', () => {
    const { ctx, open } = correction(items());
    const review = after(ctx, open, '19.6亿', '2.1');
    expect(review.replies[0]).toContain('1. 工业投资 不变（当前 19.60 亿元）');
    expect(review.replies[0]).toContain('2. 工业技改投资 不变（当前 2.10 亿元）');
    expect(stepDialogue(review.state, '确认', ctx).replies).toEqual(['没有改动任何数字（与已存的相同，或跳过了），未作更正，本次更正已结束。']);
  });

  it('takes the same figure with a new note as a change, and asks the reason for what changed only', () => {
    const { ctx, open } = correction(items());
    const review = after(ctx, open, '19.6', '2.1 含设备和软件');
    expect(review.replies[0]).toContain('1. 工业投资 不变（当前 19.60 亿元）');
    const asked = stepDialogue(review.state, '确认', ctx);
    expect(asked.state).toMatchObject({ phase: 'reason' });
    const done = stepDialogue(asked.state, '补充说明', ctx);
    expect(done.effects[0]).toMatchObject({ figures: [{ key: 'tech_upgrade_investment', value: dec('2.1'), note: '含设备和软件' }], skipped: 1 });
  });
});

describe('上一项 while a figure is queried', () => {
  it('lets the queried figure go and goes back to the question before, or says the first is asked', () => {
    const ctx = context();
    const open = startReport(ctx, { correction: false });
    // 12 is below October's 18.20: queried; 上一项 from the first question says so and asks it again.
    const first = after(ctx, open, '12', '上一项');
    expect(first.replies).toEqual(['已经是第一项了。', '(1/3) 工业投资 1–11月累计（亿元）？上月 18.20']);
    expect(first.state).toMatchObject({ phase: 'asking', index: 0, answers: {} });
    // 10 亿 for 技改 is over 3× October's 2.05: queried; 上一项 goes back to 工业投资, 技改 left unanswered.
    const second = after(ctx, open, '19.6', '10', '上一项');
    expect(second.replies).toEqual(['(1/3) 工业投资 1–11月累计（亿元）？已填 19.60，上月 18.20']);
    expect(second.state).toMatchObject({ phase: 'asking', index: 0 });
    expect(second.state.kind === 'reporting' && second.state.answers.tech_upgrade_investment).toBeUndefined();
  });
});

describe('relations from the organisation file', () => {
  const items = (): DialogueItem[] => [
    { indicator: output, current: { value: dec('12') } },
    { indicator: added, current: { value: dec('2300') } },
  ];

  it('queries 增加值 above 总产值 stored for the period, in either unit, with the file’s message', () => {
    const relations = [{ ...addedAtMostOutput, message: '增加值不应超过总产值' }];
    const { ctx, open } = correction(items(), { relations });
    const second = stepDialogue(open.state, '跳过', ctx);
    // 19.6亿 is 196000 万元, above 12 亿元.
    expect(stepDialogue(second.state, '19.6亿', ctx).replies[0]).toBe(
      '请核对：增加值不应超过总产值（规上工业增加值 196000 万元，规上工业总产值 12.00 亿元）。',
    );
    expect(stepDialogue(second.state, '1000万', ctx).state).toMatchObject({ phase: 'review' });
  });

  it('checks against an answer of the same dialogue, from whichever side is answered second', () => {
    const ctx = context({ items: [{ indicator: added }, { indicator: output }], relations: [addedAtMostOutput] });
    const open = startReport(ctx, { correction: false });
    const step = after(ctx, open, '5000万', '0.3亿');
    expect(step.replies[0]).toBe('请核对：规上工业增加值 5000 万元，规上工业总产值 0.30 亿元；规上工业增加值应不大于规上工业总产值。');
  });

  it('uses a stored figure of another section the relation names', () => {
    const ctx = context({ items: [{ indicator: added }], relations: [addedAtMostOutput], related: { industrial_output_value: dec('0.1') } });
    const step = stepDialogue(startReport(ctx, { correction: false }).state, '2000', ctx);
    expect(step.state).toMatchObject({ phase: 'confirm_suspicious' });
  });
});

describe('a first filing of a past month (补报)', () => {
  const ctx = context({ period: SEPTEMBER, items: [{ indicator: investment }, { indicator: sites5g }] });

  it('opens and closes as 补报 and asks for no reason', () => {
    const open = startReport(ctx, { correction: false, late: true });
    expect(open.replies[0]).toBe('王股长您好！现在补报 2026年9月 数据，共 2 项。');
    const review = after(ctx, open, '15亿', '3个');
    expect(review.replies[0]).toContain('请核对 2026年9月 补报内容：');
    const done = stepDialogue(review.state, '确认', ctx);
    expect(done.replies).toEqual(['已补报 2026年9月 数据 2 项。']);
    expect(done.effects[0]).toMatchObject({ correction: false });
    expect(done.effects[0]).not.toHaveProperty('reason');
  });

  it('says how to add what was skipped', () => {
    const done = after(ctx, startReport(ctx, { correction: false, late: true }), '15亿', '不知道', '确认');
    expect(done.replies).toEqual(['已补报 2026年9月 数据 1 项；跳过的 1 项可再发送 /report 2026-09 补报。']);
  });
});

describe('one-line reports', () => {
  const ctx = context({ items: [{ indicator: sites5g, previous: { period: OCTOBER, value: dec(10) } }, { indicator: investment }] });

  it('keeps a second one-line report in the state and the question about the first', () => {
    const first = startOneShot(ctx, 'sites_5g', '12个');
    if (first.state.kind !== 'one_shot') throw new Error('no one-shot');
    const queued = queueOneShot(first.state, { period: NOVEMBER, key: 'industrial_investment', text: '19.6亿' }, '工业投资 19.6亿', ctx);
    expect(queued.state).toMatchObject({ kind: 'one_shot', key: 'sites_5g', queued: [{ key: 'industrial_investment', text: '19.6亿' }] });
    expect(queued.replies).toEqual(['收到“工业投资 19.6亿”，先处理上一条，确认后接着问这一条。', ...first.replies]);
  });

  it('submits a queried one-line figure marked for the directors', () => {
    const ask = startOneShot(ctx, 'sites_5g', '45个');
    const done = stepDialogue(ask.state, '确认', ctx);
    expect(done.effects[0]?.figures).toEqual([{ key: 'sites_5g', value: dec(45), queried: true }]);
  });
});

describe('answers quoted back and the words of the dialogue', () => {
  const ctx = context();
  const open = startReport(ctx, { correction: false });

  it('quotes at most 30 characters of a long answer', () => {
    const long = '这个月的数据还在和各企业逐一核对'.repeat(125);
    const [reply] = stepDialogue(open.state, long, ctx).replies;
    expect(reply).toContain(`“${[...long].slice(0, 30).join('')}…”`);
    expect(reply!.length).toBeLessThan(120);
  });

  it('keeps a long note whole but quotes it cut', () => {
    const note = '博昇乐'.repeat(100);
    const review = after(ctx, open, '19.6', '跳过', `3家 ${note}`);
    expect(review.replies[0]).toContain(`3. 新增规上企业 3 家（备注：${note.slice(0, 30)}…）`);
    expect(stepDialogue(review.state, '确认', ctx).effects[0]?.figures).toEqual([
      { key: 'industrial_investment', value: dec('19.6') },
      { key: 'new_above_scale_firms', value: dec(3), note },
    ]);
  });

  it.each([
    ['yes', ['是的，没错', '对，确认', '嗯嗯', '行', '可以', '没问题！', 'OK', 'Yes, correct', '对的。']],
    ['no', ['不对', '不是', '错了', '填错了', 'No']],
    ['skip', ['不知道', '暂无', '没有数据', '暂无数据', '不清楚', 'skip', "Don't know"]],
    ['back', ['上一项', '返回', '返回上一项', 'back']],
    ['cancel', ['取消', '算了', 'cancel', '不报了']],
  ] as const)('understands the common forms of %s', (kind, words) => {
    for (const word of words) expect([word, isWord(word, kind)]).toEqual([word, true]);
  });

  it('does not take a figure or a sentence for a word', () => {
    for (const text of ['是19.6', '对了一半', '不知道怎么填19.6', '可以吗？还有3家']) {
      expect([text, isWord(text, 'yes') || isWord(text, 'skip')]).toEqual([text, false]);
    }
  });

  it('takes 不知道 as a skip while a question is asked', () => {
    const step = stepDialogue(open.state, '不知道', ctx);
    expect(step.state).toMatchObject({ index: 1, answers: { industrial_investment: { skipped: true } } });
  });
});

describe('units in English, per indicator', () => {
  const institutions: IndicatorDef = {
    key: 'new_rd_institutions', name: '新增研发机构', nameEn: 'New R&D institutions', sectionKey: 'sci_plan',
    kind: 'increment', unit: '家', decimals: 0, aliases: [], unitEn: 'institutions',
  };
  const firms: IndicatorDef = { ...institutions, key: 'new_firms', name: '新增企业', nameEn: 'New firms', unitEn: undefined };

  it('names the unit as the indicator says in English, and the unit’s own word otherwise', () => {
    const ctx = context({ locale: 'en', items: [{ indicator: institutions }, { indicator: firms }] });
    const open = startReport(ctx, { correction: false });
    expect(open.replies[1]).toBe('(1/2) New R&D institutions, added in November (institutions)?');
    const review = after(ctx, open, '3', '2');
    expect(review.replies[0]).toContain('1. New R&D institutions: 3 institutions');
    expect(review.replies[0]).toContain('2. New firms: 2 firms');
  });

  it('keeps the Chinese unit in Chinese', () => {
    const ctx = context({ items: [{ indicator: institutions }] });
    expect(startReport(ctx, { correction: false }).replies[1]).toBe('(1/1) 新增研发机构 11月新增（家）？');
  });
});
