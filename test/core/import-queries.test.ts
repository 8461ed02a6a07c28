import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import type { DialogueRelation } from '../../src/core/dialogue/types.js';
import { translator } from '../../src/core/i18n.js';
import { importQueries, importQueriesWithStored } from '../../src/core/import-queries.js';
import { investment, techUpgrade } from './dialogue-fixtures.js';

const zh = translator('zh-CN');
const month = (month: number) => ({ year: 2026, month });

describe("an import's figures, checked as the chat checks an answer", () => {
  it("compares each figure with the stored months as the file leaves them: the file's own months replace stored ones", () => {
    const stored = new Map([[investment.key, [{ year: 2026, month: 9, value: dec('18.2') }, { year: 2026, month: 10, value: dec('25') }]]]);
    // October corrected to 20 by the file: November's 21 is no fall (below the stored 25 it would be).
    const figures = [
      { indicator: investment, period: month(10), value: dec('20') },
      { indicator: investment, period: month(11), value: dec('21') },
    ];
    expect(importQueries(figures, stored, [], zh, 'zh-CN')).toEqual([[], []]);
    const falling = [...figures, { indicator: investment, period: month(12), value: dec('19') }];
    // December's fall is December's: October and November are not "above a later month" because of it.
    expect(importQueries(falling, stored, [], zh, 'zh-CN')).toEqual([
      [],
      [],
      ['请核对：工业投资是累计数，一般不会减少，但本次 19.00 亿元 比上月（21.00 亿元）少。'],
    ]);
  });

  it('queries the one month mistyped, not the correct months around it', () => {
    const series = ['5.20', '7.90', '10.60', '13.80', '1.63', '18.90', '21.40', '24.00'];
    const figures = series.map((value, index) => ({ indicator: investment, period: month(index + 3), value: dec(value) }));
    const queries = importQueries(figures, new Map(), [], zh, 'zh-CN');
    expect(queries.flatMap((reasons, index) => (reasons.length > 0 ? [[index + 3, reasons]] : []))).toEqual([
      [7, ['请核对：工业投资是累计数，一般不会减少，但本次 1.63 亿元 比上月（13.80 亿元）少。']],
    ]);
    // A jump mistyped in a series of increments (7 sites a month, then 70): only that month.
    const sites = ['7', '6', '70', '8'].map((value, index) => ({ indicator: { ...investment, key: 'sites', kind: 'increment' as const, unit: '个' as const, decimals: 0 }, period: month(index + 1), value: dec(value) }));
    expect(importQueries(sites, new Map(), [], zh, 'zh-CN').map((reasons) => reasons.length)).toEqual([0, 0, 1, 0]);
  });

  it('queries a month filed late that the stored month after it is over 3× (1800 万元 for 亿元, before 18.20 亿元)', () => {
    const stored = new Map([[investment.key, [{ year: 2026, month: 10, value: dec('18.2') }]]]);
    const figures = [{ indicator: investment, period: month(9), value: dec('0.18') }];
    expect(importQueries(figures, stored, [], zh, 'zh-CN')).toEqual([['请核对：工业投资 本次 0.18 亿元，而2026年10月是 18.20 亿元，约为它的 101 倍。']]);
    // A September that October's figure follows plausibly is asked nothing.
    expect(importQueries([{ ...figures[0]!, value: dec('16.4') }], stored, [], zh, 'zh-CN')).toEqual([[]]);
  });

  it('asks nothing of a cumulative month far from the one stored after it, by the months between (February 1.30, November 7.90)', () => {
    const stored = new Map([[investment.key, [{ year: 2026, month: 11, value: dec('7.9') }]]]);
    expect(importQueries([{ indicator: investment, period: month(2), value: dec('1.3') }], stored, [], zh, 'zh-CN')).toEqual([[]]);
    // Nine months on, 3 × 11/2 of February: more than that is still a jump.
    expect(importQueries([{ indicator: investment, period: month(2), value: dec('0.4') }], stored, [], zh, 'zh-CN')[0]).toHaveLength(1);
  });

  it('names the stored month the file makes look wrong, when it is the one set aside (a November below the October filed)', () => {
    const stored = new Map([[investment.key, [{ year: 2026, month: 11, value: dec('0.56') }]]]);
    const figures = ['0.5', '1.1', '1.6', '2.2', '2.7', '3.3', '3.8', '4.3', '4.8', '5.2'].map((value, index) => ({ indicator: investment, period: month(index + 1), value: dec(value) }));
    const looked = importQueriesWithStored(figures, stored, [], zh, 'zh-CN');
    expect(looked.reasons.flat()).toEqual([]);
    expect(looked.stored).toEqual([
      { indicator: investment, period: month(11), value: dec('0.56'), reasons: ['请核对：工业投资是累计数，一般不会减少，但本次 0.56 亿元 比上月（5.20 亿元）少。'] },
    ]);
    // Marked already, or one the file's figures leave consistent: none.
    const november = (value: string, queried?: true) => new Map([[investment.key, [{ year: 2026, month: 11, value: dec(value), ...(queried ? { queried } : {}) }]]]);
    expect(importQueriesWithStored(figures, november('0.56', true), [], zh, 'zh-CN').stored).toEqual([]);
    expect(importQueriesWithStored(figures, november('5.6'), [], zh, 'zh-CN').stored).toEqual([]);
  });

  it('queries the month a file changes, not the unchanged month beside it that the file also holds', () => {
    // Stored: September 1.80, October 2.00. A whole year's sheet re-imported with September edited to 2.50.
    const stored = new Map([[investment.key, [{ year: 2026, month: 9, value: dec('1.80') }, { year: 2026, month: 10, value: dec('2.00') }]]]);
    const figures = [
      { indicator: investment, period: month(9), value: dec('2.50') },
      { indicator: investment, period: month(10), value: dec('2.00') },
    ];
    const [september, october] = importQueries(figures, stored, [], zh, 'zh-CN');
    expect(september).toEqual(['请核对：工业投资是累计数，本次 2.50 亿元 比之后的2026年10月（2.00 亿元）还多。']);
    expect(october).toEqual([]);
  });

  it("queries a January total that carries last year's over, against last December", () => {
    const stored = new Map([[investment.key, [{ year: 2026, month: 12, value: dec('29.6') }]]]);
    const figures = [
      { indicator: investment, period: { year: 2027, month: 1 }, value: dec('31.3') },
      { indicator: investment, period: { year: 2027, month: 2 }, value: dec('33.0') },
    ];
    expect(importQueries(figures, stored, [], zh, 'zh-CN')).toEqual([
      ['请核对：工业投资是累计数，每年1月起重新累计，但本次 31.30 亿元 已不少于2026年全年（29.60 亿元）：是否把去年的累计数也算进去了？'],
      [],
    ]);
  });

  it("checks the organisation file's relations against the other indicator's figure of the month, from the file or stored", () => {
    const relation: DialogueRelation = { left: techUpgrade, op: '<=', right: investment };
    const stored = new Map([[investment.key, [{ year: 2026, month: 9, value: dec('2') }]]]);
    const figures = [{ indicator: techUpgrade, period: month(9), value: dec('2.5') }];
    expect(importQueries(figures, stored, [relation], zh, 'zh-CN')).toEqual([
      ['请核对：工业技改投资 2.50 亿元，工业投资 2.00 亿元；工业技改投资应不大于工业投资。'],
    ]);
    // The file raises 工业投资 in the same import: then the relation holds.
    const both = [...figures, { indicator: investment, period: month(9), value: dec('3') }];
    expect(importQueries(both, stored, [relation], zh, 'zh-CN')).toEqual([[], []]);
  });

  it('queries for a broken relation the side that looks wrong on its own too, not the right one beside it', () => {
    const relation: DialogueRelation = { left: techUpgrade, op: '<=', right: investment };
    const stored = new Map([
      [techUpgrade.key, [{ year: 2026, month: 8, value: dec('1.8') }]],
      [investment.key, [{ year: 2026, month: 8, value: dec('2.8') }]],
    ]);
    // 技改 9.90 is over 5× August as well: it is the culprit, and 工业投资 3.00 is not queried.
    const figures = [
      { indicator: techUpgrade, period: month(9), value: dec('9.9') },
      { indicator: investment, period: month(9), value: dec('3') },
    ];
    const [upgrade, invest] = importQueries(figures, stored, [relation], zh, 'zh-CN');
    expect(upgrade).toHaveLength(2);
    expect(upgrade![1]).toBe('请核对：工业技改投资 9.90 亿元，工业投资 3.00 亿元；工业技改投资应不大于工业投资。');
    expect(invest).toEqual([]);
    // Neither looks wrong on its own: both are queried, since either may be.
    const neither = [
      { indicator: techUpgrade, period: month(9), value: dec('3.5') },
      { indicator: investment, period: month(9), value: dec('3') },
    ];
    expect(importQueries(neither, stored, [relation], zh, 'zh-CN').map((reasons) => reasons.length)).toEqual([1, 1]);
    // 工业投资 re-imported unchanged beside a changed 技改: the change is the suspect.
    const unchanged = new Map([...stored, [investment.key, [{ year: 2026, month: 9, value: dec('3') }]]]);
    expect(importQueries(neither, unchanged, [relation], zh, 'zh-CN').map((reasons) => reasons.length)).toEqual([1, 0]);
  });
});
