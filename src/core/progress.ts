import { Decimal, formatDecimal } from './decimal.js';
import { type IndicatorDef, type IndicatorKind, type MonthlyFigure, type Owing, owedMonths } from './domain.js';
import { dimensionOf } from './units.js';

/** An indicator's year-to-date value and the latest month that went into it. */
export interface YearToDate {
  value: Decimal;
  throughMonth: number;
  /** Every month owed of 1…throughMonth has its figure (an increment's sum is then the whole of those months). */
  complete: boolean;
}

export type ScheduleStatus = 'ahead' | 'behind' | 'on_schedule';

/** How far the completion rate shown is from 序时进度 shown, in percentage points (always ≥ 0; `status` gives the side). */
export interface ScheduleGap {
  status: ScheduleStatus;
  points: Decimal;
}

/** Everything the progress answers need about one indicator, exact; formatting is separate. */
export interface IndicatorProgress {
  indicator: IndicatorDef;
  year: number;
  /** The month asked about; the figures may stop earlier (see `throughMonth`). */
  asOfMonth: number;
  /** Year-to-date through `throughMonth`; undefined when the year has no figure yet. */
  ytd?: Decimal;
  /** The latest month with a figure, ≤ asOfMonth; rate, 序时进度 and growth are all measured there. */
  throughMonth?: number;
  target?: Decimal;
  /** Completion rate, percent. */
  rate?: Decimal;
  /** 序时进度 at the end of `throughMonth` (of `asOfMonth` while there is no figure), percent. */
  elapsed: Decimal;
  /**
   * The completion rate against 序时进度; never for a level indicator (a share, a stock): a level is not done a
   * twelfth a month, so it is measured against its target only (see `levelShortfall`).
   */
  gap?: ScheduleGap;
  /** Last year's year-to-date through the same month. */
  lastYearYtd?: Decimal;
  /** 同比增长, percent; not given for an indicator that is itself a percentage (see `yoyPoints`). */
  yoy?: Decimal;
  /**
   * An indicator kept in % (a share, a rate): this year's figure less last year's, in percentage points. A
   * bureau writes a share's change as 提高0.07个百分点, never as the growth of a percentage.
   */
  yoyPoints?: Decimal;
  /**
   * An increment indicator's year (this one or the last) that lacks a month of 1…throughMonth: its sum is
   * not the whole of those months, so no growth is given (a lone 10月 of last year is not its 1–10月).
   */
  yoyIncomplete?: number;
  /** A figure the year-to-date is made of was kept despite a check's query (shown 待核实). */
  queried?: boolean;
  /**
   * An increment indicator's months of 1…throughMonth with no figure: its 1–N月 sum leaves them out, and
   * says so (1–11月新增 2 家（1–10月未报送）), never passing one month off as the year's; and, of any kind, the
   * months after its latest figure that are due by now (`dueThrough`): 1–8月累计…（9–10月未报送）.
   */
  unreportedMonths?: number[];
}

/** What computeProgress needs: the indicator, its figures (any years), the period asked about, the target. */
export interface ProgressInput {
  indicator: IndicatorDef;
  figures: readonly MonthlyFigure[];
  year: number;
  throughMonth: number;
  target?: Decimal;
  /**
   * The last month of `year` whose figure is due by now (the months before the one being collected; all
   * twelve of a past year). Months after the latest figure up to it are named as not reported: an
   * indicator last reported in August reads "1–8月累计…（9–10月未报送）" in November, not as if it were current.
   */
  dueThrough?: number;
}

const HUNDRED = new Decimal(100);

/**
 * Year-to-date through `throughMonth` of `year` (docs/product.md, Progress arithmetic): cumulative and
 * level take the latest figure, increment sums the months. Undefined when the year has no figure up to then.
 */
