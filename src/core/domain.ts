import type { Decimal } from './decimal.js';
import { type Period, addMonths, periodIndex } from './period.js';
import type { Unit } from './units.js';

/** How a month's figure relates to the year-to-date (docs/product.md, Indicators). */
export const INDICATOR_KINDS = ['cumulative', 'increment', 'level'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/**
 * How often an indicator's figure is owed: every month, or at each quarter's end (3, 6, 9, 12月: 季报, as
 * 农村居民人均可支配收入). A quarterly figure is still kept under its month (2026-09 holds 1–9月).
 */
export const FREQUENCIES = ['monthly', 'quarterly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const ROLES = ['director', 'section_head', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * A section's names: the organisation file's `name`, and its `name_en` when the file gives one (null as the
 * database keeps an absent one). Shown to people through `sectionName` (render.ts) only.
 */
export interface SectionNames {
  name: string;
  nameEn?: string | null;
}

/** What the core needs to know about an indicator to parse, validate and compute with its figures. */
export interface IndicatorDef {
  key: string;
  name: string;
  nameEn: string;
  sectionKey: string;
  kind: IndicatorKind;
  unit: Unit;
  /** Digits after the point that a figure is kept and shown with. */
  decimals: number;
  aliases: string[];
  min?: Decimal;
  max?: Decimal;
  /** How English names this indicator's count unit (institutions, sites); the unit's own word when absent. */
  unitEn?: string;
  /** 报送起始月 (`from:`): the first period its figure is owed; absent, it is owed in every period. */
  from?: Period;
  /** `frequency: quarterly`: owed only at quarter ends; absent, every month. */
  frequency?: Frequency;
  /**
   * `time_progress: false`: not measured against 序时进度 (a seasonal figure, 粮食产量 brought in at harvest): its
   * completion rate is given, never ahead or behind. Absent, measured as every cumulative and increment one.
   */
  timeProgress?: false;
}

/**
 * Whether an indicator's figure is owed for `period`: always, unless its `from` (报送起始月) is later or it is
 * reported quarterly and `period` ends no quarter. The one test for everything that counts what is owed —
 * who has not reported, 已报送 x/y, the bulletin, the dashboard, reminders and 催报, the reporting dialogue's
 * questions, the months a progress line names as not reported. Figures of other months may still be stored
 * by import (history for 同比) and are read like any other.
 */
export function isOwed(indicator: Owing, period: Period): boolean {
  if (indicator.frequency === 'quarterly' && period.month % 3 !== 0) return false;
  return indicator.from === undefined || periodIndex(indicator.from) <= periodIndex(period);
}

/**
 * The first period from `period` on (itself included) for which an indicator's figure is owed: its `from`,
 * or the next quarter's end for a quarterly one.
 */
export function nextOwed(indicator: Owing, period: Period): Period {
  let next = startsLater(indicator, period) ? indicator.from! : period;
  if (indicator.frequency === 'quarterly') next = addMonths(next, (3 - (next.month % 3)) % 3);
  return next;
}

/** The latest period up to `period` (itself included, within a year back) that owes the indicator's figure. */
export function lastOwed(indicator: Owing, period: Period): Period | undefined {
  for (let back = 0; back < 12; back += 1) {
    const candidate = addMonths(period, -back);
    if (isOwed(indicator, candidate)) return candidate;
  }
  return undefined;
}

/** Whether any month of `period`'s year up to it owes the indicator's figure (a quarterly one in November: yes). */
export function owedBy(indicator: Owing, period: Period): boolean {
  return lastOwed(indicator, period)?.year === period.year;
}

/** The months first…last of `year` an indicator's figure is owed for (after its `from`; a quarterly one's quarter ends). */
export function owedMonths(indicator: Owing, year: number, first: number, last: number): number[] {
  const months: number[] = [];
  for (let month = Math.max(first, 1); month <= last; month += 1) if (isOwed(indicator, { year, month })) months.push(month);
  return months;
}

/** Whether an indicator's `from` is after `period` (else, not owed, it is quarterly). */
export function startsLater(indicator: Owing, period: Period): boolean {
  return indicator.from !== undefined && periodIndex(indicator.from) > periodIndex(period);
}

/** What `isOwed` reads of an indicator. */
export type Owing = Pick<IndicatorDef, 'from' | 'frequency'>;

/** Those of `indicators` owed for `period`, in their order; the same array when all are (nothing to copy). */
export function owedIndicators<T extends Owing>(indicators: T[], period: Period): T[] {
  return indicators.every((indicator) => isOwed(indicator, period)) ? indicators : indicators.filter((indicator) => isOwed(indicator, period));
}

/** One stored figure of an indicator for a month (the latest revision). */
export interface MonthlyFigure {
  year: number;
  month: number;
  value: Decimal;
  /** Kept by the reporter although a check queried it: marked for the directors. */
  queried?: boolean;
}

/**
 * A member of the organisation as the bot knows them, wherever they are read: from the organisation in
 * memory, from the database, in a chat. (The organisation file's own shape, with chat identities and no
 * id, is `MemberConfig`.)
 */
export interface Member {
  id: number;
  key: string;
  name: string;
  roles: Role[];
  /** The member's section while it is active; directors and administrators may have none. */
  sectionKey?: string;
  section?: SectionNames;
  locale: Locale;
  /** Directors and administrators see every section; others only their own. */
  seesAll: boolean;
}

/** Whether a member reports figures: a section head or staff member of a section. */
export function isReporter(member: Pick<Member, 'roles' | 'sectionKey'>): boolean {
  return member.sectionKey !== undefined && member.roles.some((role) => role === 'section_head' || role === 'staff');
}

/** Whether a member's roles let them see every section (a director or an administrator). */
export function seesEverySection(roles: readonly Role[]): boolean {
  return roles.includes('director') || roles.includes('admin');
}
