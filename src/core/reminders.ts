import {
  type CivilDate,
  addDays,
  addWorkingDays,
  compareCivilDates,
  instantAt,
  isWorkingDay,
  nextWorkingDay,
  zonedParts,
} from './calendar.js';
import type { ScheduleConfig } from './org/parse.js';
import { type Period, formatPeriod, parsePeriod } from './period.js';
import { deadlineOf, windowOpensOn } from './schedule.js';

/*
 * Which reminders are due at a moment (docs/product.md, Reminders). Each period has one timeline per
 * section: the window opens, N working days before the deadline, the deadline morning, then a daily 催报
 * for a bounded number of working days; the directors get one escalation. Only the latest step that is
 * due counts — after downtime the current step goes out once, not every missed one — and each
 * reminder has a key that makes it go out at most once per person, period and step.
 */

export type ReminderKind = 'window_open' | 'before_deadline' | 'deadline_day' | 'overdue' | 'escalation';

export interface ReminderStep {
  kind: ReminderKind;
  /** Stable within a period: `open`, `before-3`, `deadline`, `overdue-2`, `escalation`. */
  id: string;
  dueAt: Date;
  /** After this the step is stale and no longer sent, even to someone who never got it. */
  until: Date;
}

export interface ReminderSection {
  key: string;
  schedule: ScheduleConfig;
  /** Indicator keys of the section with no figure for the period. */
  missing: string[];
  /** Section heads and staff: who is asked and reminded. */
  reporters: string[];
}

export interface ReminderPlanInput {
  now: Date;
  timeZone: string;
  period: Period;
  sections: ReminderSection[];
  directors: string[];
}

export interface PlannedReminder {
  kind: ReminderKind;
  period: Period;
  step: string;
  memberKey: string;
  /** The reporter's section; for an escalation, every overdue section. */
  sections: { key: string; missing: string[] }[];
  dueAt: Date;
  /** dueAt, or now for a late catch-up, moved past quiet hours. */
  sendAt: Date;
  /** The end of the step: after it the reminder is stale and must not go out any more. */
  until: Date;
  dedupeKey: string;
}

function timeOfDay(text: string): { hour: number; minute: number } {
  const [hour = 9, minute = 0] = text.split(':').map(Number);
  return { hour, minute };
}

function onWorkingDay(date: CivilDate): CivilDate {
  return isWorkingDay(date) ? date : nextWorkingDay(date);
}

/*
 * A period's timeline under a schedule is the same every minute it is asked for, and an organisation's
 * sections mostly share a schedule: planning a round of thousands every minute computed the same
 * working-day arithmetic hundreds of times. Timelines are remembered (bounded) and never changed.
 */
const remembered = new Map<string, readonly ReminderStep[]>();
const REMEMBERED_MAX = 2000;

function rememberedSteps(kind: string, period: Period, schedule: ScheduleConfig, timeZone: string, make: () => ReminderStep[]): readonly ReminderStep[] {
  const key = `${kind} ${formatPeriod(period)} ${timeZone} ${JSON.stringify(schedule)}`;
  let steps = remembered.get(key);
  if (!steps) {
    if (remembered.size >= REMEMBERED_MAX) remembered.clear();
    steps = Object.freeze(make().map((step) => Object.freeze(step)));
    remembered.set(key, steps);
  }
  return steps;
}

/** The reminder timeline of one period under one schedule, in order. */
export function reminderSteps(period: Period, schedule: ScheduleConfig, timeZone: string): readonly ReminderStep[] {
  return rememberedSteps('steps', period, schedule, timeZone, () => computeSteps(period, schedule, timeZone));
}

function computeSteps(period: Period, schedule: ScheduleConfig, timeZone: string): ReminderStep[] {
  const { hour, minute } = timeOfDay(schedule.deadlineReminderTime);
  const at = (date: CivilDate) => instantAt(date, hour, minute, timeZone);
  const deadline = deadlineOf(period, schedule);
  const opens = onWorkingDay(windowOpensOn(period, schedule));
  const steps: Omit<ReminderStep, 'until'>[] = [{ kind: 'window_open', id: 'open', dueAt: at(opens) }];
  for (const days of schedule.remindWorkingDaysBefore) {
    const date = addWorkingDays(deadline, -days);
    // A reminder before the window opens would ask for figures nobody is collecting yet.
    if (compareCivilDates(date, opens) > 0) steps.push({ kind: 'before_deadline', id: `before-${days}`, dueAt: at(date) });
  }
  steps.push({ kind: 'deadline_day', id: 'deadline', dueAt: at(deadline) });
  for (let day = 1; day <= schedule.overdueReminderDays; day += 1) {
    steps.push({ kind: 'overdue', id: `overdue-${day}`, dueAt: at(addWorkingDays(deadline, day)) });
  }
  steps.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  // Each step holds until the next is due; the last one for one working day. The deadline morning's
  // "today is the deadline" holds on that day only: a holiday week can lie between it and the first 催报.
  const end = at(addWorkingDays(deadline, schedule.overdueReminderDays + 1));
  const deadlineDayEnds = instantAt(addDays(deadline, 1), 0, 0, timeZone);
  return steps.map((step, index) => {
    const next = steps[index + 1]?.dueAt ?? end;
    const until = step.kind === 'deadline_day' && deadlineDayEnds < next ? deadlineDayEnds : next;
    return { ...step, until };
  });
}

/** The escalation to the directors: `escalateAfterWorkingDays` after the deadline. */
export function escalationStep(period: Period, schedule: ScheduleConfig, timeZone: string): ReminderStep {
  return rememberedSteps('escalation', period, schedule, timeZone, () => [computeEscalation(period, schedule, timeZone)])[0]!;
}

