import { z } from 'zod';
import { Decimal, fitsStorage } from '../decimal.js';
import { FREQUENCIES, INDICATOR_KINDS, LOCALES, ROLES } from '../domain.js';
import type { ProblemParams } from '../problems.js';
import { UNITS, defaultDecimals, isUnit, isWholeUnit } from '../units.js';
import { parseRelationRule } from './checks.js';
import { closestKey } from './near-words.js';
import type { FieldPath, OrgIssue, OrgProblemCode, OrgProblemTerm } from './problems.js';

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const QUIET_HOURS_PATTERN = /^(\d\d:\d\d)\s*[-–~]\s*(\d\d:\d\d)$/;
const IDENTITY_PATTERN = /^([a-z][a-z0-9_-]*):(\S+)$/;
// A month as commands write it: 2027-01 (2027-1 too).
const MONTH_PATTERN = /^(\d{4})-(\d{1,2})$/;

/*
 * Every message of this schema is a problem code (problems.ts), never a sentence: the problem takes the
 * offending value, and for a closed list the allowed ones, from the zod issue (issues.ts).
 */
const problem = (code: OrgProblemCode) => code;

const key = z.string().regex(KEY_PATTERN, problem('not_a_key'));
const text = z.string().trim().min(1, problem('empty'));

/** An exact decimal from a YAML number or a numeric string, kept as canonical text ("0.66"), never a float. */
export const decimalTextSchema = z
  .union([z.number(), z.string()], problem('not_a_number'))
  .transform((input, ctx) => {
    const source = typeof input === 'number' ? String(input) : input.trim();
    if (DECIMAL_PATTERN.test(source) && fitsStorage(new Decimal(source))) return new Decimal(source).toFixed();
    const code = DECIMAL_PATTERN.test(source) ? 'number_too_large' : 'not_a_number';
    ctx.addIssue({ code: 'custom', message: problem(code), input: source });
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

const clockTime = z.string().regex(TIME_PATTERN, problem('not_a_time'));

/**
 * A month `2027-01`, as its canonical text. YAML reads an unquoted `2027-01` as text; a number
 * (`202701`, `2027.01`) reaches here as the source text it was written as (parse.ts keeps it).
 */
const month = z.string().transform((input, ctx) => {
  const match = MONTH_PATTERN.exec(input.trim());
  const [year, monthOfYear] = [Number(match?.[1]), Number(match?.[2])];
  if (match && year >= 2000 && year <= 2100 && monthOfYear >= 1 && monthOfYear <= 12) return `${year}-${String(monthOfYear).padStart(2, '0')}`;
  ctx.addIssue({ code: 'custom', message: problem('not_a_month'), input });
  return z.NEVER;
});

const quietHours = z.string().transform((input, ctx) => {
  const match = QUIET_HOURS_PATTERN.exec(input.trim());
  const [start, end] = [match?.[1] ?? '', match?.[2] ?? ''];
  if (TIME_PATTERN.test(start) && TIME_PATTERN.test(end) && start !== end) return `${start}-${end}`;
  ctx.addIssue({ code: 'custom', message: problem('bad_quiet_hours'), input });
  return z.NEVER;
});

const scheduleFields = {
  window_opens_day: z.int().min(1).max(28),
  deadline: z.union([z.literal('last_working_day'), z.int().min(1).max(31)], problem('bad_deadline')),
  remind_working_days_before: z.array(z.int().positive()),
  deadline_reminder_time: clockTime,
  overdue_reminder_days: z.int().nonnegative(),
  escalate_after_working_days: z.int().nonnegative(),
  quiet_hours: quietHours,
};

/** The organisation-wide reminder schedule (docs/product.md, Reminders); every field has a default. */
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
  if (!match) ctx.addIssue({ code: 'custom', message: problem('not_an_identity'), input: value });
  else if (match[1] === 'telegram' && !/^\d+$/.test(match[2] ?? ''))
    ctx.addIssue({ code: 'custom', message: problem('bad_telegram_identity'), input: value });
});

