import { describe, expect, it } from 'vitest';
import { dec } from '../../src/core/decimal.js';
import type { IndicatorDef } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { computeProgress } from '../../src/core/progress.js';
import { figureNotes, renderProgressLine } from '../../src/core/render.js';
import { progressSentence } from '../../src/app/reports/sentences.js';

/* A figure marked 待核实 whose sum also leaves months out: one bracket for both, in the chat and the documents. */

const zh = translator('zh-CN');
const en = translator('en');
const cleaner: IndicatorDef = {
  key: 'cleaner_production_audits', name: '清洁生产审核企业', nameEn: 'Cleaner-production audits', sectionKey: 'tech',
  kind: 'increment', unit: '家', decimals: 0, aliases: [],
};

describe('the notes after a figure', () => {
  const progress = computeProgress({
    indicator: cleaner,
    figures: [{ year: 2026, month: 9, value: dec(1), queried: true }, { year: 2026, month: 11, value: dec(4) }],
    year: 2026,
    throughMonth: 11,
    target: dec(5),
  });

  it('are one bracket when the figure is both 待核实 and short of months, and each alone otherwise', () => {
    expect(figureNotes(zh, true, [1, 2, 10])).toBe('（待核实；1–2月、10月未报送）');
    expect(figureNotes(zh, true, undefined)).toBe('（待核实）');
    expect(figureNotes(zh, false, [10])).toBe('（10月未报送）');
    expect(figureNotes(en, true, [10])).toBe(' (to be verified; October not reported)');
  });

  it('read so in the progress line and the bulletin\'s sentence', () => {
    expect(renderProgressLine(zh, 'zh-CN', progress)).toContain('5 家（待核实；1–8月、10月未报送）');
    expect(progressSentence(zh, 'zh-CN', progress, '我市')).toContain('5家（待核实；1-8月、10月未报送）');
  });
});
