import { Decimal, fitsStorage } from './decimal.js';
import { parseAnswer, suggestedUnit } from './numbers.js';
import type { IndicatorDef } from './domain.js';
import type { Translate } from './i18n.js';
import { type Period, comparePeriods, formatPeriod, parsePeriod } from './period.js';
import { type ProblemParams, problemSentence } from './problems.js';
import { type Result, err, ok } from './result.js';
import { parseTableUnit } from './table-units.js';
import { type Unit, UNITS, convert, dimensionOf, isWholeUnit } from './units.js';
import { closestOf } from './org/near-words.js';

/** One imported past figure, converted into its indicator's unit and stored as given (cumulative = 1–N月累计). */
export interface FigureRecord {
  indicatorKey: string;
  period: Period;
  value: Decimal;
  note?: string;
  /** The file's line (CSV) or row (Excel) it was read from. */
  line?: number;
  /** Its indicator is one the organisation file no longer lists: its stored figures are kept, none added. */
  retired?: true;
  /**
   * A quarterly indicator's month that ends no quarter (history from before it was made quarterly, as a
   * year's export holds it): taken only as stored, never new or changed.
   */
  offQuarter?: true;
}

/** Every reason a figures file can be refused; each is a sentence under `problems.import` in locales/. */
export const TABLE_PROBLEM_CODES = [
  // The file as a whole.
  'file_not_found', 'unsupported_file', 'unclosed_quote', 'not_xlsx', 'no_sheet', 'missing_header', 'missing_column', 'duplicate_column',
  // One row's cells.
  'missing_indicator', 'unknown_indicator', 'unknown_indicator_suggest', 'ambiguous_indicator', 'bad_period', 'future_period', 'not_quarter_end', 'bad_value', 'unstorable_value',
  'below_minimum', 'above_maximum', 'negative_value', 'fractional_count', 'unknown_unit', 'unknown_unit_suggest', 'unit_mismatch', 'duplicate_figure',
  // A row of an indicator the file no longer lists that is not as stored.
  'retired_new', 'retired_changed', 'retired_note', 'retired_note_none',
] as const;
export type TableProblemCode = (typeof TABLE_PROBLEM_CODES)[number];

/** What is wrong with a file, where: `line` is the file's line (CSV) or row (Excel); 0 means the whole file. */
export interface TableProblem {
  line: number;
  /** The cell's column by its header text as the file writes it; a column missing from the header by its own name. */
  column?: string;
  code: TableProblemCode;
  params: ProblemParams;
}

/** What is wrong, in the reader's language, without the line: `未知指标“无此指标”`. */
export function formatTableProblem(problem: Pick<TableProblem, 'code' | 'params'>, t: Translate): string {
  return problemSentence(t, `problems.import.${problem.code}`, problem.params);
}

/** One physical record of a file: its line number and its fields in file order. */
export interface TableRecord {
  line: number;
  fields: string[];
}

/** One data row keyed by the header texts as written in the file. */
export interface FigureTableRow {
  line: number;
  cells: Record<string, string>;
}

/** The columns an import understands; any other column is ignored. */
export const FIGURE_COLUMNS = ['indicator', 'period', 'value', 'unit', 'note'] as const;
export type FigureColumn = (typeof FIGURE_COLUMNS)[number];

const REQUIRED_COLUMNS: readonly FigureColumn[] = ['indicator', 'period', 'value'];

/** Title or note rows a sheet may have above its header. */
const MAX_TITLE_ROWS = 5;

const COLUMN_NAMES: Record<FigureColumn, readonly string[]> = {
  indicator: ['indicator', '指标', '指标名称', '指标代码'],
  period: ['period', '期间', '月份'],
  value: ['value', '数值', '值'],
  unit: ['unit', '单位'],
  note: ['note', '备注', '说明'],
};

/** Header texts of an export: the import columns plus who submitted each figure and when. */
export interface FigureHeaders {
  indicator: string;
  period: string;
  value: string;
  unit: string;
  note: string;
  submittedBy: string;
  submittedAt: string;
}

/** Machine-friendly export headers (the CSV default). */
export const FIGURE_HEADERS_EN: FigureHeaders = {
  indicator: 'indicator', period: 'period', value: 'value', unit: 'unit', note: 'note',
  submittedBy: 'submitted_by', submittedAt: 'submitted_at',
};

