import type { Translate } from '../i18n.js';
import { type ProblemParams, problemSentence } from '../problems.js';

/** Every reason an organisation file can be refused; each is a sentence under `problems.org` in locales/. */
export const ORG_PROBLEM_CODES = [
  // YAML syntax, placed by line; `column` and the yaml library's `error` code are their params.
  'yaml_syntax',
  'yaml_duplicate_key',
  'yaml_indent',
  'yaml_tab',
  'yaml_unclosed',
  'yaml_percent',
  'yaml_alias',
  // The shape of the file, from zod's own checks.
  'not_a_mapping',
  'required',
  'empty',
  'unknown_field',
  'wrong_type',
  'wrong_type_value',
  'at_least',
  'at_most',
  'greater_than',
  'less_than',
  'too_few_items',
  'too_many_items',
  'too_short',
  'too_long',
  'bad_format',
  'not_one_of',
  'bad_value',
  // The rules of single fields (schema.ts).
  'not_a_key',
  'not_a_number',
  'number_too_large',
  'not_a_time',
  'not_a_month',
  'bad_quiet_hours',
  'bad_deadline',
  'not_an_identity',
  'bad_telegram_identity',
  'unknown_time_zone',
  'unknown_role',
  'unknown_locale',
  'unknown_kind',
  'unknown_frequency',
  'unknown_choice_suggest',
  'unknown_unit',
  'unknown_unit_suggest',
  'no_roles',
  'no_sections',
  // Checks across entries (crossCheckOrgFile).
  'duplicate_key',
  'duplicate_name',
  'unknown_section',
  'unknown_section_suggest',
  'section_required',
  'identity_taken',
  'name_clash',
  'min_above_max',
  'decimals_not_whole',
  'target_below_min',
  'target_above_max',
  'target_too_precise',
  'target_not_whole',
  'unknown_indicator',
  'unknown_indicator_suggest',
  'duplicate_target',
  // Against what the database holds (src/app/startup.ts).
  'unit_changed',
  // Mistakes named for what they are (a name where a key belongs, full-width punctuation, a figure with a unit).
  'name_not_key',
  'bad_rule',
  'full_width_colon',
  'full_width_comma',
  'full_width_space',
  'number_with_unit',
  'fraction_of_whole',
  'unknown_field_suggest',
] as const;
export type OrgProblemCode = (typeof ORG_PROBLEM_CODES)[number];

export function isOrgProblemCode(text: string): text is OrgProblemCode {
  return (ORG_PROBLEM_CODES as readonly string[]).includes(text);
}

/**
 * Words a problem names by code rather than quotes (a value's kind, an indicator's name field): the params
 * `expected`, `got`, `field` and `other_field` hold one of these, said in the reader's language.
 */
export const ORG_PROBLEM_TERMS = ['string', 'number', 'int', 'boolean', 'array', 'object', 'name', 'name_en', 'alias'] as const;
export type OrgProblemTerm = (typeof ORG_PROBLEM_TERMS)[number];
const TERM_PARAMS = ['expected', 'got', 'field', 'other_field'];

/** Where a field sits in the file: ["indicators", 3, "unit"]. */
export type FieldPath = (string | number)[];

/** A problem found in the document, not yet placed on a line. */
export interface OrgIssue {
  path: FieldPath;
  code: OrgProblemCode;
  params: ProblemParams;
}

/** One reason the organisation file was refused, placed by field path and 1-based line. */
export interface OrgProblem {
  /** Like `indicators[3].unit`; empty for problems of the whole file (YAML syntax). */
  path: string;
  line?: number;
  column?: number;
  code: OrgProblemCode;
  params: ProblemParams;
}

/** What is wrong, without where: `未知单位“亿美元”，可用：亿元、万元、…`. */
export function orgProblemMessage(problem: Pick<OrgProblem, 'code' | 'params'>, t: Translate): string {
  const params = Object.fromEntries(
    Object.entries(problem.params).map(([name, value]) => [name, TERM_PARAMS.includes(name) ? term(value, t) : value]),
  );
  return problemSentence(t, `problems.org.${problem.code}`, params);
}

/** One problem per line, each with its path and line: `indicators[3].unit（第 42 行）：未知单位“亿美元”，可用：…`. */
export function formatOrgProblems(problems: readonly OrgProblem[], t: Translate): string {
  return problems
    .map((problem) => {
      const { path, line } = problem;
      const message = orgProblemMessage(problem, t);
      if (path && line !== undefined) return t('problems.where.path_line', { path, line, message });
      if (line !== undefined) return t('problems.where.line', { line, message });
      if (path) return t('problems.where.path', { path, message });
      return t('problems.where.file', { message });
    })
    .join('\n');
}

function term(value: ProblemParams[string], t: Translate): ProblemParams[string] {
  const known = (ORG_PROBLEM_TERMS as readonly unknown[]).includes(value);
  return known ? t(`problems.terms.${value as OrgProblemTerm}`) : value;
}
