import { describe, expect, it } from 'vitest';
import { monthParams } from '../../../src/app/reports/report-data.js';
import { translator } from '../../../src/core/i18n.js';

/* The documents name the months their figures cover: 1-10月, but January alone as 1月 (it read 1-1月). */
describe('the months a document covers', () => {
  const zh = translator('zh-CN');
  const en = translator('en');

  it('says 1-N月 through a later month and 1月 for January alone, in the chart, the workbook and the draft', () => {
    expect(zh('reports.chart.title', { org: '测试局', year: 2027, ...monthParams(zh, 1) })).toBe('测试局2027年1月指标完成率与序时进度');
    expect(zh('reports.chart.title', { org: '测试局', year: 2026, ...monthParams(zh, 10) })).toBe('测试局2026年1-10月指标完成率与序时进度');
    expect(zh('reports.basis.cumulative', monthParams(zh, 1))).toBe('1月累计');
    expect(zh('reports.basis.increment', monthParams(zh, 3))).toBe('1-3月新增合计');
    expect(zh('reports.annual.draft_note_partial', { year: 2027, ...monthParams(zh, 1) })).toContain('根据2027年1月报送数据生成的初稿');
    expect(en('reports.basis.cumulative', monthParams(en, 1))).toBe('January, cumulative');
    expect(en('reports.basis.cumulative', monthParams(en, 10))).toBe('January–October, cumulative');
  });
});
