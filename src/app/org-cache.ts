import { AppError } from '../core/errors.js';
import { type IntentMatcher, createIntentMatcher } from '../core/intents.js';
import type { ScheduleConfig } from '../core/org/parse.js';
import { sqlOf } from '../db/sql.js';
import type { Db, Tx } from '../db/database.js';
import type { Decimal } from '../core/decimal.js';
import { type StoredIndicator, type StoredOrganisation, getOrganisation, listIndicators, toDecimal } from '../db/org-repository.js';
import { parseSectionSchedule } from '../db/stored-json.js';
import type { Member } from '../core/domain.js';
import { toMember } from './chat/member.js';

/**
 * The organisation as one version of it stood: its settings, schedules, indicators, targets and the members
 * bound to chat identities. Read-mostly, so a chat turn reads it from memory instead of ~10 queries.
 */
export interface OrgSnapshot {
  version: bigint;
  /** An AppError `org_not_loaded` when no organisation file was ever loaded. */
  organisation(): StoredOrganisation;
  /** Active indicators in the organisation file's order. */
  indicators: StoredIndicator[];
  /** An active indicator by key. */
  indicator(key: string): StoredIndicator | undefined;
  /** A section's active indicators, in the file's order (a turn need not go through the whole list). */
  sectionIndicators(sectionKey: string | undefined): StoredIndicator[];
  /** The schedule that governs a section: its own override, else the organisation's. */
  schedule(sectionKey: string | undefined): ScheduleConfig;
  /** The active member bound to a chat identity (`telegram:123`), or undefined for a stranger. */
  member(identity: string): Member | undefined;
  /** An active member with at least one chat binding, by id. */
  memberById(id: number): Member | undefined;
  /** The question matcher built from these indicators' names and aliases (built once per snapshot). */
  matcher(): IntentMatcher;
  /** Indicators the organisation file no longer lists, kept with their history (docs/product.md). */
  retired: StoredIndicator[];
  /** The matcher of the retired indicators (built once per snapshot). */
  retiredMatcher(): IntentMatcher;
  /** An indicator's annual target (目标任务) for a year, when one is set. */
  target(indicatorId: number, year: number): Decimal | undefined;
}

/** Reads the version the database is at; a database migrated before versions existed counts as 0. */
export async function orgVersion(db: Db | Tx): Promise<bigint> {
  const rows = await sqlOf(db).query<{ version: string }>('SELECT version::text AS version FROM org_version WHERE id = 1');
  return BigInt(rows[0]?.version ?? 0);
}

/**
 * Keeps the latest snapshot in memory. The database bumps `org_version` (by trigger) whenever what a
 * snapshot holds changes, whoever writes, so a snapshot is read again only when the version a turn sees
 * differs from the one kept — on a PostgreSQL server shared by several replicas too.
 */
export function createOrgCache() {
  let kept: OrgSnapshot | undefined;

  return {
    /** The snapshot at `version` (as read in `db`'s transaction), read from `db` when not kept already. */
    async at(db: Db | Tx, version: bigint): Promise<OrgSnapshot> {
      if (kept?.version === version) return kept;
      const snapshot = await readSnapshot(db, version);
      if (!kept || snapshot.version >= kept.version) kept = snapshot;
      return snapshot;
    },
    /** The snapshot kept last, without asking the database (which may be down); undefined before the first. */
    latest: (): OrgSnapshot | undefined => kept,
  };
}

export type OrgCache = ReturnType<typeof createOrgCache>;

/** Reads the organisation as `db` sees it now, without keeping it (inside a transaction that changed it). */
export async function readOrgSnapshot(db: Db | Tx): Promise<OrgSnapshot> {
  return readSnapshot(db, await orgVersion(db));
}

async function readSnapshot(db: Db | Tx, version: bigint): Promise<OrgSnapshot> {
  const organisation = await getOrganisation(db).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'org_not_loaded') return undefined;
    throw error;
  });
  const indicators = await listIndicators(db);
  const retired = await listIndicators(db, 'retired');
  const sections = await db.section.findMany({ select: { key: true, schedule: true, active: true } });
  const targets = new Map(
    (await sqlOf(db).query<{ indicator_id: number; year: number; value: string }>('SELECT indicator_id, year, value::text AS value FROM target')).map(
      (row) => [`${row.indicator_id} ${row.year}`, toDecimal(row.value)] as const,
    ),
  );
  const identities = await db.chatIdentity.findMany({
    include: { member: { include: { section: { select: { key: true, name: true, nameEn: true, active: true } } } } },
  });
  const schedules = new Map(sections.map((section) => [section.key, parseSectionSchedule(section)]));
  const members = new Map<string, Member>();
  const byId = new Map<number, Member>();
  for (const row of identities) {
    const member = toMember(row.member);
    if (!member) continue;
    members.set(row.identity, member);
    byId.set(member.id, member);
  }
  const byKey = new Map(indicators.map((indicator) => [indicator.key, indicator]));
  const bySection = new Map<string, StoredIndicator[]>();
  for (const indicator of indicators) {
    const list = bySection.get(indicator.sectionKey);
    if (list) list.push(indicator);
    else bySection.set(indicator.sectionKey, [indicator]);
  }
  let matcher: IntentMatcher | undefined;
  let retiredMatcher: IntentMatcher | undefined;
  const organisationOrThrow = (): StoredOrganisation => {
    if (!organisation) throw new AppError('org_not_loaded', 'no organisation has been loaded');
    return organisation;
  };
  return {
    version,
    organisation: organisationOrThrow,
    indicators,
    indicator: (key) => byKey.get(key),
    sectionIndicators: (sectionKey) => (sectionKey ? bySection.get(sectionKey) : undefined) ?? [],
    schedule: (sectionKey) => (sectionKey ? schedules.get(sectionKey) : undefined) ?? organisationOrThrow().schedule,
    member: (identity) => members.get(identity),
    memberById: (id) => byId.get(id),
    matcher: () => (matcher ??= createIntentMatcher(indicators)),
    retired,
    retiredMatcher: () => (retiredMatcher ??= createIntentMatcher(retired)),
    target: (indicatorId, year) => targets.get(`${indicatorId} ${year}`),
  };
}
