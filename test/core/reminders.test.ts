import { describe, expect, it } from 'vitest';
import { hasOfficialCalendar } from '../../src/core/calendar.js';
import { deadlineOf, windowOpensOn } from '../../src/core/schedule.js';
import { escalationStep, reminderSteps } from '../../src/core/reminders.js';
import { DEFAULT_SCHEDULE, TZ, local, scheduleWith, showStep, timeline, weekdayDate } from '../helpers/reminder-timeline.js';

/*
 * The reminder timeline of one period (docs/product.md, Reminders): when each step falls, on China's
 * official working days. The expected dates were read off the State Council's holiday notices.
 */

const NOV_2026 = { year: 2026, month: 11 };

describe('the reminder timeline under the defaults', () => {
  it('has the defaults of docs/product.md: opens on the 20th, deadline the last working day, 09:00, quiet 21:00–08:00', () => {
    expect(DEFAULT_SCHEDULE).toEqual({
      windowOpensDay: 20,
      deadline: { kind: 'last_working_day' },
      remindWorkingDaysBefore: [3, 1],
      deadlineReminderTime: '09:00',
      overdueReminderDays: 5,
      escalateAfterWorkingDays: 1,
      quietHours: { start: '21:00', end: '08:00' },
    });
  });

  it('opens November 2026 on Friday the 20th, reminds 3 and 1 working days before Monday the 30th, then 催报 on 5 working days', () => {
    expect(timeline(NOV_2026)).toEqual([
      'open Fri 2026-11-20 09:00',
      'before-3 Wed 2026-11-25 09:00',
      'before-1 Fri 2026-11-27 09:00',
      'deadline Mon 2026-11-30 09:00',
      'overdue-1 Tue 2026-12-01 09:00',
      'overdue-2 Wed 2026-12-02 09:00',
      'overdue-3 Thu 2026-12-03 09:00',
      'overdue-4 Fri 2026-12-04 09:00',
      'overdue-5 Mon 2026-12-07 09:00',
    ]);
  });

  it('escalates to the directors one working day after the deadline, and holds that until the 催报 are over', () => {
    const escalation = escalationStep(NOV_2026, DEFAULT_SCHEDULE, TZ);
    expect([showStep(escalation), local(escalation.until)]).toEqual(['escalation Tue 2026-12-01 09:00', 'Tue 2026-12-08 09:00']);
  });

  it('holds each step until the next is due, the deadline morning only for its day, and the last 催报 for one working day', () => {
    const steps = reminderSteps(NOV_2026, DEFAULT_SCHEDULE, TZ);
    expect(steps.map((step) => `${step.id} until ${local(step.until)}`)).toEqual([
      'open until Wed 2026-11-25 09:00',
      'before-3 until Fri 2026-11-27 09:00',
      'before-1 until Mon 2026-11-30 09:00',
      // "今天是截止日" is true on the 30th only.
      'deadline until Tue 2026-12-01 00:00',
      'overdue-1 until Wed 2026-12-02 09:00',
      'overdue-2 until Thu 2026-12-03 09:00',
      'overdue-3 until Fri 2026-12-04 09:00',
      'overdue-4 until Mon 2026-12-07 09:00',
      'overdue-5 until Tue 2026-12-08 09:00',
    ]);
  });

  it('follows a configured reminder time, reminder days, 催报 count and escalation delay', () => {
    const schedule = scheduleWith({ deadlineReminderTime: '10:30', remindWorkingDaysBefore: [5, 2], overdueReminderDays: 2, escalateAfterWorkingDays: 3 });
    expect(timeline(NOV_2026, schedule)).toEqual([
      'open Fri 2026-11-20 10:30',
      'before-5 Mon 2026-11-23 10:30',
      'before-2 Thu 2026-11-26 10:30',
      'deadline Mon 2026-11-30 10:30',
      'overdue-1 Tue 2026-12-01 10:30',
      'overdue-2 Wed 2026-12-02 10:30',
    ]);
    expect(showStep(escalationStep(NOV_2026, schedule, TZ))).toBe('escalation Thu 2026-12-03 10:30');
  });

  it('drops a reminder that would fall on or before the day the window opens', () => {
    // 2026-11: 8 working days before the 30th is the 18th, before the window opens on the 20th.
    expect(timeline(NOV_2026, scheduleWith({ remindWorkingDaysBefore: [8, 1], overdueReminderDays: 0 }))).toEqual([
      'open Fri 2026-11-20 09:00',
      'before-1 Fri 2026-11-27 09:00',
      'deadline Mon 2026-11-30 09:00',
    ]);
  });

  it('puts a deadline set as a day of the month on that day, or the last working day before it', () => {
    // 25 October 2026 is a Sunday: the deadline moves back to Friday the 23rd.
    const schedule = scheduleWith({ deadline: { kind: 'day_of_month', day: 25 }, windowOpensDay: 15 });
    expect(weekdayDate(deadlineOf({ year: 2026, month: 10 }, schedule))).toBe('Fri 2026-10-23');
    expect(timeline({ year: 2026, month: 10 }, schedule).slice(0, 4)).toEqual([
      'open Thu 2026-10-15 09:00',
      'before-3 Tue 2026-10-20 09:00',
      'before-1 Thu 2026-10-22 09:00',
      'deadline Fri 2026-10-23 09:00',
    ]);
  });
});

