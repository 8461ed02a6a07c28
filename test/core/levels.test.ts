import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import type { IndicatorDef, IndicatorKind, MonthlyFigure } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { computeProgress, sortBehindFirst } from '../../src/core/progress.js';
import { type OverviewView, type Owed, renderBehind, renderWhy } from '../../src/core/render-answers.js';
import { renderProgressLine } from '../../src/core/render.js';
import type { Unit } from '../../src/core/units.js';
import { scheduleSentence } from '../../src/app/reports/sentences.js';

/*
 * A level (R&D经费占GDP比重, a stock of firms) is a value at a month's end, not done a twelfth a month: it is
 * measured against its target only, never said to be ahead of or behind 序时进度. By hand: 0.47% of a 0.66%
 * target is 71.21%, 0.19 个百分点 short; 0.50% is 75.76%, 0.16 short; 17 of 19 家 is 89.47%, 2 家 short.
 */

const zh = translator('zh-CN');
const en = translator('en');

function def(key: string, name: string, kind: IndicatorKind, unit: Unit, decimals: number, nameEn = key): IndicatorDef {
  return { key, name, nameEn, sectionKey: 'science', kind, unit, decimals, aliases: [] };
}

const rdShare = def('rd_share_of_gdp', 'R&D经费占GDP比重', 'level', '%', 2, 'R&D share of GDP');
const hiTechStock = def('hi_tech_stock', '高新技术企业存量', 'level', '家', 0);
const techUpgrade = def('tech_upgrade_investment', '工业技改投资', 'cumulative', '亿元', 2);

const at = (month: number, value: string, year = 2026): MonthlyFigure => ({ year, month, value: dec(value) });

function progress(indicator: IndicatorDef, figures: MonthlyFigure[], target: string | undefined, month: number, year = 2026) {
  return computeProgress({ indicator, figures, year, throughMonth: month, target: target === undefined ? undefined : dec(target) });
}

function view(items: ReturnType<typeof progress>[], month: number): OverviewView {
  return {
    organisation: { name: '乐昌市工业和信息化局' },
    year: 2026,
    items,
    latest: new Map(),
    period: { year: 2026, month },
    sections: 8,
    reported: 8,
    owed: new Map<string, Owed>(),
    dataMonth: month,
  };
}

