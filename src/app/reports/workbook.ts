import { formatLocalTime } from '../../core/calendar.js';
import type ExcelJS from 'exceljs';
import { Decimal } from '../../core/decimal.js';
import { type Locale, owedBy } from '../../core/domain.js';
import type { MessageKey, Translate } from '../../core/i18n.js';
import { formatPeriod } from '../../core/period.js';
import { levelShortfall, yearToDate } from '../../core/progress.js';
import { indicatorName, organisationName, sectionName, unitWord, unreportedText } from '../../core/render.js';
import type { StoredIndicator } from '../../db/org-repository.js';
import { toDecimal } from '../../db/org-repository.js';
import type { ReadDeps } from '../deps.js';
import { figuresByIndicator } from '../figures.js';
import { type ReportData, type ReportItem, dateTimeLabel, documentTranslator, monthParams, reportData, zoneLabel } from './report-data.js';
import { documentAmount } from './sentences.js';

/*
 * The workbook a bureau hands on (完成情况表): a completion sheet with a title and a 数据截至 line, then
 * the monthly figures (the month's and the cumulative, each labelled), the figures sheet that re-imports
 * (`npm run cli -- import`: its name and columns are the import's), and the revision history with
 * people's names and local time. Numbers are numbers with number formats.
 */

export interface WorkbookOptions {
  year: number;
  /** Default: December for a past year, the current month for the current year. */
  month?: number;
  locale?: Locale;
}

