import { type SectionNames, isOwed } from '../core/domain.js';
import type { Period } from '../core/period.js';
import { sortBehindFirst } from '../core/progress.js';
import { reportingYear } from '../core/schedule.js';
import type { Decimal } from '../core/decimal.js';
import { type StoredIndicator, getOrganisation, listIndicators } from '../db/org-repository.js';
import type { ReadDeps } from './deps.js';
import { figuresByIndicator } from './figures.js';
import { missingReport } from './missing-report.js';
import { type ProgressReport, progressReport } from './progress-report.js';

/*
 * What the web dashboard shows, from the same use cases as the chat and the CLI: nothing is computed
 * twice, nothing is typed in. Formatting (and the reader's language) is the page's.
 */

/** The year asked for, else the current period's (as progressReport takes it: last year in January until its window opens). */
export async function dashboardYear(deps: ReadDeps, year?: number): Promise<number> {
  if (year !== undefined) return year;
  const organisation = await getOrganisation(deps.prisma);
  return reportingYear(deps.now(), organisation.timezone, organisation.schedule);
}

/** Every indicator's progress for a year, behind schedule first (the 总体进度 order). */
export async function dashboardProgress(deps: ReadDeps, query: { year?: number; month?: number }): Promise<ProgressReport> {
  const report = await progressReport(deps, query);
  return { ...report, items: sortBehindFirst(report.items) };
}

/** One section's state for a period: how many of the indicators it owes for it are in. */
export interface SectionReporting extends SectionNames {
  key: string;
  indicators: number;
  missing: number;
}

/** Which sections have reported `period` (default: the current reporting period) and which have not. */
export async function sectionsReporting(deps: ReadDeps, period?: Period): Promise<{ period: Period; sections: SectionReporting[] }> {
  const [missing, indicators, sections] = await Promise.all([
    missingReport(deps, period),
    listIndicators(deps.prisma),
    deps.prisma.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
  ]);
  const open = new Map(missing.sections.map((section) => [section.sectionKey, section.indicators.length]));
  return {
    period: missing.period,
    sections: sections
      .map((section) => ({
        key: section.key,
        name: section.name,
        nameEn: section.nameEn,
        indicators: indicators.filter((indicator) => indicator.sectionKey === section.key && isOwed(indicator, missing.period)).length,
        missing: open.get(section.key) ?? 0,
      }))
      .filter((section) => section.indicators > 0),
  };
}

/** One indicator's figures month by month, for a year and the year before. */
export interface IndicatorHistory {
  indicator: StoredIndicator;
  year: number;
  /** Index 0 is January; undefined where no figure was reported. */
  months: Array<Decimal | undefined>;
  lastYear: Array<Decimal | undefined>;
}

/** The monthly history of the indicator `key`, with last year beside it; undefined for an unknown key. */
export async function indicatorHistory(deps: ReadDeps, key: string, year: number): Promise<IndicatorHistory | undefined> {
  const indicator = (await listIndicators(deps.prisma)).find((candidate) => candidate.key === key);
  if (!indicator) return undefined;
  const figures = (await figuresByIndicator(deps.prisma, [year - 1, year])).get(key) ?? [];
  const monthsOf = (wanted: number) =>
    Array.from({ length: 12 }, (_, index) => figures.find((figure) => figure.year === wanted && figure.month === index + 1)?.value);
  return { indicator, year, months: monthsOf(year), lastYear: monthsOf(year - 1) };
}
