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
