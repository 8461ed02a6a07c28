import { Decimal } from './decimal.js';
import type { IndicatorKind, MonthlyFigure } from './domain.js';
import { type Period, addMonths } from './period.js';

/** 环比: a month's own figure against the month before's. */
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

/**
 * A month's own figure: the figure itself for `increment` and `level` indicators; for a `cumulative` one
 * the month's addition (this month's year-to-date less last month's; January's is its figure), which
 * needs both months.
 */
export function ownFigure(kind: IndicatorKind, figures: readonly MonthlyFigure[], period: Period): Decimal | undefined {
  const value = figureAt(figures, period);
  if (value === undefined || kind !== 'cumulative' || period.month === 1) return value;
  const before = figureAt(figures, { year: period.year, month: period.month - 1 });
  return before === undefined ? undefined : value.minus(before);
}

/**
 * 环比 at the latest month of `year` up to `throughMonth` that has a figure; undefined when none has. The
 * month before January is the previous December.
 */
export function monthOnMonth(
  kind: IndicatorKind,
  figures: readonly MonthlyFigure[],
  year: number,
  throughMonth: number,
): MonthOnMonth | undefined {
  const months = figures.filter((f) => f.year === year && f.month <= throughMonth).map((f) => f.month);
  if (months.length === 0) return undefined;
  const period = { year, month: Math.max(...months) };
  const value = ownFigure(kind, figures, period);
  if (value === undefined) return undefined;
  const previousPeriod = addMonths(period, -1);
  const previous = ownFigure(kind, figures, previousPeriod);
  const growth = previous === undefined || previous.isZero() ? undefined : value.minus(previous).times(HUNDRED).div(previous);
  return { period, value, previousPeriod, previous, growth };
}
