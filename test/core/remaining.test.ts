import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import type { IndicatorDef, IndicatorKind, MonthlyFigure } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { computeProgress } from '../../src/core/progress.js';
import { remainingList, remainingToTarget } from '../../src/core/remaining.js';
import type { Owed } from '../../src/core/render-answers.js';
import { renderRemaining, renderRemainingList } from '../../src/core/render-remaining.js';
import type { Unit } from '../../src/core/units.js';

/*
 * 还差多少, figured by hand from the demo's numbers: 2.43 of 3 亿元 leaves 0.57; 25.15 of 21 is 4.15 over;
 * 0.50% of 0.66% leaves 0.16 个百分点; 98 of 343 villages leaves 245.
 */

const zh = translator('zh-CN');
const en = translator('en');

function def(key: string, name: string, kind: IndicatorKind, unit: Unit, decimals: number, extra: Partial<IndicatorDef> = {}): IndicatorDef {
  return { key, name, nameEn: key, sectionKey: 'monitoring', kind, unit, decimals, aliases: [], ...extra };
}

const techUpgrade = def('tech_upgrade_investment', '工业技改投资', 'cumulative', '亿元', 2, { nameEn: 'Industrial technology upgrade investment' });
const investment = def('industrial_investment', '工业投资', 'cumulative', '亿元', 2);
const rdShare = def('rd_share_of_gdp', 'R&D经费占GDP比重', 'level', '%', 2);
const fibre = def('village_fibre_coverage', '20户以上自然村光网覆盖', 'cumulative', '个', 0, { unitEn: 'villages', nameEn: 'Fibre coverage' });
const cleanAudits = def('clean_production_audits', '清洁生产审核企业', 'increment', '家', 0);
const outputValue = def('industrial_output_value', '规上工业总产值', 'cumulative', '亿元', 2);

const at = (month: number, value: string, year = 2026): MonthlyFigure => ({ year, month, value: dec(value) });

function progress(indicator: IndicatorDef, figures: MonthlyFigure[], target: string | undefined, month: number, year = 2026) {
  return computeProgress({ indicator, figures, year, throughMonth: month, target: target === undefined ? undefined : dec(target) });
}

const noOwed = { latest: new Map(), owed: new Map<string, Owed>() };

describe('the amount to go, exact', () => {
  it('leaves target − year-to-date, the months after the one measured, and what each must bring on average', () => {
    const remaining = remainingToTarget(progress(techUpgrade, [at(10, '2.05')], '3', 11), false);
    expect(remaining?.left.toString()).toBe('0.95');
    expect(remaining?.monthsLeft).toBe(2);
    expect(remaining?.monthlyNeeded?.toString()).toBe('0.475');
    // 3 × 10/12 = 2.5 by 序时进度 at October, 0.45 of it still missing: the 为什么落后 answer's 按序时还差 0.45.
    expect(remaining?.due?.toString()).toBe('2.5');
    expect(remaining?.againstSchedule?.toString()).toBe('-0.45');
  });

  it('leaves no month of a year that is over, nor of one whose December is in', () => {
    for (const [month, yearOver] of [[12, false], [10, true]] as const) {
      const remaining = remainingToTarget(progress(techUpgrade, [at(month, '2.43', 2020)], '3', 12, 2020), yearOver);
      expect(remaining?.left.toString()).toBe('0.57');
      expect(remaining?.monthsLeft).toBe(0);
      expect(remaining?.monthlyNeeded).toBeUndefined();
    }
  });

  it('is negative once the target is exceeded, and asks no monthly pace', () => {
    const remaining = remainingToTarget(progress(investment, [at(10, '25.15')], '21', 11), false);
    expect(remaining?.left.toString()).toBe('-4.15');
    expect(remaining?.monthlyNeeded).toBeUndefined();
  });

  it('measures 序时进度 in whole villages as shown, so that the amount checks by hand', () => {
    // 343 × 10/12 = 285.83 → 286 个; 98 − 286 = −188.
    const remaining = remainingToTarget(progress(fibre, [at(10, '98')], '343', 11), false);
    expect(remaining?.due?.toString()).toBe('286');
    expect(remaining?.againstSchedule?.toString()).toBe('-188');
  });

  it('gives a level indicator neither a monthly pace nor an amount by 序时进度', () => {
    const remaining = remainingToTarget(progress(rdShare, [at(10, '0.50')], '0.66', 11), false);
    expect(remaining?.left.toString()).toBe('0.16');
    expect(remaining?.monthlyNeeded).toBeUndefined();
    expect(remaining?.due).toBeUndefined();
  });

  it('is undefined without a target or without a figure', () => {
    expect(remainingToTarget(progress(outputValue, [at(10, '40')], undefined, 11), false)).toBeUndefined();
    expect(remainingToTarget(progress(techUpgrade, [], '3', 11), false)).toBeUndefined();
  });
});

