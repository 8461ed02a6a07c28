import { afterEach, beforeEach, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { exportYear } from '../../src/app/export-figures.js';
import { importFigures } from '../../src/app/import-figures.js';
import { readFiguresCsv } from '../../src/app/io/figures-csv.js';
import { readFiguresXlsx } from '../../src/app/io/figures-xlsx.js';
import { buildAnnualReport } from '../../src/app/reports/annual-report.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { type CommandContext, progressCommand } from '../../src/cli/commands.js';
import { dec } from '../../src/core/decimal.js';
import { type FigureTableRow, formatTableProblem } from '../../src/core/figures-table.js';
import { translator } from '../../src/core/i18n.js';
import { texts } from '../helpers/chat.js';
import { docxParagraphs } from '../helpers/documents.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { clearChatsAndFigures, loadOrgText } from '../helpers/org-text.js';
import { type MemoryChannel, createMemoryChannel } from '../helpers/memory-channel.js';

/*
 * An indicator the organisation file stops listing is kept inactive with its history: asked about, the bot
 * answers from that history and says it is no longer reported. 科技计划股's 研发机构 had figures in 2026 and
 * a 2026 target; the 2027 file drops it. The clock is fixed at 10:00 on Monday 25 January 2027.
 */

const ORG = `organisation:
  name: 测试县工业和信息化局
sections:
  - { key: monitoring, name: 运行监测股 }
  - { key: sci, name: 科技计划股 }
members:
  - { key: lin, name: 林志强, roles: [director], identities: ["wecom:lin"] }
  - { key: wang, name: 王明, roles: [section_head], section: monitoring, identities: ["wecom:wang"] }
  - { key: liu, name: 刘洋, roles: [section_head], section: sci, identities: ["wecom:liu"] }
indicators:
  - { key: invest, name: 工业投资, section: monitoring, kind: cumulative, unit: 亿元 }
  - { key: rd, name: 新增研发机构, section: sci, kind: increment, unit: 家, aliases: [研发机构] }
targets:
  - { indicator: invest, year: 2026, value: 20 }
  - { indicator: rd, year: 2026, value: 5 }
`;

// The 2027 file: 研发机构 gone, and this year's targets only (last year's stay as they were).
const WITHOUT_RD = ORG.replace(/ {2}- \{ key: rd,.*\n/, '').replace(/targets:[\s\S]*/, 'targets:\n  - { indicator: invest, year: 2027, value: 22 }\n');

const JAN_25 = new Date('2027-01-25T02:00:00Z');

describeEachDatabase('an indicator the organisation file no longer lists', (ctx) => {
  const running: Array<{ stop(): Promise<void> }> = [];
  let channel: MemoryChannel;
  const ask = async (who: string, text: string) => texts(await channel.say(who, text));

  beforeEach(async () => {
    const { prisma } = ctx.db();
    await clearChatsAndFigures(prisma);
    await loadOrgText(ctx.deps(JAN_25), ORG);
    const rd = await prisma.indicator.findUniqueOrThrow({ where: { key: 'rd' } });
    await prisma.$transaction(async (tx) => {
      for (const [month, value] of [[9, 2], [11, 1]] as const) {
        await recordFigure(tx, { indicatorId: rd.id, period: { year: 2026, month }, value: dec(value), channel: 'test', at: JAN_25 });
      }
    });
    expect(texts(await (await chatAt()).say('lin', '研发机构'))[0]).toMatch(/^新增研发机构：/);
    await loadOrgText(ctx.deps(JAN_25), WITHOUT_RD);
    channel = await chatAt();
  });

  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop();
  });

  async function chatAt(): Promise<MemoryChannel> {
    const memory = createMemoryChannel('wecom');
    running.push(await startChatRuntime({ prisma: ctx.db().prisma, adapters: [memory], now: () => JAN_25, sweepIntervalMs: 0 }));
    return memory;
  }

  it('answers from its history, its last year by default, saying it is no longer reported', async () => {
    expect(await ask('lin', '研发机构完成情况')).toEqual([
      [
        '新增研发机构 已不在组织文件中，停止报送；历史数据仍保留：',
        '新增研发机构：1–11月新增 3 家（1–8月、10月未报送），完成年度目标 5 家的 60%，序时进度 91.67%，落后 31.67 个百分点。',
      ].join('\n'),
    ]);
    // A month named: that month's figures.
    expect((await ask('lin', '2026年9月研发机构'))[0]).toContain('1–9月新增 2 家');
  });

  it('keeps the target it was measured against when a file of the same year drops it', async () => {
    // Dropped mid-year: a 2026 file without 研发机构, listing 2026's other targets (which it replaces).
    const midYear = ORG.replace(/ {2}- \{ key: rd,.*\n/, '').replace(/ {2}- \{ indicator: rd,.*\n/, '');
    await loadOrgText(ctx.deps(JAN_25), midYear);
    expect((await ask('lin', '研发机构完成情况'))[0]).toContain('新增研发机构：1–11月新增 3 家（1–8月、10月未报送），完成年度目标 5 家的 60%');
  });

  it('is shown to its own section only, and a figure for it is not taken', async () => {
    expect((await ask('wang', '研发机构完成情况'))[0]).toMatch(/^没太明白您的意思/);
    expect((await ask('liu', '研发机构完成情况'))[0]).toMatch(/^新增研发机构 已不在组织文件中/);
    expect(await ask('liu', '研发机构 本月新增2家')).toEqual(['新增研发机构 已不在组织文件中，停止报送，无需再报。']);
    expect(await ctx.db().prisma.submission.count({ where: { year: 2027 } })).toBe(0);
  });

  it('is not taken for an active indicator it resembles, in chat or in the CLI', async () => {
    const deps = ctx.deps(JAN_25);
    const { prisma } = ctx.db();
    // 道路货运量 dropped, 道路客运量 kept: the names share all but one character.
    const both = WITHOUT_RD.replace(
      'targets:',
      '  - { key: passengers, name: 道路客运量, section: sci, kind: cumulative, unit: 万人次 }\n  - { key: freight, name: 道路货运量, section: sci, kind: cumulative, unit: 万吨, aliases: [货运量] }\ntargets:',
    );
    await loadOrgText(deps, both);
    const freight = await prisma.indicator.findUniqueOrThrow({ where: { key: 'freight' } });
    await prisma.$transaction((tx) => recordFigure(tx, { indicatorId: freight.id, period: { year: 2026, month: 12 }, value: dec('352.5'), channel: 'test', at: JAN_25 }));
    await loadOrgText(deps, both.replace(/ {2}- \{ key: freight,.*\n/, ''));
    for (const question of ['道路货运量', '货运量完成情况', 'freight']) {
      expect((await ask('lin', question))[0], question).toBe(
        ['道路货运量 已不在组织文件中，停止报送；历史数据仍保留：', '道路货运量：1–12月累计 352.50 万吨（2026年未设目标）。'].join('\n'),
      );
    }
    expect(await ask('liu', '道路货运量 本月3万吨')).toEqual(['道路货运量 已不在组织文件中，停止报送，无需再报。']);
    expect((await ask('lin', '道路客运量'))[0]).toMatch(/^道路客运量：/);

    const printed: string[] = [];
    const cli: CommandContext = { deps, t: translator('zh-CN'), locale: 'zh-CN', print: (line) => printed.push(line) };
    // The CLI says what the chat says of it, word for word.
    expect(await progressCommand(cli, { indicator: 'freight' })).toBe(0);
    expect(printed).toEqual([(await ask('lin', '道路货运量'))[0]]);
  });

  it("keeps its figures in the year's export, which imports again unchanged; a new or changed one is refused", async () => {
    const deps = ctx.deps(JAN_25);
    const zh = translator('zh-CN');
    const reimport = (rows: FigureTableRow[]) => importFigures(deps, rows, { channel: 'import', actor: 'test', reason: '重新导入', source: 'test' });
    const csv = (await exportYear(deps, { year: 2026, format: 'csv', t: zh, locale: 'zh-CN' })).content.toString('utf8');
    expect(csv.split('\n').filter((line) => line.startsWith('rd,'))).toEqual([expect.stringMatching(/^rd,2026-09,2,家,,/), expect.stringMatching(/^rd,2026-11,1,家,,/)]);
    const rows = readFiguresCsv(csv);
    if (!rows.ok) throw new Error('the export does not read back');
    expect(await reimport(rows.value)).toMatchObject({ ok: true, value: { count: 2, created: 0, revised: 0, unchanged: 2 } });

    // A month it has no figure for, a figure changed, a note changed: each refused by its line, nothing stored.
    const edited = readFiguresCsv(
      csv.replace(/^rd,2026-11,1,/m, 'rd,2026-11,4,').replace(/^rd,2026-09,2,家,/m, 'rd,2026-09,2,家,博昇乐').trimEnd() + '\nrd,2026-12,2\n',
    );
    if (!edited.ok) throw new Error('the edited export does not read');
    const refused = await reimport(edited.value);
    if (refused.ok) throw new Error('a changed figure of a retired indicator was imported');
    expect(refused.error.map((problem) => [problem.line, formatTableProblem(problem, zh)])).toEqual([
      [2, '新增研发机构已不在组织文件中（已停用），已存数据只能原样保留：2026-09 已存的没有备注，文件里写了备注'],
      [3, '新增研发机构已不在组织文件中（已停用），已存数据只能原样保留：2026-11 已存 1 家，文件里是 4 家'],
      [4, '新增研发机构已不在组织文件中（已停用），不再收新数据：2026-12 没有已存的数字，文件里是 2 家'],
    ]);
    expect((await ctx.db().prisma.submission.findMany({ where: { year: 2026 }, orderBy: { month: 'asc' } })).map((row) => [row.month, row.value.toString()])).toEqual([
      [9, '2'],
      [11, '1'],
    ]);
  });

  it("is in the year's self-evaluation draft, its target counted, marked 已停用 in the table", async () => {
    const paragraphs = await docxParagraphs(await buildAnnualReport(ctx.deps(JAN_25), { year: 2026 }));
    const text = paragraphs.join('\n');
    expect(text).toContain('2026年有年度目标的2项指标中，0项已完成或超额完成年度任务，2项尚未完成');
    const row = paragraphs.indexOf('新增研发机构（已停用）');
    expect(paragraphs.slice(row, row + 6)).toEqual(['新增研发机构（已停用）', '家', '科技计划股', '5', '3', '60%']);
  });

  it("is not in a year's documents where it has a target and no figure (dropped before anything was reported)", async () => {
    const { prisma } = ctx.db();
    await prisma.submissionRevision.deleteMany();
    await prisma.submission.deleteMany();
    const deps = ctx.deps(JAN_25);
    const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2026 }));
    expect(paragraphs.filter((line) => line.includes('研发机构'))).toEqual([]);
    expect(paragraphs.join('\n')).toContain('2026年有年度目标的1项指标中');
    const csv = (await exportYear(deps, { year: 2026, format: 'csv', t: translator('zh-CN'), locale: 'zh-CN' })).content.toString('utf8');
    expect(csv).not.toContain('rd,');
  });

  it("is in the year's workbook, marked 已停用, its figures sheet importing again", async () => {
    const deps = ctx.deps(JAN_25);
    const { content } = await exportYear(deps, { year: 2026, format: 'xlsx', t: translator('zh-CN'), locale: 'zh-CN' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    const [summary, monthly] = workbook.worksheets;
    const rdRow = summary!.getRows(4, summary!.rowCount - 3)!.find((row) => String(row.getCell(2).value).startsWith('新增研发机构'))!;
    // Its figures and rate against the target it kept; no 序时进度 for an indicator no longer reported.
    expect([2, 5, 7, 8, 9, 10, 11, 14].map((column) => rdRow.getCell(column).value)).toEqual([
      '新增研发机构（已停用）', 5, 3, 60, null, null, '已停用', '组织文件已不再列出，停止报送；所列为已报数据；1-8月、10月未报送',
    ]);
    const monthlyNames = monthly!.getColumn(1).values.filter((value) => typeof value === 'string' && value.startsWith('新增研发机构'));
    expect(monthlyNames).toEqual(['新增研发机构（已停用）', '新增研发机构（已停用）']);
    const read = await readFiguresXlsx(content);
    if (!read.ok) throw new Error('the workbook does not read back');
    expect(await importFigures(deps, read.value, { channel: 'import', actor: 'test', reason: '重新导入', source: 'test' })).toMatchObject({
      ok: true,
      value: { count: 2, created: 0, revised: 0, unchanged: 2 },
    });
  });
});