export function yearToDate(
  kind: IndicatorKind,
  figures: readonly MonthlyFigure[],
  year: number,
  throughMonth: number,
  /** What says which months of the year are owed (`isOwed`): `complete` counts those only. */
  owing: Owing = {},
): YearToDate | undefined {
  const inRange = figures.filter((f) => f.year === year && f.month >= 1 && f.month <= throughMonth);
  if (inRange.length === 0) return undefined;
  const latest = inRange.reduce((a, b) => (b.month > a.month ? b : a));
  const months = new Set(inRange.map((f) => f.month));
  const complete = owedMonths(owing, year, 1, latest.month).every((month) => months.has(month));
  if (kind !== 'increment') return { value: latest.value, throughMonth: latest.month, complete };
  const sum = inRange.reduce((total, f) => total.plus(f.value), new Decimal(0));
  return { value: sum, throughMonth: latest.month, complete };
}

/** Year-to-date ÷ annual target, in percent; undefined for a zero target. */
export function completionRate(ytd: Decimal, target: Decimal): Decimal | undefined {
  if (target.isZero()) return undefined;
  // Multiplying first keeps to one inexact step: 2.05 of 3 gives 68.333…, not 0.68333… × 100.
  return ytd.times(HUNDRED).div(target);
}

/** 序时进度: the share of the year gone at the end of `month`, in percent (October → 83.333…). */
export function elapsedProgress(month: number): Decimal {
  return new Decimal(month).times(HUNDRED).div(12);
}

/**
 * Compares a completion rate with 序时进度, as a reader does with the two figures shown: each rounded to two
 * decimals (half up), then subtracted — so 95.71% against 91.67% is 4.04 points, never a 4.05 that nobody
 * can check by hand. Equal figures shown are on schedule.
 */
export function scheduleGap(rate: Decimal, elapsed: Decimal): ScheduleGap {
  const shown = (value: Decimal) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const difference = shown(rate).minus(shown(elapsed));
  const points = difference.abs();
  if (points.isZero()) return { status: 'on_schedule', points };
  return { status: difference.isPositive() ? 'ahead' : 'behind', points };
}

/** 同比增长 = this year-to-date ÷ last year's − 1, in percent; undefined when last year's is missing or zero. */
export function yearOnYearGrowth(ytd: Decimal, lastYearYtd: Decimal | undefined): Decimal | undefined {
  if (lastYearYtd === undefined || lastYearYtd.isZero()) return undefined;
  return ytd.minus(lastYearYtd).times(HUNDRED).div(lastYearYtd);
}

/** An indicator's progress for `year` through `throughMonth`, every number exact. */
export function computeProgress(input: ProgressInput): IndicatorProgress {
  const { indicator, figures, year, throughMonth, target } = input;
  const base = { indicator, year, asOfMonth: throughMonth, target };
  const ytd = yearToDate(indicator.kind, figures, year, throughMonth, indicator);
  if (!ytd) return { ...base, elapsed: elapsedProgress(throughMonth) };

  const elapsed = elapsedProgress(ytd.throughMonth);
  const rate = target === undefined ? undefined : completionRate(ytd.value, target);
  const lastYear = yearToDate(indicator.kind, figures, year - 1, ytd.throughMonth, indicator);
  // Growth compares like with like: 1–10月 against last year's 1–10月, never against an earlier month, and
  // for an increment indicator only sums of every month (cumulative and level figures are whole by themselves).
  const sameSpan = lastYear?.throughMonth === ytd.throughMonth ? lastYear : undefined;
  const incomplete =
    sameSpan && indicator.kind === 'increment' ? (!ytd.complete ? year : !sameSpan.complete ? year - 1 : undefined) : undefined;
  const lastYearYtd = incomplete === undefined ? sameSpan?.value : undefined;
  return {
    ...base,
    ytd: ytd.value,
    throughMonth: ytd.throughMonth,
    rate,
    elapsed,
    // A level has no 序时进度; an indicator the file measures without it (time_progress: false) is never behind.
    gap: rate === undefined || indicator.kind === 'level' || indicator.timeProgress === false ? undefined : scheduleGap(rate, elapsed),
    lastYearYtd,
    ...(dimensionOf(indicator.unit) === 'percent'
      ? lastYearYtd === undefined
        ? {}
        : { yoyPoints: ytd.value.minus(lastYearYtd) }
      : { yoy: yearOnYearGrowth(ytd.value, lastYearYtd) }),
    ...(incomplete === undefined ? {} : { yoyIncomplete: incomplete }),
    ...(queriedWithin(indicator.kind, figures, year, ytd.throughMonth) ? { queried: true } : {}),
    ...unreportedOf(indicator.kind === 'increment' && !ytd.complete ? monthsWithout(figures, year, indicator, ytd.throughMonth) : [], [
      ...owedMonths(indicator, year, ytd.throughMonth + 1, Math.min(input.dueThrough ?? 0, throughMonth)),
    ]),
  };
}

