import { Decimal } from './decimal.js';
import { owedMonths } from './domain.js';
import { type IndicatorProgress, sortBehindFirst } from './progress.js';

/*
 * How much is still to go to an annual target (docs/product.md, Questions, 还差多少), every number exact;
 * rendering rounds them as figures are shown (render-remaining.ts).
 */

const HUNDRED = new Decimal(100);

/**
 * What 序时进度 asks for by the month measured: target × 序时进度 (3 亿元 × 83.33% = 2.50 亿元); not for a level,
 * nor for one the file measures without 序时进度 (time_progress: false).
 */
export function dueBySchedule(item: Pick<IndicatorProgress, 'indicator' | 'target' | 'elapsed'>): Decimal | undefined {
  if (item.target === undefined || item.indicator.kind === 'level' || item.indicator.timeProgress === false) return undefined;
  return item.target.times(item.elapsed).div(HUNDRED);
}

export interface RemainingToTarget {
  /** Target − year-to-date: still to go when positive; met or exceeded (by its absolute value) otherwise. */
  left: Decimal;
  /**
   * Months after the one measured whose figure is owed, while the year is not over (0 at its end, or once it
   * is over): for a quarterly indicator, the quarter ends left.
   */
  monthsLeft: number;
  /** `left` ÷ `monthsLeft`, for a cumulative or increment indicator still short with months left. */
  monthlyNeeded?: Decimal;
  /**
   * What 序时进度 asks for by the month measured, before December (at December it is the target itself), for a
   * cumulative or increment indicator; rounded as the indicator's figures are shown (285.83 → 286 个).
   */
  due?: Decimal;
  /**
   * Year-to-date − `due` as shown: ahead of 序时进度 when positive, behind when negative. Taken from the
   * rounded `due`, as scheduleGap takes points from the rates shown, so that 应完成 4 家 against 4 reads as
   * level, never as 0.25 ahead shown as 超出 0 家.
   */
  againstSchedule?: Decimal;
}

/**
 * The amount to go of an indicator with a target and a figure; undefined otherwise. `yearOver`: the year
 * asked is behind the one being reported, so no month of it is left to work in, whatever month its
 * figures stop at.
 */
export function remainingToTarget(item: IndicatorProgress, yearOver: boolean): RemainingToTarget | undefined {
  if (item.target === undefined || item.ytd === undefined || item.throughMonth === undefined) return undefined;
  const left = item.target.minus(item.ytd);
  const monthsLeft = yearOver ? 0 : owedMonths(item.indicator, item.year, item.throughMonth + 1, 12).length;
  const due = item.throughMonth < 12 ? dueBySchedule(item)?.toDecimalPlaces(item.indicator.decimals, Decimal.ROUND_HALF_UP) : undefined;
  if (due === undefined) return { left, monthsLeft };
  return {
    left,
    monthsLeft,
    ...(left.greaterThan(0) && monthsLeft > 0 ? { monthlyNeeded: left.div(monthsLeft) } : {}),
    due,
    againstSchedule: item.ytd.minus(due),
  };
}

/** Whether the year-to-date has reached the target (a zero target is reached by any figure). */
export function targetMet(item: IndicatorProgress): boolean {
  return item.target !== undefined && item.ytd !== undefined && !item.ytd.lessThan(item.target);
}

/**
 * 还差多少 with no indicator named: of those with a target, the ones with a figure still short of it, the
 * largest shortfall against 序时进度 first (in points: the one measure indicators of different units share),
 * those without a figure yet, and those already met.
 */
export function remainingList(items: readonly IndicatorProgress[]): {
  short: IndicatorProgress[];
  noData: IndicatorProgress[];
  met: IndicatorProgress[];
} {
  const targeted = sortBehindFirst(items.filter((item) => item.target !== undefined));
  return {
    short: targeted.filter((item) => item.ytd !== undefined && !targetMet(item)),
    noData: targeted.filter((item) => item.ytd === undefined),
    met: targeted.filter(targetMet),
  };
}
