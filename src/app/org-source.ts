import { readFile } from 'node:fs/promises';
import { type OrgConfig, type OrgProblem, parseOrgFile } from '../core/org/parse.js';
import { type Result, err, ok } from '../core/result.js';
import { DEMO_ORG_FILE } from './demo-data.js';

export interface OrgSource {
  /** The file path, or undefined for the built-in demo. */
  file?: string;
  text: string;
  config: OrgConfig;
}

export type OrgSourceError =
  | { kind: 'unreadable'; file: string; reason: string }
  | { kind: 'invalid'; file: string; problems: OrgProblem[] };

/** Reads and validates an organisation file (the built-in demo when `file` is undefined). */
export async function readOrgSource(file?: string): Promise<Result<OrgSource, OrgSourceError>> {
  const filePath = file ?? DEMO_ORG_FILE;
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    return err({ kind: 'unreadable', file: filePath, reason: (error as Error).message });
  }
  const parsed = parseOrgFile(text);
  if (!parsed.ok) return err({ kind: 'invalid', file: filePath, problems: parsed.error });
  return ok({ file, text, config: parsed.value });
}
