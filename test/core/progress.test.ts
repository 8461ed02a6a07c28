import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { renderProgressLine } from '../../src/core/render.js';
import { renderOverview } from '../../src/core/render-answers.js';
import type { IndicatorDef, IndicatorKind, MonthlyFigure } from '../../src/core/domain.js';
import {
  type IndicatorProgress,
  completionRate,
  computeProgress,
  elapsedProgress,
  formatFigure,
  formatGrowth,
  formatPercent,
  formatPoints,
  scheduleGap,
  sortBehindFirst,
  yearOnYearGrowth,
  yearToDate,
} from '../../src/core/progress.js';

const indicator = (key: string, kind: IndicatorKind): IndicatorDef => ({
  key,
  name: key,
  nameEn: key,
  sectionKey: 'monitoring',
  kind,
  unit: kind === 'level' ? '%' : '亿元',
  decimals: 2,
  aliases: [],
});

const figure = (year: number, month: number, value: string): MonthlyFigure => ({ year, month, value: dec(value) });

/** The headline numbers of a progress, formatted as a reply would show them. */
function shown(progress: IndicatorProgress) {
  return {
    ytd: progress.ytd?.toString(),
    throughMonth: progress.throughMonth,
    rate: progress.rate && formatPercent(progress.rate),
    elapsed: formatPercent(progress.elapsed),
    gap: progress.gap && `${progress.gap.status} ${formatPoints(progress.gap.points)}`,
    yoy: progress.yoy && formatGrowth(progress.yoy),
  };
}

describe('year-to-date', () => {
  const figures = [
    figure(2019, 12, '18.81'),
    figure(2020, 3, '4.1'),
    figure(2020, 5, '9.7'),
    figure(2020, 8, '15.2'),
    figure(2021, 1, '1.5'),
  ];

  it('takes the latest cumulative figure, which already is the 1–N月 total', () => {
    expect(yearToDate('cumulative', figures, 2020, 12)).toEqual({ value: dec('15.2'), throughMonth: 8, complete: false });
  });

  it('stops at the month asked about and skips a month nobody reported', () => {
    expect(yearToDate('cumulative', figures, 2020, 7)).toEqual({ value: dec('9.7'), throughMonth: 5, complete: false });
  });

  it('sums increments up to the month asked about and names the latest month with a figure', () => {
    expect(yearToDate('increment', figures, 2020, 6)).toEqual({ value: dec('13.8'), throughMonth: 5, complete: false });
    expect(yearToDate('increment', figures, 2020, 12)?.value.toString()).toBe('29');
  });

  it('takes the latest level, not a sum', () => {
    const levels = [figure(2020, 6, '0.42'), figure(2020, 11, '0.50'), figure(2020, 9, '0.47')];
    expect(yearToDate('level', levels, 2020, 12)).toEqual({ value: dec('0.50'), throughMonth: 11, complete: false });
  });

  it('is undefined when the year has no figure up to that month', () => {
    expect(yearToDate('cumulative', figures, 2020, 2)).toBeUndefined();
    expect(yearToDate('increment', figures, 2022, 12)).toBeUndefined();
  });
});

describe('the arithmetic of the seed report', () => {
  it('computes completion rates exactly as the 2020 self-evaluation prints them', () => {
    expect(formatPercent(completionRate(dec('25.15'), dec('21'))!)).toBe('119.76');
    expect(formatPercent(completionRate(dec('2.43'), dec('3'))!)).toBe('81');
    expect(formatPercent(completionRate(dec('0.50'), dec('0.66'))!)).toBe('75.76');
    expect(formatPercent(completionRate(dec('7'), dec('5'))!)).toBe('140');
    expect(formatPercent(completionRate(dec('5'), dec('5'))!)).toBe('100');
  });

  it('has no completion rate against a zero target', () => {
    expect(completionRate(dec('3'), dec('0'))).toBeUndefined();
  });

  it('computes growth on the same period last year as the seed prints it', () => {
    expect(formatGrowth(yearOnYearGrowth(dec('25.15'), dec('18.81'))!)).toBe('33.7');
    expect(formatGrowth(yearOnYearGrowth(dec('2.43'), dec('1.812'))!)).toBe('34.1');
  });

  it('has no growth when last year is missing or zero', () => {
    expect(yearOnYearGrowth(dec('2.43'), undefined)).toBeUndefined();
    expect(yearOnYearGrowth(dec('2.43'), dec('0'))).toBeUndefined();
  });

  it('puts 序时进度 at the end of the month', () => {
    expect(formatPercent(elapsedProgress(10))).toBe('83.33');
    expect(formatPercent(elapsedProgress(6))).toBe('50');
    expect(formatPercent(elapsedProgress(12))).toBe('100');
  });

  it('reports 2.05 of 3 in October as 68.33%, fifteen points behind 83.33%', () => {
    const progress = computeProgress({
      indicator: indicator('tech_upgrade_investment', 'cumulative'),
      figures: [figure(2020, 9, '1.80'), figure(2020, 10, '2.05'), figure(2019, 10, '1.53')],
      year: 2020,
      throughMonth: 10,
      target: dec('3'),
    });
    expect(shown(progress)).toEqual({
      ytd: '2.05',
      throughMonth: 10,
      rate: '68.33',
      elapsed: '83.33',
      gap: 'behind 15',
      yoy: '34',
    });
  });
});