describe('the answer for one indicator', () => {
  it('gives the demo’s 2020 results as a bureau writes them', () => {
    const lines = [
      renderRemaining(zh, 'zh-CN', noOwed, progress(techUpgrade, [at(12, '2.43', 2020)], '3', 12, 2020), true),
      renderRemaining(zh, 'zh-CN', noOwed, progress(investment, [at(12, '25.15', 2020)], '21', 12, 2020), true),
      renderRemaining(zh, 'zh-CN', noOwed, progress(rdShare, [at(12, '0.50', 2020)], '0.66', 12, 2020), true),
      renderRemaining(zh, 'zh-CN', noOwed, progress(fibre, [at(12, '98', 2020)], '343', 12, 2020), true),
    ];
    expect(lines).toEqual([
      '工业技改投资：1–12月累计 2.43 亿元，距年度目标 3 亿元还差 0.57 亿元，完成 81%。',
      '工业投资：1–12月累计 25.15 亿元，已超额完成年度目标 21 亿元，超出 4.15 亿元，完成 119.76%。',
      'R&D经费占GDP比重：截至12月 0.50%，距年度目标 0.66%还差 0.16 个百分点，完成 75.76%。',
      '20户以上自然村光网覆盖：1–12月累计 98 个，距年度目标 343 个还差 245 个，完成 28.57%。',
    ]);
  });

  it('adds, while the year runs, the months left with the pace they need and the amount against 序时进度', () => {
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(techUpgrade, [at(10, '2.05')], '3', 11), false).split('\n')).toEqual([
      '工业技改投资：1–10月累计 2.05 亿元，距年度目标 3 亿元还差 0.95 亿元，完成 68.33%。',
      '年内还剩 2 个月，平均每月需完成 0.48 亿元。',
      '按序时进度（83.33%）应完成 2.50 亿元，还差 0.45 亿元。',
    ]);
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(fibre, [at(10, '98')], '343', 11), false).split('\n')).toEqual([
      '20户以上自然村光网覆盖：1–10月累计 98 个，距年度目标 343 个还差 245 个，完成 28.57%。',
      '年内还剩 2 个月，平均每月需完成 123 个。',
      '按序时进度（83.33%）应完成 286 个，还差 188 个。',
    ]);
  });

  it('gives no average of less than one firm a month, and says level with 序时进度 by the firms shown', () => {
    // 1 firm to go in 3 months, 0.33 a month; 5 × 9/12 = 3.75 → 4 firms by 序时进度, and 4 are in.
    // Every month in (none left unreported), most of them nothing.
    const figures = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((month) => at(month, month === 3 || month === 9 ? '1' : month === 6 ? '2' : '0'));
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(cleanAudits, figures, '5', 9), false).split('\n')).toEqual([
      '清洁生产审核企业：1–9月新增 4 家，距年度目标 5 家还差 1 家，完成 80%。',
      '年内还剩 3 个月。',
      '按序时进度（75%）应完成 4 家，与序时进度持平。',
    ]);
  });

  it('says a target met exactly, and ahead of 序时进度 once beyond it', () => {
    const months = [1, 2, 3, 4, 5, 6].map((month) => at(month, month === 6 ? '5' : '0'));
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(cleanAudits, months, '5', 11), false)).toBe(
      '清洁生产审核企业：1–6月新增 5 家，已完成年度目标 5 家，完成 100%。',
    );
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(investment, [at(6, '12.00')], '21', 11), false).split('\n')).toEqual([
      '工业投资：1–6月累计 12.00 亿元，距年度目标 21 亿元还差 9.00 亿元，完成 57.14%。',
      '年内还剩 6 个月，平均每月需完成 1.50 亿元。',
      '按序时进度（50%）应完成 10.50 亿元，已超出 1.50 亿元。',
    ]);
  });

  it('says which months an increment sum lacks, as the progress line does', () => {
    // November alone of 新增研发机构: 2 of 5, and 1–10月 not in.
    const institutions = def('new_rd_institutions', '新增研发机构', 'increment', '家', 0);
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(institutions, [at(11, '2')], '5', 11), false).split('\n')[0]).toBe(
      '新增研发机构：1–11月新增 2 家（1–10月未报送），距年度目标 5 家还差 3 家，完成 40%。',
    );
  });

  it('keeps every digit of an amount that would show as nothing left', () => {
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(techUpgrade, [at(12, '2.999', 2020)], '3', 12, 2020), true)).toBe(
      '工业技改投资：1–12月累计 3.00 亿元，距年度目标 3 亿元还差 0.001 亿元，完成 99.97%。',
    );
  });

  it('says there is no target, or the target and who owes the figure not yet in', () => {
    expect(renderRemaining(zh, 'zh-CN', noOwed, progress(outputValue, [at(10, '40')], undefined, 11), false)).toBe(
      '规上工业总产值：1–10月累计 40.00 亿元（2026年未设目标）。',
    );
    const owed: Owed = {
      period: { year: 2026, month: 11 },
      section: { name: '产业技术与工业节能股' },
      people: ['李华'],
      deadline: { year: 2026, month: 11, day: 30 },
      overdue: false,
    };
    const view = { latest: new Map([[techUpgrade.key, { year: 2020, month: 12 }]]), owed: new Map([[techUpgrade.key, owed]]) };
    expect(renderRemaining(zh, 'zh-CN', view, progress(techUpgrade, [], '3', 11), false)).toBe(
      '工业技改投资：2026年目标 3 亿元，尚无数据（最近有数据的是 2020年12月）；2026年11月尚未报送（产业技术与工业节能股 李华，截止11月30日）。',
    );
  });

  it('says the same in English, in the indicator’s own unit', () => {
    expect(renderRemaining(en, 'en', noOwed, progress(techUpgrade, [at(10, '2.05')], '3', 11), false).split('\n')).toEqual([
      'Industrial technology upgrade investment: Jan–October cumulative 205 million yuan; 95 million yuan short of the annual target 300 million yuan, 68.33% achieved.',
      '2 months left in the year: 48 million yuan a month on average to finish.',
      'By the time elapsed (83.33%), 250 million yuan should be done: 45 million yuan short of that.',
    ]);
    expect(renderRemaining(en, 'en', noOwed, progress(fibre, [at(12, '98', 2020)], '343', 12, 2020), true)).toBe(
      'Fibre coverage: Jan–December cumulative 98 villages; 245 villages short of the annual target 343 villages, 28.57% achieved.',
    );
    expect(renderRemaining(en, 'en', noOwed, progress(rdShare, [at(12, '0.50', 2020)], '0.66', 12, 2020), true)).toBe(
      'rd_share_of_gdp: as of December 0.50%; 0.16 percentage points short of the annual target 0.66%, 75.76% achieved.',
    );
  });
});

