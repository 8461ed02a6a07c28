import { describe, expect, it } from 'vitest';
import { dec } from '../../../src/core/decimal.js';
import type { IndicatorDef, IndicatorKind } from '../../../src/core/domain.js';
import { translator } from '../../../src/core/i18n.js';
import { computeProgress } from '../../../src/core/progress.js';
import type { Unit } from '../../../src/core/units.js';
import { nameBeforeFigure, progressSentence } from '../../../src/app/reports/sentences.js';

/*
 * The documents write a figure right after the indicator's name (1-10月我县电商培训120人次): a name that ends in
 * its unit's word would say the unit twice (电商培训人次120人次). A one-character word is part of a noun as often
 * as not (农户, 贫困户), so it stays.
 */

const zh = translator('zh-CN');

function def(name: string, kind: IndicatorKind, unit: Unit): IndicatorDef {
  return { key: 'k', name, nameEn: 'Training visits', sectionKey: 's', kind, unit, decimals: 0, aliases: [] };
}

describe('an indicator named before its figure', () => {
  it('drops a unit word of two characters or more that ends the name, whatever its 万 or 亿', () => {
    expect(nameBeforeFigure(def('电商培训人次', 'increment', '人次'), 'zh-CN')).toBe('电商培训');
    expect(nameBeforeFigure(def('游客接待人次', 'cumulative', '万人次'), 'zh-CN')).toBe('游客接待');
    expect(nameBeforeFigure(def('新建农村公路公里', 'increment', '公里'), 'zh-CN')).toBe('新建农村公路');
  });

  it('keeps a one-character word, a name that is only the word, and English names', () => {
    expect(nameBeforeFigure(def('新增农户', 'increment', '户'), 'zh-CN')).toBe('新增农户');
    expect(nameBeforeFigure(def('人次', 'increment', '人次'), 'zh-CN')).toBe('人次');
    expect(nameBeforeFigure(def('工业投资', 'cumulative', '亿元'), 'zh-CN')).toBe('工业投资');
    expect(nameBeforeFigure(def('电商培训人次', 'increment', '人次'), 'en')).toBe('Training visits');
  });

  it('writes the bulletin\'s sentence with the unit once, and a level\'s with its whole name before 为', () => {
    const training = def('电商培训人次', 'increment', '人次');
    const progress = computeProgress({ indicator: training, figures: [{ year: 2026, month: 10, value: dec('120') }], year: 2026, throughMonth: 10, target: dec('200') });
    const sentence = progressSentence(zh, 'zh-CN', progress, '我县');
    expect(sentence).toContain('我县完成电商培训120人次');
    expect(sentence).not.toContain('人次120');
    const level = def('在库人次', 'level', '人次');
    const stock = computeProgress({ indicator: level, figures: [{ year: 2026, month: 10, value: dec('50') }], year: 2026, throughMonth: 10, target: undefined });
    expect(progressSentence(zh, 'zh-CN', stock, '我县')).toContain('在库人次为50人次');
  });
});
