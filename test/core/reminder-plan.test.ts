import { describe, expect, it } from 'vitest';
import {
  type PlannedReminder,
  type ReminderSection,
  currentStep,
  outsideQuietHours,
  planReminders,
  reminderSteps,
  sendableAt,
} from '../../src/core/reminders.js';
import type { ScheduleConfig } from '../../src/core/org/parse.js';
import { DEFAULT_SCHEDULE, TZ, local, scheduleWith, shanghai } from '../helpers/reminder-timeline.js';

/*
 * Who is reminded of what at a moment: the current step only (a catch-up after downtime is one message,
 * not one per missed step), only to people whose section still owes figures, never in quiet hours.
 */

const NOV_2026 = { year: 2026, month: 11 };
const QUIET = DEFAULT_SCHEDULE.quietHours;

function section(key: string, reporters: string[], missing: string[], schedule: ScheduleConfig = DEFAULT_SCHEDULE): ReminderSection {
  return { key, schedule, missing, reporters };
}

/** Three sections of the bureau: 运行监测股 owes one figure, 科技计划股 two, 中小企业局 nothing. */
const BUREAU = [
  section('monitoring', ['wang', 'zhou'], ['new_above_scale_firms']),
  section('sci_plan', ['liu', 'huang'], ['new_rd_institutions', 'rd_share_of_gdp']),
  section('sme_bureau', ['zhao'], []),
];

function plan(now: string, sections = BUREAU, period = NOV_2026): PlannedReminder[] {
  return planReminders({ now: shanghai(now), timeZone: TZ, period, sections, directors: ['director', 'deputy'] });
}

/** 'wang before-3, sends Wed 2026-11-25 09:00' */
const readable = (reminders: PlannedReminder[]) => reminders.map((r) => `${r.memberKey} ${r.step}, sends ${local(r.sendAt)}`);

describe('quiet hours', () => {
  it('move a moment inside 21:00–08:00 to 08:00, the next morning when it is before midnight', () => {
    const moved = (at: string) => local(outsideQuietHours(shanghai(at), QUIET, TZ));
    expect(moved('2026-11-25 22:00')).toBe('Thu 2026-11-26 08:00');
    expect(moved('2026-11-25 21:00')).toBe('Thu 2026-11-26 08:00');
    expect(moved('2026-11-26 03:15')).toBe('Thu 2026-11-26 08:00');
    expect(moved('2026-11-30 23:59')).toBe('Tue 2026-12-01 08:00');
  });

  it('leave a moment outside them alone, the edges included', () => {
    for (const at of ['2026-11-25 08:00', '2026-11-25 09:00', '2026-11-25 20:59']) {
      expect(local(outsideQuietHours(shanghai(at), QUIET, TZ))).toBe(local(shanghai(at)));
    }
  });

  it('follow a custom span, within one day or across midnight', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(local(outsideQuietHours(shanghai('2026-11-25 12:30'), lunch, TZ))).toBe('Wed 2026-11-25 14:00');
    expect(local(outsideQuietHours(shanghai('2026-11-25 14:00'), lunch, TZ))).toBe('Wed 2026-11-25 14:00');
    expect(local(outsideQuietHours(shanghai('2026-11-25 23:30'), lunch, TZ))).toBe('Wed 2026-11-25 23:30');
    const night = { start: '22:30', end: '07:15' };
    expect(local(outsideQuietHours(shanghai('2026-11-25 22:00'), night, TZ))).toBe('Wed 2026-11-25 22:00');
    expect(local(outsideQuietHours(shanghai('2026-11-25 22:30'), night, TZ))).toBe('Thu 2026-11-26 07:15');
  });

  it('hold a catch-up made at 22:00 until 08:00 the next morning', () => {
    expect(readable(plan('2026-11-25 22:00'))).toEqual([
      'wang before-3, sends Thu 2026-11-26 08:00',
      'zhou before-3, sends Thu 2026-11-26 08:00',
      'liu before-3, sends Thu 2026-11-26 08:00',
      'huang before-3, sends Thu 2026-11-26 08:00',
    ]);
    // The reminder is still the 09:00 one: its key is the same as if it had gone out on time.
    expect(plan('2026-11-25 22:00')[0]?.dueAt).toEqual(shanghai('2026-11-25 09:00'));
  });

  it('hold reminders due inside a section\'s own quiet span until it ends', () => {
    const lateStart = [section('monitoring', ['wang'], ['industrial_investment'], scheduleWith({ quietHours: { start: '18:00', end: '09:30' } }))];
    expect(readable(plan('2026-11-25 09:00', lateStart))).toEqual(['wang before-3, sends Wed 2026-11-25 09:30']);
  });

  it('drop a catch-up that could only arrive after its step: "today is the deadline" is not sent the next morning', () => {
    expect(plan('2026-11-30 22:00')).toEqual([]);
    expect(readable(plan('2026-12-01 09:00')).slice(0, 1)).toEqual(['wang overdue-1, sends Tue 2026-12-01 09:00']);
  });

  it('leave a catch-up to the next step when that one is due within hours: one reminder, not two an hour apart', () => {
    const reporters = (at: string) => readable(plan(at)).filter((line) => !/^(director|deputy) /.test(line));
    // Started at 08:58 on the deadline day: Friday's reminder is not caught up two minutes before the deadline morning's.
    expect(reporters('2026-11-30 08:58')).toEqual([]);
    expect(reporters('2026-11-30 09:00').slice(0, 1)).toEqual(['wang deadline, sends Mon 2026-11-30 09:00']);
    // Started at 07:50: Wednesday's 催报, held by quiet hours till 08:00, would come an hour before Thursday's.
    expect(reporters('2026-12-03 07:50')).toEqual([]);
    expect(reporters('2026-12-03 09:00').slice(0, 1)).toEqual(['wang overdue-3, sends Thu 2026-12-03 09:00']);
    // Hours before the next step, a missed one still goes out, once.
    expect(reporters('2026-12-01 14:00').slice(0, 1)).toEqual(['wang overdue-1, sends Tue 2026-12-01 14:00']);
  });
});

