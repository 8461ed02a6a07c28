import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFiguresCsv, writeFiguresCsv } from '../../src/app/io/figures-csv.js';
import { readFiguresXlsx } from '../../src/app/io/figures-xlsx.js';
import { readFiguresFile } from '../../src/app/import-figures.js';
import { Decimal, dec } from '../../src/core/decimal.js';
import type { IndicatorDef, IndicatorKind } from '../../src/core/domain.js';
import {
  FIGURE_HEADERS_ZH,
  type FigureExportRow,
  type FigureRecord,
  TABLE_PROBLEM_CODES,
  type TableProblem,
  type TableProblemCode,
  formatTableProblem,
  normaliseFigureRows,
} from '../../src/core/figures-table.js';
import { translator } from '../../src/core/i18n.js';
import type { ProblemParams } from '../../src/core/problems.js';
import { formatPeriod } from '../../src/core/period.js';
import type { Result } from '../../src/core/result.js';
import type { Unit } from '../../src/core/units.js';

const def = (key: string, name: string, kind: IndicatorKind, unit: Unit, decimals: number, aliases: string[] = []): IndicatorDef => ({
  key, name, nameEn: key.replaceAll('_', ' '), sectionKey: 'monitoring', kind, unit, decimals, aliases, min: dec(0),
});

const INDICATORS: IndicatorDef[] = [
  def('industrial_output_value', '规上工业总产值', 'cumulative', '亿元', 2),
  def('industrial_added_value', '规上工业增加值', 'cumulative', '亿元', 2),
  def('industrial_investment', '工业投资', 'cumulative', '亿元', 2, ['工投']),
  def('tech_upgrade_investment', '工业技改投资', 'cumulative', '亿元', 2, ['技改', '投资']),
  def('new_above_scale_firms', '新增规上企业', 'increment', '家', 0, ['投资']),
  def('new_high_tech_firms', '新增高新技术企业', 'increment', '家', 0),
  def('new_rd_institutions', '新增研发机构', 'increment', '家', 0),
  def('rd_share_of_gdp', 'R&D经费占GDP比重', 'level', '%', 2),
  def('tech_sme_registered', '科技型中小企业入库', 'increment', '家', 0),
  def('new_5g_sites', '5G基站建设', 'increment', '个', 0),
  def('upgraded_4g_sites', '4G基站改造', 'increment', '个', 0),
  def('village_fibre_coverage', '20户以上自然村光网覆盖', 'cumulative', '个', 0),
  def('clean_production_audits', '清洁生产审核企业', 'increment', '家', 0),
  def('sme_credit_granted', '企业授信', 'cumulative', '亿元', 2),
  def('sme_loans_issued', '贷款发放', 'cumulative', '亿元', 2),
];

function importCsv(text: string): Result<FigureRecord[], TableProblem[]> {
  const rows = readFiguresCsv(text);
  return rows.ok ? normaliseFigureRows(rows.value, INDICATORS) : rows;
}

