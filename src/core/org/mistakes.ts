import { parseAnswer, suggestedUnit } from '../numbers.js';
import { UNITS, type Unit, dimensionOf } from '../units.js';
import { unitNamedInEnglish } from '../table-units.js';
import { editDistance } from './near-words.js';
import type { OrgIssue, OrgProblem } from './problems.js';
import { checkSchema, indicatorSchema, memberSchema, orgFileSchema, scheduleSchema, sectionSchema, targetSchema } from './schema.js';

/*
 * Mistakes people make in the file that YAML or zod would report as something else: a full-width colon
 * (an input method's habit) becomes a YAML error about implicit keys, `value: 3亿` becomes "not a number".
 */

// `name：工业股` or `- key：x`: a field name followed by a full-width colon, at the start of a line or inside
// a flow mapping (`{ key: boss, name：周海峰 }`).
const FULL_WIDTH_KEY = /(^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][A-Za-z0-9_-]*)\s*：/g;
const PLAIN_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A problem for each line whose field name is followed by `：` instead of `: `. */
export function fullWidthColons(text: string): OrgProblem[] {
  return text.split(/\r?\n/).flatMap((line, index) =>
    [...line.matchAll(FULL_WIDTH_KEY)].map((match) => {
      const field = match[2] ?? '';
      const column = line.indexOf('：', (match.index ?? 0) + (match[1]?.length ?? 0)) + 1;
      return { path: '', line: index + 1, column, code: 'full_width_colon' as const, params: { key: field } };
    }),
  );
}

/**
 * Lines indented with a full-width space (an input method in full-width mode): YAML sees a character, not
 * indentation, and says so as several errors about implicit keys. One problem a line, named for what it is.
 */
export function fullWidthSpaces(text: string): OrgProblem[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const column = /^[ \t]*\u3000/.test(line) ? line.indexOf('\u3000') + 1 : 0;
    return column > 0 ? [{ path: '', line: index + 1, column, code: 'full_width_space' as const, params: { column } }] : [];
  });
}

/**
 * A list written `[高企，新增高企]` or `[高企、新增高企]`: YAML sees one item, the whole text, since only
 * an ASCII comma separates items; an alias would then never match. Such items of the lists people type
 * (aliases, roles, identities) are named for what they are.
 */
export function fullWidthCommas(raw: unknown): OrgIssue[] {
  if (!isRecord(raw)) return [];
  const issues: OrgIssue[] = [];
  const check = (entries: unknown, list: string, fields: readonly string[]) =>
    (Array.isArray(entries) ? entries : []).forEach((entry: unknown, index) => {
      if (!isRecord(entry)) return;
      for (const field of fields) {
        const items = entry[field];
        if (!Array.isArray(items)) continue;
        items.forEach((item: unknown, i) => {
          // The fix shown is the file's own list, split: [专精特新, 小巨人], not an example from elsewhere.
          if (typeof item === 'string' && /[，、]/.test(item)) {
            const fixed = `[${item.split(/[，、]/).map((part) => part.trim()).filter((part) => part !== '').join(', ')}]`;
            issues.push({ path: [list, index, field, i], code: 'full_width_comma', params: { value: item, fixed } });
          }
        });
      }
    });
  check(raw.indicators, 'indicators', ['aliases']);
  check(raw.members, 'members', ['roles', 'identities']);
  return issues;
}

/**
 * Amounts written with a unit (`value: 3亿`, `max: 5000万`) read in the indicator's unit, as an answer in
 * chat would be; a unit of another dimension is a problem that names the unit expected.
 */
