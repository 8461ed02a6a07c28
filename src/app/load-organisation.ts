import { createHash } from 'node:crypto';
import { type OrgBefore, type OrgChanges, diffOrganisation } from '../core/org/changes.js';
import type { OrgConfig } from '../core/org/parse.js';
import { type Period, periodIndex } from '../core/period.js';
import { currentPeriod } from '../core/schedule.js';
import type { AppDeps, Tx } from './deps.js';
import { sqlOf } from '../db/sql.js';

export interface LoadResult {
  status: 'loaded' | 'unchanged';
  sections: number;
  members: number;
  indicators: number;
  targets: number;
  /** Keys that the file no longer lists: kept inactive, with their history. */
  deactivated: { sections: string[]; members: string[]; indicators: string[] };
  /** Years whose targets are stored but which the file lists none of: kept as they were (how many). */
  targetsKept: Array<{ year: number; count: number }>;
  /**
   * Indicators the file adds without a `from` to an organisation that has figures already: owed from
   * `period` (their section's current one) on, chased with the rest, which a new indicator of next year
   * must not be. `load` says so, one line each.
   */
  undated: Array<{ key: string; name: string; period: Period }>;
  /** What the file changes in an organisation loaded before (nothing listed on a first load). */
  changes: OrgChanges;
}

const NO_CHANGES: OrgChanges = { added: { sections: [], members: [], indicators: [] }, changes: [] };

/** SHA-256 of `text` (what was loaded: the parsed file as JSON, see loadOrgFile), to recognise a file loaded before. */
export function orgSourceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Makes the database's organisation that of `config`, in one transaction: what the file lists is created
 * or updated, what it no longer lists is deactivated (never deleted, so every submission and its history
 * stay), identities from the file are bound, and the targets of the years it lists are replaced (other
 * years' stay). Loading the same file twice changes nothing.
 */
export async function loadOrganisation(
  deps: AppDeps,
  config: OrgConfig,
  /**
   * `builtIn`: the built-in demo, not a file (kept in the audit log: a file's organisation is never replaced by
   * the demo); `file`: the file's absolute path (kept too: a start tells ORG_FILE from a file loaded after it).
   */
  source: { hash: string; actor: string; builtIn?: boolean; file?: string },
  /** Work all of it out in a transaction that is then rolled back: what the load would do, nothing written. */
  options: { dryRun?: boolean } = {},
): Promise<LoadResult> {
  const counts = {
    sections: config.sections.length,
    members: config.members.length,
    indicators: config.indicators.length,
    targets: config.targets.length,
  };
  const current = await deps.prisma.organisation.findUnique({ where: { id: 1 } });
  if (current?.sourceHash === source.hash) {
    return { status: 'unchanged', ...counts, deactivated: { sections: [], members: [], indicators: [] }, targetsKept: [], undated: [], changes: NO_CHANGES };
  }
  let preview: LoadResult | undefined;
  try {
    return await deps.prisma.$transaction(
    async (tx) => {
      const organisation = {
        name: config.organisation.name,
        nameEn: config.organisation.nameEn ?? null,
        timezone: config.organisation.timezone,
        schedule: config.schedule as object,
        checks: config.checks as object[],
        sourceHash: source.hash,
        loadedAt: deps.now(),
      };
      // Read before the file's rows are written; an organisation never loaded has nothing to compare.
      const before = current ? { name: current.name, nameEn: current.nameEn, ...(await organisationBefore(tx)) } : undefined;
      const undated = before ? await undatedIndicators(tx, config, before, deps.now()) : [];
      const changes = before ? diffOrganisation(before, config) : NO_CHANGES;
      await tx.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...organisation }, update: organisation });
      const sectionIds = await upsertSections(tx, config);
      const memberIds = await upsertMembers(tx, config, sectionIds);
      await bindFileIdentities(tx, config, memberIds);
      const indicatorIds = await upsertIndicators(tx, config, sectionIds, undated);
      const targetsKept = await replaceTargets(tx, config, indicatorIds);
      const deactivated = {
        sections: await deactivateMissing(tx, 'section', [...sectionIds.keys()]),
        members: await deactivateMissing(tx, 'member', [...memberIds.keys()]),
        indicators: await deactivateMissing(tx, 'indicator', [...indicatorIds.keys()]),
      };
      await tx.auditLog.create({
        data: {
          at: deps.now(),
          actor: source.actor,
          action: 'org.load',
          subject: config.organisation.name,
          // As JSON: a change without a `from` (a new target) has no such field, rather than an undefined one.
          details: JSON.parse(JSON.stringify({ hash: source.hash, builtIn: source.builtIn ?? false, file: source.file, ...counts, deactivated, targetsKept, undated: undated.map((indicator) => indicator.key), ...changes })) as object,
        },
      });
      const result = { status: 'loaded' as const, ...counts, deactivated, targetsKept, undated, changes };
      if (options.dryRun) {
        preview = result;
        throw DRY_RUN;
      }
      return result;
    },
    { timeout: 60_000 },
    );
  } catch (error) {
    if (error !== DRY_RUN || !preview) throw error;
    return preview;
  }
}