/** zh-CN export headers (the Excel default). */
export const FIGURE_HEADERS_ZH: FigureHeaders = {
  indicator: '指标', period: '期间', value: '数值', unit: '单位', note: '备注',
  submittedBy: '提交人', submittedAt: '提交时间',
};

/** One figure to export; `value` is in `unit` and is written exactly, never rounded to `decimals`. */
export interface FigureExportRow {
  indicator: string;
  period: Period;
  value: Decimal;
  unit: Unit;
  decimals: number;
  note?: string;
  submittedBy?: string;
  submittedAt?: string;
}

/** Which import column a header text names (English any case, or Chinese), if any. */
export function figureColumnOf(header: string): FigureColumn | undefined {
  const name = header.trim().toLowerCase();
  return FIGURE_COLUMNS.find((column) => COLUMN_NAMES[column].includes(name));
}

/** The header cells of an export; throws when a header would not re-import as its own column (a locale bug). */
export function figureHeaderCells(headers: FigureHeaders): string[] {
  for (const column of FIGURE_COLUMNS) {
    if (figureColumnOf(headers[column]) !== column) {
      throw new Error(`export header "${headers[column]}" would not re-import as column "${column}"`);
    }
  }
  return [...FIGURE_COLUMNS.map((column) => headers[column]), headers.submittedBy, headers.submittedAt];
}

/** The text cells of one exported figure, in `figureHeaderCells` order. */
export function figureExportCells(row: FigureExportRow): string[] {
  const { indicator, period, value, unit, note, submittedBy, submittedAt } = row;
  return [indicator, formatPeriod(period), value.toFixed(), unit, note ?? '', submittedBy ?? '', submittedAt ?? ''];
}

/**
 * Splits a file's records into its header and keyed data rows; the header must name every required column
 * once. The header is the first record that names them all within the first few: a sheet made in an office
 * often has a title above its table (乐昌市工业和信息化局2020年数据, merged across the columns), which is
 * skipped; with no such record, the first is taken as the header and its missing columns are said.
 */
export function figureTableRows(records: TableRecord[]): Result<FigureTableRow[], TableProblem[]> {
  const headerAt = records
    .slice(0, MAX_TITLE_ROWS + 1)
    .findIndex((record) => REQUIRED_COLUMNS.every((column) => record.fields.some((text) => figureColumnOf(text) === column)));
  const [header, ...data] = headerAt > 0 ? records.slice(headerAt) : records;
  if (!header) return err([{ line: 1, code: 'missing_header', params: {} }]);
  const problems: TableProblem[] = [];
  const seen = new Map<FigureColumn, string>();
  for (const text of header.fields) {
    const column = figureColumnOf(text);
    if (!column) continue;
    const earlier = seen.get(column);
    if (earlier !== undefined) {
      problems.push({ line: header.line, column: text, code: 'duplicate_column', params: { column, first: earlier, second: text } });
    }
    seen.set(column, text);
  }
  for (const column of REQUIRED_COLUMNS) {
    if (!seen.has(column)) {
      problems.push({ line: header.line, column, code: 'missing_column', params: { column, names: COLUMN_NAMES[column] } });
    }
  }
  if (problems.length > 0) return err(problems);
  return ok(
    data.map(({ line, fields }) => {
      const cells: Record<string, string> = {};
      header.fields.forEach((text, index) => {
        if (figureColumnOf(text)) cells[text] = fields[index] ?? '';
      });
      return { line, cells };
    }),
  );
}

/**
 * Checks and converts data rows into figures against the organisation's indicators. Every problem of every
 * row is collected; figures are returned only when there is none.
 */
