import { type CivilDate, dayOfWeek, formatCivilDate, instantAt, zonedParts } from '../../src/core/calendar.js';
import { type ScheduleConfig, parseOrgFile } from '../../src/core/org/parse.js';
import type { Period } from '../../src/core/period.js';
import { type ReminderStep, reminderSteps } from '../../src/core/reminders.js';

/*
 * Reminder timelines as a person in the bureau reads them: 'before-3 Fri 2025-09-26 09:00', wall-clock
 * time in Asia/Shanghai. Shared by the planner's tests and the month-long walks through the database.
 */

export const TZ = 'Asia/Shanghai';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The schedule of a file that says nothing about it: every default (docs/product.md, The organisation file). */
export const DEFAULT_SCHEDULE: ScheduleConfig = (() => {
  const parsed = parseOrgFile('organisation:\n  name: 测试局\nsections:\n  - key: s\n    name: 股\n');
  if (!parsed.ok) throw new Error('the minimal organisation file does not parse');
  return parsed.value.schedule;
})();

/** The instant a wall clock in Asia/Shanghai shows `text` ('2026-11-25 22:00'). */
export function shanghai(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`not 'YYYY-MM-DD HH:MM': ${text}`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return instantAt({ year, month, day }, hour, minute, TZ);
}

/** 'Fri 2025-09-26 09:00' in Asia/Shanghai. */
export function local(instant: Date): string {
  const { date, hour, minute } = zonedParts(instant, TZ);
  return `${WEEKDAYS[dayOfWeek(date)]} ${formatCivilDate(date)} ${pad(hour)}:${pad(minute)}`;
}

/** 'Fri 2025-09-26' */
export function weekdayDate(date: CivilDate): string {
  return `${WEEKDAYS[dayOfWeek(date)]} ${formatCivilDate(date)}`;
}

/** One step as 'before-3 Fri 2025-09-26 09:00'. */
export const showStep = (step: ReminderStep) => `${step.id} ${local(step.dueAt)}`;

/** A period's reminder timeline, one line per step. */
export function timeline(period: Period, schedule: ScheduleConfig = DEFAULT_SCHEDULE): string[] {
  return reminderSteps(period, schedule, TZ).map(showStep);
}

/** The defaults with some fields changed. */
export function scheduleWith(changes: Partial<ScheduleConfig>): ScheduleConfig {
  return { ...DEFAULT_SCHEDULE, ...changes };
}
