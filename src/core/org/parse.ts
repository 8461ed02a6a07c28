import { type Document, LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { Decimal } from '../decimal.js';
import type { IndicatorDef, Member, SectionNames } from '../domain.js';
import { parsePeriod } from '../period.js';
import { type Result, err, ok } from '../result.js';
import { defaultDecimals } from '../units.js';
import { fromYamlError, fromZod } from './issues.js';
import { parseRelationRule } from './checks.js';
import type { RelationRule } from './checks.js';
import { fullWidthColons, fullWidthCommas, fullWidthSpaces, readAmounts, suggestFields } from './mistakes.js';
import type { FieldPath, OrgIssue, OrgProblem } from './problems.js';
import { type OrgFile, type Schedule, crossCheckOrgFile, orgFileSchema } from './schema.js';

/** When a section's reporting window closes for a month. */
export type DeadlineRule =
  | { kind: 'last_working_day' }
  /** That day, or the last working day before it; a day past the month's end means the month's end. */
  | { kind: 'day_of_month'; day: number };

/** The reminder schedule of one section, defaults and organisation-wide values already applied. */
export interface ScheduleConfig {
  windowOpensDay: number;
  deadline: DeadlineRule;
  /** Distinct, largest first. */
  remindWorkingDaysBefore: number[];
  /** "HH:MM", Asia/Shanghai (or the organisation's time zone). */
  deadlineReminderTime: string;
  overdueReminderDays: number;
  escalateAfterWorkingDays: number;
  /** "HH:MM" each; `start` later than `end` spans midnight. */
  quietHours: { start: string; end: string };
}

export interface SectionConfig extends SectionNames {
  key: string;
  schedule: ScheduleConfig;
}

/** A member as the organisation file lists them: no id yet, and the chat accounts bound in advance. */
export interface MemberConfig extends Pick<Member, 'key' | 'name' | 'roles' | 'sectionKey' | 'locale'> {
  /** Namespaced chat identities: `telegram:880001`, `wechat:wxid_abc123`. */
  identities: string[];
}

export interface TargetConfig {
  indicatorKey: string;
  year: number;
  value: Decimal;
  setBy?: string;
}

/** The organisation file, validated and normalised for the rest of the program. */
export interface OrgConfig {
  /** `nameEn`: how English documents and answers name it (the file's `name_en`); absent, they use `name`. */
  organisation: { name: string; nameEn?: string; timezone: string };
  /** Organisation-wide; each section carries its own resolved copy. */
  schedule: ScheduleConfig;
  sections: SectionConfig[];
  members: MemberConfig[];
  indicators: IndicatorDef[];
  targets: TargetConfig[];
  /** The relations of `checks:`, in the file's order. */
  checks: CheckConfig[];
}

/** A relation between two indicators' figures of the same period, and the file's words for it. */
export interface CheckConfig extends RelationRule {
  message?: string;
}

// Figures must reach Decimal from their source text: a float round trip could change them.
const EXACT_DECIMAL_FIELDS = [
  ['indicators', 'min'],
  ['indicators', 'max'],
  ['targets', 'value'],
] as const;

// A month written unquoted as a number (202701, 2027.01) is quoted back as written, not as 2027.1.
const SOURCE_TEXT_FIELDS = [...EXACT_DECIMAL_FIELDS, ['indicators', 'from']] as const;

const SPECIFIC: ReadonlySet<OrgIssue['code']> = new Set(['name_not_key', 'number_with_unit', 'fraction_of_whole', 'full_width_comma']);

/** Parses and validates an organisation file; on any problem returns all of them and no config. */
export function parseOrgFile(text: string): Result<OrgConfig, OrgProblem[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const fullWidth = [...fullWidthSpaces(text), ...fullWidthColons(text)].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (fullWidth.length > 0) return err(fullWidth);
  // One mistake often makes the parser say two things at one place (an indentation: two codes): said once.
  const yamlProblems = (errors: typeof doc.errors): OrgProblem[] => {
    const problems = errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return { path: '', line, column: col, ...fromYamlError(e, col, /^[^\s:{},[\]#]+/.exec(text.slice(e.pos[0]))?.[0]) };
    });
    return problems.filter((p, i) => problems.findIndex((q) => q.line === p.line && q.column === p.column && q.code === p.code) === i);
  };
  // A field written twice leaves the file readable: said with whatever else is wrong, not alone first.
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  if (doc.errors.length > duplicates.length) return err(yamlProblems(doc.errors));

  keepSourceText(doc);
  const plain = toPlain(doc);
  if (!plain.ok) return err([plain.error]);
  const amounts = readAmounts(plain.value);

  // The input is reported so that a problem can quote the value the administrator wrote.
  const parsed = orgFileSchema.safeParse(amounts.raw, { reportInput: true });
  const crossIssues = [...amounts.issues, ...fullWidthCommas(amounts.raw), ...crossCheckOrgFile(amounts.raw)];
  // A name where a key belongs, or an amount in a unit of another kind, is said once, as what it is, not
  // also as a malformed key or a non-number.
  const named = new Set(crossIssues.filter((issue) => SPECIFIC.has(issue.code)).map((issue) => formatPath(issue.path)));
  const issues: OrgIssue[] = [
    ...(parsed.success ? [] : suggestFields(parsed.error.issues.flatMap(fromZod)).filter((issue) => !named.has(formatPath(issue.path)))),
    ...crossIssues,
  ];
  if (!parsed.success || issues.length > 0 || duplicates.length > 0) {
    const problems = [...yamlProblems(duplicates), ...placed(doc, lineCounter, issues)];
    return err(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
  }
  return ok(toConfig(parsed.data));
}

/**
 * Problems found after the file was read (against what the database holds), placed at their field's line
 * in `text` as the file's own problems are.
 */
export function placeProblems(text: string, issues: readonly OrgIssue[]): OrgProblem[] {
  const lineCounter = new LineCounter();
  return placed(parseDocument(text, { lineCounter, prettyErrors: false }), lineCounter, issues);
}

/** Each issue as a problem at its field's line and column in `doc` (none when the field is not written). */
function placed(doc: Document, lineCounter: LineCounter, issues: readonly OrgIssue[]): OrgProblem[] {
  return issues.map(({ path, code, params }) => {
    const offset = locate(doc, path);
    if (offset === undefined) return { path: formatPath(path), code, params };
    const { line, col } = lineCounter.linePos(offset);
    return { path: formatPath(path), line, column: col, code, params };
  });
}

function keepSourceText(doc: Document): void {
  for (const [list, field] of SOURCE_TEXT_FIELDS) {
    const items = doc.get(list, true);
    if (!isSeq(items)) continue;
    for (const item of items.items) {
      const node = isMap(item) ? item.get(field, true) : undefined;
      if (isScalar(node) && typeof node.value === 'number' && node.source !== undefined) node.value = node.source;
    }
  }
}

// toJS throws on an alias without its anchor and on alias bombs; that must become a problem, not a crash.
function toPlain(doc: Document): Result<unknown, OrgProblem> {
  try {
    return ok(doc.toJS());
  } catch {
    return err({ path: '', code: 'yaml_alias', params: {} });
  }
}

/** The start offset of the deepest node on `path` that exists; a map entry is placed at its key. */
function locate(doc: Document, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!isScalar(item) && !isMap(item) && !isSeq(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}

function formatPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function toSchedule(schedule: Schedule): ScheduleConfig {
  const [start = '', end = ''] = schedule.quiet_hours.split('-');
  return {
    windowOpensDay: schedule.window_opens_day,
    deadline:
      schedule.deadline === 'last_working_day'
        ? { kind: 'last_working_day' }
        : { kind: 'day_of_month', day: schedule.deadline },
    remindWorkingDaysBefore: [...new Set(schedule.remind_working_days_before)].sort((a, b) => b - a),
    deadlineReminderTime: schedule.deadline_reminder_time,
    overdueReminderDays: schedule.overdue_reminder_days,
    escalateAfterWorkingDays: schedule.escalate_after_working_days,
    quietHours: { start, end },
  };
}

function toConfig(file: OrgFile): OrgConfig {
  return {
    organisation: {
      name: file.organisation.name,
      ...(file.organisation.name_en === undefined ? {} : { nameEn: file.organisation.name_en }),
      timezone: file.organisation.timezone,
    },
    schedule: toSchedule(file.schedule),
    sections: file.sections.map((s) => ({
      key: s.key,
      name: s.name,
      ...(s.name_en === undefined ? {} : { nameEn: s.name_en }),
      schedule: toSchedule({ ...file.schedule, ...s.schedule }),
    })),
    members: file.members.map((m) => ({
      key: m.key,
      name: m.name,
      roles: [...new Set(m.roles)],
      ...(m.section === undefined ? {} : { sectionKey: m.section }),
      locale: m.locale,
      identities: m.identities,
    })),
    indicators: file.indicators.map((i) => ({
      key: i.key,
      name: i.name,
      nameEn: i.name_en ?? i.name,
      sectionKey: i.section,
      kind: i.kind,
      unit: i.unit,
      decimals: i.decimals ?? defaultDecimals(i.unit),
      aliases: [...new Set(i.aliases)],
      ...(i.min === undefined ? {} : { min: new Decimal(i.min) }),
      ...(i.max === undefined ? {} : { max: new Decimal(i.max) }),
      ...(i.unit_en === undefined ? {} : { unitEn: i.unit_en }),
      ...fromOf(i.from),
      ...(i.frequency === undefined || i.frequency === 'monthly' ? {} : { frequency: i.frequency }),
      ...(i.time_progress === false ? { timeProgress: false as const } : {}),
    })),
    targets: file.targets.map((t) => ({
      indicatorKey: t.indicator,
      year: t.year,
      value: new Decimal(t.value),
      ...(t.set_by === undefined ? {} : { setBy: t.set_by }),
    })),
    checks: file.checks.flatMap((c) => {
      const rule = parseRelationRule(c.rule);
      if (!rule) return [];
      return [c.message === undefined ? rule : { ...rule, message: c.message }];
    }),
  };
}

/** `from: 2027-01` as a period (the schema checked it); nothing when absent. */
function fromOf(text: string | undefined): Pick<IndicatorDef, 'from'> {
  const period = text === undefined ? undefined : parsePeriod(text);
  return period?.ok ? { from: period.value } : {};
}