export function normaliseFigureRows(
  rows: FigureTableRow[],
  indicators: IndicatorDef[],
  /** The period being reported now: a later month has no figure yet (a typo for a past year, mostly). */
  current?: Period,
  /**
   * Indicators the organisation file no longer lists: a row none of `indicators` names is read against
   * them (a year's export holds their figures), its record marked `retired`.
   */
  retired: IndicatorDef[] = [],
): Result<FigureRecord[], TableProblem[]> {
  const problems: TableProblem[] = [];
  const records: FigureRecord[] = [];
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const cells = columnCells(row.cells);
    if (FIGURE_COLUMNS.every((column) => cells[column].text === '')) continue;
    const problem = (column: FigureColumn, { code, params }: CellProblem): void => {
      problems.push({ line: row.line, column: cells[column].header, code, params });
    };

    let indicator = findIndicator(indicators, cells.indicator.text);
    const unknown = !indicator.ok && (indicator.error.code === 'unknown_indicator' || indicator.error.code === 'unknown_indicator_suggest');
    const stopped = unknown ? findIndicator(retired, cells.indicator.text) : undefined;
    if (stopped?.ok) indicator = stopped;
    if (!indicator.ok) problem('indicator', indicator.error);
    const parsedPeriod = parseTablePeriod(cells.period.text);
    if (!parsedPeriod) problem('period', { code: 'bad_period', params: { value: cells.period.text } });
    const future = parsedPeriod && current && comparePeriods(parsedPeriod, current) > 0;
    if (future) problem('period', { code: 'future_period', params: { value: cells.period.text, current: formatPeriod(current) } });
    // A quarterly indicator's figure belongs to a quarter's end: 2026-11's would be read as its 1–11月. Its other
    // months are taken only as they are stored (the import checks: not_quarter_end otherwise).
    const offQuarter = parsedPeriod && indicator.ok && indicator.value.frequency === 'quarterly' && parsedPeriod.month % 3 !== 0;
    const period = future ? undefined : parsedPeriod;
    const unit = parseTableUnit(cells.unit.text, indicator.ok ? indicator.value : undefined);
    // The cell's number is read in the unit column's unit, else in the indicator's own.
    const readIn = unit ?? (indicator.ok ? indicator.value.unit : undefined);
    const read = parseTableValue(cells.value.text, readIn);
    const given = typeof read === 'object' ? read : undefined;
    if (read === undefined) problem('value', { code: 'bad_value', params: { value: cells.value.text } });
    if (typeof read === 'string' && readIn) {
      const name = indicator.ok ? indicator.value.name : cells.indicator.text;
      problem('value', { code: 'unit_mismatch', params: { unit: read, indicator: name, expected: readIn } });
    }
    if (unit === null) {
      // Among the units the indicator's figure can be converted from, when the row names a known one.
      const fitting = indicator.ok ? UNITS.filter((candidate) => dimensionOf(candidate) === dimensionOf(indicator.value.unit)) : UNITS;
      const suggestion = suggestedUnit(cells.unit.text.trim(), fitting);
      const params = { value: cells.unit.text, allowed: [...UNITS] };
      problem('unit', suggestion ? { code: 'unknown_unit_suggest', params: { ...params, suggestion } } : { code: 'unknown_unit', params });
    }
    if (!indicator.ok || !period || !given || unit === null) continue;

    const def = indicator.value;
    const from = unit ?? def.unit;
    // 31000.5 in a 人次 column for an indicator kept in 万人次: the unit the file writes is counted whole.
    if (from !== def.unit && isWholeUnit(from) && !given.isInteger()) {
      problem('value', { code: 'fractional_count', params: { value: given.toFixed(), unit: from, indicator: def.name } });
      continue;
    }
    const value = convert(given, from, def.unit);
    if (!value) {
      problem('unit', { code: 'unit_mismatch', params: { unit: from, indicator: def.name, expected: def.unit } });
      continue;
    }
    if (!fitsStorage(value)) {
      problem('value', { code: 'unstorable_value', params: { value: value.toFixed(), unit: def.unit } });
      continue;
    }
    const bounds = boundsProblem(def, value);
    if (bounds) {
      problem('value', bounds);
      continue;
    }
    const key = `${def.key}@${formatPeriod(period)}`;
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      // By the indicator's name, which the administrator knows whichever alias the file wrote (技改 for 工业技改投资).
      const params = { indicator: def.name, period: formatPeriod(period), first: earlier };
      problems.push({ line: row.line, code: 'duplicate_figure', params });
      continue;
    }
    firstLine.set(key, row.line);
    const note = cells.note.text;
    records.push({
      indicatorKey: def.key,
      period,
      value,
      ...(note ? { note } : {}),
      line: row.line,
      ...(stopped?.ok ? { retired: true as const } : {}),
      ...(offQuarter ? { offQuarter: true as const } : {}),
    });
  }
  return problems.length > 0 ? err(problems) : ok(records);
}

type ColumnCells = Record<FigureColumn, { header: string; text: string }>;
type CellProblem = Pick<TableProblem, 'code' | 'params'>;