// Thrown at the end of a dry run's transaction, so that it rolls back.
const DRY_RUN = new Error('dry run: rolled back');

/** The organisation as stored before the file's rows are written: what the load's `changes` compare. */
async function organisationBefore(tx: Tx): Promise<OrgBefore> {
  const sql = sqlOf(tx);
  const sections = await sql.query<{ key: string; name: string; nameEn: string | null; active: boolean }>(
    'SELECT key, name, name_en AS "nameEn", active FROM section',
  );
  const members = await sql.query<{ key: string; name: string; sectionKey: string | null; active: boolean }>(
    'SELECT m.key, m.name, s.key AS "sectionKey", m.active FROM member m LEFT JOIN section s ON s.id = m.section_id',
  );
  const indicators = await sql.query<{ key: string; name: string; nameEn: string | null; decimals: number; frequency: string; sectionKey: string; active: boolean }>(
    'SELECT i.key, i.name, i.name_en AS "nameEn", i.decimals, i.frequency, s.key AS "sectionKey", i.active FROM indicator i JOIN section s ON s.id = i.section_id',
  );
  const targets = await sql.query<{ indicatorKey: string; year: number; value: string; setBy: string | null }>(
    'SELECT i.key AS "indicatorKey", t.year, t.value::text AS value, t.set_by AS "setBy" FROM target t JOIN indicator i ON i.id = t.indicator_id',
  );
  return { sections, members, indicators, targets };
}

/*
 * Sections, members, indicators and identities go in one statement each, their rows as one JSON parameter,
 * in file order (so new rows get their ids in that order, as one statement a row gave them). A statement
 * a row through Prisma grew the process for good: a bureau's file is a few hundred rows, and loading it
 * row by row left the bot some 40 MiB larger, idle, than opening the same database again (BENCHMARKS.md).
 */

