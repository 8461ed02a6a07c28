import { z } from 'zod';
import { Decimal, fitsStorage } from '../decimal.js';
import { INDICATOR_KINDS, LOCALES, ROLES } from '../domain.js';
import { UNITS } from '../units.js';

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const QUIET_HOURS_PATTERN = /^(\d\d:\d\d)\s*[-–~]\s*(\d\d:\d\d)$/;
const IDENTITY_PATTERN = /^([a-z][a-z0-9_-]*):(\S+)$/;

/** A closed list whose error names the offending value and every allowed one. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `unknown ${what} "${String(issue.input)}"; expected one of ${values.join(', ')}`,
  });
}

const key = z.string().regex(KEY_PATTERN, {
  error: (issue) => `not a key: "${String(issue.input)}"; keys are ASCII letters, digits, "_" and "-"`,
});
const text = z.string().trim().min(1, 'must not be empty');

/** An exact decimal from a YAML number or a numeric string, kept as canonical text ("0.66"), never a float. */
export const decimalTextSchema = z
  .union([z.number(), z.string()], { error: (issue) => (issue.input === undefined ? undefined : 'expected a number') })
  .transform((input, ctx) => {
    const source = typeof input === 'number' ? String(input) : input.trim();
    if (DECIMAL_PATTERN.test(source) && fitsStorage(new Decimal(source))) return new Decimal(source).toFixed();
    if (DECIMAL_PATTERN.test(source)) {
      ctx.addIssue({ code: 'custom', message: `${source} is too large or too precise (at most 20 digits before the point, 10 after)`, input });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: `not a number: "${source}"`, input });
    return z.NEVER;
  });