describe('the list, with no indicator named', () => {
  const items = [
    progress(investment, [at(12, '25.15', 2020)], '21', 12, 2020),
    progress(techUpgrade, [at(12, '2.43', 2020)], '3', 12, 2020),
    progress(outputValue, [at(12, '40', 2020)], undefined, 12, 2020),
    progress(rdShare, [at(12, '0.50', 2020)], '0.66', 12, 2020),
    progress(cleanAudits, [], '5', 12, 2020),
    progress(fibre, [at(12, '98', 2020)], '343', 12, 2020),
  ];

  it('keeps those with a target not yet met, the furthest behind 序时进度 first, then the levels (no 序时进度), apart from those with no figure or met', () => {
    const { short, noData, met } = remainingList(items);
    expect(short.map((item) => item.indicator.key)).toEqual([fibre.key, techUpgrade.key, rdShare.key]);
    expect(noData.map((item) => item.indicator.key)).toEqual([cleanAudits.key]);
    expect(met.map((item) => item.indicator.key)).toEqual([investment.key]);
  });

  it('is one line each with the amount to go, then one line for those with no figure and one for those met', () => {
    const view = { items, year: 2020, dataMonth: 12, period: { year: 2020, month: 12 } };
    expect(renderRemainingList(zh, 'zh-CN', view).split('\n')).toEqual([
      '2020年尚未完成年度目标的指标（数据截至12月，3 项，落后序时进度多的在前）：',
      '1. 20户以上自然村光网覆盖：1–12月累计 98 个，距年度目标 343 个还差 245 个，完成 28.57%，落后序时进度 71.43 个百分点。',
      '2. 工业技改投资：1–12月累计 2.43 亿元，距年度目标 3 亿元还差 0.57 亿元，完成 81%，落后序时进度 19 个百分点。',
      '3. R&D经费占GDP比重：截至12月 0.50%，距年度目标 0.66%还差 0.16 个百分点，完成 75.76%。',
      '另有 1 项指标2020年尚无数据：清洁生产审核企业。',
      '另有 1 项已完成2020年目标：工业投资。',
    ]);
  });

  it('gives no good news alone while figures are missing', () => {
    const view = { items: [items[0]!, items[4]!], year: 2020, dataMonth: 12, period: { year: 2020, month: 12 } };
    expect(renderRemainingList(zh, 'zh-CN', view)).toBe(
      '2020年已有数据的指标都已完成年度目标（数据截至12月），但还有 1 项尚无数据、无法判断：清洁生产审核企业。',
    );
    expect(renderRemainingList(zh, 'zh-CN', { ...view, items: [items[0]!] })).toBe('2020年有目标的指标都已完成年度目标（数据截至12月）：工业投资。');
  });
});