/** Upserts `rows` (file order kept) and returns each key's id. */
async function upsertByKey(tx: Tx, statement: string, rows: object[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  const saved = await sqlOf(tx).query<{ key: string; id: number }>(statement, [inFileOrder(rows)]);
  for (const row of saved) ids.set(row.key, row.id);
  return ids;
}

/** The rows as the statements' one parameter, each numbered (`n`) in file order. */
function inFileOrder(rows: object[]): string {
  return JSON.stringify(rows.map((row, n) => ({ ...row, n })));
}

function upsertSections(tx: Tx, config: OrgConfig): Promise<Map<string, number>> {
  return upsertByKey(
    tx,
    `INSERT INTO section (key, name, name_en, schedule, active)
     SELECT r.key, r.name, r.name_en, r.schedule, true
       FROM jsonb_to_recordset($1::jsonb) AS r(key text, name text, name_en text, schedule jsonb, n int)
      ORDER BY r.n
     ON CONFLICT (key) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, schedule = excluded.schedule, active = true
     RETURNING key, id`,
    config.sections.map((section) => ({ key: section.key, name: section.name, name_en: section.nameEn ?? null, schedule: section.schedule })),
  );
}

function upsertMembers(tx: Tx, config: OrgConfig, sectionIds: Map<string, number>): Promise<Map<string, number>> {
  return upsertByKey(
    tx,
    `INSERT INTO member (key, name, roles, section_id, locale, active)
     SELECT r.key, r.name, r.roles::"Role"[], r.section_id, r.locale, true
       FROM jsonb_to_recordset($1::jsonb) AS r(key text, name text, roles text[], section_id int, locale text, n int)
      ORDER BY r.n
     ON CONFLICT (key) DO UPDATE
        SET name = excluded.name, roles = excluded.roles, section_id = excluded.section_id, locale = excluded.locale, active = true
     RETURNING key, id`,
    config.members.map((member) => ({
      key: member.key,
      name: member.name,
      roles: member.roles,
      section_id: member.sectionKey ? (sectionIds.get(member.sectionKey) ?? null) : null,
      locale: member.locale,
    })),
  );
}

/*
 * The file is the administrator's word: an identity it lists is bound to that member, even if an invite
 * had bound it elsewhere. Identities the file once listed and no longer does are unbound; those bound by
 * invite are left alone.
 */
async function bindFileIdentities(tx: Tx, config: OrgConfig, memberIds: Map<string, number>): Promise<void> {
  const listed = new Map<string, number>();
  for (const member of config.members) {
    const memberId = memberIds.get(member.key);
    if (memberId === undefined) continue;
    for (const identity of member.identities) listed.set(identity, memberId);
  }
  if (listed.size > 0) {
    await sqlOf(tx).query(
      `INSERT INTO chat_identity (identity, member_id, source)
       SELECT r.identity, r.member_id, 'org_file'
         FROM jsonb_to_recordset($1::jsonb) AS r(identity text, member_id int, n int)
        ORDER BY r.n
       ON CONFLICT (identity) DO UPDATE SET member_id = excluded.member_id, source = 'org_file'`,
      [inFileOrder([...listed].map(([identity, memberId]) => ({ identity, member_id: memberId })))],
    );
  }
  await tx.chatIdentity.deleteMany({ where: { source: 'org_file', identity: { notIn: [...listed.keys()] } } });
}

/**
 * Writes the file's indicators. One added without `from` to a bureau with figures (`undated`) is owed from
 * the period it was added in, as load says: that period is stored as its start, marked implied, and kept
 * by later loads while the file still gives no `from` (a `from` the file gives, or takes away, is the file's).
 */
function upsertIndicators(tx: Tx, config: OrgConfig, sectionIds: Map<string, number>, undated: LoadResult['undated']): Promise<Map<string, number>> {
  const impliedStart = new Map(undated.map((indicator) => [indicator.key, indicator.period]));
  const rows = [...config.indicators.entries()].flatMap(([position, indicator]) => {
    const sectionId = sectionIds.get(indicator.sectionKey);
    if (sectionId === undefined) return []; // the parser's cross-checks make this unreachable
    const start = indicator.from ?? impliedStart.get(indicator.key);
    return [{
      key: indicator.key,
      name: indicator.name,
      name_en: indicator.nameEn,
      section_id: sectionId,
      kind: indicator.kind,
      unit: indicator.unit,
      decimals: indicator.decimals,
      aliases: indicator.aliases,
      min: indicator.min?.toFixed() ?? null,
      max: indicator.max?.toFixed() ?? null,
      unit_en: indicator.unitEn ?? null,
      from_period: start ? periodIndex(start) : null,
      from_implied: !indicator.from && impliedStart.has(indicator.key),
      frequency: indicator.frequency ?? 'monthly',
      time_progress: indicator.timeProgress ?? true,
      position,
    }];
  });
  return upsertByKey(
    tx,
    `INSERT INTO indicator (key, name, name_en, section_id, kind, unit, decimals, aliases, min, max, unit_en, from_period, from_implied, frequency, time_progress, position, active)
     SELECT r.key, r.name, r.name_en, r.section_id, r.kind::"IndicatorKind", r.unit, r.decimals, r.aliases, r.min, r.max, r.unit_en, r.from_period, r.from_implied, r.frequency, r.time_progress, r.position, true
       FROM jsonb_to_recordset($1::jsonb) AS
         r(key text, name text, name_en text, section_id int, kind text, unit text, decimals int, aliases text[],
              min numeric, max numeric, unit_en text, from_period int, from_implied boolean, frequency text, time_progress boolean, position int, n int)
      ORDER BY r.n
     ON CONFLICT (key) DO UPDATE
        SET name = excluded.name, name_en = excluded.name_en, section_id = excluded.section_id, kind = excluded.kind,
            unit = excluded.unit, decimals = excluded.decimals, aliases = excluded.aliases, min = excluded.min,
            max = excluded.max, unit_en = excluded.unit_en,
            from_period = CASE WHEN excluded.from_period IS NULL AND indicator.from_implied THEN indicator.from_period ELSE excluded.from_period END,
            from_implied = (excluded.from_period IS NULL AND indicator.from_implied) OR excluded.from_implied,
            frequency = excluded.frequency, time_progress = excluded.time_progress, position = excluded.position, active = true
     RETURNING key, id`,
    rows,
  );
}

/**
 * The indicators `config` adds (no row of that key in `before`, active or not) without a `from`, when the
 * organisation has figures already (a first load owes everything from the start, as it should), each with
 * its section's current period at `now`.
 */
async function undatedIndicators(tx: Tx, config: OrgConfig, before: OrgBefore, now: Date): Promise<LoadResult['undated']> {
  const candidates = config.indicators.filter((indicator) => indicator.from === undefined);
  if (candidates.length === 0 || (await tx.submission.findFirst({ select: { id: true } })) === null) return [];
  const stored = new Set(before.indicators.map((indicator) => indicator.key));
  const schedules = new Map(config.sections.map((section) => [section.key, section.schedule]));
  return candidates
    .filter((indicator) => !stored.has(indicator.key))
    .map((indicator) => ({
      key: indicator.key,
      name: indicator.name,
      period: currentPeriod(now, config.organisation.timezone, schedules.get(indicator.sectionKey) ?? config.schedule),
    }));
}

/**
 * The targets of every year the file lists are replaced by the file's; a year it lists none of keeps what
 * is stored (a file that carries only next year's targets must not erase this year's, on which the year's
 * completion rates and its self-evaluation rest). Returns those kept years and their counts.
 */
async function replaceTargets(tx: Tx, config: OrgConfig, indicatorIds: Map<string, number>): Promise<Array<{ year: number; count: number }>> {
  const years = [...new Set(config.targets.map((target) => target.year))];
  const kept = await tx.target.groupBy({ by: ['year'], where: { year: { notIn: years } }, _count: { _all: true }, orderBy: { year: 'asc' } });
  // The file's indicators' targets of the years it lists are the file's; an indicator it no longer lists
  // (stopped, its figures kept) keeps the targets its figures were measured against.
  await tx.target.deleteMany({ where: { year: { in: years }, indicatorId: { in: [...indicatorIds.values()] } } });
  const rows = config.targets.flatMap((target) => {
    const indicatorId = indicatorIds.get(target.indicatorKey);
    return indicatorId === undefined
      ? []
      : [{ indicatorId, year: target.year, value: target.value.toFixed(), setBy: target.setBy ?? null }];
  });
  if (rows.length > 0) await tx.target.createMany({ data: rows });
  return kept.map((row) => ({ year: row.year, count: row._count._all }));
}

async function deactivateMissing(tx: Tx, table: 'section' | 'member' | 'indicator', keep: string[]): Promise<string[]> {
  const where = { active: true, key: { notIn: keep } };
  const gone = await (tx[table] as Tx['section']).findMany({ where, select: { key: true } });
  if (gone.length > 0) await (tx[table] as Tx['section']).updateMany({ where, data: { active: false } });
  return gone.map((row) => row.key);
}
