import { civilDateInZone } from '../core/calendar.js';
import type { SectionNames } from '../core/domain.js';
import type { Period } from '../core/period.js';
import { type IndicatorProgress, computeProgress } from '../core/progress.js';
import { currentPeriod } from '../core/schedule.js';
import { type StoredIndicator, type StoredOrganisation, getOrganisation, listIndicators } from '../db/org-repository.js';
import type { ReadDeps } from './deps.js';
import { type FiguresAndTargets, figuresAndTargets } from './figures.js';

export interface ProgressQuery {
  /** Default: the year of the current period (last year in January until its window opens), in the organisation's time zone. */
  year?: number;
  /** Default: December for a past year, the current month for the current year. */
  month?: number;
  indicatorKeys?: string[];
}

export interface ProgressReport {
  /** Its names: `organisationName` says it in the reader's language. */
  organisation: SectionNames;
  year: number;
  month: number;
  items: IndicatorProgress[];
  /**
   * By indicator key, where the year asked has no figure up to the month asked: the first later month of
   * that year with one, else the latest month of an earlier year with one.
   */
  latest: Map<string, Period>;
}

/**
 * Completion, 序时进度 and growth of every active indicator (or those asked for), computed from the
 * stored figures and targets: the numbers the CLI prints and every chat channel answers with.
 */
export async function progressReport(
  deps: ReadDeps,
  query: ProgressQuery = {},
  /**
   * The organisation and its indicators when the caller holds them in memory (a chat turn); `retired`, the
   * keys among them the file no longer lists: no month of theirs is due any more.
   */
  known?: { organisation: StoredOrganisation; indicators: StoredIndicator[]; retired?: ReadonlySet<string> },
  /** The figures of the year asked and the year before, and its targets, when the caller read them already. */
  read?: FiguresAndTargets,
): Promise<ProgressReport> {
  const organisation = known?.organisation ?? (await getOrganisation(deps.prisma));
  const now = deps.now();
  const today = civilDateInZone(now, organisation.timezone);
  // In January before its window opens, last year is still the one being reported (its December is the
  // current period): the answers are about its result, not about a new year that has no figure yet.
  const current = currentPeriod(now, organisation.timezone, organisation.schedule);
  const year = query.year ?? current.year;
  const month = query.month ?? (year < today.year ? 12 : today.month);
  const indicators = (known?.indicators ?? (await listIndicators(deps.prisma))).filter(
    (indicator) => !query.indicatorKeys || query.indicatorKeys.includes(indicator.key),
  );
  // Asked about some indicators, only theirs are read.
  const ids = query.indicatorKeys ? indicators.map((indicator) => indicator.id) : undefined;
  const { figures, targets } = read ?? (await figuresAndTargets(deps.prisma, [year - 1, year], year, ids));
  // Due by now: every month before the one being collected (all of a past year's).
  const dueThrough = year < current.year ? 12 : year === current.year ? current.month - 1 : 0;
  const items = indicators.map((indicator) =>
    computeProgress({
      indicator,
      figures: figures.get(indicator.key) ?? [],
      year,
      throughMonth: month,
      target: targets.get(indicator.key),
      dueThrough: known?.retired?.has(indicator.key) ? 0 : dueThrough,
    }),
  );
  const latest = await latestPeriods(deps, indicators, items, year, month);
  return { organisation: { name: organisation.name, nameEn: organisation.nameEn }, year, month, items, latest };
}

async function latestPeriods(
  deps: ReadDeps,
  indicators: StoredIndicator[],
  items: IndicatorProgress[],
  year: number,
  month: number,
): Promise<Map<string, Period>> {
  const withoutData = indicators.filter((_, index) => items[index]?.ytd === undefined).map((i) => i.id);
  if (withoutData.length === 0) return new Map();
  const rows = await deps.prisma.submission.groupBy({
    by: ['indicatorId', 'year'],
    where: { indicatorId: { in: withoutData }, year: { lte: year } },
    _max: { month: true },
    _min: { month: true },
    orderBy: [{ indicatorId: 'asc' }, { year: 'desc' }],
  });
  const latest = new Map<string, Period>();
  for (const row of rows) {
    const key = indicators.find((indicator) => indicator.id === row.indicatorId)?.key;
    if (!key || latest.has(key)) continue;
    // A figure later in the year asked (none is up to the month asked): the first such month; else the
    // latest month of an earlier year.
    const at = row.year === year ? row._min.month : row._max.month;
    if (at !== null && (row.year < year || at > month)) latest.set(key, { year: row.year, month: at });
  }
  return latest;
}