function records(text: string): FigureRecord[] {
  const result = importCsv(text);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function problems(text: string): TableProblem[] {
  const result = importCsv(text);
  if (result.ok) throw new Error('expected problems');
  return result.error;
}

// The line each record came from is checked where it matters (a retired indicator's row), not in every comparison.
const plain = (list: FigureRecord[]) => list.map(({ line: _line, ...r }) => ({ ...r, period: formatPeriod(r.period), value: r.value.toFixed() }));

describe('reading a figures CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers lines physically', () => {
    const text = 'indicator,period,value,note\n技改,2020-10,"2,050",ok\r\n工投,2020-11,19.6,"a, ""b""\r\nc"\n新增规上企业,2020-12,3,x\n';
    const rows = readFiguresCsv(text);
    expect(rows.ok && rows.value.map((row) => row.line)).toEqual([2, 3, 5]);
    expect(plain(records(text))).toEqual([
      { indicatorKey: 'tech_upgrade_investment', period: '2020-10', value: '2050', note: 'ok' },
      { indicatorKey: 'industrial_investment', period: '2020-11', value: '19.6', note: 'a, "b"\nc' },
      { indicatorKey: 'new_above_scale_firms', period: '2020-12', value: '3', note: 'x' },
    ]);
  });

  it('reads rows separated by tabs, as rows copied out of Excel and saved as text are', () => {
    const text = '\uFEFF# 从表格复制\n指标\t期间\t数值\t备注\n技改\t2020-10\t2.05\t含设备, 见附件\n';
    expect(plain(records(text))).toEqual([{ indicatorKey: 'tech_upgrade_investment', period: '2020-10', value: '2.05', note: '含设备, 见附件' }]);
  });

  it('skips a BOM, # lines and blank lines, and takes Chinese headers in any order with extra columns', () => {
    const text = '\uFEFF# 示例\r\n\r\n备注,数值,提交人,期间,指标,单位\r\n# skipped\r\n博昇乐,1,王明,2020年3月,new_above_scale_firms,家\r\n';
    expect(plain(records(text))).toEqual([{ indicatorKey: 'new_above_scale_firms', period: '2020-03', value: '1', note: '博昇乐' }]);
    expect(readFiguresCsv(text)).toMatchObject({ ok: true, value: [{ line: 5 }] });
  });

  it('accepts 2020/10 and 2020-10-01 as periods and the indicator key, name or a unique alias', () => {
    const text = 'indicator,period,value\n工业技改投资,2020/10,2.05\nindustrial_investment,2020-10-01,19.11\n工投,2020-09,16.35\n';
    expect(plain(records(text)).map((r) => [r.indicatorKey, r.period])).toEqual([
      ['tech_upgrade_investment', '2020-10'],
      ['industrial_investment', '2020-10'],
      ['industrial_investment', '2020-09'],
    ]);
  });

  it('converts 2300 万元 into an 亿元 indicator exactly, and 亿 shorthand too', () => {
    const [first, second] = records('indicator,period,value,unit\n技改,2020-10,2300,万元\n工投,2020-10,"1,960",亿\n');
    expect(first?.value.equals(new Decimal('0.23'))).toBe(true);
    expect(second?.value.equals(new Decimal('1960'))).toBe(true);
  });

  it('reads a unit as an English workbook writes it: the unit\'s English word, or the indicator\'s unit_en', () => {
    const sites = [{ ...INDICATORS.find((indicator) => indicator.key === 'new_5g_sites')!, unitEn: 'base stations' }];
    const read = (text: string, indicators = INDICATORS) => {
      const rows = readFiguresCsv(text);
      return rows.ok ? normaliseFigureRows(rows.value, indicators) : rows;
    };
    const english = read('indicator,period,value,unit\n技改,2020-10,2.05,hundred million yuan\n工投,2020-10,2300,Ten thousand yuan\n新增规上企业,2020-10,1,firm\n');
    expect(english.ok && english.value.map((record) => record.value.toFixed())).toEqual(['2.05', '0.23', '1']);
    const own = read('indicator,period,value,unit\n5G基站建设,2020-10,12,base stations\n', sites);
    expect(own.ok && own.value.map((record) => record.value.toFixed())).toEqual(['12']);
    // Another indicator's unit_en is no unit at all.
    expect(read('indicator,period,value,unit\n技改,2020-10,1,base stations\n')).toMatchObject({ ok: false, error: [{ code: 'unknown_unit' }] });
  });

  it('reads a value written as in the chat, with its unit or in Chinese numerals, into the indicator\'s unit', () => {
    const found = records(
      'indicator,period,value,unit\n技改,2020-10,2.05亿,\n工投,2020-10,2300万,\n新增规上企业,2020-10,3家,\n' +
        '5G基站建设,2020-10,十二,\n企业授信,2020-10,两千三百万元,\n贷款发放,2020-10,2.05亿,万元\n',
    );
    expect(found.map((record) => [record.indicatorKey, record.value.toFixed()])).toEqual([
      ['tech_upgrade_investment', '2.05'],
      ['industrial_investment', '0.23'],
      ['new_above_scale_firms', '3'],
      ['new_5g_sites', '12'],
      ['sme_credit_granted', '0.23'],
      // Read in the unit column's unit (20500 万元), then converted into the indicator's.
      ['sme_loans_issued', '2.05'],
    ]);
    // A unit of another dimension in the cell, or a figure of firms with a note, is still refused.
    expect(problems('indicator,period,value\n技改,2020-10,3家\n新增规上企业,2020-10,3家 博昇乐\n')).toEqual([
      { line: 2, column: 'value', code: 'unit_mismatch', params: { unit: '家', indicator: '工业技改投资', expected: '亿元' } },
      { line: 3, column: 'value', code: 'bad_value', params: { value: '3家 博昇乐' } },
    ]);
  });

  it('refuses a header without the required columns, or with one twice', () => {
    expect(problems('指标,数值\n技改,2\n')).toEqual([
      { line: 1, column: 'period', code: 'missing_column', params: { column: 'period', names: ['period', '期间', '月份'] } },
    ]);
    expect(problems('# c\nvalue,数值,indicator,period\n')).toEqual([
      { line: 2, column: '数值', code: 'duplicate_column', params: { column: 'value', first: 'value', second: '数值' } },
    ]);
    expect(problems('# only a comment\n')).toMatchObject([{ code: 'missing_header' }]);
  });

  it('refuses a quoted field that is never closed, naming its line', () => {
    expect(problems('indicator,period,value,note\n技改,2020-10,2,"open\nstill open\n')).toMatchObject([{ line: 2, code: 'unclosed_quote' }]);
  });
});