function isTimeZone(name: string): boolean {
  // Intl is the only authority on zone names and it answers by throwing.
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const clockTime = z.string().regex(TIME_PATTERN, { error: 'expected a time of day like "09:00"' });

const quietHours = z.string().transform((input, ctx) => {
  const match = QUIET_HOURS_PATTERN.exec(input.trim());
  const [start, end] = [match?.[1] ?? '', match?.[2] ?? ''];
  if (TIME_PATTERN.test(start) && TIME_PATTERN.test(end) && start !== end) return `${start}-${end}`;
  ctx.addIssue({ code: 'custom', message: `expected a span like "21:00-08:00", got "${input}"`, input });
  return z.NEVER;
});

const scheduleFields = {
  window_opens_day: z.int().min(1).max(28),
  deadline: z.union([z.literal('last_working_day'), z.int().min(1).max(31)], {
    error: (issue) =>
      issue.input === undefined ? undefined : 'expected "last_working_day" or a day of the month (1–31)',
  }),
  remind_working_days_before: z.array(z.int().positive()),
  deadline_reminder_time: clockTime,
  overdue_reminder_days: z.int().nonnegative(),
  escalate_after_working_days: z.int().nonnegative(),
  quiet_hours: quietHours,
};

/** The organisation-wide reminder schedule (PRODUCT.md §3); every field has a default. */
export const scheduleSchema = z.strictObject({
  window_opens_day: scheduleFields.window_opens_day.default(20),
  deadline: scheduleFields.deadline.default('last_working_day'),
  remind_working_days_before: scheduleFields.remind_working_days_before.default([3, 1]),
  deadline_reminder_time: scheduleFields.deadline_reminder_time.default('09:00'),
  overdue_reminder_days: scheduleFields.overdue_reminder_days.default(5),
  escalate_after_working_days: scheduleFields.escalate_after_working_days.default(1),
  quiet_hours: scheduleFields.quiet_hours.default('21:00-08:00'),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** A section's override: only the fields it names replace the organisation-wide ones. */
export const scheduleOverrideSchema = z.strictObject(scheduleFields).partial();

const identity = z.string().superRefine((value, ctx) => {
  const match = IDENTITY_PATTERN.exec(value);
  const expected = 'expected "telegram:<digits>", "wechat:<id>" or "<channel>:<id>"';
  if (!match) ctx.addIssue({ code: 'custom', message: `not a chat identity: "${value}"; ${expected}` });
  else if (match[1] === 'telegram' && !/^\d+$/.test(match[2] ?? ''))
    ctx.addIssue({ code: 'custom', message: `a Telegram identity is "telegram:" and the numeric user id: "${value}"` });
});

export const sectionSchema = z.strictObject({
  key,
  name: text,
  schedule: scheduleOverrideSchema.optional(),
});

export const memberSchema = z.strictObject({
  key,
  name: text,
  roles: z.array(oneOf(ROLES, 'role')).min(1, 'needs at least one role'),
  section: key.optional(),
  locale: oneOf(LOCALES, 'locale').default('zh-CN'),
  identities: z.array(identity).default([]),
});

export const indicatorSchema = z.strictObject({
  key,
  name: text,
  name_en: text,
  section: key,
  kind: oneOf(INDICATOR_KINDS, 'kind'),
  unit: oneOf(UNITS, 'unit'),
  decimals: z.int().min(0).max(6).default(2),
  aliases: z.array(text).default([]),
  min: decimalTextSchema.optional(),
  max: decimalTextSchema.optional(),
});

export const targetSchema = z.strictObject({
  indicator: key,
  year: z.int().min(2000).max(2100),
  value: decimalTextSchema,
  set_by: text.optional(),
});

/** The organisation file (PRODUCT.md §4) as written by administrators; unknown keys are refused. */
export const orgFileSchema = z.strictObject({
  organisation: z.strictObject({
    name: text,
    timezone: z
      .string()
      .refine(isTimeZone, { error: (issue) => `unknown time zone "${String(issue.input)}"` })
      .default('Asia/Shanghai'),
  }),
  schedule: scheduleSchema.prefault({}),
  sections: z.array(sectionSchema).min(1, 'needs at least one section'),
  members: z.array(memberSchema).default([]),
  indicators: z.array(indicatorSchema).default([]),
  targets: z.array(targetSchema).default([]),
});
export type OrgFile = z.infer<typeof orgFileSchema>;

/** Where a field sits in the file: ["indicators", 3, "unit"]. */
export type FieldPath = (string | number)[];

/** A problem the schema alone cannot see: references, duplicates and clashes across entries. */
export interface CrossCheckIssue {
  path: FieldPath;
  message: string;
}

type Entry = Record<string, unknown> | undefined;

function entries(raw: unknown, list: string): Entry[] {
  const items = isRecord(raw) ? raw[list] : undefined;
  return Array.isArray(items) ? items.map((item) => (isRecord(item) ? item : undefined)) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (entry: Entry, field: string): string | undefined =>
  typeof entry?.[field] === 'string' ? (entry[field] as string) : undefined;

const strings = (entry: Entry, field: string): (string | undefined)[] => {
  const value = entry?.[field];
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : undefined)) : [];
};

// Chat matching folds width and case, so "５G" and "5g" are the same word to a user.
const term = (word: string): string => word.normalize('NFKC').trim().toLowerCase();

/**
 * Checks that span entries: duplicate keys, unknown references, duplicate targets, shared identities,
 * clashing indicator names/aliases, min > max, sectionless section staff. Reads the raw document
 * defensively so these are reported together with the schema's own problems.
 */
export function crossCheckOrgFile(raw: unknown): CrossCheckIssue[] {
  const issues: CrossCheckIssue[] = [];
  const report = (path: FieldPath, message: string) => issues.push({ path, message });
  const sections = entries(raw, 'sections');
  const members = entries(raw, 'members');
  const indicators = entries(raw, 'indicators');

  for (const [list, items] of [['sections', sections], ['members', members], ['indicators', indicators]] as const) {
    const firstAt = new Map<string, number>();
    items.forEach((entry, index) => {
      const k = str(entry, 'key');
      if (k === undefined) return;
      const first = firstAt.get(k);
      if (first === undefined) firstAt.set(k, index);
      else report([list, index, 'key'], `duplicate key "${k}"; already used by ${list}[${first}]`);
    });
  }

  const sectionKeys = new Set(sections.map((s) => str(s, 'key')).filter((k) => k !== undefined));
  const knownSections = [...sectionKeys].join(', ');
  const checkSection = (list: string, index: number, entry: Entry) => {
    const section = str(entry, 'section');
    if (section !== undefined && isRecord(raw) && Array.isArray(raw.sections) && !sectionKeys.has(section))
      report([list, index, 'section'], `unknown section "${section}"; known sections: ${knownSections}`);
  };

  const identityOwner = new Map<string, string>();
  members.forEach((member, index) => {
    checkSection('members', index, member);
    const roles = strings(member, 'roles');
    if (str(member, 'section') === undefined && (roles.includes('section_head') || roles.includes('staff')))
      report(['members', index, 'section'], 'required for a section_head or staff member');
    const name = str(member, 'key') ?? `members[${index}]`;
    strings(member, 'identities').forEach((id, i) => {
      if (id === undefined) return;
      const owner = identityOwner.get(id);
      if (owner === undefined) identityOwner.set(id, name);
      else report(['members', index, 'identities', i], `identity "${id}" is already claimed by member "${owner}"`);
    });
  });

  const termOwner = new Map<string, { key: string; what: string }>();
  indicators.forEach((indicator, index) => {
    checkSection('indicators', index, indicator);
    const name = str(indicator, 'key') ?? `indicators[${index}]`;
    const words: [FieldPath, string, string | undefined][] = [
      [['indicators', index, 'name'], 'name', str(indicator, 'name')],
      [['indicators', index, 'name_en'], 'English name', str(indicator, 'name_en')],
      ...strings(indicator, 'aliases').map((a, i): [FieldPath, string, string | undefined] => [
        ['indicators', index, 'aliases', i], 'alias', a,
      ]),
    ];
    for (const [path, what, word] of words) {
      if (word === undefined || term(word) === '') continue;
      const owner = termOwner.get(term(word));
      if (owner === undefined) termOwner.set(term(word), { key: name, what });
      else if (owner.key !== name)
        report(path, `${what} "${word}" clashes with the ${owner.what} of indicator ${owner.key}`);
    }
    const min = decimalTextSchema.safeParse(indicator?.min);
    const max = decimalTextSchema.safeParse(indicator?.max);
    if (min.success && max.success && new Decimal(min.data).greaterThan(max.data))
      report(['indicators', index, 'min'], `min ${min.data} is greater than max ${max.data}`);
  });

  const indicatorKeys = new Set(indicators.map((i) => str(i, 'key')));
  const targetAt = new Map<string, number>();
  entries(raw, 'targets').forEach((target, index) => {
    const indicator = str(target, 'indicator');
    if (indicator === undefined) return;
    if (!indicatorKeys.has(indicator)) report(['targets', index, 'indicator'], `unknown indicator "${indicator}"`);
    const year = target?.year;
    if (typeof year !== 'number') return;
    const first = targetAt.get(`${indicator}@${year}`);
    if (first === undefined) targetAt.set(`${indicator}@${year}`, index);
    else report(['targets', index], `duplicate target for ${indicator} in ${year}; already set by targets[${first}]`);
  });
  return issues;
}