describe('a whole indicator', () => {
  it('reproduces 工业投资 2020: 25.15 of 21, ahead of schedule, up 33.7% on 2019', () => {
    const progress = computeProgress({
      indicator: indicator('industrial_investment', 'cumulative'),
      figures: [figure(2020, 6, '11.02'), figure(2020, 12, '25.15'), figure(2019, 12, '18.81')],
      year: 2020,
      throughMonth: 12,
      target: dec('21'),
    });
    expect(shown(progress)).toEqual({
      ytd: '25.15',
      throughMonth: 12,
      rate: '119.76',
      elapsed: '100',
      gap: 'ahead 19.76',
      yoy: '33.7',
    });
  });

  it('sums monthly increments: 清洁生产审核企业 7 of 5 is 140%', () => {
    const progress = computeProgress({
      indicator: indicator('cleaner_production', 'increment'),
      figures: [figure(2020, 4, '2'), figure(2020, 9, '1'), figure(2020, 11, '4')],
      year: 2020,
      throughMonth: 12,
      target: dec('5'),
    });
    expect(shown(progress)).toMatchObject({ ytd: '7', throughMonth: 11, rate: '140', elapsed: '91.67' });
  });

  it('measures everything at the last reported month when the asked month is not in yet', () => {
    const progress = computeProgress({
      indicator: indicator('tech_upgrade_investment', 'cumulative'),
      figures: [figure(2020, 9, '1.80'), figure(2019, 9, '1.40')],
      year: 2020,
      throughMonth: 10,
      target: dec('3'),
    });
    expect(progress.asOfMonth).toBe(10);
    expect(shown(progress)).toEqual({
      ytd: '1.8',
      throughMonth: 9,
      rate: '60',
      elapsed: '75',
      gap: 'behind 15',
      yoy: '28.6',
    });
  });

  it('gives no growth when last year stops at an earlier month than this year', () => {
    const progress = computeProgress({
      indicator: indicator('industrial_investment', 'cumulative'),
      figures: [figure(2020, 10, '20'), figure(2019, 8, '12')],
      year: 2020,
      throughMonth: 10,
    });
    expect(progress.lastYearYtd).toBeUndefined();
    expect(progress.yoy).toBeUndefined();
  });

  it('gives a share’s change in percentage points, never the growth of a percentage', () => {
    const share = computeProgress({ indicator: indicator('rd_share', 'level'), figures: [figure(2026, 10, '1.15'), figure(2025, 10, '1.08')], year: 2026, throughMonth: 10 });
    expect([share.yoy, share.yoyPoints?.toFixed(), share.lastYearYtd?.toFixed()]).toEqual([undefined, '0.07', '1.08']);
    const fell = computeProgress({ indicator: indicator('rd_share', 'level'), figures: [figure(2026, 10, '0.5'), figure(2025, 10, '0.66')], year: 2026, throughMonth: 10 });
    expect(fell.yoyPoints?.toFixed()).toBe('-0.16');
    // A stock of firms is not a share: its growth is a growth.
    const stock = computeProgress({ indicator: { ...indicator('stock', 'level'), unit: '家' }, figures: [figure(2026, 10, '24'), figure(2025, 10, '20')], year: 2026, throughMonth: 10 });
    expect([stock.yoy?.toFixed(), stock.yoyPoints]).toEqual(['20', undefined]);
  });

  it('gives no growth of an increment indicator when either year lacks a month of the span, naming that year', () => {
    const everyMonth = (year: number, value: string, through: number) => Array.from({ length: through }, (_, i) => figure(year, i + 1, value));
    const at = (figures: ReturnType<typeof figure>[]) =>
      computeProgress({ indicator: indicator('patents', 'increment'), figures, year: 2026, throughMonth: 10 });
    // Last year's October alone is not last year's 1–10月.
    const lone = at([...everyMonth(2026, '16.7', 10), figure(2025, 10, '12')]);
    expect([lone.yoy, lone.lastYearYtd, lone.yoyIncomplete]).toEqual([undefined, undefined, 2025]);
    const gapThisYear = at([...everyMonth(2026, '16.7', 10).filter((f) => f.month !== 4), ...everyMonth(2025, '12', 10)]);
    expect(gapThisYear.yoyIncomplete).toBe(2026);
    const whole = at([...everyMonth(2026, '15', 10), ...everyMonth(2025, '12', 10)]);
    expect([whole.yoy?.toFixed(), whole.yoyIncomplete]).toEqual(['25', undefined]);
    // A cumulative figure is the whole span by itself: one month of last year is enough.
    const cumulative = computeProgress({ indicator: indicator('investment', 'cumulative'), figures: [figure(2026, 10, '15'), figure(2025, 10, '12')], year: 2026, throughMonth: 10 });
    expect(cumulative.yoy?.toFixed()).toBe('25');
  });

  it('says a share’s change in percentage points with two decimals, as its figures are shown, and no change as 持平', () => {
    const share = { ...indicator('rd_share', 'level'), name: 'R&D经费占GDP比重', unit: '%' as const, decimals: 2 };
    const line = (lastYear: string) =>
      renderProgressLine(translator('zh-CN'), 'zh-CN', computeProgress({ indicator: share, figures: [figure(2026, 10, '1.20'), figure(2025, 10, lastYear)], year: 2026, throughMonth: 10 }));
    expect(line('1.10')).toContain('同比提高 0.10 个百分点');
    expect(line('1.28')).toContain('同比下降 0.08 个百分点');
    expect(line('1.2')).toContain('与上年同期持平');
  });

  it('gives a year not begun its targets alone under a header that says when it opens', () => {
    const year = (key: string, target?: string) =>
      computeProgress({ indicator: { ...indicator(key, 'cumulative'), name: key === 'invest' ? '工业投资' : '技改投资' }, figures: [], year: 2027, throughMonth: 1, ...(target ? { target: dec(target) } : {}) });
    const view = {
      organisation: { name: '测试局' },
      year: 2027,
      items: [year('invest', '22'), year('tech')],
      latest: new Map(),
      period: { year: 2027, month: 1 },
      sections: 2,
      reported: 0,
      owed: new Map(),
      opensOn: { year: 2027, month: 1, day: 20 },
    };
    expect(renderOverview(translator('zh-CN'), 'zh-CN', view).split('\n')).toEqual([
      '测试局 2027年尚无任何数据（2027年1月的报送从1月20日开始）',
      '工业投资：2027年目标 22 亿元。',
      '另有 1 项指标2027年未设目标：技改投资。',
    ]);
  });

  it('names the months an increment indicator’s sum leaves out, in the line as people read it', () => {
    const institutions = { ...indicator('rd_institutions', 'increment'), name: '新增研发机构', unit: '家' as const, decimals: 0 };
    const late = computeProgress({ indicator: institutions, figures: [figure(2026, 3, '1'), figure(2026, 11, '2')], year: 2026, throughMonth: 11, target: dec(5) });
    expect(late.unreportedMonths).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', late)).toMatch(/^新增研发机构：1–11月新增 3 家（1–2月、4–10月未报送），完成年度目标 5 家的 60%/);
    expect(renderProgressLine(translator('en'), 'en', late)).toContain('(January–February, April–October not reported)');
    // Asked its rate with no target: both notes in one bracket, not two in a row.
    const untargeted = computeProgress({ indicator: institutions, figures: [figure(2026, 11, '2')], year: 2026, throughMonth: 11 });
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', untargeted, undefined, undefined, true)).toBe('新增研发机构：1–11月新增 2 家（1–10月未报送；2026年未设目标）。');
    expect(renderProgressLine(translator('en'), 'en', untargeted, undefined, undefined, true)).toBe(
      'rd_institutions: added Jan–November 2 firms (January–October not reported; no 2026 target).',
    );
    // Every month in, or a cumulative total (whole by itself): nothing to say.
    const whole = computeProgress({ indicator: institutions, figures: [figure(2026, 1, '1'), figure(2026, 2, '0')], year: 2026, throughMonth: 2 });
    expect(whole.unreportedMonths).toBeUndefined();
    const total = computeProgress({ indicator: indicator('investment', 'cumulative'), figures: [figure(2026, 11, '15')], year: 2026, throughMonth: 11 });
    expect(total.unreportedMonths).toBeUndefined();
  });

  it('names the months due by now after the latest figure, of any kind: not read as current when it is not', () => {
    const investment = { ...indicator('investment', 'cumulative'), name: '工业投资' };
    // November is being collected: September and October are due, August is the latest figure.
    const stale = computeProgress({ indicator: investment, figures: [figure(2026, 7, '13'), figure(2026, 8, '15')], year: 2026, throughMonth: 11, target: dec(21), dueThrough: 10 });
    expect(stale.unreportedMonths).toEqual([9, 10]);
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', stale)).toMatch(/^工业投资：1–8月累计 15.00 亿元（9–10月未报送），完成年度目标 21 亿元的 71.43%/);
    // An increment: the months its sum leaves out, then those after it, in one list.
    const institutions = { ...indicator('rd_institutions', 'increment'), name: '新增研发机构', unit: '家' as const, decimals: 0 };
    const both = computeProgress({ indicator: institutions, figures: [figure(2026, 3, '1'), figure(2026, 8, '2')], year: 2026, throughMonth: 11, dueThrough: 10 });
    expect(both.unreportedMonths).toEqual([1, 2, 4, 5, 6, 7, 9, 10]);
    // Nothing due after the latest figure, or a month asked before it: nothing said.
    expect(computeProgress({ indicator: investment, figures: [figure(2026, 10, '18')], year: 2026, throughMonth: 11, dueThrough: 10 }).unreportedMonths).toBeUndefined();
    expect(computeProgress({ indicator: investment, figures: [figure(2026, 8, '15')], year: 2026, throughMonth: 8, dueThrough: 10 }).unreportedMonths).toBeUndefined();
  });

  it('leaves out of the months not reported those before an indicator was owed (its from), in its first year and after', () => {
    const added = { ...indicator('foreign_firms', 'increment'), name: '新设外资企业', unit: '家' as const, decimals: 0, from: { year: 2026, month: 11 } };
    const first = computeProgress({ indicator: added, figures: [figure(2026, 11, '1')], year: 2026, throughMonth: 11, target: dec(6) });
    expect(first.unreportedMonths).toBeUndefined();
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', first)).toMatch(/^新设外资企业：1–11月新增 1 家，完成年度目标 6 家的 16.67%/);
    // Owed from November: December missing is a month not reported; a year later every month is owed.
    const december = computeProgress({ indicator: added, figures: [figure(2026, 12, '2')], year: 2026, throughMonth: 12, target: dec(6) });
    expect(december.unreportedMonths).toEqual([11]);
    const later = computeProgress({ indicator: added, figures: [figure(2027, 2, '1')], year: 2027, throughMonth: 2 });
    expect(later.unreportedMonths).toEqual([1]);
  });

  it('has 序时进度 but no rate or gap without a target', () => {
    const progress = computeProgress({
      indicator: indicator('output_value', 'cumulative'),
      figures: [figure(2020, 12, '47.57')],
      year: 2020,
      throughMonth: 12,
    });
    expect(shown(progress)).toMatchObject({ ytd: '47.57', rate: undefined, gap: undefined, elapsed: '100' });
  });

  it('has only 序时进度 of the asked month when the year has no figure yet', () => {
    const progress = computeProgress({
      indicator: indicator('industrial_investment', 'cumulative'),
      figures: [figure(2019, 12, '18.81')],
      year: 2020,
      throughMonth: 3,
      target: dec('21'),
    });
    expect(progress.ytd).toBeUndefined();
    expect(progress.throughMonth).toBeUndefined();
    expect(progress.gap).toBeUndefined();
    expect(formatPercent(progress.elapsed)).toBe('25');
  });
});

