import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { englishMoney, englishScale } from '../../src/core/english-money.js';
import { translator } from '../../src/core/i18n.js';
import { renderFigure } from '../../src/core/render.js';

/* Money in English: yuan, millions and billions, never "hundred million yuan"; exact, and Chinese unchanged. */

const en = translator('en');
const zh = translator('zh-CN');

describe('an amount of money in English', () => {
  it.each([
    ['2.43', '亿元', '243 million yuan'],
    ['25.15', '亿元', '2.515 billion yuan'],
    ['18.20', '亿元', '1.82 billion yuan'],
    ['0.45', '亿元', '45 million yuan'],
    ['1000', '亿元', '100 billion yuan'],
    ['0.00', '亿元', '0 yuan'],
    ['0.00018', '亿元', '18,000 yuan'],
    ['2300', '万元', '23 million yuan'],
    ['0.5', '万元', '5,000 yuan'],
    ['20300', '万元', '203 million yuan'],
    ['99.9999', '万元', '999,999 yuan'],
    ['12.345678', '万元', '123,456.78 yuan'],
    ['1960000000', '元', '1.96 billion yuan'],
    ['1234.5', '元', '1,234.5 yuan'],
  ] as const)('%s %s is %s', (value, unit, english) => {
    expect(englishMoney(en, value, unit)).toBe(english);
    expect(renderFigure(en, value, unit)).toBe(english);
  });

  it('takes the largest scale the amount reaches, and groups what is left by thousands', () => {
    expect(englishScale(new Decimal('999999999'))).toEqual({ key: 'figure.money_million', amount: '999.999999' });
    expect(englishScale(new Decimal('1e9'))).toEqual({ key: 'figure.money_billion', amount: '1' });
    expect(englishScale(new Decimal('1234567e9'))).toEqual({ key: 'figure.money_billion', amount: '1,234,567' });
    expect(englishScale(new Decimal('-2500000'))).toEqual({ key: 'figure.money_million', amount: '-2.5' });
    expect(englishScale(new Decimal('-1500'))).toEqual({ key: 'figure.money_yuan', amount: '-1,500' });
  });

  it('is exact to the last digit, where a float would not be', () => {
    // 0.1 + 0.2 of 亿元 in floating point is 30000000.000000004 yuan.
    expect(englishMoney(en, '0.3', '亿元')).toBe('30 million yuan');
    // Ten digits after the point, as many as the database keeps.
    expect(englishMoney(en, '12345678901.2345678901', '亿元')).toBe('1,234,567,890.12345678901 billion yuan');
  });

  it.each([
    ['3.5', '万吨', '35,000 tonnes'],
    ['0.15', '万人次', '1,500 visits'],
    ['2.1', '亿千瓦时', '210 million kWh'],
    ['2300', '万千瓦时', '23 million kWh'],
    ['1.25', '万亩', '12,500 mu'],
  ] as const)('%s %s, a multiple of another unit, is %s', (value, unit, english) => {
    expect(renderFigure(en, value, unit)).toBe(english);
    expect(renderFigure(zh, value, unit)).toBe(`${value} ${unit}`);
  });

  it('leaves Chinese, and units not of money, as they were', () => {
    expect(englishMoney(zh, '2.43', '亿元')).toBeUndefined();
    expect(renderFigure(zh, '2.43', '亿元')).toBe('2.43 亿元');
    expect(renderFigure(zh, '2300', '万元')).toBe('2300 万元');
    expect(englishMoney(en, '5', '家')).toBeUndefined();
    expect(renderFigure(en, '5', '家')).toBe('5 firms');
    expect(englishMoney(en, '1200', '吨')).toBeUndefined();
    // Grouped by thousands as English writes any figure; Chinese as it was.
    expect(renderFigure(en, '14500', '吨')).toBe('14,500 tonnes');
    expect(renderFigure(en, '1234', '家')).toBe('1,234 firms');
    expect(renderFigure(zh, '14500', '吨')).toBe('14500 吨');
    expect(renderFigure(en, '0.50', '%')).toBe('0.50%');
    expect(renderFigure(en, '5', { unit: '家', unitEn: 'institutions' })).toBe('5 institutions');
  });
});
