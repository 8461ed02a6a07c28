import { readFile } from 'node:fs/promises';
import type { Translate } from '../core/i18n.js';
import { type OrgConfig, parseOrgFile } from '../core/org/parse.js';
import { type OrgProblem, formatOrgProblems } from '../core/org/problems.js';
import { decodeUtf8OrGb18030 } from '../core/decode-text.js';
import { type Result, err, ok } from '../core/result.js';
import { DEMO_ORG_FILE } from './demo-data.js';

export interface OrgSource {
  /** The file path, or undefined for the built-in demo. */
  file?: string;
  text: string;
  config: OrgConfig;
}

/** Why the organisation file could not be read at all; each is a sentence under `problems.org_file`. */
export const ORG_FILE_READ_CODES = ['not_found', 'no_permission', 'is_directory', 'unreadable'] as const;
export type OrgFileReadCode = (typeof ORG_FILE_READ_CODES)[number];

export type OrgSourceError =
  /** `detail` is the system's own message, for logs. */
  | { kind: 'unreadable'; file: string; code: OrgFileReadCode; detail: string; errno?: string }
  | { kind: 'invalid'; file: string; problems: OrgProblem[] };

const READ_CODES: Partial<Record<string, OrgFileReadCode>> = {
  ENOENT: 'not_found',
  ENOTDIR: 'not_found',
  EACCES: 'no_permission',
  EPERM: 'no_permission',
  EISDIR: 'is_directory',
};

/** Reads and validates an organisation file (the built-in demo when `file` is undefined). */
export async function readOrgSource(file?: string): Promise<Result<OrgSource, OrgSourceError>> {
  const filePath = file ?? DEMO_ORG_FILE;
  let text: string;
  try {
    text = decodeUtf8OrGb18030(await readFile(filePath));
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const code = (errno && READ_CODES[errno]) || 'unreadable';
    return err({ kind: 'unreadable', file: filePath, code, detail: (error as Error).message, ...(errno ? { errno } : {}) });
  }
  const parsed = parseOrgFile(text);
  if (!parsed.ok) return err({ kind: 'invalid', file: filePath, problems: parsed.error });
  return ok({ file, text, config: parsed.value });
}

/** The error as an administrator reads it: the unreadable file named, or every problem by path and line. */
export function describeOrgSourceError(error: OrgSourceError, t: Translate): string {
  if (error.kind === 'invalid') return formatOrgProblems(error.problems, t);
  return t(`problems.org_file.${error.code}`, { file: error.file, error: error.errno ?? error.detail });
}