/** The months a figure leaves out, within its span and after it (due, not reported): none, none said. */
function unreportedOf(within: number[], after: number[]): { unreportedMonths?: number[] } {
  const months = [...within, ...after];
  return months.length === 0 ? {} : { unreportedMonths: months };
}

/** The months of `year` through `month` owed and with no figure. */
function monthsWithout(figures: readonly MonthlyFigure[], year: number, owing: Owing, month: number): number[] {
  const reported = new Set(figures.filter((f) => f.year === year).map((f) => f.month));
  return owedMonths(owing, year, 1, month).filter((m) => !reported.has(m));
}

/** Whether a queried figure went into the year-to-date: the month's own for cumulative and level, any month's for increment. */
function queriedWithin(kind: IndicatorKind, figures: readonly MonthlyFigure[], year: number, month: number): boolean {
  return figures.some(
    (f) => f.queried === true && f.year === year && (kind === 'increment' ? f.month <= month : f.month === month),
  );
}

/** A percentage: 2 decimals, half up, trailing zeros dropped ("119.76", "81"); no "%" sign. */
export function formatPercent(value: Decimal): string {
  return formatDecimal(value, 2);
}

/** Growth as the seed prints it: 1 decimal, half up, trailing zero dropped ("33.7", "34.1"). */
export function formatGrowth(value: Decimal): string {
  return formatDecimal(value, 1);
}

/** Percentage points of a schedule gap: 2 decimals, half up, trailing zeros dropped ("15", "2.5"). */
export function formatPoints(value: Decimal): string {
  return formatPercent(value);
}

/**
 * A share's change (同比, 环比) in percentage points: a difference of two figures kept in %, so shown as they
 * are, two decimals with zeros kept (4.10, as the share's gap to its target shows 2.90); '0.00' when none.
 */
export function formatPointsChange(value: Decimal): string {
  return formatFigure(value, 2);
}

/** A figure with exactly the indicator's decimals, half up, trailing zeros kept ("18.20" at 2 decimals). */
export function formatFigure(value: Decimal, decimals: number): string {
  const rounded = value.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  // decimal.js prints a negative value that rounds to zero as "-0.00".
  return (rounded.isZero() ? rounded.abs() : rounded).toFixed(decimals);
}

/**
 * A level indicator's distance from its target, in its unit (target − year-to-date: short when positive);
 * undefined for another kind, or without a target or a figure. A level has no 序时进度 to be behind of.
 */
export function levelShortfall(item: Pick<IndicatorProgress, 'indicator' | 'target' | 'ytd'>): Decimal | undefined {
  if (item.indicator.kind !== 'level' || item.target === undefined || item.ytd === undefined) return undefined;
  return item.target.minus(item.ytd);
}

const STATUS_ORDER: Record<ScheduleStatus, number> = { behind: 0, on_schedule: 1, ahead: 2 };

function sortRank(item: Pick<IndicatorProgress, 'gap' | 'target' | 'rate'>): number {
  if (item.gap) return STATUS_ORDER[item.gap.status];
  if (item.target === undefined) return 5;
  return item.rate === undefined ? 4 : 3;
}

/**
 * The 总体进度 order: behind schedule (largest gap first), on schedule, ahead (smallest lead first), then
 * the levels measured against their target only, then those with a target but no figure yet, then those
 * without a target; ties keep their order.
 */
export function sortBehindFirst<T extends Pick<IndicatorProgress, 'gap' | 'target' | 'rate'>>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => {
    const byRank = sortRank(a) - sortRank(b);
    if (byRank !== 0 || !a.gap || !b.gap) return byRank;
    const byPoints = a.gap.points.comparedTo(b.gap.points);
    return a.gap.status === 'behind' ? -byPoints : byPoints;
  });
}
