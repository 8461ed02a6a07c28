import { Decimal } from '../core/decimal.js';
import { type IndicatorDef, type Member, type SectionNames, seesEverySection } from '../core/domain.js';
import type { CheckConfig, ScheduleConfig } from '../core/org/parse.js';
import { isUnit } from '../core/units.js';
import { AppError } from '../core/errors.js';
import { intArray, sqlOf } from './sql.js';
import type { Db, Tx } from './database.js';
import { parseChecks, parseSchedule } from './stored-json.js';

/*
 * Reads the organisation back out of the database in the core's shapes. Prisma decimals become the
 * core's Decimal through their exact string form.
 */

type Reader = Db | Tx;

export interface StoredOrganisation {
  name: string;
  /** The English name (`name_en`), when the file gives one. */
  nameEn?: string;
  timezone: string;
  schedule: ScheduleConfig;
  /** The relations of the file's `checks:`. */
  checks: CheckConfig[];
}

export interface StoredIndicator extends IndicatorDef {
  id: number;
  /** The names of the section that owns it (`sectionName` shows them). */
  section: SectionNames;
}

/** Converts a Prisma decimal (or null) exactly. */
export function toDecimal(value: { toString(): string }): Decimal;
export function toDecimal(value: { toString(): string } | null): Decimal | undefined;
export function toDecimal(value: { toString(): string } | null): Decimal | undefined {
  return value === null ? undefined : new Decimal(value.toString());
}

/** The organisation row; an AppError `org_not_loaded` when no organisation file was ever loaded. */
export async function getOrganisation(db: Reader): Promise<StoredOrganisation> {
  const row = await db.organisation.findUnique({ where: { id: 1 } });
  if (!row) throw new AppError('org_not_loaded', 'no organisation has been loaded');
  return {
    name: row.name,
    ...(row.nameEn === null ? {} : { nameEn: row.nameEn }),
    timezone: row.timezone,
    schedule: parseSchedule(row.schedule, 'schedule of the organisation'),
    checks: parseChecks(row.checks, 'checks of the organisation'),
  };
}

/**
 * Active indicators in the organisation file's order; `retired`: those the file no longer lists, kept
 * inactive with their history.
 */
export async function listIndicators(db: Reader, which: 'active' | 'retired' = 'active'): Promise<StoredIndicator[]> {
  const rows = await db.indicator.findMany({
    where: { active: which === 'active' },
    orderBy: { position: 'asc' },
    include: { section: { select: { key: true, name: true, nameEn: true } } },
  });
  return rows.map((row) => {
    if (!isUnit(row.unit)) throw new AppError('internal', `indicator ${row.key} has unknown unit ${row.unit}`);
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      nameEn: row.nameEn,
      sectionKey: row.section.key,
      section: { name: row.section.name, nameEn: row.section.nameEn },
      kind: row.kind,
      unit: row.unit,
      decimals: row.decimals,
      aliases: row.aliases,
      min: toDecimal(row.min),
      max: toDecimal(row.max),
      ...(row.unitEn === null ? {} : { unitEn: row.unitEn }),
      ...(row.fromPeriod === null ? {} : { from: { year: Math.floor(row.fromPeriod / 100), month: row.fromPeriod % 100 } }),
      ...(row.frequency === 'quarterly' ? { frequency: 'quarterly' as const } : {}),
      ...(row.timeProgress ? {} : { timeProgress: false as const }),
    };
  });
}

/** Active members with their section (while it is active). */
export async function listMembers(db: Reader): Promise<Member[]> {
  const rows = await db.member.findMany({
    where: { active: true },
    orderBy: { id: 'asc' },
    include: { section: { select: { key: true, name: true, nameEn: true, active: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    name: row.name,
    roles: row.roles,
    sectionKey: row.section?.active ? row.section.key : undefined,
    section: row.section?.active ? { name: row.section.name, nameEn: row.section.nameEn } : undefined,
    locale: row.locale === 'en' ? 'en' : 'zh-CN',
    seesAll: seesEverySection(row.roles),
  }));
}

/** Annual targets of `year` by indicator key; of the indicators `ids` only when given. */
export async function targetsOf(db: Reader, year: number, ids?: readonly number[]): Promise<Map<string, Decimal>> {
  const rows = await sqlOf(db).query<{ key: string; value: string }>(
    `SELECT i.key, t.value::text AS value FROM target t JOIN indicator i ON i.id = t.indicator_id
     WHERE t.year = $1::int${ids ? ' AND t.indicator_id = ANY($2::int[])' : ''}`,
    ids ? [year, intArray(ids)] : [year],
  );
  return new Map(rows.map((row) => [row.key, toDecimal(row.value)]));
}
