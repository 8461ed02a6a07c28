import { Decimal } from './decimal.js';
import type { IndicatorDef, IndicatorKind, MonthlyFigure } from './domain.js';
import { type Period, addMonths } from './period.js';

/** 环比: a month's own figure against the month before's (a quarterly indicator's: the quarter's against the quarter before's). */
export interface MonthOnMonth {
  period: Period;
  value: Decimal;
  previousPeriod: Period;
  previous?: Decimal;
  /** Percent; undefined when the month before has no figure of its own or it is zero. */
  growth?: Decimal;
}

const HUNDRED = new Decimal(100);

function figureAt(figures: readonly MonthlyFigure[], period: Period): Decimal | undefined {
  return figures.find((f) => f.year === period.year && f.month === period.month)?.value;
}

/** The months between two figures of an indicator: 3 for a quarterly one, else 1. */
export function stepOf(indicator: Pick<IndicatorDef, 'frequency'>): number {
  return indicator.frequency === 'quarterly' ? 3 : 1;
}

/**
 * A month's own figure: the figure itself for `increment` and `level` indicators; for a `cumulative` one
 * the month's addition (this month's year-to-date less last month's; January's is its figure), which
 * needs both months. With `step` 3, a quarterly indicator's quarter: its addition since the quarter before.
 */
export function ownFigure(kind: IndicatorKind, figures: readonly MonthlyFigure[], period: Period, step = 1): Decimal | undefined {
  const value = figureAt(figures, period);
  if (value === undefined || kind !== 'cumulative' || period.month <= step) return value;
  const before = figureAt(figures, { year: period.year, month: period.month - step });
  return before === undefined ? undefined : value.minus(before);
}

/**
 * 环比 at the latest month of `year` up to `throughMonth` that has a figure; undefined when none has. The
 * month before January is the previous December; with `step` 3 (`stepOf` a quarterly indicator), the quarter
 * before's end.
 */
export function monthOnMonth(
  kind: IndicatorKind,
  figures: readonly MonthlyFigure[],
  year: number,
  throughMonth: number,
  step = 1,
): MonthOnMonth | undefined {
  const months = figures.filter((f) => f.year === year && f.month <= throughMonth).map((f) => f.month);
  if (months.length === 0) return undefined;
  const period = { year, month: Math.max(...months) };
  const value = ownFigure(kind, figures, period, step);
  if (value === undefined) return undefined;
  const previousPeriod = addMonths(period, -step);
  const previous = ownFigure(kind, figures, previousPeriod, step);
  const growth = previous === undefined || previous.isZero() ? undefined : value.minus(previous).times(HUNDRED).div(previous);
  return { period, value, previousPeriod, previous, growth };
}