describe('checking the rows', () => {
  it.each([
    ['an unknown indicator', '不存在,2020-10,1,', 'indicator', 'unknown_indicator'],
    ['a missing indicator', ',2020-10,1,', 'indicator', 'missing_indicator'],
    ['an ambiguous alias', '投资,2020-10,1,', 'indicator', 'ambiguous_indicator'],
    ['a bad period', '技改,2020.10,1,', 'period', 'bad_period'],
    ['month 13', '技改,2020-13,1,', 'period', 'bad_period'],
    ['a value with a note inside', '技改,2020-10,2.05亿 华达项目,', 'value', 'bad_value'],
    ['badly grouped thousands', '技改,2020-10,"20,50",', 'value', 'bad_value'],
    ['a value below the minimum', '技改,2020-10,-1,', 'value', 'below_minimum'],
    // As the chat refuses them: a fraction of firms, a negative figure of an indicator with no bounds.
    ['a fraction of firms', '新增规上企业,2020-10,1.5,', 'value', 'fractional_count'],
    ['a fraction of sites, in thousands', '5G基站建设,2020-10,"1,234.5",', 'value', 'fractional_count'],
    ['an unknown unit', '技改,2020-10,1,亿美元', 'unit', 'unknown_unit'],
    // One a unit begins with, as the organisation file suggests it (万人 → 万人次).
    ['an unknown unit short for one of its kind', '技改,2020-10,1,万元人民币', 'unit', 'unknown_unit_suggest'],
    // 条 is 个 as the chat reads it: suggested for a count, not for money (above: 条 for 技改 is merely unknown).
    ['a counter word for a count', '5G基站建设,2020-10,3,条', 'unit', 'unknown_unit_suggest'],
    ['a unit of another dimension', '技改,2020-10,1,家', 'unit', 'unit_mismatch'],
  ])('reports %s with its line and column', (_, row, column, code) => {
    expect(problems(`indicator,period,value,unit\n技改,2020-09,1,\n${row}\n`)).toMatchObject([{ line: 3, column, code }]);
  });

  it('refuses a fraction in a column whose unit is counted whole, for an indicator kept in 万 of it', () => {
    const visitors = def('visitors', '乡村旅游接待', 'cumulative', '万人次', 2);
    const rows = readFiguresCsv('indicator,period,value,unit\nvisitors,2020-10,31000.5,人次\nvisitors,2020-11,32000,人次\n');
    const read = rows.ok ? normaliseFigureRows(rows.value, [visitors]) : rows;
    expect(read.ok ? [] : read.error.map((problem) => [problem.line, problem.code, problem.params.unit])).toEqual([[2, 'fractional_count', '人次']]);
  });

  it('refuses a month after the one being reported, as a typo for a past year', () => {
    const rows = readFiguresCsv('indicator,period,value\n技改,2026-11,1\n技改,2027-01,1\n');
    if (!rows.ok) throw new Error('expected rows');
    const result = normaliseFigureRows(rows.value, INDICATORS, { year: 2026, month: 11 });
    expect(result.ok ? [] : result.error).toEqual([
      { line: 3, column: 'period', code: 'future_period', params: { value: '2027-01', current: '2026-11' } },
    ]);
    expect(formatTableProblem(result.ok ? ({} as never) : result.error[0]!, translator('zh-CN'))).toBe(
      '“2027-01”还没到（现在报送的是 2026-11），不能导入以后月份的数字',
    );
  });

  it('refuses a negative figure of an indicator with no bounds, as the chat does', () => {
    const unbounded = { ...INDICATORS[0]!, min: undefined };
    const rows = readFiguresCsv('indicator,period,value\n规上工业总产值,2020-10,-3\n');
    if (!rows.ok) throw new Error('expected rows');
    const result = normaliseFigureRows(rows.value, [unbounded]);
    expect(result.ok ? [] : result.error).toMatchObject([{ line: 2, column: 'value', code: 'negative_value' }]);
  });

  it('reports the same indicator and month given twice, even once by name and once by key', () => {
    expect(problems('indicator,period,value\n技改,2020-10,2.05\n\ntech_upgrade_investment,2020年10月,2.06\n')).toEqual([
      { line: 4, code: 'duplicate_figure', params: { indicator: '工业技改投资', period: '2020-10', first: 2 } },
    ]);
  });

  it('collects every problem of every row and returns no figure at all', () => {
    const found = problems('指标,期间,数值,单位\n技改,2020-10,2.05,亿元\n无此指标,2020-13,abc,\n工投,2020-10,1,个\n技改,2020-10,2,\n');
    expect(found.map((p) => [p.line, p.column, p.code])).toEqual([
      [3, '指标', 'unknown_indicator'],
      [3, '期间', 'bad_period'],
      [3, '数值', 'bad_value'],
      [4, '单位', 'unit_mismatch'],
      [5, undefined, 'duplicate_figure'],
    ]);
  });

  it('says each problem in Chinese and in English from its code and values', () => {
    const found = problems('指标,期间,数值,单位\n技改,2020-10,2.05,亿元\n无此指标,2020-13,abc,\n工投,2020-10,1,个\n技改,2020-10,2,\n');
    expect(found.map((problem) => formatTableProblem(problem, translator('zh-CN')))).toEqual([
      '未知指标“无此指标”',
      '不是月份：“2020-13”（可写作 2020-10、2020年10月 或 2020/10）',
      '读不出数值：“abc”（可写 2.05、2.05亿 或 2300万；说明写在备注列）',
      '单位“个”无法换算成工业投资的单位“亿元”',
      '工业技改投资 2020-10 已在第 2 行填过',
    ]);
    expect(formatTableProblem(found[3]!, translator('en'))).toBe('unit "个" cannot be converted into 工业投资\'s unit "亿元"');
  });
});

