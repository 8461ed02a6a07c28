import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import type { MonthlyFigure } from '../../src/core/domain.js';
import { monthOnMonth, ownFigure } from '../../src/core/month-on-month.js';

const figures = (rows: Array<[year: number, month: number, value: string]>): MonthlyFigure[] =>
  rows.map(([year, month, value]) => ({ year, month, value: new Decimal(value) }));

describe('环比', () => {
  it('takes a cumulative indicator’s own month as its addition, and needs the month before for it', () => {
    const series = figures([[2026, 8, '12.00'], [2026, 9, '15.10'], [2026, 10, '18.20']]);
    expect(ownFigure('cumulative', series, { year: 2026, month: 10 })?.toString()).toBe('3.1');
    expect(ownFigure('cumulative', series, { year: 2026, month: 8 })).toBeUndefined();
    expect(ownFigure('cumulative', figures([[2026, 1, '2.5']]), { year: 2026, month: 1 })?.toString()).toBe('2.5');
    const mom = monthOnMonth('cumulative', series, 2026, 11);
    expect(mom?.period).toEqual({ year: 2026, month: 10 });
    // (3.10 − 3.10) ÷ 3.10: flat.
    expect(mom?.growth?.toString()).toBe('0');
  });

  it('compares an increment’s figures, across the turn of the year too', () => {
    const series = figures([[2025, 12, '4'], [2026, 1, '5']]);
    const mom = monthOnMonth('increment', series, 2026, 12);
    expect(mom).toMatchObject({ period: { year: 2026, month: 1 }, previousPeriod: { year: 2025, month: 12 } });
    expect(mom?.growth?.toString()).toBe('25');
  });

  it('gives no growth against a missing or zero month, and nothing for a year without figures', () => {
    expect(monthOnMonth('increment', figures([[2026, 3, '2']]), 2026, 12)?.growth).toBeUndefined();
    expect(monthOnMonth('increment', figures([[2026, 2, '0'], [2026, 3, '2']]), 2026, 12)?.growth).toBeUndefined();
    expect(monthOnMonth('level', figures([[2025, 3, '2']]), 2026, 12)).toBeUndefined();
  });
});
