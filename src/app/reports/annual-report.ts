import { type Decimal, formatDecimal } from '../../core/decimal.js';
import { type Locale, type SectionNames, isOwed } from '../../core/domain.js';
import type { MessageKey, Translate } from '../../core/i18n.js';
import { formatFigure, formatGrowth, formatPercent, formatPointsChange } from '../../core/progress.js';
import { indicatorName, organisationName, queriedMark, sectionName, unitWord } from '../../core/render.js';
import type { ReadDeps } from '../deps.js';
import type { ReportFile } from './bulletin.js';
import { body, centred, heading, loadDocx, pack, table, title } from './docx-parts.js';
import { type ReportData, type ReportItem, documentTranslator, monthParams, reportData, targeted } from './report-data.js';
import { documentFigure, nameInSentence, notReportedSentence, progressSentence, weOf } from './sentences.js';

/*
 * The draft of the annual 部门整体支出绩效自评报告, in the outline of the bureau's 2020 report. What the
 * bot knows is written from the data: the sections (part 2) and the year's indicators, their figures,
 * growth and completion (part 4, and the counts of part 8). What it cannot know (functions, staff,
 * budget, measures, the self-assessed score) is a marked place to fill in.
 */

export interface AnnualReportOptions {
  year: number;
  locale?: Locale;
}

/** The self-evaluation draft of `year` as a .docx. */
export async function buildAnnualReport(deps: ReadDeps, options: AnnualReportOptions): Promise<Buffer> {
  return (await annualReportFile(deps, options)).content;
}

/** The draft with its file name and caption. */
export async function annualReportFile(deps: ReadDeps, options: AnnualReportOptions): Promise<ReportFile> {
  const { t, locale } = documentTranslator(options.locale);
  // The year as a whole: December, or the latest month reported when the year is not over.
  // An indicator the file stopped listing is in the year's draft, its target counted: marked 已停用 in the table.
  const data = await reportData(deps, { year: options.year, month: 12 }, { retired: true });
  const sections = await deps.prisma.section.findMany({ where: { active: true }, orderBy: { id: 'asc' }, select: { name: true, nameEn: true } });
  const org = organisationName(data.organisation, locale);
  const we = weOf(t, org);
  const fill = (what: MessageKey) => t('reports.annual.fill', { what: t(what) });
  const doc = await loadDocx(locale);
  // Every target of the year, reported or not: one without a figure is 未报送 and counts as not met.
  const withTarget = targeted(data.items);
  const short = withTarget.filter((item) => item.progress.ytd === undefined || item.progress.rate?.lessThan(100));
  // A year whose figures stop before December (this year, before its end; or a December never reported)
  // is said as of its last month, and one where some figures have reached December and others not as of
  // December, all not yet in: nothing is concluded of a year not yet complete.
  const month = data.dataMonth !== undefined && (data.dataMonth < 12 || decemberIncomplete(data)) ? data.dataMonth : undefined;
  const sentence = (item: ReportItem) =>
    item.progress.ytd === undefined && item.progress.target !== undefined
      ? notReportedSentence(t, locale, { ...item.progress, target: item.progress.target }, month)
      : progressSentence(t, locale, item.progress, we, item.setBy);
  const partial = (whole: MessageKey, asOf: MessageKey) => (month === undefined ? whole : asOf);

  const children = [
    title(doc, t('reports.annual.title')),
    centred(doc, t('reports.annual.subtitle', { org, year: data.year })),
    body(doc, t(partial('reports.annual.draft_note', 'reports.annual.draft_note_partial'), { year: data.year, ...monthParams(t, month ?? 12) }), { fill: true }),
    heading(doc, t('reports.annual.h1')),
    heading(doc, t('reports.annual.h1_1'), 2),
    body(doc, fill('reports.annual.fill_functions'), { fill: true }),
    heading(doc, t('reports.annual.h1_2'), 2),
    body(doc, fill('reports.annual.fill_duties'), { fill: true }),
    heading(doc, t('reports.annual.h2')),
    body(doc, t('reports.annual.sections', { org, count: sections.length, names: sections.map((s) => sectionName(s, locale)).join(t('list.separator')) })),
    heading(doc, t('reports.annual.h3')),
    body(doc, fill('reports.annual.fill_staff'), { fill: true }),
    heading(doc, t('reports.annual.h4')),
    body(doc, fill('reports.annual.fill_overview'), { fill: true }),
    ...bySection(data).flatMap((group, index) => [
      heading(doc, t('reports.annual.group', { index: ordinal(t, index), section: sectionName(group.section, locale) }), 2),
      ...group.items.map((item) => body(doc, sentence(item))),
    ]),
    centred(doc, t('reports.annual.table_title', { org, year: data.year })),
    table(doc, summaryHeader(t), data.items.filter(inDraft).map((item) => summaryRow(t, locale, item))),
    heading(doc, t('reports.annual.h5')),
    body(doc, fill('reports.annual.fill_measures'), { fill: true }),
    heading(doc, t('reports.annual.h6')),
    ...(withTarget.length > 0 ? [body(doc, t('reports.annual.targets_intro', { year: data.year, targets: targetList(t, locale, withTarget) }))] : []),
    body(doc, fill('reports.annual.fill_goals'), { fill: true }),
    heading(doc, t('reports.annual.h7')),
    body(doc, fill('reports.annual.fill_spending'), { fill: true }),
    heading(doc, t('reports.annual.h8')),
    heading(doc, t('reports.annual.h8_1'), 2),
    body(doc, fill('reports.annual.fill_budget'), { fill: true }),
    heading(doc, t('reports.annual.h8_2'), 2),
    // A year without targets has nothing to count as done: said, not "0 of 0 done" and "all done".
    body(
      doc,
      withTarget.length === 0
        ? t('reports.annual.achievement_no_targets', { year: data.year })
        : t(partial('reports.annual.achievement', 'reports.annual.achievement_partial'), {
            year: data.year, ...monthParams(t, month ?? 12), total: withTarget.length, done: withTarget.length - short.length, short: short.length,
          }),
    ),
    body(doc, fill('reports.annual.fill_efficiency'), { fill: true }),
    heading(doc, t('reports.annual.h8_3'), 2),
    body(doc, fill('reports.annual.fill_score'), { fill: true }),
    heading(doc, t('reports.annual.h9')),
    ...(short.length > 0
      ? short.map((item) => body(doc, shortLine(t, locale, item, month)))
      : withTarget.length > 0 ? [body(doc, t('reports.annual.short_none'))] : []),
    body(doc, fill('reports.annual.fill_problems'), { fill: true }),
  ];
  const caption = `${t('reports.annual.title')} ${t('reports.annual.subtitle', { org, year: data.year })}`;
  return {
    content: await pack(doc, children, { title: caption, creator: t('reports.product_name') }),
    fileName: t('reports.annual.file_name', { org, year: data.year }),
    caption,
  };
}

