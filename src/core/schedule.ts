import { type CivilDate, addDays, civilDateInZone, daysInMonth, isWorkingDay, lastWorkingDayOfMonth } from './calendar.js';
import type { ScheduleConfig } from './org/parse.js';
import type { Period } from './period.js';
import { previousPeriod } from './period.js';

/** The day the reporting window for `period` opens (docs/product.md, Periods; default the 20th). */
export function windowOpensOn(period: Period, schedule: ScheduleConfig): CivilDate {
  const day = Math.min(schedule.windowOpensDay, daysInMonth(period.year, period.month));
  return { year: period.year, month: period.month, day };
}

/** The deadline of `period`: the last working day of its month, or a configured day (moved back to a working day). */
export function deadlineOf(period: Period, schedule: ScheduleConfig): CivilDate {
  const { deadline } = schedule;
  if (deadline.kind === 'last_working_day') return lastWorkingDayOfMonth(period.year, period.month);
  let date: CivilDate = {
    year: period.year,
    month: period.month,
    day: Math.min(deadline.day, daysInMonth(period.year, period.month)),
  };
  while (!isWorkingDay(date)) date = addDays(date, -1);
  return date;
}

/**
 * The period people are reporting now: this month's once its window has opened, else last month's
 * (whose deadline has passed, so it is the one that may be overdue).
 */
export function currentPeriod(now: Date, timeZone: string, schedule: ScheduleConfig): Period {
  const today = civilDateInZone(now, timeZone);
  const thisMonth = { year: today.year, month: today.month };
  return today.day >= windowOpensOn(thisMonth, schedule).day ? thisMonth : previousPeriod(thisMonth);
}

/**
 * The year an answer, a page or a file is about when none is named: the current period's. So in January,
 * until its window opens, it is last year, whose December is still being reported.
 */
export function reportingYear(now: Date, timeZone: string, schedule: ScheduleConfig): number {
  return currentPeriod(now, timeZone, schedule).year;
}

/** The months of a new year during which the self-evaluation draft is, by default, of the year before. */
const DRAFT_MONTHS_AFTER_YEAR_END = 3;

/**
 * The year the self-evaluation draft (自评报告) is of when none is named: the year before during the first
 * quarter, when an office writes the finished year's, else the current year (drafted as of its last month).
 */
export function draftYear(now: Date, timeZone: string): number {
  const today = civilDateInZone(now, timeZone);
  return today.month <= DRAFT_MONTHS_AFTER_YEAR_END ? today.year - 1 : today.year;
}