export const sectionSchema = z.strictObject({
  key,
  name: text,
  // Optional, as an indicator's: English readers see the section by it, else by `name`.
  name_en: text.optional(),
  schedule: scheduleOverrideSchema.optional(),
});

export const memberSchema = z.strictObject({
  key,
  name: text,
  roles: z.array(z.enum(ROLES, problem('unknown_role'))).min(1, problem('no_roles')),
  section: key.optional(),
  locale: z.enum(LOCALES, problem('unknown_locale')).default('zh-CN'),
  identities: z.array(identity).default([]),
});

export const indicatorSchema = z.strictObject({
  key,
  name: text,
  // Optional: a bureau with no English reader need not write one; English readers then see the name.
  name_en: text.optional(),
  section: key,
  kind: z.enum(INDICATOR_KINDS, problem('unknown_kind')),
  unit: z.enum(UNITS, problem('unknown_unit')),
  // Optional: counts (家, 个, 户 …) are whole, shown without decimals; other units with two (`defaultDecimals`).
  decimals: z.int().min(0).max(6).optional(),
  aliases: z.array(text).default([]),
  min: decimalTextSchema.optional(),
  max: decimalTextSchema.optional(),
  unit_en: text.optional(),
  // 报送起始月: the first period the indicator's figure is owed (an indicator new next year); absent, every period.
  from: month.optional(),
  // 报送频率: quarterly figures are owed at quarter ends only (3, 6, 9, 12月); absent, every month.
  frequency: z.enum(FREQUENCIES, problem('unknown_frequency')).optional(),
  // 不按序时进度考核: false for a seasonal indicator; absent or true, set against 序时进度.
  time_progress: z.boolean().optional(),
});

export const targetSchema = z.strictObject({
  indicator: key,
  year: z.int().min(2000).max(2100),
  value: decimalTextSchema,
  set_by: text.optional(),
});

/** A relation between two indicators' figures of the same period: `rule: industrial_value_added <= industrial_output_value`. */
export const checkSchema = z.strictObject({
  rule: z.string().refine((rule) => parseRelationRule(rule) !== undefined, problem('bad_rule')),
  message: text.optional(),
});

/** The organisation file (docs/product.md, The organisation file) as administrators write it; no unknown keys. */
export const orgFileSchema = z.strictObject({
  organisation: z.strictObject({
    name: text,
    name_en: text.optional(),
    timezone: z
      .string()
      .refine(isTimeZone, problem('unknown_time_zone'))
      .default('Asia/Shanghai'),
  }),
  schedule: scheduleSchema.prefault({}),
  sections: z.array(sectionSchema).min(1, problem('no_sections')),
  members: z.array(memberSchema).default([]),
  indicators: z.array(indicatorSchema).default([]),
  targets: z.array(targetSchema).default([]),
  checks: z.array(checkSchema).default([]),
});
export type OrgFile = z.infer<typeof orgFileSchema>;

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
 * Checks that span entries: duplicate keys, sections or members of the same name, unknown references, duplicate targets, shared identities,
 * clashing indicator names/aliases, min > max, sectionless section staff. Reads the raw document
 * defensively so these are reported together with the schema's own problems.
 */
