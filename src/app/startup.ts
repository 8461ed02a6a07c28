import { type LoadResult, loadOrganisation, orgSourceHash } from './load-organisation.js';
import { type OrgSourceError, readOrgSource } from './org-source.js';
import type { AppDeps } from './deps.js';
import { type Result, err, ok } from '../core/result.js';

export interface OrgLoadOutcome extends LoadResult {
  /** The file loaded, or undefined for the built-in demo. */
  file?: string;
}

/**
 * Reads, validates and loads the organisation file (`file`, or the built-in demo when none is given).
 * A bad file changes nothing in the database.
 */
export async function loadOrgFile(
  deps: AppDeps,
  file: string | undefined,
  actor: string,
): Promise<Result<OrgLoadOutcome, OrgSourceError>> {
  const source = await readOrgSource(file);
  if (!source.ok) return source;
  const result = await loadOrganisation(deps, source.value.config, { hash: orgSourceHash(source.value.text), actor });
  return ok({ ...result, file });
}

/** Loads the organisation file only when the database has no organisation yet. */
export async function ensureOrganisation(
  deps: AppDeps,
  file: string | undefined,
  actor: string,
): Promise<Result<OrgLoadOutcome | undefined, OrgSourceError>> {
  const existing = await deps.prisma.organisation.findUnique({ where: { id: 1 }, select: { id: true } });
  if (existing) return ok(undefined);
  const loaded = await loadOrgFile(deps, file, actor);
  return loaded.ok ? loaded : err(loaded.error);
}