describe('a window that opens on a day off', () => {
  it('opens on the next working day when the 20th is a weekend (Sunday 20 December 2026 → Monday the 21st)', () => {
    expect(weekdayDate(windowOpensOn({ year: 2026, month: 12 }, DEFAULT_SCHEDULE))).toBe('Sun 2026-12-20');
    expect(timeline({ year: 2026, month: 12 })[0]).toBe('open Mon 2026-12-21 09:00');
  });

  it('opens on a make-up working Sunday (20 September 2026 is worked for National Day)', () => {
    expect(timeline({ year: 2026, month: 9 })[0]).toBe('open Sun 2026-09-20 09:00');
  });

  it('opens after the Spring Festival holiday when the 20th falls inside it (20 February 2026 → Tuesday the 24th)', () => {
    expect(timeline({ year: 2026, month: 2 })[0]).toBe('open Tue 2026-02-24 09:00');
  });
});

describe('holidays and make-up working days', () => {
  it('knows the official calendars of the years below', () => {
    for (const year of [2025, 2026]) expect(hasOfficialCalendar(year)).toBe(true);
  });

  it('counts the make-up Sunday 28 September 2025 before the deadline, and skips the National Day week after it', () => {
    expect(timeline({ year: 2025, month: 9 })).toEqual([
      'open Mon 2025-09-22 09:00',
      // Three working days before Tuesday the 30th: Monday 29th, the make-up Sunday 28th, Friday 26th.
      'before-3 Fri 2025-09-26 09:00',
      'before-1 Mon 2025-09-29 09:00',
      'deadline Tue 2025-09-30 09:00',
      // 1–8 October are off; Saturday 11 October is worked.
      'overdue-1 Thu 2025-10-09 09:00',
      'overdue-2 Fri 2025-10-10 09:00',
      'overdue-3 Sat 2025-10-11 09:00',
      'overdue-4 Mon 2025-10-13 09:00',
      'overdue-5 Tue 2025-10-14 09:00',
    ]);
    expect(showStep(escalationStep({ year: 2025, month: 9 }, DEFAULT_SCHEDULE, TZ))).toBe('escalation Thu 2025-10-09 09:00');
  });

  it('keeps September 2026 on the make-up days too: 催报 resume on 8 October and run on Saturday the 10th', () => {
    expect(timeline({ year: 2026, month: 9 }).slice(3)).toEqual([
      'deadline Wed 2026-09-30 09:00',
      'overdue-1 Thu 2026-10-08 09:00',
      'overdue-2 Fri 2026-10-09 09:00',
      'overdue-3 Sat 2026-10-10 09:00',
      'overdue-4 Mon 2026-10-12 09:00',
      'overdue-5 Tue 2026-10-13 09:00',
    ]);
  });

  it('sets February 2026 inside the Spring Festival: deadline on the make-up Saturday the 28th', () => {
    expect(timeline({ year: 2026, month: 2 })).toEqual([
      'open Tue 2026-02-24 09:00',
      'before-3 Wed 2026-02-25 09:00',
      'before-1 Fri 2026-02-27 09:00',
      'deadline Sat 2026-02-28 09:00',
      'overdue-1 Mon 2026-03-02 09:00',
      'overdue-2 Tue 2026-03-03 09:00',
      'overdue-3 Wed 2026-03-04 09:00',
      'overdue-4 Thu 2026-03-05 09:00',
      'overdue-5 Fri 2026-03-06 09:00',
    ]);
  });

  it('runs January 2026 催报 across the Spring Festival: the make-up Saturday 14 February counts, 15–23 February do not', () => {
    const long = scheduleWith({ overdueReminderDays: 12 });
    expect(timeline({ year: 2026, month: 1 }, long).slice(3)).toEqual([
      'deadline Fri 2026-01-30 09:00',
      'overdue-1 Mon 2026-02-02 09:00',
      'overdue-2 Tue 2026-02-03 09:00',
      'overdue-3 Wed 2026-02-04 09:00',
      'overdue-4 Thu 2026-02-05 09:00',
      'overdue-5 Fri 2026-02-06 09:00',
      'overdue-6 Mon 2026-02-09 09:00',
      'overdue-7 Tue 2026-02-10 09:00',
      'overdue-8 Wed 2026-02-11 09:00',
      'overdue-9 Thu 2026-02-12 09:00',
      'overdue-10 Fri 2026-02-13 09:00',
      'overdue-11 Sat 2026-02-14 09:00',
      'overdue-12 Tue 2026-02-24 09:00',
    ]);
  });

  it('ends January 2025 before the Spring Festival: deadline Monday the 27th, the day before on the make-up Sunday', () => {
    expect(timeline({ year: 2025, month: 1 })).toEqual([
      'open Mon 2025-01-20 09:00',
      'before-3 Thu 2025-01-23 09:00',
      'before-1 Sun 2025-01-26 09:00',
      'deadline Mon 2025-01-27 09:00',
      // 28 January – 4 February are off; Saturday 8 February is worked.
      'overdue-1 Wed 2025-02-05 09:00',
      'overdue-2 Thu 2025-02-06 09:00',
      'overdue-3 Fri 2025-02-07 09:00',
      'overdue-4 Sat 2025-02-08 09:00',
      'overdue-5 Mon 2025-02-10 09:00',
    ]);
  });
});