export function readAmounts(raw: unknown): { raw: unknown; issues: OrgIssue[] } {
  if (!isRecord(raw)) return { raw, issues: [] };
  const issues: OrgIssue[] = [];
  const indicators = list(raw.indicators);
  const unitOf = new Map(indicators.flatMap((i) => (typeof i.key === 'string' && isUnit(i.unit) ? [[i.key, i.unit] as const] : [])));
  const convert = (entry: Record<string, unknown>, field: string, unit: Unit | undefined, path: (string | number)[]) => {
    const value = entry[field];
    if (typeof value !== 'string' || PLAIN_DECIMAL.test(value.trim()) || unit === undefined) return entry;
    const parsed = parseAnswer(value, unit);
    // A bare 亿 is 亿元 in a bureau's writing: 30亿 firms (or 30亿 %) is a target typed for another indicator.
    const counted = dimensionOf(unit) === 'count' || dimensionOf(unit) === 'percent';
    if (parsed.ok && counted && /亿\s*$/.test(value)) {
      issues.push({ path, code: 'number_with_unit', params: { value, unit } });
      return entry;
    }
    if (parsed.ok && parsed.value.note === undefined) return { ...entry, [field]: parsed.value.value.toFixed() };
    if (!parsed.ok && parsed.error.code === 'unit_mismatch') issues.push({ path, code: 'number_with_unit', params: { value, unit } });
    // 3.5人次 for a 万人次 indicator: no whole number of 人次, most likely 3.5 of the indicator's own unit.
    if (!parsed.ok && parsed.error.code === 'fraction_of_whole' && parsed.error.unit) {
      const given = parsed.error.unit;
      issues.push({ path, code: 'fraction_of_whole', params: { value, given, unit, number: parsed.error.text.slice(0, -given.length).trim() } });
    }
    return entry;
  };
  const each = (items: unknown, read: (entry: Record<string, unknown>, index: number) => Record<string, unknown>) =>
    Array.isArray(items) ? items.map((item: unknown, index) => (isRecord(item) ? read(item, index) : item)) : items;
  const next: Record<string, unknown> = { ...raw };
  next.indicators = each(raw.indicators, (indicator, index) => {
    const unit = isUnit(indicator.unit) ? indicator.unit : undefined;
    const withMin = convert(indicator, 'min', unit, ['indicators', index, 'min']);
    return convert(withMin, 'max', unit, ['indicators', index, 'max']);
  });
  next.targets = each(raw.targets, (target, index) =>
    convert(target, 'value', typeof target.indicator === 'string' ? unitOf.get(target.indicator) : undefined, ['targets', index, 'value']),
  );
  if (!('indicators' in raw)) delete next.indicators;
  if (!('targets' in raw)) delete next.targets;
  return { raw: next, issues };
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnit(value: unknown): value is Unit {
  return (UNITS as readonly unknown[]).includes(value);
}

const FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(orgFileSchema.shape),
  organisation: Object.keys(orgFileSchema.shape.organisation.shape),
  schedule: Object.keys(scheduleSchema.shape),
  sections: Object.keys(sectionSchema.shape),
  members: Object.keys(memberSchema.shape),
  indicators: Object.keys(indicatorSchema.shape),
  targets: Object.keys(targetSchema.shape),
  checks: Object.keys(checkSchema.shape),
};

/*
 * The words a bureau's staff write for a closed list's values (`kind: 新增`, `roles: [局长]`, `frequency: 季度`,
 * `locale: 中文`), each with the value it means. Only the unambiguous ones: 主任 heads 办公室 as a section but
 * may be a director elsewhere, so it gets no suggestion.
 */