/** 一, 二, 三 … (1, 2, 3 … in English): the numbering of the subsections of part 四. */
function ordinal(t: Translate, index: number): string {
  return t('reports.annual.ordinals').split(',')[index] ?? String(index + 1);
}

/** What the draft reports on: an indicator with a figure in the year, or with a target for it (未报送). */
function inDraft(item: ReportItem): boolean {
  return item.progress.ytd !== undefined || item.progress.target !== undefined;
}

/** The indicators of the draft, by responsible section, in the organisation file's order. */
function bySection(data: ReportData): { section: SectionNames; items: ReportItem[] }[] {
  const groups: { section: SectionNames; items: ReportItem[] }[] = [];
  for (const item of data.items) {
    if (!inDraft(item)) continue;
    const group = groups.find((candidate) => candidate.section.name === item.indicator.section.name);
    if (group) group.items.push(item);
    else groups.push({ section: item.indicator.section, items: [item] });
  }
  return groups;
}

/** The workbook's headers: the cells carry their own % (81%, 33.7%) or 个百分点 (a share's +0.07个百分点). */
function summaryHeader(t: Translate): string[] {
  return [
    t('reports.workbook.col_name'), t('reports.workbook.col_unit'), t('reports.workbook.col_section'), t('reports.workbook.col_target'),
    t('reports.workbook.col_ytd'), t('reports.workbook.col_rate'), t('reports.workbook.col_yoy'),
  ];
}

function summaryRow(t: Translate, locale: string, item: ReportItem): string[] {
  const { indicator, progress } = item;
  const name = indicatorName(indicator, locale);
  return [
    item.retired ? t('reports.workbook.retired_name', { name }) : name,
    unitWord(t, indicator),
    sectionName(indicator.section, locale),
    progress.target ? formatDecimal(progress.target, indicator.decimals) : '',
    // A target without a figure: 未报送 (八 and 九 count it not met), and no completion rate, as the workbook
    // and the chat have none: a 0% would be a figure nobody reported.
    progress.ytd
      ? `${formatFigure(progress.ytd, indicator.decimals)}${queriedMark(t, progress.queried)}`
      : progress.target ? t('reports.not_reported') : '',
    progress.rate ? percent(formatPercent(progress.rate)) : '',
    progress.yoyPoints ? signedPoints(t, progress.yoyPoints) : progress.yoy ? percent(formatGrowth(progress.yoy)) : '',
  ];
}

/** A rate or a growth in its cell: 81%, 33.7% (the header does not repeat the %). */
function percent(value: string): string {
  return `${value}%`;
}

/** A share's change in the growth column: +0.07个百分点. */
function signedPoints(t: Translate, points: Decimal): string {
  const shown = formatPointsChange(points.abs());
  const sign = shown === '0.00' ? '' : points.isNegative() ? '-' : '+';
  return `${sign}${shown}${t('reports.workbook.points_suffix')}`;
}

function targetList(t: Translate, locale: string, items: ReportItem[]): string {
  return items
    .map(({ indicator, progress }) =>
      t('reports.annual.target_item', {
        name: nameInSentence(indicator, locale),
        target: documentFigure(t, formatDecimal(progress.target!, indicator.decimals), indicator),
      }),
    )
    .join(t('list.separator'));
}

/** Whether an indicator owed in December with figures in the year has none for December yet. */
function decemberIncomplete(data: ReportData): boolean {
  return data.items.some(
    ({ indicator, progress, retired }) =>
      !retired && progress.ytd !== undefined && (progress.throughMonth ?? 0) < 12 && isOwed(indicator, { year: data.year, month: 12 }),
  );
}

function shortLine(t: Translate, locale: string, item: ReportItem, month: number | undefined): string {
  const { indicator, progress } = item;
  if (progress.ytd === undefined) {
    return t(month === undefined ? 'reports.annual.short_line_unreported' : 'reports.annual.short_line_unreported_partial', {
      ...monthParams(t, month ?? 12),
      name: indicatorName(indicator, locale),
      target: documentFigure(t, formatDecimal(progress.target!, indicator.decimals), indicator),
    });
  }
  // Dated by the month its figure reaches, not the draft's: a total through July is not November's.
  const through = progress.throughMonth ?? month ?? 12;
  return t(through === 12 ? 'reports.annual.short_line' : 'reports.annual.short_line_partial', {
    ...monthParams(t, through),
    name: indicatorName(indicator, locale),
    rate: formatPercent(progress.rate!),
    target: documentFigure(t, formatDecimal(progress.target!, indicator.decimals), indicator),
  });
}
