import { setImmediate } from 'node:timers/promises';
import { type Locale, lastOwed } from '../../core/domain.js';
import type { Translate } from '../../core/i18n.js';
import { type Period, comparePeriods } from '../../core/period.js';
import { formatDecimal } from '../../core/decimal.js';
import { type IndicatorProgress, elapsedProgress, formatFigure, formatPercent, formatPoints, levelShortfall, sortBehindFirst } from '../../core/progress.js';
import { dayLabel, indicatorName, organisationName, periodLabel, sectionName, spanText } from '../../core/render.js';
import { currentPeriod } from '../../core/schedule.js';
import { getOrganisation } from '../../db/org-repository.js';
import type { ReadDeps } from '../deps.js';
import { type MissingReport, missingReport, stillOwedBefore } from '../missing-report.js';
import { completionChartPng } from './chart.js';
import { body, heading, image, loadDocx, pack, signature, title } from './docx-parts.js';
import { type ReportData, dateLabel, dateTimeLabel, documentTranslator, measured, monthParams, reportData, unreported, zoneLabel } from './report-data.js';
import { documentAmount, documentFigure, notReportedSentence, progressSentence, scheduleSentence, weOf } from './sentences.js';

/** A document the bot made: its bytes, the name to give the file, and a one-line caption. */
export interface ReportFile {
  content: Buffer;
  fileName: string;
  caption: string;
}

export interface BulletinOptions {
  /** Default: the period being reported now (the organisation's schedule). */
  period?: Period;
  locale?: Locale;
}

/** The period a bulletin is about when none is named: the one being reported now. */
export async function bulletinPeriod(deps: ReadDeps, period?: Period): Promise<Period> {
  if (period) return period;
  const organisation = await getOrganisation(deps.prisma);
  return currentPeriod(deps.now(), organisation.timezone, organisation.schedule);
}

/**
 * Why no bulletin of `period` can be made — its reporting has not started, and the document would state
 * what is not so (序时进度 100%, every section reported) — in the reader's words; undefined when it can.
 */
export async function bulletinNotYet(deps: ReadDeps, t: Translate, period?: Period): Promise<string | undefined> {
  if (!period) return undefined;
  const current = await bulletinPeriod(deps);
  if (comparePeriods(period, current) <= 0) return undefined;
  return t('reports.chat.bulletin_not_yet', { period: periodLabel(t, period), current: periodLabel(t, current) });
}

/**
 * The month's progress bulletin (通报) as a .docx: title and date, a paragraph per indicator in the
 * bureau's phrasing with its 序时进度, the completion chart, the indicators behind schedule with their
 * sections, and who has not reported the period.
 */
export async function buildBulletin(deps: ReadDeps, options: BulletinOptions = {}): Promise<Buffer> {
  return (await bulletinFile(deps, options)).content;
}