/** Params for every code, as the reader gives them: each code's sentence must use them all. */
const SAMPLE_PARAMS: Record<TableProblemCode, ProblemParams> = {
  unsupported_file: {},
  unclosed_quote: {},
  not_xlsx: {},
  file_not_found: { file: 'figures.csv' },
  no_sheet: {},
  missing_header: {},
  missing_column: { column: 'period', names: ['period', '期间', '月份'] },
  duplicate_column: { column: 'value', first: 'value', second: '数值' },
  missing_indicator: {},
  unknown_indicator: { value: '无此指标' },
  unknown_indicator_suggest: { value: '工业技改投', suggestion: '工业技改投资' },
  ambiguous_indicator: { value: '投资', candidates: ['tech_upgrade_investment', 'new_above_scale_firms'] },
  bad_period: { value: '2020.10' },
  future_period: { value: '2027-01', current: '2026-11' },
  not_quarter_end: { value: '2026-11', indicator: '农村居民人均可支配收入' },
  bad_value: { value: '2.05亿' },
  unstorable_value: { value: '0.00000000001', unit: '亿元' },
  below_minimum: { value: '-1', unit: '亿元', indicator: '工业技改投资', min: '0' },
  above_maximum: { value: '101', unit: '%', indicator: 'R&D经费占GDP比重', max: '100' },
  negative_value: { value: '-3', unit: '%', indicator: '工业增加值增速' },
  fractional_count: { value: '1.5', unit: '家', indicator: '新增规上企业' },
  unknown_unit: { value: '亿美元', allowed: ['亿元', '万元', '元'] },
  unknown_unit_suggest: { value: '万人', suggestion: '万人次', allowed: ['亿元', '万人次'] },
  unit_mismatch: { unit: '家', indicator: '工业技改投资', expected: '亿元' },
  duplicate_figure: { indicator: '工业技改投资', period: '2020-10', first: 2 },
  retired_new: { indicator: '新增研发机构', period: '2026-12', value: '2', unit: '家' },
  retired_changed: { indicator: '新增研发机构', period: '2026-09', value: '3', unit: '家', stored: '2' },
  retired_note: { indicator: '新增研发机构', period: '2026-09', stored: '博昇乐' },
  retired_note_none: { indicator: '新增研发机构', period: '2026-09' },
};