const CHOICE_WORDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  unknown_kind: {
    cumulative: ['累计', '累计数', '累计值', '累计型', '累计类', '年累计', '1-n月累计'],
    increment: ['新增', '新增数', '新增类', '增量', '增量型', '当月', '当月数', '当月值', '当月新增', '月度新增'],
    level: ['期末', '期末数', '期末值', '期末类', '时点', '时点数', '时点值', '存量', '比重', '占比', '比例'],
  },
  unknown_role: {
    director: ['局长', '副局长', '分管领导', '领导', '分管局长'],
    section_head: ['股长', '科长', '副股长', '副科长', '负责人', '股室负责人', '组长', '队长', '站长', '所长'],
    staff: ['科员', '工作人员', '职员', '干部', '员工', '填报人', '联络员', '统计员'],
    admin: ['管理员', '系统管理员'],
  },
  unknown_frequency: {
    quarterly: ['季度', '季报', '按季', '按季度', '每季', '每季度', '季', '季度报'],
    monthly: ['月度', '月报', '按月', '每月', '月', '月度报'],
  },
  unknown_locale: {
    'zh-CN': ['中文', '简体中文', '汉语', '普通话', 'zh', 'cn', 'chinese', 'zh_cn', 'zh_hans'],
    en: ['英文', '英语', 'english', 'en_us', 'en_gb'],
  },
};

/**
 * A closed list's value (kind, role, frequency, locale) written in other words that mean one of them
 * (`新增`, `局长`), or in another case or with a slip (`Cumulative`, `section-head`, `cumulativ`): that value.
 */
function suggestedChoice(code: string, written: string, allowed: readonly string[]): string | undefined {
  const folded = written.normalize('NFKC').trim().toLowerCase().replace(/[-\s]/g, '_').replace(/[–—~～至]/g, '-');
  const byWord = Object.entries(CHOICE_WORDS[code] ?? {}).find(([, words]) => words.includes(folded) || words.includes(folded.replace(/_/g, '-')));
  if (byWord && allowed.includes(byWord[0])) return byWord[0];
  const exact = allowed.find((value) => value.toLowerCase().replace(/-/g, '_') === folded);
  return exact ?? closest(folded, allowed);
}

/**
 * An unknown field that is one slip away from a field of its place (`nmae`, `Name`, `unit-en`) gets that field
 * suggested; an unknown unit that a unit begins with, or that begins one, gets that unit (亿 → 亿元, 万元人民币 → 万元);
 * a closed list's value in other words gets the value it means (`kind: 新增` → increment).
 */
export function suggestFields(issues: OrgIssue[]): OrgIssue[] {
  return issues.map((issue) => {
    if (issue.code in CHOICE_WORDS) {
      const written = String(issue.params.value ?? '');
      const allowed = Array.isArray(issue.params.allowed) ? issue.params.allowed.map(String) : [];
      const suggestion = suggestedChoice(issue.code, written, allowed);
      return suggestion === undefined ? issue : { ...issue, code: 'unknown_choice_suggest', params: { ...issue.params, suggestion } };
    }
    if (issue.code === 'unknown_unit') {
      const written = String(issue.params.value ?? '');
      const allowed = Array.isArray(issue.params.allowed) ? issue.params.allowed.map(String) : [];
      // A unit as the bot's own English writes it (hundred million yuan, firms, households): the unit it names.
      const english = unitNamedInEnglish(written);
      const suggestion = english !== undefined && allowed.includes(english) ? english : suggestedUnit(written, allowed);
      return suggestion === undefined ? issue : { ...issue, code: 'unknown_unit_suggest', params: { ...issue.params, suggestion } };
    }
    if (issue.code !== 'unknown_field') return issue;
    const field = String(issue.path.at(-1) ?? '');
    const place = issue.path.slice(0, -1).filter((p): p is string => typeof p === 'string').at(-1) ?? '';
    const suggestion = closest(field, FIELDS[place] ?? []);
    return suggestion === undefined ? issue : { ...issue, code: 'unknown_field_suggest', params: { written: field, suggestion } };
  });
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const folded = word.normalize('NFKC').toLowerCase().replace(/-/g, '_');
  let best: { field: string; distance: number } | undefined;
  for (const field of candidates) {
    const distance = editDistance(folded, field);
    // A short field allows one slip, or two where the word begins as the field does (maks → max).
    const allowed = folded.slice(0, 2) === field.slice(0, 2) ? 2 : Math.min(2, Math.floor(field.length / 3));
    if (distance <= allowed && (!best || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}