describe('a level indicator', () => {
  it('has a completion rate and no gap against 序时进度, in June as in December', () => {
    const june = progress(rdShare, [at(6, '0.47')], '0.66', 6);
    expect(june.rate?.toFixed(2)).toBe('71.21');
    expect(june.gap).toBeUndefined();
    const december = progress(rdShare, [at(12, '0.50')], '0.66', 12);
    expect(december.rate?.toFixed(2)).toBe('75.76');
    expect(december.gap).toBeUndefined();
    // A cumulative indicator beside it keeps its gap.
    expect(progress(techUpgrade, [at(6, '1.00')], '3', 6).gap?.status).toBe('behind');
  });

  it('is said against its target in its unit, never against 序时进度', () => {
    expect(renderProgressLine(zh, 'zh-CN', progress(rdShare, [at(6, '0.47')], '0.66', 6))).toBe(
      'R&D经费占GDP比重：截至6月 0.47%，目标 0.66%，完成 71.21%，距目标还差 0.19 个百分点。',
    );
    expect(renderProgressLine(zh, 'zh-CN', progress(hiTechStock, [at(9, '17')], '19', 9))).toBe(
      '高新技术企业存量：截至9月 17 家，目标 19 家，完成 89.47%，距目标还差 2 家。',
    );
    expect(renderProgressLine(zh, 'zh-CN', progress(hiTechStock, [at(9, '19')], '19', 9))).toBe(
      '高新技术企业存量：截至9月 19 家，目标 19 家，完成 100%，已达到目标。',
    );
    expect(renderProgressLine(zh, 'zh-CN', progress(hiTechStock, [at(9, '21'), at(9, '20', 2025)], '19', 9))).toBe(
      '高新技术企业存量：截至9月 21 家，目标 19 家，完成 110.53%，高于目标 2 家；同比增长 5%。',
    );
    expect(renderProgressLine(en, 'en', progress(rdShare, [at(6, '0.47')], '0.66', 6))).toBe(
      'R&D share of GDP: as of June 0.47%, target 0.66%, 71.21% achieved, 0.19 percentage points short of the target.',
    );
  });

  it('comes after the indicators measured against 序时进度 in the overview, before those with no figure', () => {
    const items = [
      progress(rdShare, [at(6, '0.47')], '0.66', 6),
      progress(hiTechStock, [], '19', 6),
      progress(techUpgrade, [at(6, '1.00')], '3', 6),
    ];
    expect(sortBehindFirst(items).map((item) => item.indicator.key)).toEqual([techUpgrade.key, rdShare.key, hiTechStock.key]);
  });

  it('is not listed as behind 序时进度, but named in a line of its own when short of its target', () => {
    const items = [progress(techUpgrade, [at(12, '2.43')], '3', 12), progress(rdShare, [at(12, '0.50')], '0.66', 12)];
    // Each with who is responsible, the level too.
    const owner = (section: string, people: string[]): Owed => ({
      period: { year: 2026, month: 12 }, section: { name: section }, people, deadline: { year: 2026, month: 12, day: 31 }, overdue: false,
    });
    const owners = new Map([[techUpgrade.key, owner('产业技术与工业节能股', ['李华'])], [rdShare.key, owner('科技计划股', ['刘洋', '黄磊'])]]);
    expect(renderBehind(zh, 'zh-CN', view(items, 12), owners).split('\n')).toEqual([
      '2026年落后于序时进度的指标（数据截至12月，1 项，差距大的在前）：',
      '1. 工业技改投资：1–12月累计 2.43 亿元，完成年度目标 3 亿元的 81%，序时进度 100%，落后 19 个百分点。',
      '　负责：产业技术与工业节能股 李华',
      '水平类指标按期末值比年度目标，不比序时进度；其中未达目标的 1 项：R&D经费占GDP比重 0.50%，距目标还差 0.16 个百分点（负责：科技计划股 刘洋、黄磊）。',
    ]);
    // Nothing behind 序时进度: said so, and the level short of its target still named.
    const none = renderBehind(zh, 'zh-CN', view([progress(rdShare, [at(6, '0.47')], '0.66', 6)], 6), new Map());
    expect(none.split('\n')).toEqual([
      '2026年（数据截至6月）没有落后于序时进度的指标。',
      '水平类指标按期末值比年度目标，不比序时进度；其中未达目标的 1 项：R&D经费占GDP比重 0.47%，距目标还差 0.19 个百分点（负责：— 该股室尚无报送人员）。',
    ]);
    // A level at its target is not named.
    expect(renderBehind(zh, 'zh-CN', view([progress(hiTechStock, [at(6, '19')], '19', 6)], 6), new Map())).toBe(
      '2026年（数据截至6月）没有落后于序时进度的指标。',
    );
  });

  it('answers 为什么落后 with what a level is measured against', () => {
    const item = progress(rdShare, [at(6, '0.47')], '0.66', 6);
    expect(renderWhy(zh, 'zh-CN', { ...view([item], 6) }, item)).toBe(
      'R&D经费占GDP比重是水平类指标（期末值），不按序时进度衡量，只比年度目标：截至6月 0.47%，目标 0.66%，完成 71.21%，距目标还差 0.19 个百分点。',
    );
  });

  it('is written in documents with its distance from the target, not a 序时进度', () => {
    expect(scheduleSentence(zh, progress(rdShare, [at(6, '0.47')], '0.66', 6))).toBe('距年度目标尚差0.19个百分点。');
    expect(scheduleSentence(zh, progress(hiTechStock, [at(6, '19')], '19', 6))).toBe('已达到年度目标。');
    expect(scheduleSentence(zh, progress(hiTechStock, [at(6, '20')], '19', 6))).toBe('高于年度目标1家。');
    expect(scheduleSentence(zh, progress(techUpgrade, [at(6, '1.00')], '3', 6))).toBe('序时进度50%，落后16.67个百分点。');
  });
});