describe('the problems of a figures file', () => {
  it.each(TABLE_PROBLEM_CODES.map((code) => [code]))('say %s in Chinese and in English, every placeholder filled', (code) => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = formatTableProblem({ code, params: SAMPLE_PARAMS[code] }, translator(locale));
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toContain('problems.');
    }
    expect(formatTableProblem({ code, params: SAMPLE_PARAMS[code] }, translator('zh-CN'))).not.toMatch(
      /\b(not|unknown|expected|cannot|line|column|is|the)\b/i,
    );
  });
});

const EXPORT_ROWS: FigureExportRow[] = [
  { indicator: 'tech_upgrade_investment', period: { year: 2020, month: 10 }, value: dec('2.05'), unit: '亿元', decimals: 2, note: '含"技改", 见备注\n第二行', submittedBy: '王明', submittedAt: '2020-10-30 10:00' },
  { indicator: 'tech_upgrade_investment', period: { year: 2019, month: 12 }, value: dec('1.812'), unit: '亿元', decimals: 2 },
  { indicator: 'new_above_scale_firms', period: { year: 2020, month: 3 }, value: dec('1'), unit: '家', decimals: 0, note: '#博昇乐' },
  { indicator: 'industrial_investment', period: { year: 2020, month: 12 }, value: dec('12345.67'), unit: '亿元', decimals: 2 },
];
const EXPECTED = EXPORT_ROWS.map(({ indicator, period, value, note }) => ({
  indicatorKey: indicator, period: formatPeriod(period), value: value.toFixed(), ...(note ? { note } : {}),
}));

