import { type Result, err, ok } from './result.js';

/** A reporting period: one calendar month. */
export interface Period {
  year: number;
  /** 1–12 */
  month: number;
}

const PERIOD_PATTERN = /^(\d{4})-(\d{1,2})$/;

/** Reads "2026-11" (or "2026-1"); anything else is an error naming what was given. */
export function parsePeriod(text: string): Result<Period, string> {
  const match = PERIOD_PATTERN.exec(text.trim());
  if (!match) return err(`not a period (YYYY-MM): "${text}"`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return err(`month out of range in "${text}"`);
  return ok({ year, month });
}

/** "2026-11" */
export function formatPeriod(period: Period): string {
  return `${period.year}-${String(period.month).padStart(2, '0')}`;
}

/** A sortable number: 2026-11 → 202611. */
export function periodIndex(period: Period): number {
  return period.year * 100 + period.month;
}

export function comparePeriods(a: Period, b: Period): number {
  return periodIndex(a) - periodIndex(b);
}

export function addMonths(period: Period, months: number): Period {
  const zeroBased = period.year * 12 + (period.month - 1) + months;
  return { year: Math.floor(zeroBased / 12), month: (zeroBased % 12) + 1 };
}

export function previousPeriod(period: Period): Period {
  return addMonths(period, -1);
}

export function samePeriodLastYear(period: Period): Period {
  return { year: period.year - 1, month: period.month };
}