function computeEscalation(period: Period, schedule: ScheduleConfig, timeZone: string): ReminderStep {
  const { hour, minute } = timeOfDay(schedule.deadlineReminderTime);
  const deadline = deadlineOf(period, schedule);
  const date = addWorkingDays(deadline, schedule.escalateAfterWorkingDays);
  const until = addWorkingDays(deadline, Math.max(schedule.escalateAfterWorkingDays, schedule.overdueReminderDays) + 1);
  return {
    kind: 'escalation',
    id: 'escalation',
    dueAt: instantAt(date, hour, minute, timeZone),
    until: instantAt(until, hour, minute, timeZone),
  };
}

/** A reminder's dedupe key: at most one per period, step and person, ever. */
export function reminderKey(period: Period, step: string, memberKey: string): string {
  return `reminder:${formatPeriod(period)}:${step}:${memberKey}`;
}

/** What a reminder's dedupe key (`reminder:2026-11:before-3:wang`) says: its period, step and person. */
export function parseReminderKey(key: string): { period: Period; step: string; memberKey: string } | undefined {
  const match = /^reminder:(\d{4}-\d{2}):([^:]+):(.+)$/.exec(key);
  const period = match ? parsePeriod(match[1] ?? '') : undefined;
  return match && period?.ok ? { period: period.value, step: match[2] ?? '', memberKey: match[3] ?? '' } : undefined;
}

/** Moves a moment out of quiet hours (e.g. 21:00–08:00) to their end. */
export function outsideQuietHours(moment: Date, quiet: ScheduleConfig['quietHours'], timeZone: string): Date {
  const start = timeOfDay(quiet.start);
  const end = timeOfDay(quiet.end);
  const parts = zonedParts(moment, timeZone);
  const minutes = parts.hour * 60 + parts.minute;
  const from = start.hour * 60 + start.minute;
  const to = end.hour * 60 + end.minute;
  const spansMidnight = from > to;
  const inside = spansMidnight ? minutes >= from || minutes < to : minutes >= from && minutes < to;
  if (!inside) return moment;
  const endDay = spansMidnight && minutes >= from ? addDays(parts.date, 1) : parts.date;
  return instantAt(endDay, end.hour, end.minute, timeZone);
}

/**
 * When a reminder due at `moment` may go out: outside quiet hours and on a working day. One that would
 * land on a weekend or holiday (a catch-up after downtime, a retry) waits for the next working day's
 * reminder time — by then its step is usually over, and the next step's reminder goes instead.
 */
export function sendableAt(moment: Date, schedule: ScheduleConfig, timeZone: string): Date {
  const outside = outsideQuietHours(moment, schedule.quietHours, timeZone);
  const { date } = zonedParts(outside, timeZone);
  if (isWorkingDay(date)) return outside;
  const { hour, minute } = timeOfDay(schedule.deadlineReminderTime);
  return outsideQuietHours(instantAt(nextWorkingDay(date), hour, minute, timeZone), schedule.quietHours, timeZone);
}

/** The step due at `now` and not yet stale, if any: after downtime, only this one is caught up. */
export function currentStep(steps: readonly ReminderStep[], now: Date): ReminderStep | undefined {
  const time = now.getTime();
  return steps.find((step) => step.dueAt.getTime() <= time && time < step.until.getTime());
}

/** A step is not caught up when the next one is due sooner than this after it could go out. */
export const CATCH_UP_BEFORE_NEXT_MS = 3 * 3_600_000;

/** Every reminder due at `now` for one period, each to one person who still has something missing. */
export function planReminders(input: ReminderPlanInput): PlannedReminder[] {
  const { now, timeZone, period } = input;
  const planned: PlannedReminder[] = [];
  const sendAt = (dueAt: Date, schedule: ScheduleConfig) =>
    sendableAt(new Date(Math.max(dueAt.getTime(), now.getTime())), schedule, timeZone);

  for (const section of input.sections) {
    if (section.missing.length === 0) continue;
    const steps = reminderSteps(period, section.schedule, timeZone);
    const step = currentStep(steps, now);
    if (!step) continue;
    const sendsAt = sendAt(step.dueAt, section.schedule);
    // Held past the quiet hours beyond its step, it would arrive stale (a deadline-day reminder the day after).
    if (sendsAt >= step.until) continue;
    // A catch-up the next step follows within hours is left to that step: a bot started at 08:58 before the
    // 09:00 deadline-morning reminder, or one held by quiet hours till 08:00, sends one reminder, not two.
    const next = steps[steps.indexOf(step) + 1];
    if (next && next.dueAt.getTime() - sendsAt.getTime() < CATCH_UP_BEFORE_NEXT_MS) continue;
    for (const memberKey of section.reporters) {
      planned.push({
        kind: step.kind,
        period,
        step: step.id,
        memberKey,
        sections: [{ key: section.key, missing: section.missing }],
        dueAt: step.dueAt,
        sendAt: sendsAt,
        until: step.until,
        dedupeKey: reminderKey(period, step.id, memberKey),
      });
    }
  }

  const overdue = input.sections.filter((section) => {
    if (section.missing.length === 0) return false;
    return currentStep([escalationStep(period, section.schedule, timeZone)], now) !== undefined;
  });
  if (overdue.length > 0) {
    const first = overdue[0]!;
    const escalation = escalationStep(period, first.schedule, timeZone);
    for (const memberKey of input.directors) {
      planned.push({
        kind: 'escalation',
        period,
        step: escalation.id,
        memberKey,
        sections: overdue.map((section) => ({ key: section.key, missing: section.missing })),
        dueAt: escalation.dueAt,
        sendAt: sendAt(escalation.dueAt, first.schedule),
        until: escalation.until,
        dedupeKey: reminderKey(period, escalation.id, memberKey),
      });
    }
  }
  return planned;
}