describe('weekends and holidays', () => {
  const sendable = (at: string) => local(sendableAt(shanghai(at), DEFAULT_SCHEDULE, TZ));

  it('move a reminder off a weekend or holiday to the next working day at the reminder time', () => {
    expect(sendable('2026-12-05 10:00')).toBe('Mon 2026-12-07 09:00');
    expect(sendable('2026-12-04 22:00')).toBe('Mon 2026-12-07 09:00');
    expect(sendable('2026-10-03 10:00')).toBe('Thu 2026-10-08 09:00');
    expect(sendable('2026-09-27 10:00')).toBe('Mon 2026-09-28 09:00');
  });

  it('leave a working day alone, a make-up working Saturday (调休) included', () => {
    expect(sendable('2026-12-04 10:00')).toBe('Fri 2026-12-04 10:00');
    expect(sendable('2026-10-10 10:00')).toBe('Sat 2026-10-10 10:00');
  });

  it('drop a 催报 caught up on a Saturday: by Monday its step is over, and Monday\'s own goes instead', () => {
    // Friday's 催报 (overdue-4) holds until Monday 09:00; the escalation runs on until Tuesday, so it waits.
    expect(readable(plan('2026-12-05 10:00'))).toEqual([
      'director escalation, sends Mon 2026-12-07 09:00',
      'deputy escalation, sends Mon 2026-12-07 09:00',
    ]);
  });
});

describe('the current step', () => {
  const steps = reminderSteps(NOV_2026, DEFAULT_SCHEDULE, TZ);
  const current = (at: string) => currentStep(steps, shanghai(at))?.id;

  it('is nothing before the window opens, and the opening from 09:00 on the day it opens', () => {
    expect(current('2026-11-20 08:59')).toBeUndefined();
    expect(current('2026-11-20 09:00')).toBe('open');
    expect(current('2026-11-24 23:59')).toBe('open');
  });

  it('is only the latest step due after downtime, however many were missed', () => {
    // Down from the 20th to Thursday 3 December: open, before-3, before-1, deadline, overdue-1 and -2 were missed.
    expect(current('2026-12-03 14:00')).toBe('overdue-3');
    expect(readable(plan('2026-12-03 14:00')).filter((line) => line.startsWith('wang'))).toEqual(['wang overdue-3, sends Thu 2026-12-03 14:00']);
  });

  it('is nothing once the timeline is over: a stale step is not sent to anyone', () => {
    expect(current('2026-12-08 08:59')).toBe('overdue-5');
    expect(current('2026-12-08 09:00')).toBeUndefined();
    expect(plan('2026-12-10 09:00')).toEqual([]);
  });

  it('is nothing between the end of the deadline day and the first 催报, even across a holiday week', () => {
    const september = reminderSteps({ year: 2025, month: 9 }, DEFAULT_SCHEDULE, TZ);
    expect(currentStep(september, shanghai('2025-09-30 20:00'))?.id).toBe('deadline');
    expect(currentStep(september, shanghai('2025-10-03 10:00'))).toBeUndefined();
    expect(currentStep(september, shanghai('2025-10-09 09:00'))?.id).toBe('overdue-1');
  });
});

