import { type LoadResult, loadOrganisation, orgSourceHash } from './load-organisation.js';
import { type OrgSourceError, readOrgSource } from './org-source.js';
import type { AppDeps } from './deps.js';
import { type Result, err, ok } from '../core/result.js';

export interface OrgLoadOutcome extends LoadResult {
  /** The file loaded, or undefined for the built-in demo. */
  file?: string;
}

/** Where the organisation comes from: its file (the built-in demo when none), and BOT_TIMEZONE if set. */
export interface OrgSourceOptions {
  file?: string;
  /** Overrides the file's `organisation.timezone` (the BOT_TIMEZONE setting). */
  timeZone?: string;
}

/**
 * Reads, validates and loads the organisation file (`file`, or the built-in demo when none is given).
 * A bad file changes nothing in the database.
 */
export async function loadOrgFile(
  deps: AppDeps,
  source: OrgSourceOptions,
  actor: string,
): Promise<Result<OrgLoadOutcome, OrgSourceError>> {
  const read = await readOrgSource(source.file);
  if (!read.ok) return read;
  const { config, text } = read.value;
  const timezone = source.timeZone ?? config.organisation.timezone;
  // The override is part of what was loaded: changing it alone is a change to load.
  const hash = orgSourceHash(source.timeZone ? `${text}\n# BOT_TIMEZONE=${source.timeZone}` : text);
  const result = await loadOrganisation(deps, { ...config, organisation: { ...config.organisation, timezone } }, { hash, actor });
  return ok({ ...result, file: source.file });
}

/** Loads the organisation file only when the database has no organisation yet. */
export async function ensureOrganisation(
  deps: AppDeps,
  source: OrgSourceOptions,
  actor: string,
): Promise<Result<OrgLoadOutcome | undefined, OrgSourceError>> {
  const existing = await deps.prisma.organisation.findUnique({ where: { id: 1 }, select: { id: true } });
  if (existing) return ok(undefined);
  const loaded = await loadOrgFile(deps, source, actor);
  return loaded.ok ? loaded : err(loaded.error);
}
