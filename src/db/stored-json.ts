import { z } from 'zod';
import { AppError } from '../core/errors.js';
import type { CheckConfig, ScheduleConfig } from '../core/org/parse.js';

/*
 * JSON the database stores is parsed where it is read, never cast: a row that does not parse (written by
 * hand, by an older version, or damaged) is an AppError naming the row and what is wrong with it, at the
 * moment it is read, not a crash somewhere later.
 */

const clock = z.string().regex(/^\d{2}:\d{2}$/);

const scheduleSchema = z.object({
  windowOpensDay: z.number().int(),
  deadline: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('last_working_day') }),
    z.object({ kind: z.literal('day_of_month'), day: z.number().int() }),
  ]),
  remindWorkingDaysBefore: z.array(z.number().int()),
  deadlineReminderTime: clock,
  overdueReminderDays: z.number().int(),
  escalateAfterWorkingDays: z.number().int(),
  quietHours: z.object({ start: clock, end: clock }),
}) satisfies z.ZodType<ScheduleConfig>;

/** A stored value against its schema; `row` names it in the error (`section monitoring, schedule`). */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, row: string): T {
  const parsed = schema.safeParse(typeof value === 'string' ? safeJson(value) : value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(the value)'}: ${issue.message}`).join('; ');
  throw new AppError('internal', `stored ${row} does not parse: ${problems}`, { details: { row } });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stored schedule (the organisation's, or a section's override). */
export function parseSchedule(value: unknown, row: string): ScheduleConfig {
  return parseStored(scheduleSchema, value, row);
}

/** A section's override, or undefined when it has none. */
export function parseSectionSchedule(section: { key: string; schedule: unknown }): ScheduleConfig | undefined {
  return section.schedule === null || section.schedule === undefined
    ? undefined
    : parseSchedule(section.schedule, `schedule of section ${section.key}`);
}

const checksSchema = z.array(
  z.object({
    left: z.string(),
    op: z.enum(['<=', '>=', '<', '>']),
    right: z.string(),
    message: z.string().optional(),
  }),
) satisfies z.ZodType<CheckConfig[]>;

/** The relations between indicators the organisation file declares (`checks:`); none when never stored. */
export function parseChecks(value: unknown, row: string): CheckConfig[] {
  return value === null || value === undefined ? [] : parseStored(checksSchema, value, row);
}