/** The year's workbook as .xlsx bytes. */
export async function buildWorkbook(deps: ReadDeps, options: WorkbookOptions): Promise<Buffer> {
  const { t, locale } = documentTranslator(options.locale);
  // An indicator the file no longer lists is in the year's workbook for the figures it has, marked 已停用.
  const data = await reportData(deps, { year: options.year, month: options.month }, { retired: true });
  const { default: exceljs } = await import('exceljs');
  const workbook = new exceljs.Workbook();
  workbook.creator = organisationName(data.organisation, locale);
  workbook.created = data.generatedAt;
  const zone = zoneLabel(t, data.organisation.timezone);
  summarySheet(workbook, t, locale, data, zone);
  monthlySheet(workbook, t, locale, data, await figuresByIndicator(deps.prisma, [data.year]));
  await figureSheets(workbook, deps, t, locale, data, zone);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const LAST_SUMMARY_COLUMN = 14;
/*
 * A rate as the product writes it: two decimals at most, trailing zeros dropped, with % (81%, 119.76%).
 * The cell keeps the number (81, sortable) rounded to two places; General shows it without trailing
 * zeros, and the quoted "%" is text, not Excel's ×100 percent. Growth likewise, rounded to one place
 * (33.7%, 27%). The headers then say no (%): the cells do.
 */
const RATE_FORMAT = 'General"%"';
/** A signed number of percentage points, trailing zeros dropped as the chat writes points (-19, +3.34). */
const SIGNED_FORMAT = '+General;-General;0';
// A figure kept despite a check's query (待核实): orange, as a director's eye should stop there.
const QUERIED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE0B2' } };

function summarySheet(workbook: ExcelJS.Workbook, t: Translate, locale: string, data: ReportData, zone: string): void {
  // Fourteen columns: landscape, one page wide (as many pages down as it takes), or it prints on 2–3 pages.
  const sheet = workbook.addWorksheet(t('reports.workbook.sheet_summary'), {
    views: [{ state: 'frozen', ySplit: 3 }],
    pageSetup: { ...PRINTED, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
  });
  sheet.columns = [6, 26, 8, 28, 12, 18, 12, 12, 12, 14, 8, 12, 12, 24].map((width) => ({ width }));
  // When it was made as a reader writes it (2026年11月30日 09:30), not ISO: the line is read, not parsed.
  const generated = dateTimeLabel(t, data.generatedAt, data.organisation.timezone);
  titleRows(sheet, LAST_SUMMARY_COLUMN, t('reports.workbook.title', { org: organisationName(data.organisation, locale), year: data.year }),
    data.dataMonth === undefined
      ? t('reports.workbook.as_of_empty', { year: data.year, generated, zone })
      : t('reports.workbook.as_of', { year: data.year, ...monthParams(t, data.dataMonth), generated, zone }));
  header(sheet, [
    'col_no', 'col_name', 'col_unit', 'col_section', 'col_target', 'col_basis', 'col_ytd', 'col_rate', 'col_elapsed', 'col_gap',
    'col_status', 'col_last_year', 'col_yoy', 'col_remark',
  ].map((key) => t(`reports.workbook.${key}` as MessageKey)));
  // A share's change is in percentage points (+0.07个百分点), never the growth of a percentage.
  const points = t('reports.workbook.points_suffix').replaceAll('"', '');
  const pointsFormat = `+General"${points}";-General"${points}";0"${points}"`;
  data.items.forEach((item, index) => {
    const { indicator, progress } = item;
    const row = sheet.addRow([index + 1, markedName(t, locale, item), unitWord(t, indicator), sectionName(indicator.section, locale)]);
    const places = indicator.decimals;
    number(row.getCell(5), progress.target, places);
    if (progress.throughMonth !== undefined) row.getCell(6).value = basis(t, indicator, progress.throughMonth);
    number(row.getCell(7), progress.ytd, places);
    number(row.getCell(8), progress.rate, 2, RATE_FORMAT);
    // No longer reported: measured against 序时进度 it would only fall further behind.
    const gap = item.retired ? undefined : progress.gap;
    if (gap) number(row.getCell(9), progress.elapsed, 2, RATE_FORMAT);
    if (gap) {
      // Signed: ahead positive, behind negative, as a director reads a gap.
      const signed = gap.status === 'behind' ? gap.points.negated() : gap.points;
      number(row.getCell(10), signed, 2, SIGNED_FORMAT);
      row.getCell(11).value = t(`reports.workbook.status_${gap.status}`);
      if (gap.status === 'behind') row.getCell(11).font = { color: { argb: 'FFC00000' }, bold: true };
    }
    // Beside this year's figure, with its decimals (1.81, as the chat and the dashboard show it).
    number(row.getCell(12), progress.lastYearYtd, places);
    number(row.getCell(13), progress.yoy, 1, RATE_FORMAT);
    number(row.getCell(13), progress.yoyPoints, 2, pointsFormat);
    const remarks: string[] = [];
    if (item.retired) {
      row.getCell(11).value = t('reports.workbook.status_retired');
      remarks.push(t('reports.workbook.retired'));
    }
    if (progress.rate !== undefined && indicator.timeProgress === false) remarks.push(t('reports.workbook.unscheduled'));
    // A level (a share, a stock) is measured against its target only: no 序时进度, its distance from the target.
    const shortfall = levelShortfall(progress);
    if (shortfall !== undefined) {
      row.getCell(11).value = t(shortfall.greaterThan(0) ? 'reports.workbook.status_level_short' : 'reports.workbook.status_level_met');
      remarks.push(shortfall.greaterThan(0)
        ? t('reports.workbook.level_short', { amount: documentAmount(t, indicator, shortfall) })
        : t('reports.workbook.level'));
    }
    if (progress.queried) {
      row.getCell(7).fill = QUERIED_FILL;
      remarks.push(t('reports.workbook.queried'));
    }
    // An increment's sum that lacks months: the 完成数 is not the whole of 1–N月.
    if (progress.unreportedMonths?.length) remarks.push(unreportedText(t, progress.unreportedMonths, true, true));
    if (remarks.length > 0) row.getCell(14).value = remarks.join(t('reports.workbook.remark_separator'));
    // No figure in the year is said, not left as an empty row a director may misread: for a target, and for
    // any indicator owed by then (one whose 报送起始月 is later is not behind; a quarterly one is from March).
    const owed = owedBy(indicator, { year: data.year, month: data.dataMonth ?? 12 });
    if (progress.ytd === undefined && (progress.target !== undefined || owed)) row.getCell(14).value = t('reports.not_reported');
    ruled(row, LAST_SUMMARY_COLUMN, [2, 4, 6, 14]);
  });
}

/**
 * An indicator's name in a sheet that is read, not imported: one the file no longer lists says so
 * (新增研发机构（已停用）). The figures sheet keeps the plain name, which the import reads.
 */
function markedName(t: Translate, locale: string, item: ReportItem): string {
  const name = indicatorName(item.indicator, locale);
  return item.retired ? t('reports.workbook.retired_name', { name }) : name;
}

/** The span a year-to-date covers: 1-10月累计, 1-10月新增合计, 10月末值. */
function basis(t: Translate, indicator: StoredIndicator, month: number): string {
  return t(`reports.basis.${indicator.kind}`, monthParams(t, month));
}

function monthlySheet(
  workbook: ExcelJS.Workbook,
  t: Translate,
  locale: string,
  data: ReportData,
  figures: Map<string, { year: number; month: number; value: Decimal; queried?: boolean }[]>,
): void {
  const sheet = workbook.addWorksheet(t('reports.workbook.sheet_monthly'), {
    views: [{ state: 'frozen', ySplit: 4, xSplit: 3 }],
    pageSetup: { ...PRINTED, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' },
  });
  sheet.columns = [26, 8, 16, ...Array.from({ length: 12 }, () => 10)].map((width) => ({ width }));
  titleRows(sheet, 15, t('reports.workbook.monthly_title', { org: organisationName(data.organisation, locale), year: data.year }), t('reports.workbook.monthly_note'));
  header(sheet, [
    t('reports.workbook.col_name'), t('reports.workbook.col_unit'), t('reports.workbook.col_series'),
    ...Array.from({ length: 12 }, (_, index) => t('reports.workbook.month', monthParams(t, index + 1))),
  ]);
  for (const item of data.items) {
    const { indicator } = item;
    const own = (figures.get(indicator.key) ?? []).filter((figure) => figure.year === data.year);
    const reported = (month: number) => own.find((figure) => figure.month === month)?.value;
    const series = monthlySeries(indicator, own, data.year, reported);
    for (const [label, values] of series) {
      const row = sheet.addRow([markedName(t, locale, item), unitWord(t, indicator), t(label)]);
      values.forEach((value, index) => number(row.getCell(index + 4), value, Math.max(indicator.decimals, value?.decimalPlaces() ?? 0)));
      for (const figure of own) {
        if (!figure.queried) continue;
        const cell = row.getCell(figure.month + 3);
        cell.fill = QUERIED_FILL;
        cell.note = t('reports.workbook.queried_note');
      }
      ruled(row, 15, [1, 3]);
    }
  }
}

type Series = [MessageKey, (Decimal | undefined)[]];

/**
 * The month's and the cumulative figure of each month: one is reported, the other derived from it. A
 * quarterly indicator's step is its quarter (当季): a cumulative one's difference from the quarter before.
 */
function monthlySeries(
  indicator: StoredIndicator,
  own: { year: number; month: number; value: Decimal }[],
  year: number,
  reported: (month: number) => Decimal | undefined,
): Series[] {
  const months = Array.from({ length: 12 }, (_, index) => index + 1);
  if (indicator.kind === 'level') return [['reports.workbook.series_level', months.map(reported)]];
  const step = indicator.frequency === 'quarterly' ? 3 : 1;
  const label: MessageKey = step === 3 ? 'reports.workbook.series_quarter' : 'reports.workbook.series_month';
  if (indicator.kind === 'increment') {
    const running = months.map((month) => (reported(month) === undefined ? undefined : yearToDate('increment', own, year, month)?.value));
    return [[label, months.map(reported)], ['reports.workbook.series_cumulative', running]];
  }
  // A cumulative indicator's month (quarter) is its difference from the one before (the first's is its own).
  const inStep = months.map((month) => {
    const value = reported(month);
    if (value === undefined || month <= step) return value;
    const before = reported(month - step);
    return before === undefined ? undefined : value.minus(before);
  });
  return [[label, inStep], ['reports.workbook.series_cumulative', months.map(reported)]];
}

async function figureSheets(workbook: ExcelJS.Workbook, deps: ReadDeps, t: Translate, locale: string, data: ReportData, zone: string): Promise<void> {
  const indicators = data.items.map((item: ReportItem) => item.indicator);
  const rows = await deps.prisma.submission.findMany({
    where: { year: data.year, indicatorId: { in: indicators.map((indicator) => indicator.id) } },
    orderBy: [{ indicatorId: 'asc' }, { month: 'asc' }],
    include: { revisions: { orderBy: { revision: 'asc' }, include: { member: { select: { name: true } } } } },
  });
  const order = new Map(indicators.map((indicator, index) => [indicator.id, index]));
  rows.sort((a, b) => (order.get(a.indicatorId) ?? 0) - (order.get(b.indicatorId) ?? 0) || a.month - b.month);
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
  const tz = data.organisation.timezone;
  const who = (revision: { member: { name: string } | null; channel: string }) =>
    revision.member?.name ?? channelName(t, revision.channel);

  // The import reads this sheet by its name (数据 / figures) and these columns by their headers.
  const figures = workbook.addWorksheet(t('reports.workbook.sheet_figures'), { views: [{ state: 'frozen', ySplit: 1 }] });
  figures.columns = [26, 10, 14, 8, 36, 18, 14, 20].map((width) => ({ width }));
  header(figures, [
    'col_indicator', 'col_period', 'col_value', 'col_figure_unit', 'col_note', 'col_figure_basis', 'col_submitted_by', 'col_submitted_at',
  ].map((key) => t(`reports.workbook.${key}` as MessageKey, { zone })));
  const history = workbook.addWorksheet(t('reports.workbook.sheet_history'), { views: [{ state: 'frozen', ySplit: 1 }] });
  history.columns = [26, 10, 8, 14, 8, 14, 12, 20, 30, 30].map((width) => ({ width }));
  header(history, [
    'col_indicator', 'col_period', 'col_revision', 'col_value', 'col_unit', 'col_submitted_by', 'col_channel', 'col_time', 'col_reason', 'col_note',
  ].map((key) => t(`reports.workbook.${key}` as MessageKey, { zone })));

  for (const row of rows) {
    const indicator = byId.get(row.indicatorId);
    if (!indicator) continue;
    const name = indicatorName(indicator, locale);
    const period = formatPeriod({ year: row.year, month: row.month });
    const unit = unitWord(t, indicator);
    const value = toDecimal(row.value);
    const latest = row.revisions.at(-1);
    // The unit as the reader names it (亿元; hundred million yuan, base stations): the import reads both.
    const added = figures.addRow([name, period, null, unit, latest?.note ?? '', t(`reports.basis.figure_${indicator.kind}`),
      latest ? who(latest) : '', latest ? formatLocalTime(latest.createdAt, tz) : '']);
    // Never hide digits a figure really has (2019's 1.812亿) behind the indicator's usual decimals.
    number(added.getCell(3), value, Math.max(indicator.decimals, value.decimalPlaces()));
    for (const revision of row.revisions) {
      const revised = toDecimal(revision.value);
      const line = history.addRow([name, period, revision.revision, null, unit, who(revision), channelName(t, revision.channel),
        formatLocalTime(revision.createdAt, tz), correctionReason(revision), revision.note ?? '']);
      number(line.getCell(4), revised, Math.max(indicator.decimals, revised.decimalPlaces()));
    }
  }
}

/**
 * The reason of a correction only: an import stores its reason (批量导入 …) on every revision it writes,
 * the first too, but a first version corrects nothing, and 更正原因 beside it would say it did.
 */
function correctionReason(revision: { revision: number; reason: string | null }): string {
  return revision.revision >= 2 ? revision.reason ?? '' : '';
}

const CHANNELS = ['demo', 'import', 'cli', 'telegram', 'wechat', 'wecom', 'terminal'] as const;

/** Where a figure came from, as people call it (示例数据, 批量导入, 企业微信 …); an unknown channel as stored. */
export function channelName(t: Translate, channel: string): string {
  return (CHANNELS as readonly string[]).includes(channel) ? t(`reports.channels.${channel as (typeof CHANNELS)[number]}`) : channel;
}

function titleRows(sheet: ExcelJS.Worksheet, lastColumn: number, titleText: string, subtitle: string): void {
  const title = sheet.addRow([titleText]);
  title.font = { bold: true, size: 16 };
  title.height = 28;
  sheet.mergeCells(1, 1, 1, lastColumn);
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.addRow([subtitle]).font = { size: 11 };
  sheet.mergeCells(2, 1, 2, lastColumn);
  sheet.getRow(2).getCell(1).alignment = { wrapText: true, vertical: 'middle' };
  sheet.getRow(2).height = 32;
}

/** Printed as offices print: on A4, with margins of about 2 cm a side. */
const PRINTED: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  margins: { left: 0.6, right: 0.6, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
  horizontalCentered: true,
};

const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/**
 * A table row as it prints: every cell ruled, its text wrapped within the cell's width (a long 备注 would
 * otherwise run past the page, and fitting the page to it shrinks the table to nothing), the numbers centred
 * in the 序号 column so that 10 does not run into the name beside it. `texts`: the columns that hold prose.
 */
function ruled(row: ExcelJS.Row, columns: number, texts: number[]): void {
  tallEnough(row, texts);
  for (let column = 1; column <= columns; column += 1) {
    const cell = row.getCell(column);
    cell.border = THIN;
    cell.alignment = texts.includes(column)
      ? { wrapText: true, vertical: 'middle', horizontal: 'left' }
      : column === 1 && typeof cell.value === 'number'
        ? { vertical: 'middle', horizontal: 'center' }
        : { vertical: 'middle' };
  }
}

// Points a line of 11-point text takes, and the columns of width a CJK character takes (a Latin one, one).
const LINE_POINTS = 15;
const cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

/**
 * A row tall enough for the wrapped text of `columns`: a spreadsheet does not grow a row for text that
 * wraps when the file says nothing of its height, and LibreOffice then prints only its first line.
 */
function tallEnough(row: ExcelJS.Row, columns: number[]): void {
  let lines = 1;
  for (const column of columns) {
    const text = row.getCell(column).text;
    const width = Math.max(1, (row.worksheet.getColumn(column).width ?? 10) - 1);
    const used = [...text].reduce((sum, ch) => sum + (cjk.test(ch) ? 2 : 1), 0);
    lines = Math.max(lines, Math.ceil(used / width));
  }
  if (lines > 1) row.height = lines * LINE_POINTS;
}

function header(sheet: ExcelJS.Worksheet, cells: string[]): void {
  const row = sheet.addRow(cells);
  tallEnough(row, cells.map((_, index) => index + 1));
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = THIN;
  });
}

/** A number rounded half up to `places`, stored as a number with that many decimals shown. */
function number(cell: ExcelJS.Cell, value: Decimal | undefined, places: number, format?: string): void {
  if (value === undefined) return;
  cell.value = Number(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places));
  cell.numFmt = format ?? `#,##0${places > 0 ? `.${'0'.repeat(places)}` : ''}`;
}