describe('who is reminded', () => {
  it('is every reporter of a section that still owes a figure, with what it owes', () => {
    const reminders = plan('2026-11-27 09:00');
    expect(reminders.map((r) => [r.memberKey, r.kind, r.step, r.sections])).toEqual([
      ['wang', 'before_deadline', 'before-1', [{ key: 'monitoring', missing: ['new_above_scale_firms'] }]],
      ['zhou', 'before_deadline', 'before-1', [{ key: 'monitoring', missing: ['new_above_scale_firms'] }]],
      ['liu', 'before_deadline', 'before-1', [{ key: 'sci_plan', missing: ['new_rd_institutions', 'rd_share_of_gdp'] }]],
      ['huang', 'before_deadline', 'before-1', [{ key: 'sci_plan', missing: ['new_rd_institutions', 'rd_share_of_gdp'] }]],
    ]);
  });

  it('is nobody once every section has reported', () => {
    const done = BUREAU.map((s) => ({ ...s, missing: [] }));
    for (const at of ['2026-11-20 09:00', '2026-11-30 09:00', '2026-12-01 09:00']) expect(plan(at, done)).toEqual([]);
  });

  it('keys each reminder by period, step and person, so that it goes out at most once', () => {
    expect(plan('2026-11-20 09:00').map((r) => r.dedupeKey)).toEqual([
      'reminder:2026-11:open:wang',
      'reminder:2026-11:open:zhou',
      'reminder:2026-11:open:liu',
      'reminder:2026-11:open:huang',
    ]);
  });

  it('escalates to the directors only, listing the overdue sections and nothing else', () => {
    const escalations = plan('2026-12-01 09:00').filter((r) => r.kind === 'escalation');
    expect(escalations.map((r) => [r.memberKey, r.dedupeKey, local(r.sendAt)])).toEqual([
      ['director', 'reminder:2026-11:escalation:director', 'Tue 2026-12-01 09:00'],
      ['deputy', 'reminder:2026-11:escalation:deputy', 'Tue 2026-12-01 09:00'],
    ]);
    for (const escalation of escalations) {
      expect(escalation.sections).toEqual([
        { key: 'monitoring', missing: ['new_above_scale_firms'] },
        { key: 'sci_plan', missing: ['new_rd_institutions', 'rd_share_of_gdp'] },
      ]);
    }
    expect(plan('2026-12-01 09:00').filter((r) => r.kind === 'overdue').map((r) => r.memberKey)).toEqual(['wang', 'zhou', 'liu', 'huang']);
  });

  it('does not escalate before it is due, nor once the 催报 are over', () => {
    expect(plan('2026-11-30 09:00').some((r) => r.kind === 'escalation')).toBe(false);
    expect(plan('2026-12-07 15:00').filter((r) => r.kind === 'escalation')).toHaveLength(2);
    expect(plan('2026-12-08 09:00')).toEqual([]);
  });

  it('runs each section on its own schedule: a section with a deadline on the 25th is overdue while others are not yet due', () => {
    const early = scheduleWith({ deadline: { kind: 'day_of_month', day: 25 } });
    const sections = [section('monitoring', ['wang'], ['industrial_investment']), section('sme_bureau', ['zhao'], ['sme_loans_issued'], early)];
    expect(readable(plan('2026-11-26 09:00', sections))).toEqual([
      // The current step of 运行监测股 is still Wednesday's before-3 (already sent then: the key stops it twice).
      'wang before-3, sends Thu 2026-11-26 09:00',
      'zhao overdue-1, sends Thu 2026-11-26 09:00',
      'director escalation, sends Thu 2026-11-26 09:00',
      'deputy escalation, sends Thu 2026-11-26 09:00',
    ]);
    expect(plan('2026-11-26 09:00', sections).find((r) => r.kind === 'escalation')?.sections).toEqual([{ key: 'sme_bureau', missing: ['sme_loans_issued'] }]);
  });
});
