import { civilDateInZone, zonedParts } from '../../core/calendar.js';
import type { Decimal } from '../../core/decimal.js';
import { type Locale, owedBy } from '../../core/domain.js';
import { type MessageKey, type Translate, translator } from '../../core/i18n.js';
import type { IndicatorProgress } from '../../core/progress.js';
import { type StoredIndicator, type StoredOrganisation, getOrganisation, listIndicators } from '../../db/org-repository.js';
import type { ReadDeps } from '../deps.js';
import { progressReport } from '../progress-report.js';

/*
 * The figures every document of a period is written from: the progress arithmetic of
 * src/core/progress.ts over the stored figures and targets (progressReport), with what a document adds —
 * the responsible section and who set each target. No figure is made anywhere else.
 */

/** One indicator of a document: its progress and who set its target (韶关下达). */
export interface ReportItem {
  indicator: StoredIndicator;
  progress: IndicatorProgress;
  setBy?: string;
  /** An indicator the organisation file no longer lists, here for the figures it has in the year. */
  retired?: true;
}

/** A year through a month, as the documents show it. */
export interface ReportData {
  organisation: StoredOrganisation;
  year: number;
  /** The month asked about (a period's month; December for a past year). */
  month: number;
  /** The latest month any indicator has a figure for, ≤ month; undefined when the year has none. */
  dataMonth?: number;
  items: ReportItem[];
  /** When the document was made. */
  generatedAt: Date;
}

/**
 * Reads the progress of every active indicator for `year` through `month` (default as progressReport's);
 * with `retired`, after them that of each indicator the file no longer lists that has a figure or a target
 * in `year` (a year's workbook and self-evaluation draft: its targets count, as its figures do).
 */
export async function reportData(deps: ReadDeps, query: { year?: number; month?: number }, options?: { retired?: boolean }): Promise<ReportData> {
  const [organisation, active, retired] = await Promise.all([
    getOrganisation(deps.prisma),
    listIndicators(deps.prisma),
    options?.retired && query.year !== undefined ? retiredInYear(deps, query.year) : [],
  ]);
  const indicators = [...active, ...retired];
  const report = await progressReport(deps, query, { organisation, indicators, retired: new Set(retired.map((indicator) => indicator.key)) });
  const targets = await deps.prisma.target.findMany({
    where: { year: report.year },
    select: { setBy: true, indicator: { select: { key: true } } },
  });
  const setBy = new Map(targets.map((row) => [row.indicator.key, row.setBy ?? undefined]));
  const items = report.items.map((progress, index) => ({
    indicator: indicators[index]!,
    progress,
    setBy: setBy.get(progress.indicator.key),
    ...(index >= active.length ? { retired: true as const } : {}),
  }));
  const months = items.map((item) => item.progress.throughMonth ?? 0).filter((month) => month > 0);
  return {
    organisation,
    year: report.year,
    month: report.month,
    dataMonth: months.length > 0 ? Math.max(...months) : undefined,
    items,
    generatedAt: deps.now(),
  };
}

/** The indicators the organisation file no longer lists that have a figure in `year` (a target alone is no record of work done). */
async function retiredInYear(deps: ReadDeps, year: number): Promise<StoredIndicator[]> {
  const retired = await listIndicators(deps.prisma, 'retired');
  if (retired.length === 0) return [];
  const where = { year, indicatorId: { in: retired.map((indicator) => indicator.id) } };
  const figures = await deps.prisma.submission.findMany({ where, distinct: ['indicatorId'], select: { indicatorId: true } });
  const ids = new Set(figures.map((row) => row.indicatorId));
  return retired.filter((indicator) => ids.has(indicator.id));
}

/** The translator of a document's language (zh-CN unless asked). */
export function documentTranslator(locale: Locale | undefined): { t: Translate; locale: Locale } {
  const chosen = locale ?? 'zh-CN';
  return { t: translator(chosen), locale: chosen };
}

/** 2026年11月27日 / 27 November 2026, in the organisation's time zone. */
export function dateLabel(t: Translate, instant: Date, timeZone: string): string {
  const date = civilDateInZone(instant, timeZone);
  return t('reports.date', { ...date, monthName: t(`month_names.${date.month}` as MessageKey) });
}

/** 2026年11月29日 11:16 / 29 November 2026, 11:16: a moment as a document's text writes it, not ISO. */
export function dateTimeLabel(t: Translate, instant: Date, timeZone: string): string {
  const { hour, minute } = zonedParts(instant, timeZone);
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return t('reports.date_time', { date: dateLabel(t, instant, timeZone), time });
}

/** What the times of a document are in: 北京时间 for China's zone, else the zone's name. */
export function zoneLabel(t: Translate, timeZone: string): string {
  return timeZone === 'Asia/Shanghai' || timeZone === 'Asia/Chongqing' || timeZone === 'PRC' ? t('reports.zone_beijing') : timeZone;
}

/** A month's name for the templates that use {monthName}. */
export function monthParams(t: Translate, month: number): { month: number; monthName: string; months: string } {
  const monthName = t(`month_names.${month}` as MessageKey);
  // 1-10月, but January alone is 1月 (not 1-1月).
  return { month, monthName, months: t(month === 1 ? 'reports.months_first' : 'reports.months_through', { month, monthName }) };
}

/** Items with a target and a figure: what a completion chart or a behind-schedule list is about. */
export function measured(items: readonly ReportItem[]): (ReportItem & { progress: IndicatorProgress & { rate: Decimal } })[] {
  return items.filter((item): item is ReportItem & { progress: IndicatorProgress & { rate: Decimal } } => item.progress.rate !== undefined);
}

/** Items with a target for the year (a figure or not): every one a document counts or lists as a target. */
export function targeted(items: readonly ReportItem[]): (ReportItem & { progress: IndicatorProgress & { target: Decimal } })[] {
  return items.filter((item): item is ReportItem & { progress: IndicatorProgress & { target: Decimal } } => item.progress.target !== undefined);
}

/**
 * Items with a target but no figure in the year: said as 未报送 and counted as not met, never left out,
 * or a draft would count 5 targets where the year has 7. One owed for no month yet by the document's month
 * (its `from` is later; a quarterly one before March) has not failed to report.
 */
export function unreported(items: readonly ReportItem[]): ReturnType<typeof targeted> {
  return targeted(items).filter(
    ({ progress }) => progress.ytd === undefined && owedBy(progress.indicator, { year: progress.year, month: progress.asOfMonth }),
  );
}
