import path from 'node:path';
import { type LoadResult, loadOrganisation, orgSourceHash } from './load-organisation.js';
import { type OrgSourceError, readOrgSource } from './org-source.js';
import type { AppDeps } from './deps.js';
import { type Result, err, ok } from '../core/result.js';
import { type OrgConfig, placeProblems } from '../core/org/parse.js';
import type { OrgIssue } from '../core/org/problems.js';
import { DEMO_ORG_FILE } from './demo-data.js';

export type OrgLoadOutcome =
  | (LoadResult & {
      /** The file loaded, or undefined for the built-in demo. */
      file?: string;
      /** At start: ORG_FILE, edited, loaded over the organisation another file loaded after it (`laterLoad`). */
      replaced?: { file: string; at: Date };
      /** A bureau's own file loaded (or to be loaded) over the built-in demo, whose name this is. */
      overDemo?: string;
    })
  /** No file was given and the database holds another organisation than the demo: it was left as it is. */
  | { status: 'kept'; organisation: string }
  /**
   * At start: the organisation was last loaded from another file than ORG_FILE (`npm run cli -- load <file>`),
   * and ORG_FILE has not changed since it was itself last loaded: that later load stands.
   */
  | { status: 'kept_later'; file: string; at: Date };

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
  /** `atStart`: the start's load of ORG_FILE, which leaves a later load of another file standing (`laterLoad`). */
  options: { dryRun?: boolean; atStart?: boolean } = {},
): Promise<Result<OrgLoadOutcome, OrgSourceError>> {
  const read = await readOrgSource(source.file);
  if (!read.ok) return read;
  const { config, text } = read.value;
  // The demo stands in only for a bureau that has none: a start or a `load` without ORG_FILE (a setting
  // forgotten on a restart) must not replace a bureau's own organisation with it and stop its members.
  if (source.file === undefined) {
    const own = await ownOrganisation(deps, config.organisation.name);
    if (own !== undefined) return ok({ status: 'kept', organisation: own });
  }
  // A bureau's own file over the demo: the demo's sections, people and indicators stay, stopped, with
  // whatever figures it had — said, with how to begin from nothing instead.
  const origin = source.file === undefined ? undefined : await storedOrigin(deps);
  const overDemo = origin?.builtIn === true && origin.name !== config.organisation.name ? { overDemo: origin.name } : {};
  const unitsChanged = await unitChanges(deps, config);
  if (unitsChanged.length > 0) return err({ kind: 'invalid', file: source.file ?? DEMO_ORG_FILE, problems: placeProblems(text, unitsChanged) });
  const timezone = source.timeZone ?? config.organisation.timezone;
  const loaded = { ...config, organisation: { ...config.organisation, timezone } };
  // What the file means, not its text: the time-zone override is part of it, and so are the defaults this
  // version fills in (an upgrade that shows counts without decimals applies to a file loaded before it);
  // a comment changes nothing.
  const hash = orgSourceHash(JSON.stringify(loaded));
  const file = source.file === undefined ? undefined : path.resolve(source.file);
  const later = options.atStart && file !== undefined ? await laterLoad(deps, file) : undefined;
  if (later && later.orgFileHash === hash) return ok({ status: 'kept_later', file: later.file, at: later.at });
  const result = await loadOrganisation(deps, loaded, { hash, actor, builtIn: source.file === undefined, file }, options);
  const replaced = later && result.status === 'loaded' ? { replaced: { file: later.file, at: later.at } } : {};
  return ok({ ...result, file: source.file, ...replaced, ...(result.status === 'loaded' ? overDemo : {}) });
}

/**
 * The last load, when it was of another file than ORG_FILE (`file`), with the hash ORG_FILE had when it was
 * itself last loaded (undefined if never). At start, that later load stands while ORG_FILE means what it
 * meant then: an administrator who loads an edited copy (`npm run cli -- load 新组织.yaml`) must not see a
 * restart undo it; ORG_FILE edited since is the administrator's word again, and is loaded over it (and the
 * start says so). Loads recorded before the audit log named their file count as ORG_FILE's.
 */
async function laterLoad(deps: AppDeps, file: string): Promise<{ file: string; at: Date; orgFileHash?: unknown } | undefined> {
  // Loads are few (a file a month at most): their entries are read whole.
  const loads = await deps.prisma.auditLog.findMany({ where: { action: 'org.load' }, orderBy: { id: 'desc' }, select: { at: true, details: true } });
  const recorded = loads.map((entry) => ({ at: entry.at, ...(entry.details as { file?: unknown; hash?: unknown } | null) }));
  const last = recorded[0];
  if (typeof last?.file !== 'string' || last.file === file) return undefined;
  return { file: last.file, at: last.at, orgFileHash: recorded.find((entry) => entry.file === file)?.hash };
}

/**
 * The name of the organisation in the database when it is a bureau's own, which the built-in demo must
 * not replace: one last loaded from a file, even a copy of the demo's under the demo's name. Loads recorded
 * before the audit log said where they came from (`builtIn`) are told by name.
 */
async function ownOrganisation(deps: AppDeps, demoName: string): Promise<string | undefined> {
  const stored = await storedOrigin(deps);
  if (!stored) return undefined;
  if (stored.builtIn !== undefined) return stored.builtIn ? undefined : stored.name;
  return stored.name === demoName ? undefined : stored.name;
}

/** The organisation in the database, and whether it was last loaded as the built-in demo (unknown for old loads). */
async function storedOrigin(deps: AppDeps): Promise<{ name: string; builtIn?: boolean } | undefined> {
  const stored = await deps.prisma.organisation.findUnique({ where: { id: 1 }, select: { name: true } });
  if (!stored) return undefined;
  const last = await deps.prisma.auditLog.findFirst({ where: { action: 'org.load' }, orderBy: { id: 'desc' }, select: { details: true } });
  const builtIn = (last?.details as { builtIn?: unknown } | null | undefined)?.builtIn;
  return { name: stored.name, ...(typeof builtIn === 'boolean' ? { builtIn } : {}) };
}

/**
 * Indicators whose stored figures the file would reinterpret: a figure is kept as a number in its
 * indicator's unit, so 1800 万元 would read as 1800 亿元 once the unit says 亿元. Such a file is refused.
 */
async function unitChanges(deps: AppDeps, config: OrgConfig): Promise<OrgIssue[]> {
  const stored = await deps.prisma.indicator.findMany({
    where: { key: { in: config.indicators.map((indicator) => indicator.key) }, submissions: { some: {} } },
    select: { key: true, unit: true, _count: { select: { submissions: true } } },
  });
  const unitOf = new Map(stored.map((row) => [row.key, row]));
  return config.indicators.flatMap((indicator, index): OrgIssue[] => {
    const row = unitOf.get(indicator.key);
    if (!row || row.unit === indicator.unit) return [];
    const params = { indicator: indicator.key, count: row._count.submissions, from: row.unit, to: indicator.unit };
    return [{ path: ['indicators', index, 'unit'], code: 'unit_changed', params }];
  });
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