function columnCells(cells: Record<string, string>): ColumnCells {
  const found = Object.fromEntries(FIGURE_COLUMNS.map((column) => [column, { header: column, text: '' }])) as ColumnCells;
  for (const [header, text] of Object.entries(cells)) {
    const column = figureColumnOf(header);
    if (column) found[column] = { header, text: text.trim() };
  }
  return found;
}

function findIndicator(indicators: IndicatorDef[], text: string): Result<IndicatorDef, CellProblem> {
  if (text === '') return err({ code: 'missing_indicator', params: {} });
  const lower = text.toLowerCase();
  const exact =
    indicators.find((def) => def.key === text) ??
    indicators.find((def) => def.name === text) ??
    indicators.find((def) => def.nameEn.toLowerCase() === lower);
  if (exact) return ok(exact);
  const byAlias = indicators.filter((def) => def.aliases.includes(text));
  if (byAlias.length === 1 && byAlias[0]) return ok(byAlias[0]);
  if (byAlias.length > 1) return err({ code: 'ambiguous_indicator', params: { value: text, candidates: byAlias.map((def) => def.key) } });
  // 交通固定资产投 for 交通固定资产投资, industrial_invest for industrial_investment: the one meant, named.
  const meant = closestOf(text, indicators.flatMap((def) => [def.key, def.name, ...def.aliases].map((word) => [word, def] as const)));
  if (meant) return err({ code: 'unknown_indicator_suggest', params: { value: text, suggestion: meant.name } });
  return err({ code: 'unknown_indicator', params: { value: text } });
}

// Dots are refused on purpose: Excel turns a typed 2020.10 into the number 2020.1.
const TABLE_PERIOD = /^(\d{4})\s*(?:[-/]|年)\s*(\d{1,2})\s*(?:月(?:\s*\d{1,2}\s*日)?|[-/]\s*\d{1,2})?$/;

function parseTablePeriod(text: string): Period | undefined {
  const match = TABLE_PERIOD.exec(text);
  const parsed = match ? parsePeriod(`${match[1]}-${match[2]}`) : undefined;
  return parsed?.ok ? parsed.value : undefined;
}

const TABLE_NUMBER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/**
 * A value cell in `unit`: a plain number, or a figure as the chat reads it (2.05亿, 2300万, 两千三百万, 3家)
 * converted into `unit`, as long as it carries no note (that has its own column); the unit the cell wrote
 * when it cannot become `unit` (3家 for 亿元); undefined when no figure can be read. Without a unit to read
 * in (an unknown indicator and no unit column) it is only checked: readable in some unit, or not.
 */
function parseTableValue(cell: string, unit: Unit | undefined): Decimal | string | undefined {
  const plain = parseTableNumber(cell);
  if (plain) return plain;
  for (const each of unit ? [unit] : READ_CHECK_UNITS) {
    const read = parseAnswer(cell, each);
    if (read.ok && read.value.note === undefined) return read.value.value;
    if (unit && !read.ok && read.error.code === 'unit_mismatch') return read.error.unit ?? cell;
  }
  return undefined;
}

/** One unit of each dimension, to check a cell that has no unit of its own to be read in. */
const READ_CHECK_UNITS: readonly Unit[] = ['元', '个', '%'];

/** A number as written in a cell; full-width digits (１２３．４, typed in Chinese mode) read as the chat reads them. */
function parseTableNumber(cell: string): Decimal | undefined {
  const text = cell.normalize('NFKC');
  return TABLE_NUMBER.test(text) ? new Decimal(text.replaceAll(',', '')) : undefined;
}

/** What the chat would refuse of the figure too: below zero (unless the bounds allow it), a fraction of firms, out of bounds. */
function boundsProblem(def: IndicatorDef, value: Decimal): CellProblem | undefined {
  const params = { value: value.toFixed(), unit: def.unit, indicator: def.name };
  if (value.isNegative() && !value.isZero() && def.min === undefined) return { code: 'negative_value', params };
  if (isWholeUnit(def.unit) && !value.isInteger()) return { code: 'fractional_count', params };
  if (def.min && value.lessThan(def.min)) return { code: 'below_minimum', params: { ...params, min: def.min.toFixed() } };
  if (def.max && value.greaterThan(def.max)) return { code: 'above_maximum', params: { ...params, max: def.max.toFixed() } };
  return undefined;
}
