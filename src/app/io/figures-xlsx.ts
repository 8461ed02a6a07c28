import type ExcelJS from 'exceljs';
import { Decimal } from '../../core/decimal.js';
import { type FigureTableRow, type TableProblem, type TableRecord, figureTableRows } from '../../core/figures-table.js';
import { type Result, err } from '../../core/result.js';

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
    for (let column = 1; column <= row.cellCount; column += 1) {
      const cell = row.getCell(column);
      fields.push(cellText(cell.value, isPercentFormat(cell.numFmt)));
    }
    if (fields.some((field) => field.trim() !== '') && !fields[0]?.startsWith('#')) records.push({ line: rowNumber, fields });
  });
  return figureTableRows(records);
}

/**
 * Whether a number format shows the number as a percentage (`0.00%`: 0.0055 shows as 0.55%), not one that
 * only writes a % after it (`General"%"`, as this bot's own workbook does for 81%, or `0\%`).
 */
function isPercentFormat(format: string | undefined): boolean {
  return format !== undefined && /%/.test(format.replace(/"[^"]*"|\\./g, ''));
}

/** A cell as text; a number in a percentage format as Excel shows it (0.0055 in `0.00%` is 0.55%). */
function cellText(value: ExcelJS.CellValue, percent = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    const shown = new Decimal(value.toPrecision(15));
    return percent ? `${shown.times(100).toFixed()}%` : shown.toFixed();
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return value.error;
  return cellText(value.result, percent);
}
