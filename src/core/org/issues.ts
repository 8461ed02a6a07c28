import type { YAMLError } from 'yaml';
import type { z } from 'zod';
import type { ProblemParams } from '../problems.js';
import { type OrgIssue, type OrgProblemCode, type OrgProblemTerm, isOrgProblemCode } from './problems.js';

/*
 * The parsers' own errors as problem codes. zod and yaml write English sentences; only their structured
 * parts (issue codes, bounds, the offending input) are kept. The schema's own messages are problem codes
 * (schema.ts), so their values come from the issue too.
 */

/** A YAML syntax error, placed at its column; `unit: %` gets its own hint (YAML reserves a leading %). */
export function fromYamlError(error: YAMLError, column: number, word?: string): { code: OrgProblemCode; params: ProblemParams } {
  const params = { column, error: error.code };
  // The field written twice, as written (the error points at its second occurrence): `name`, not a term's
  // translation of it, which the reader never wrote.
  if (error.code === 'DUPLICATE_KEY') return { code: 'yaml_duplicate_key', params: { ...params, written: word ?? '' } };
  if (error.code === 'BAD_SCALAR_START' && error.message.includes('%')) return { code: 'yaml_percent', params };
  const codes: Partial<Record<YAMLError['code'], OrgProblemCode>> = {
    BAD_INDENT: 'yaml_indent',
    // A field indented more than its neighbours (`     name:` under `  - key:`) reads as a key spanning lines.
    BLOCK_AS_IMPLICIT_KEY: 'yaml_indent',
    MULTILINE_IMPLICIT_KEY: 'yaml_indent',
    TAB_AS_INDENT: 'yaml_tab',
    MISSING_CHAR: 'yaml_unclosed',
  };
  return { code: codes[error.code] ?? 'yaml_syntax', params };
}

/** One zod issue as the problems it stands for (an unknown-keys issue names each key). */
export function fromZod(issue: z.core.$ZodIssue): OrgIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const at = (code: OrgProblemCode, params: ProblemParams = {}): OrgIssue[] => [{ path, code, params }];
  const value = shown(issue.input);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], code: 'unknown_field', params: { written: key } }));
  }
  if (path.length === 0 && issue.code === 'invalid_type') return at('not_a_mapping');
  if (issue.code !== 'custom' && issue.input === undefined) return at('required');
  if (issue.input === null) return at('empty');
  if (isOrgProblemCode(issue.message)) {
    return at(issue.message, issue.code === 'invalid_value' ? { value, allowed: issue.values.map(String) } : { value });
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_TERMS[issue.expected];
      if (!expected) return at('bad_value', { value });
      const got = typeOf(issue.input);
      return got ? at('wrong_type', { expected, got }) : at('wrong_type_value', { expected, value });
    }
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return at('too_few_items', { minimum: Number(issue.minimum) });
      if (issue.origin === 'string') return at('too_short', { minimum: Number(issue.minimum) });
      return at(issue.inclusive === false ? 'greater_than' : 'at_least', { minimum: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return at('too_many_items', { maximum: Number(issue.maximum) });
      if (issue.origin === 'string') return at('too_long', { maximum: Number(issue.maximum) });
      return at(issue.inclusive === false ? 'less_than' : 'at_most', { maximum: Number(issue.maximum) });
    case 'invalid_format':
      return at('bad_format', { value });
    case 'invalid_value':
      return at('not_one_of', { value, allowed: issue.values.map(String) });
    default:
      return at('bad_value', { value });
  }
}

const TYPE_TERMS: Partial<Record<string, OrgProblemTerm>> = {
  string: 'string',
  number: 'number',
  int: 'int',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
};

/** The kind of a list or mapping; undefined for a scalar, which is quoted instead. */
function typeOf(input: unknown): OrgProblemTerm | undefined {
  if (Array.isArray(input)) return 'array';
  return typeof input === 'object' && input !== null ? 'object' : undefined;
}

/** The offending value as the file wrote it, for quoting in the sentence. */
function shown(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean' || typeof input === 'bigint') return String(input);
  return JSON.stringify(input) ?? '';
}
