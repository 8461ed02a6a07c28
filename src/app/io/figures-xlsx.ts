import type ExcelJS from 'exceljs';
import { Decimal } from '../../core/decimal.js';
import {
  FIGURE_HEADERS_ZH,
  type FigureExportRow,
  type FigureHeaders,
  type FigureTableRow,
  type TableProblem,
  type TableRecord,
  figureExportCells,
  figureHeaderCells,
  figureTableRows,
} from '../../core/figures-table.js';
import { type Result, err } from '../../core/result.js';

/** One indicator's line of the progress sheet, already computed and formatted by the caller. */
export interface ProgressSheetRow {
  indicator: string;
  unit: string;
  /** Year-to-date per month, index 0 = 1月; undefined = no figure yet. */
  months: (string | undefined)[];
  target?: string;
  rate?: string;
}

/** Sheet names and header texts of an export workbook. */
export interface FiguresXlsxHeaders {
  figuresSheet: string;
  progressSheet: string;
  figures: FigureHeaders;
  progress: { indicator: string; unit: string; months: string[]; target: string; rate: string };
}

/** zh-CN sheet names and headers. */
export const FIGURES_XLSX_HEADERS_ZH: FiguresXlsxHeaders = {
  figuresSheet: '数据',
  progressSheet: '进度',
  figures: FIGURE_HEADERS_ZH,
  progress: {
    indicator: '指标',
    unit: '单位',
    months: Array.from({ length: 12 }, (_, index) => `${index + 1}月`),
    target: '年度目标',
    rate: '完成率',
  },
};

/** What an export workbook holds. */
export interface FiguresXlsxData {
  figures: FigureExportRow[];
  progress: ProgressSheetRow[];
}

const FIGURE_SHEET_NAMES = ['figures', '数据'];

// exceljs is loaded when a workbook is first read or written, not with the bot: it is some 15 MiB of
// memory and a quarter of a second of start-up that most runs never use.
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: exceljs } = await import('exceljs');
  return new exceljs.Workbook();
}

/**
 * Reads the sheet named `figures`/`数据` (else the first sheet) into keyed rows numbered by Excel row.
 * Dates become YYYY-MM-DD, numbers the decimal Excel shows (15 significant digits), rich text its plain text.
 */
export async function readFiguresXlsx(buffer: Uint8Array): Promise<Result<FigureTableRow[], TableProblem[]>> {
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(buffer as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch {
    return err([{ line: 0, code: 'not_xlsx', params: {} }]);
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((candidate) => FIGURE_SHEET_NAMES.includes(candidate.name.trim().toLowerCase())) ?? sheets[0];
  if (!sheet) return err([{ line: 0, code: 'no_sheet', params: {} }]);
  const records: TableRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const fields: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) fields.push(cellText(row.getCell(column).value));
    if (fields.some((field) => field.trim() !== '') && !fields[0]?.startsWith('#')) records.push({ line: rowNumber, fields });
  });
  return figureTableRows(records);
}

/** Writes the figures sheet (re-importable as is) and the progress sheet; numbers stay numbers, formatted. */
export async function writeFiguresXlsx(data: FiguresXlsxData, headers: FiguresXlsxHeaders = FIGURES_XLSX_HEADERS_ZH): Promise<Buffer> {
  const workbook = await newWorkbook();
  const figures = addSheet(workbook, headers.figuresSheet, figureHeaderCells(headers.figures), [24, 10, 14, 8, 36, 12, 20]);
  for (const row of data.figures) {
    const cells = figureExportCells(row);
    const added = figures.addRow(cells);
    // Never hide digits a figure really has (2019's 1.812亿) behind the indicator's usual decimals.
    const places = Math.max(row.decimals, row.value.decimalPlaces());
    setNumber(added.getCell(3), row.value.toFixed(), places, false);
  }

  const { progress: titles } = headers;
  const progress = addSheet(
    workbook,
    headers.progressSheet,
    [titles.indicator, titles.unit, ...titles.months, titles.target, titles.rate],
    [24, 8, ...titles.months.map(() => 10), 12, 10],
  );
  for (const row of data.progress) {
    const months = Array.from({ length: 12 }, (_, index) => row.months[index] ?? '');
    const added = progress.addRow([row.indicator, row.unit, ...months, row.target ?? '', row.rate ?? '']);
    [...months, row.target ?? '', row.rate ?? ''].forEach((text, index) => writeNumeric(added.getCell(index + 3), text));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(workbook: ExcelJS.Workbook, name: string, header: string[], widths: number[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  sheet.addRow(header).font = { bold: true };
  return sheet;
}

const NUMERIC_TEXT = /^-?\d+(?:\.(\d+))?(%?)$/;

// The caller formatted with the indicator's decimals, so the text's own places are the number format;
// a rate keeps its value (119.76) and shows the percent sign literally, which needs no arithmetic here.
function writeNumeric(cell: ExcelJS.Cell, text: string): void {
  const match = NUMERIC_TEXT.exec(text);
  if (match) setNumber(cell, text.replace('%', ''), match[1]?.length ?? 0, match[2] === '%');
}

function setNumber(cell: ExcelJS.Cell, decimalText: string, places: number, percent: boolean): void {
  cell.value = Number(decimalText);
  cell.numFmt = `#,##0${places > 0 ? `.${'0'.repeat(places)}` : ''}${percent ? '"%"' : ''}`;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(value.toPrecision(15)).toFixed() : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return value.error;
  return cellText(value.result);
}