describe('exporting', () => {
  it('writes a CSV with a BOM and CRLF that re-imports unchanged, in English or Chinese headers', () => {
    const english = writeFiguresCsv(EXPORT_ROWS);
    expect(english.startsWith('\uFEFFindicator,period,value,unit,note,submitted_by,submitted_at\r\n')).toBe(true);
    expect(plain(records(english))).toEqual(EXPECTED);
    expect(plain(records(writeFiguresCsv(EXPORT_ROWS, FIGURE_HEADERS_ZH)))).toEqual(EXPECTED);
  });

  it('refuses export headers that would not re-import', () => {
    expect(() => writeFiguresCsv(EXPORT_ROWS, { ...FIGURE_HEADERS_ZH, value: '金额' })).toThrow(/re-import/);
  });

  it('reads dates, rich text and formula results from a sheet named figures, else the first sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['not this one']);
    const sheet = workbook.addWorksheet('Figures');
    sheet.addRow(['Indicator', 'Period', 'Value', 'Unit']);
    sheet.addRow([{ richText: [{ text: '工业' }, { text: '技改投资' }] }, new Date(Date.UTC(2020, 9, 1)), 2.05, '亿元']);
    sheet.addRow(['工投', '2020年11月', { formula: 'C2*10', result: 20.5 }, '']);
    sheet.addRow([]);
    const read = await readFiguresXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    const back = read.ok ? normaliseFigureRows(read.value, INDICATORS) : read;
    expect(back.ok && plain(back.value)).toEqual([
      { indicatorKey: 'tech_upgrade_investment', period: '2020-10', value: '2.05' },
      { indicatorKey: 'industrial_investment', period: '2020-11', value: '20.5' },
    ]);
  });

  it('skips a title above the header, merged across the columns as office sheets have it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['乐昌市工业和信息化局2020年主要指标数据']);
    sheet.mergeCells('A1:D1');
    sheet.addRow(['（单位：亿元）']);
    sheet.addRow(['指标', '期间', '数值', '单位']);
    sheet.addRow(['技改', '2020-10', 2.05, '亿元']);
    const read = await readFiguresXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    const back = read.ok ? normaliseFigureRows(read.value, INDICATORS) : read;
    expect(back.ok && plain(back.value)).toEqual([{ indicatorKey: 'tech_upgrade_investment', period: '2020-10', value: '2.05' }]);
    expect(read.ok && read.value.map((row) => row.line)).toEqual([4]);
    // With no header anywhere near the top, the first row is the header, and what it lacks is said.
    expect(problems('2020年数据\n技改,2020-10,2.05\n')).toMatchObject([{ line: 1, code: 'missing_column' }, { line: 1, code: 'missing_column' }, { line: 1, code: 'missing_column' }]);
    expect(plain(records('2020年数据,,\nindicator,period,value\n技改,2020-10,2.05\n'))).toEqual([{ indicatorKey: 'tech_upgrade_investment', period: '2020-10', value: '2.05' }]);
  });

  it('reads a share typed into a percentage cell as Excel shows it (0.0055 in 0.00% is 0.55%), not one that only writes %', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('数据');
    sheet.addRow(['指标', '期间', '数值', '单位']);
    sheet.addRow(['R&D经费占GDP比重', '2020年6月', 0.0055, '%']).getCell(3).numFmt = '0.00%';
    sheet.addRow(['R&D经费占GDP比重', '2020年7月', { formula: 'C2+0.0001', result: 0.0056 }, '']).getCell(3).numFmt = '0%';
    // The bot's own workbook shows 0.57 as 0.57% with a % written after the number: the number is the figure.
    sheet.addRow(['R&D经费占GDP比重', '2020年8月', 0.57, '%']).getCell(3).numFmt = 'General"%"';
    const read = await readFiguresXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    const back = read.ok ? normaliseFigureRows(read.value, INDICATORS) : read;
    expect(back.ok && plain(back.value).map((row) => [row.period, row.value])).toEqual([
      ['2020-06', '0.55'],
      ['2020-07', '0.56'],
      ['2020-08', '0.57'],
    ]);
  });

  it('says a path that leads to no file as such, not as the system error', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-folder-baoshu', 'figures.csv');
    expect(await readFiguresFile(missing)).toEqual({ ok: false, error: [{ line: 0, code: 'file_not_found', params: { file: missing } }] });
    expect(formatTableProblem({ code: 'file_not_found', params: { file: missing } }, translator('zh-CN'))).toBe(`找不到文件 ${missing}（请检查路径和文件名）`);
  });

  it('reports a file that is not an xlsx as unreadable', async () => {
    expect(await readFiguresXlsx(Buffer.from('indicator,period,value\n'))).toMatchObject({ ok: false, error: [{ line: 0, code: 'not_xlsx' }] });
  });
});