/** The bulletin with its file name and caption (what the chat and the outbox send). */
export async function bulletinFile(deps: ReadDeps, options: BulletinOptions = {}): Promise<ReportFile> {
  const { t, locale } = documentTranslator(options.locale);
  const period = await bulletinPeriod(deps, options.period);
  const [data, missing] = await Promise.all([reportData(deps, period), missingReport(deps, period)]);
  // The month before, still owing figures while this one is current: said too, as 谁还没报 says it.
  const earlier = await stillOwedBefore(deps, missing);
  const chart = measured(data.items).length > 0 ? await completionChartPng(data, t, locale) : undefined;
  const names = { org: organisationName(data.organisation, locale), year: period.year, ...monthParams(t, period.month) };
  const we = weOf(t, data.organisation.name);
  // Other chats' sends go between the chart, the document and its packing (each holds the event loop).
  await setImmediate();
  const doc = await loadDocx(locale);
  const children = [
    title(doc, t('reports.bulletin.title', names)),
    // An indicator whose month is not in yet is measured at its latest month, against that month's 序时进度:
    // the intro says so, or its 100% would contradict the 91.67% of the lines under it. A month it does not
    // owe (a quarterly one's between quarters) is nothing missing: its line says its span (前三季度…).
    body(doc, t(data.items.some((item) => owesLaterThanIn(item.progress, period))
      ? 'reports.bulletin.intro_partial' : 'reports.bulletin.intro', { ...names, elapsed: formatPercent(elapsedProgress(period.month)) })),
    heading(doc, t('reports.bulletin.heading_progress')),
    ...data.items
      .filter((item) => item.progress.ytd !== undefined)
      .map((item) => body(doc, [progressSentence(t, locale, item.progress, we, item.setBy), scheduleSentence(t, item.progress)].join(''))),
    heading(doc, t('reports.bulletin.heading_chart')),
    chart ? image(doc, chart, 600, 336) : body(doc, t('reports.bulletin.chart_missing')),
    heading(doc, t('reports.bulletin.heading_behind')),
    ...behindLines(t, locale, data).map((line) => body(doc, line)),
    heading(doc, t('reports.bulletin.heading_missing', { period: periodLabel(t, period) })),
    ...missingLines(t, locale, missing).map((line) => body(doc, line)),
    ...(earlier ? [t('reports.bulletin.missing_earlier', { period: periodLabel(t, earlier.period) }), ...missingLines(t, locale, earlier)] : []).map((line) => body(doc, line)),
    // Issued by the bureau, dated the day it is made (落款); how it was made follows, as a note (附注).
    ...signature(doc, names.org, dateLabel(t, data.generatedAt, data.organisation.timezone)),
    body(doc, t('reports.bulletin.footer', {
      generated: dateTimeLabel(t, data.generatedAt, data.organisation.timezone),
      zone: zoneLabel(t, data.organisation.timezone),
    })),
  ];
  const caption = t('reports.bulletin.caption', names);
  await setImmediate();
  return {
    content: await pack(doc, children, { title: caption, creator: t('reports.product_name') }),
    fileName: t('reports.bulletin.file_name', names),
    caption,
  };
}

/**
 * The indicators behind schedule, largest gap first, with their responsible sections; then those with a
 * target and no figure in the year (未报送), which are behind whatever the month and are in no chart.
 */
export function behindLines(t: Translate, locale: string, data: ReportData): string[] {
  const behind = sortBehindFirst(measured(data.items).map((item) => ({ ...item, gap: item.progress.gap, target: item.progress.target })))
    .filter((item) => item.gap?.status === 'behind');
  const levels = data.items.flatMap(({ indicator, progress }) => {
    const shortfall = levelShortfall(progress);
    if (!shortfall?.greaterThan(0) || progress.ytd === undefined || progress.throughMonth === undefined || progress.target === undefined) return [];
    return [t('reports.bulletin.level_short_line', {
      name: indicatorName(indicator, locale),
      span: spanText(t, indicator, progress.throughMonth),
      figure: documentFigure(t, formatFigure(progress.ytd, indicator.decimals), indicator),
      target: documentFigure(t, formatDecimal(progress.target, indicator.decimals), indicator),
      amount: documentAmount(t, indicator, shortfall),
      section: sectionName(indicator.section, locale),
    })];
  });
  const missing = unreported(data.items).map((item) => notReportedSentence(t, locale, item.progress, data.month));
  if (behind.length === 0 && levels.length === 0 && missing.length === 0) return [t('reports.bulletin.behind_none')];
  return [...behind.map((item) =>
    t('reports.bulletin.behind_line', {
      name: indicatorName(item.indicator, locale),
      rate: formatPercent(item.progress.rate),
      points: formatPoints(item.gap!.points),
      section: sectionName(item.indicator.section, locale),
    }),
  ), ...levels, ...missing];
}

function missingLines(t: Translate, locale: string, missing: MissingReport): string[] {
  const separator = t('list.separator');
  if (missing.sections.length === 0) return [t('reports.bulletin.missing_none', { period: periodLabel(t, missing.period) })];
  return missing.sections.map((section) =>
    t('reports.bulletin.missing_line', {
      section: sectionName(section.section, locale),
      indicators: section.indicators.map((indicator) => indicatorName(indicator, locale)).join(separator),
      people: section.people.length > 0 ? section.people.map((person) => person.name).join(separator) : t('reports.bulletin.missing_nobody'),
      deadline: dayLabel(t, section.deadline),
    }),
  );
}

/** Whether an indicator with figures owes one for a month of `period`'s year after its latest, up to `period`. */
function owesLaterThanIn(progress: IndicatorProgress, period: Period): boolean {
  if (progress.throughMonth === undefined) return false;
  const owed = lastOwed(progress.indicator, period);
  return owed !== undefined && owed.year === period.year && owed.month > progress.throughMonth;
}