describe('schedule gap', () => {
  it('is the difference of the two figures as shown, so that a reader can check it by hand', () => {
    const gap = scheduleGap(dec('60'), elapsedProgress(10));
    expect(gap.status).toBe('behind');
    expect(formatPoints(gap.points)).toBe('23.33');
    // 95.714…% against 91.666…%: shown 95.71% and 91.67%, so 4.04 points (the exact difference rounds to 4.05).
    const lead = scheduleGap(dec('67').div(dec('70')).times(100), elapsedProgress(11));
    expect([formatPercent(dec('67').div(dec('70')).times(100)), formatPercent(elapsedProgress(11)), formatPoints(lead.points)]).toEqual(['95.71', '91.67', '4.04']);
    expect(lead.status).toBe('ahead');
  });

  it('is on schedule when the two figures show the same', () => {
    expect(scheduleGap(dec('83.3349'), elapsedProgress(10)).status).toBe('on_schedule');
    expect(scheduleGap(dec('75'), elapsedProgress(9))).toEqual({ status: 'on_schedule', points: dec('0') });
    // 83.335 shows as 83.34 against 83.33: a reader sees it ahead, and so does the bot.
    expect(scheduleGap(dec('83.335'), elapsedProgress(10)).status).toBe('ahead');
  });

  it('is ahead as soon as the gap rounds to 0.01 points', () => {
    expect(scheduleGap(dec('83.34'), elapsedProgress(10))).toMatchObject({ status: 'ahead' });
    expect(formatPoints(scheduleGap(dec('83.34'), elapsedProgress(10)).points)).toBe('0.01');
  });
});