export function crossCheckOrgFile(raw: unknown): OrgIssue[] {
  const issues: OrgIssue[] = [];
  const report = (path: FieldPath, code: OrgProblemCode, params: ProblemParams = {}) => issues.push({ path, code, params });
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
      else report([list, index, 'key'], 'duplicate_key', { key: k, first: `${list}[${first}]` });
    });
  }
  // Directors name sections and people in chat (催一下王伟, 运行监测股报了吗), and lists and exports show
  // names: two of the same name could not be told apart. A section's English name is its name to English
  // readers, so it may be neither another section's English name nor its name.
  for (const [list, items, fields] of [['sections', sections, ['name', 'name_en']], ['members', members, ['name']]] as const) {
    const firstAt = new Map<string, number>();
    items.forEach((entry, index) => {
      for (const field of fields) {
        const name = str(entry, field);
        if (name === undefined || term(name) === '') continue;
        const first = firstAt.get(term(name));
        if (first === undefined) firstAt.set(term(name), index);
        // A section whose English name repeats its own name is one section, not two of one name.
        else if (first !== index) report([list, index, field], 'duplicate_name', { name, first: `${list}[${first}]` });
      }
    });
  }

  const sectionKeys = new Set(sections.map((s) => str(s, 'key')).filter((k) => k !== undefined));
  const checkSection = (list: string, index: number, entry: Entry) => {
    const section = str(entry, 'section');
    if (section === undefined || !isRecord(raw) || !Array.isArray(raw.sections) || sectionKeys.has(section)) return;
    const named = keyNamed(sections, section, ['name', 'name_en']);
    if (named !== undefined) report([list, index, 'section'], 'name_not_key', { value: section, key: named });
    else {
      // yunying for yunxing: the key a slip or two away, or one it begins, named with the others.
      const suggestion = closestKey(section, [...sectionKeys].filter((key): key is string => key !== undefined));
      if (suggestion !== undefined) report([list, index, 'section'], 'unknown_section_suggest', { section, suggestion, known: [...sectionKeys] });
      else report([list, index, 'section'], 'unknown_section', { section, known: [...sectionKeys] });
    }
  };

  const identityOwner = new Map<string, string>();
  members.forEach((member, index) => {
    checkSection('members', index, member);
    const roles = strings(member, 'roles');
    if (str(member, 'section') === undefined && (roles.includes('section_head') || roles.includes('staff')))
      report(['members', index, 'section'], 'section_required');
    const name = str(member, 'key') ?? `members[${index}]`;
    strings(member, 'identities').forEach((id, i) => {
      if (id === undefined) return;
      const owner = identityOwner.get(id);
      if (owner === undefined) identityOwner.set(id, name);
      else report(['members', index, 'identities', i], 'identity_taken', { identity: id, member: owner });
    });
  });

  const termOwner = new Map<string, { key: string; field: OrgProblemTerm }>();
  indicators.forEach((indicator, index) => {
    checkSection('indicators', index, indicator);
    const name = str(indicator, 'key') ?? `indicators[${index}]`;
    const words: [FieldPath, OrgProblemTerm, string | undefined][] = [
      [['indicators', index, 'name'], 'name', str(indicator, 'name')],
      [['indicators', index, 'name_en'], 'name_en', str(indicator, 'name_en')],
      ...strings(indicator, 'aliases').map((a, i): [FieldPath, OrgProblemTerm, string | undefined] => [
        ['indicators', index, 'aliases', i], 'alias', a,
      ]),
    ];
    for (const [path, field, word] of words) {
      if (word === undefined || term(word) === '') continue;
      const owner = termOwner.get(term(word));
      if (owner === undefined) termOwner.set(term(word), { key: name, field });
      else if (owner.key !== name)
        report(path, 'name_clash', { field, word, other_field: owner.field, indicator: owner.key });
    }
    // Firms, sites, visits are whole: 71.0 个 would show a precision a count never has.
    const unit = str(indicator, 'unit');
    if (typeof indicator?.decimals === 'number' && indicator.decimals > 0 && unit !== undefined && isUnit(unit) && isWholeUnit(unit))
      report(['indicators', index, 'decimals'], 'decimals_not_whole', { unit, decimals: indicator.decimals });
    const min = decimalTextSchema.safeParse(indicator?.min);
    const max = decimalTextSchema.safeParse(indicator?.max);
    if (min.success && max.success && new Decimal(min.data).greaterThan(max.data))
      report(['indicators', index, 'min'], 'min_above_max', { min: min.data, max: max.data });
  });

  const indicatorKeys = new Set(indicators.map((i) => str(i, 'key')));
  // An indicator named by its name (工业增加值) where its key is expected gets the key to write instead.
  const checkIndicator = (path: FieldPath, indicator: string): boolean => {
    if (indicatorKeys.has(indicator)) return true;
    const named = keyNamed(indicators, indicator, ['name', 'name_en', 'aliases']);
    if (named !== undefined) report(path, 'name_not_key', { value: indicator, key: named });
    else {
      const suggestion = closestKey(indicator, [...indicatorKeys].filter((key): key is string => key !== undefined));
      if (suggestion !== undefined) report(path, 'unknown_indicator_suggest', { indicator, suggestion });
      else report(path, 'unknown_indicator', { indicator });
    }
    return false;
  };
  const targetAt = new Map<string, number>();
  entries(raw, 'targets').forEach((target, index) => {
    const indicator = str(target, 'indicator');
    if (indicator === undefined) return;
    if (checkIndicator(['targets', index, 'indicator'], indicator)) checkTargetBounds(target, index, indicators.find((i) => str(i, 'key') === indicator));
    const year = target?.year;
    if (typeof year !== 'number') return;
    const first = targetAt.get(`${indicator}@${year}`);
    if (first === undefined) targetAt.set(`${indicator}@${year}`, index);
    else report(['targets', index], 'duplicate_target', { indicator, year, first: `targets[${first}]` });
  });
  /*
   * A target no figure of its indicator could reach: below its min (-5 where figures are at least 0), or,
   * for a year-to-date or a level indicator, whose year-end figure is one figure, above its max (660 for a
   * share capped at 100). An increment indicator's target is a sum of months: its monthly max does not
   * bound it.
   */
  function checkTargetBounds(target: Entry, index: number, indicator: Entry | undefined): void {
    const value = decimalTextSchema.safeParse(target?.value);
    if (!value.success || !indicator) return;
    const min = decimalTextSchema.safeParse(indicator.min);
    const max = decimalTextSchema.safeParse(indicator.max);
    const summed = indicator.kind === 'increment';
    const params = { value: value.data, indicator: str(indicator, 'key') ?? '' };
    const exact = new Decimal(value.data);
    if (min.success && exact.lessThan(min.data)) report(['targets', index, 'value'], 'target_below_min', { ...params, min: min.data });
    else if (!summed && max.success && exact.greaterThan(max.data))
      report(['targets', index, 'value'], 'target_above_max', { ...params, max: max.data });
    // A target is shown with its indicator's decimals: one with more would be shown as one number and
    // divided by another (30.5 家 shown as 31, its completion rate worked out on 30.5).
    const unit = str(indicator, 'unit');
    const decimals = typeof indicator.decimals === 'number' ? indicator.decimals : unit !== undefined && isUnit(unit) ? defaultDecimals(unit) : undefined;
    // Firms, sites, people are counted whole, whatever decimals the indicator is shown with.
    if (unit !== undefined && isUnit(unit) && isWholeUnit(unit) && !exact.isInteger()) {
      report(['targets', index, 'value'], 'target_not_whole', { ...params, name: str(indicator, 'name') ?? params.indicator, unit });
    } else if (decimals !== undefined && exact.decimalPlaces() > decimals) {
      const shown = exact.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals);
      report(['targets', index, 'value'], 'target_too_precise', { ...params, name: str(indicator, 'name') ?? params.indicator, decimals, shown, places: exact.decimalPlaces() });
    }
  }

  entries(raw, 'checks').forEach((check, index) => {
    const rule = parseRelationRule(str(check, 'rule') ?? '');
    if (!rule) return;
    const path = ['checks', index, 'rule'];
    const known = [checkIndicator(path, rule.left), checkIndicator(path, rule.right)].every(Boolean);
    if (known && rule.left === rule.right) report(path, 'bad_rule', { value: str(check, 'rule') ?? '' });
  });
  return issues;
}

/** The key of the entry whose name (or one of `fields`) is `word`, ignoring width and case. */
function keyNamed(list: Entry[], word: string, fields: string[]): string | undefined {
  const wanted = term(word);
  const entry = list.find((item) =>
    fields.some((field) => [str(item, field), ...strings(item, field)].some((w) => w !== undefined && term(w) === wanted)),
  );
  return str(entry, 'key');
}
