import { expect, it } from 'vitest';
import { progressReport } from '../../src/app/progress-report.js';
import { formatPeriod } from '../../src/core/period.js';
import { type IndicatorProgress, formatGrowth, formatPercent, formatPoints } from '../../src/core/progress.js';
import { renderProgressLine } from '../../src/core/render.js';
import { translator } from '../../src/core/i18n.js';
import { describeEachDatabase, withDemoFigures } from '../helpers/databases.js';

// Well after 2020, so that 2020 is a past year and its report runs through December.
const IN_2021 = new Date('2021-03-15T02:00:00Z');

const byKey = (items: IndicatorProgress[], key: string): IndicatorProgress => {
  const item = items.find((candidate) => candidate.indicator.key === key);
  if (!item) throw new Error(`no progress for ${key}`);
  return item;
};

const shown = (item: IndicatorProgress) => ({
  ytd: item.ytd?.toFixed(),
  throughMonth: item.throughMonth,
  rate: item.rate && formatPercent(item.rate),
  elapsed: formatPercent(item.elapsed),
  gap: item.gap && `${item.gap.status} ${formatPoints(item.gap.points)}`,
  yoy: item.yoy && formatGrowth(item.yoy),
});

describeEachDatabase('the progress report', (ctx) => {
  it("reproduces the seed's 2020 completion rates and year-on-year growth exactly", async () => {
    const deps = ctx.deps(IN_2021);
    await withDemoFigures(deps);
    const report = await progressReport(deps, { year: 2020 });
    expect([report.organisation.name, report.year, report.month]).toEqual(['乐昌市工业和信息化局', 2020, 12]);
    expect(report.items).toHaveLength(15);
    const rates = Object.fromEntries(report.items.filter((item) => item.rate).map((item) => [item.indicator.key, formatPercent(item.rate!)]));
    expect(rates).toEqual({
      industrial_investment: '119.76',
      tech_upgrade_investment: '81',
      new_high_tech_firms: '100',
      new_rd_institutions: '100',
      rd_share_of_gdp: '75.76',
      village_fibre_coverage: '28.57',
      clean_production_audits: '140',
    });
    const growth = Object.fromEntries(report.items.filter((item) => item.yoy).map((item) => [item.indicator.key, formatGrowth(item.yoy!)]));
    expect(growth).toEqual({
      industrial_output_value: '15.1',
      industrial_added_value: '11.8',
      industrial_investment: '33.7',
      tech_upgrade_investment: '34.1',
    });
    expect(shown(byKey(report.items, 'industrial_investment'))).toEqual({
      ytd: '25.15', throughMonth: 12, rate: '119.76', elapsed: '100', gap: 'ahead 19.76', yoy: '33.7',
    });
    expect(byKey(report.items, 'new_5g_sites')).toMatchObject({ throughMonth: 12, target: undefined, rate: undefined });
    expect(byKey(report.items, 'new_5g_sites').ytd?.toFixed()).toBe('84');
  });

  it('measures tech upgrade through October: 2.05 of 3 is 68.33%, 15 points behind 83.33% elapsed', async () => {
    const deps = ctx.deps(IN_2021);
    await withDemoFigures(deps);
    const report = await progressReport(deps, { year: 2020, month: 10, indicatorKeys: ['tech_upgrade_investment'] });
    expect(report.items.map((item) => item.indicator.key)).toEqual(['tech_upgrade_investment']);
    const [item] = report.items as [IndicatorProgress];
    expect(shown(item)).toEqual({ ytd: '2.05', throughMonth: 10, rate: '68.33', elapsed: '83.33', gap: 'behind 15', yoy: '34.1' });
    expect(item.lastYearYtd?.toFixed()).toBe('1.5287');
  });

  it('says it in one Chinese sentence, exactly as docs/product.md shows, and in English', async () => {
    const deps = ctx.deps(IN_2021);
    await withDemoFigures(deps);
    const { items } = await progressReport(deps, { year: 2020, month: 10, indicatorKeys: ['tech_upgrade_investment'] });
    const [item] = items as [IndicatorProgress];
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', item)).toBe(
      '工业技改投资：1–10月累计 2.05 亿元，完成年度目标 3 亿元的 68.33%，序时进度 83.33%，落后 15 个百分点；同比增长 34.1%。',
    );
    expect(renderProgressLine(translator('en'), 'en', item)).toBe(
      'Industrial technology upgrade investment: Jan–October cumulative 205 million yuan, 68.33% of the annual target 300 million yuan; time elapsed 83.33%, 15 points behind; up 34.1% year on year.',
    );
  });

  it('follows the clock in Asia/Shanghai: half past midnight on 1 November is November already', async () => {
    const deps = ctx.deps(new Date('2020-10-31T16:30:00Z'));
    await withDemoFigures(deps);
    const report = await progressReport(deps, { indicatorKeys: ['tech_upgrade_investment'] });
    expect([report.year, report.month]).toEqual([2020, 11]);
    expect(shown(report.items[0]!)).toMatchObject({ ytd: '2.25', throughMonth: 11, rate: '75', elapsed: '91.67' });
  });

  it("answers about last year in January until January's window opens, and about the new year from then on", async () => {
    // The demo's window opens on the 20th: on 6 January 2021 December 2020 is still the month being reported.
    const early = ctx.deps(new Date('2021-01-06T02:00:00Z'));
    await withDemoFigures(early);
    const report = await progressReport(early, { indicatorKeys: ['industrial_investment'] });
    expect([report.year, report.month]).toEqual([2020, 12]);
    expect(shown(report.items[0]!)).toMatchObject({ ytd: '25.15', rate: '119.76' });
    const opened = await progressReport(ctx.deps(new Date('2021-01-25T02:00:00Z')), { indicatorKeys: ['industrial_investment'] });
    expect([opened.year, opened.month]).toEqual([2021, 1]);
  });

  it('has no year-to-date for a year without figures, and names 2020-12 as the latest period instead', async () => {
    const deps = ctx.deps(new Date('2026-11-25T02:00:00Z'));
    await withDemoFigures(deps);
    const report = await progressReport(deps, { year: 2026 });
    expect([report.year, report.month]).toEqual([2026, 11]);
    expect(report.items.filter((item) => item.ytd !== undefined || item.rate !== undefined)).toEqual([]);
    expect(byKey(report.items, 'tech_upgrade_investment').target?.toFixed()).toBe('3');
    expect(report.latest.size).toBe(15);
    expect(new Set([...report.latest.values()].map(formatPeriod))).toEqual(new Set(['2020-12']));

    const item = byKey(report.items, 'tech_upgrade_investment');
    expect(renderProgressLine(translator('zh-CN'), 'zh-CN', item, report.latest.get('tech_upgrade_investment'))).toBe(
      '工业技改投资：2026年尚无数据（最近有数据的是 2020年12月）。',
    );
  });
});