describe('formatting', () => {
  it('rounds percentages half up to two decimals and drops trailing zeros', () => {
    expect(formatPercent(dec('0.125'))).toBe('0.13');
    expect(formatPercent(dec('1.005'))).toBe('1.01');
    expect(formatPercent(dec(2).times(100).div(3))).toBe('66.67');
    expect(formatPercent(dec('81.000'))).toBe('81');
    expect(formatPercent(dec('75.7575'))).toBe('75.76');
  });

  it('rounds growth half up to one decimal, away from zero when negative, never showing -0', () => {
    expect(formatGrowth(dec('0.05'))).toBe('0.1');
    expect(formatGrowth(dec('-12.35'))).toBe('-12.4');
    expect(formatGrowth(dec('-0.04'))).toBe('0');
    expect(formatGrowth(dec('34.00'))).toBe('34');
  });

  it('shows a figure with exactly the indicator’s decimals', () => {
    expect(formatFigure(dec('18.2'), 2)).toBe('18.20');
    expect(formatFigure(dec('0.125'), 2)).toBe('0.13');
    expect(formatFigure(dec('3'), 0)).toBe('3');
    expect(formatFigure(dec('-0.001'), 2)).toBe('0.00');
  });
});

describe('总体进度 order', () => {
  const item = (name: string, status?: 'ahead' | 'behind' | 'on_schedule', points = '0', target = true) => ({
    name,
    target: target ? dec('1') : undefined,
    gap: status && { status, points: dec(points) },
  });

  it('lists behind schedule first by largest gap, then on schedule, ahead, no figure, no target', () => {
    const sorted = sortBehindFirst([
      item('no target', undefined, '0', false),
      item('ahead a lot', 'ahead', '30'),
      item('no figure yet'),
      item('behind a little', 'behind', '2.5'),
      item('on schedule', 'on_schedule'),
      item('ahead a little', 'ahead', '1'),
      item('behind most', 'behind', '15'),
    ]);
    expect(sorted.map((i) => i.name)).toEqual([
      'behind most',
      'behind a little',
      'on schedule',
      'ahead a little',
      'ahead a lot',
      'no figure yet',
      'no target',
    ]);
  });

  it('keeps the given order among equals and leaves the input untouched', () => {
    const input = [item('b', 'behind', '5'), item('a', 'behind', '5')];
    expect(sortBehindFirst(input).map((i) => i.name)).toEqual(['b', 'a']);
    expect(input.map((i) => i.name)).toEqual(['b', 'a']);
  });
});