describe('the illustrative demo series', async () => {
  const text = await readFile(new URL('../../src/app/demo/demo-figures.csv', import.meta.url), 'utf8');
  const all = records(text);
  const series = (key: string, year: number) =>
    all.filter((r) => r.indicatorKey === key && r.period.year === year).sort((a, b) => a.period.month - b.period.month);
  const at = (key: string, year: number, month: number) => series(key, year).find((r) => r.period.month === month)?.value.toFixed();

  it('has every month of 2020 for every indicator, and nothing else but 2019 for the four growth series', () => {
    for (const indicator of INDICATORS) expect(series(indicator.key, 2020).map((r) => r.period.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(all).toHaveLength(15 * 12 + 4 * 12);
  });

  it("ends 2020's cumulative and level series at the seed's figures, with tech upgrade at 2.05 in October", () => {
    const december = { industrial_output_value: '47.57', industrial_added_value: '12.44', industrial_investment: '25.15', tech_upgrade_investment: '2.43', village_fibre_coverage: '98', sme_credit_granted: '22.5', sme_loans_issued: '13.76', rd_share_of_gdp: '0.5' };
    for (const [key, value] of Object.entries(december)) expect([key, at(key, 2020, 12)]).toEqual([key, value]);
    expect(at('tech_upgrade_investment', 2020, 10)).toBe('2.05');
  });

  it("adds up 2020's increments to the seed's figures in whole non-negative numbers, naming the above-scale firms", () => {
    const totals = { new_above_scale_firms: 11, new_high_tech_firms: 5, new_rd_institutions: 5, tech_sme_registered: 18, new_5g_sites: 84, upgraded_4g_sites: 105, clean_production_audits: 7 };
    for (const [key, total] of Object.entries(totals)) {
      const values = series(key, 2020).map((r) => r.value);
      expect(values.every((v) => v.isInteger() && !v.isNegative())).toBe(true);
      expect([key, values.reduce((sum, v) => sum.plus(v), dec(0)).toFixed()]).toEqual([key, String(total)]);
    }
    const notes = series('new_above_scale_firms', 2020).map((r) => r.note ?? '').join('、');
    for (const firm of ['博昇乐', '创睿极光', '金丰', '金杨', '科拓', '恒胜', '欧匹特', '艾尔康', '乐昌峡', '盖邦', '鑫瑞']) expect(notes).toContain(firm);
  });

  it('never lets a cumulative series fall within a year', () => {
    for (const indicator of INDICATORS.filter((d) => d.kind === 'cumulative')) {
      for (const year of [2019, 2020]) {
        const values = series(indicator.key, year).map((r) => r.value);
        values.slice(1).forEach((value, index) => expect(value.greaterThanOrEqualTo(values[index] as Decimal)).toBe(true));
      }
    }
  });

  it("reproduces the seed's December year-on-year growth from the 2019 series", () => {
    const growth = (key: string) => new Decimal(at(key, 2020, 12) ?? 'NaN').dividedBy(at(key, 2019, 12) ?? 'NaN').minus(1).times(100).toDecimalPlaces(1).toFixed();
    expect(['industrial_output_value', 'industrial_added_value', 'industrial_investment', 'tech_upgrade_investment'].map(growth)).toEqual(['15.1', '11.8', '33.7', '34.1']);
    expect(['41.33', '11.13', '18.81', '1.812']).toEqual(['industrial_output_value', 'industrial_added_value', 'industrial_investment', 'tech_upgrade_investment'].map((key) => at(key, 2019, 12)));
  });
});

describe('figures the database cannot keep exactly', () => {
  it('are refused on import with their line, never rounded or overflowed', () => {
    const result = importCsv('indicator,period,value,unit\nnew_5g_sites,2020-01,99999999999999999999999,个\nsme_credit_granted,2020-01,0.001,元\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((problem) => [problem.line, problem.code, problem.params])).toEqual([
      [2, 'unstorable_value', { value: '99999999999999999999999', unit: '个' }],
      [3, 'unstorable_value', { value: '0.00000000001', unit: '亿元' }],
    ]);
  });
});
