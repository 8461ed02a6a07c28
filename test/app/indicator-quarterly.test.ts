import ExcelJS from 'exceljs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { missingReport } from '../../src/app/missing-report.js';
import { overviewReport } from '../../src/app/overview.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { planDueReminders } from '../../src/app/reminders/plan.js';
import { buildBulletin } from '../../src/app/reports/bulletin.js';
import { buildWorkbook } from '../../src/app/reports/workbook.js';
import { loadCommand } from '../../src/cli/commands.js';
import { importFigures } from '../../src/app/import-figures.js';
import { readFiguresCsv } from '../../src/app/io/figures-csv.js';
import { dec } from '../../src/core/decimal.js';
import { FREQUENCIES, isOwed, nextOwed, owedBy } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { formatOrgProblems } from '../../src/core/org/problems.js';
import type { Period } from '../../src/core/period.js';
import { computeProgress } from '../../src/core/progress.js';
import { listIndicators } from '../../src/db/org-repository.js';
import { storedFigure, texts } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { clearChatsAndFigures, loadOrgText } from '../helpers/org-text.js';
import { docxParagraphs } from '../helpers/documents.js';
import { type MemoryChannel, createMemoryChannel } from '../helpers/memory-channel.js';

/*
 * A 季报 (`frequency: quarterly`): 农村居民人均可支配收入 is owed at quarter ends only (3, 6, 9, 12月). 农村经济股
 * owns it beside 农林牧渔业总产值 (monthly); 科技计划股 owns 研发机构. In November the section that reported
 * its one monthly figure has reported; in December it owes both. Every clock is fixed: nothing rests on today.
 */

const ORG = `organisation:
  name: 测试县农业农村局
sections:
  - { key: rural, name: 农村经济股 }
  - { key: sci, name: 科技计划股 }
members:
  - { key: lin, name: 林志强, roles: [director], identities: ["wecom:lin"] }
  - { key: deputy, name: 黄建华, roles: [director], locale: en, identities: ["wecom:deputy"] }
  - { key: wang, name: 王明, roles: [section_head], section: rural, identities: ["wecom:wang"] }
  - { key: liu, name: 刘洋, roles: [section_head], section: sci, identities: ["wecom:liu"] }
indicators:
  - { key: output, name: 农林牧渔业总产值, section: rural, kind: cumulative, unit: 亿元 }
  - { key: income, name: 农村居民人均可支配收入, name_en: Rural per-capita disposable income, section: rural, kind: cumulative, unit: 元, decimals: 0, frequency: quarterly }
  - { key: rd, name: 研发机构, section: sci, kind: increment, unit: 家 }
targets:
  - { indicator: output, year: 2026, value: 40 }
  - { indicator: income, year: 2026, value: 24000 }
`;

// 10:00 in Asia/Shanghai on Wednesday 25 November 2026: November's window is open, its deadline the 30th.
const NOV_25 = new Date('2026-11-25T02:00:00Z');
// 09:30 on Thursday 3 December 2026: November's deadline has passed, December's window is not open yet.
const DEC_3 = new Date('2026-12-03T01:30:00Z');
// 10:00 on Friday 25 December 2026: December's window is open.
const DEC_25 = new Date('2026-12-25T02:00:00Z');
// 09:30 on Monday 4 January 2027: December's deadline has passed; December is still being collected.
const JAN_4 = new Date('2027-01-04T01:30:00Z');
const NOVEMBER: Period = { year: 2026, month: 11 };
const DECEMBER: Period = { year: 2026, month: 12 };

describe('when a quarterly indicator is owed', () => {
  const quarterly = { frequency: 'quarterly' as const };

  it('is owed at quarter ends only, and from its from on', () => {
    const owed = Array.from({ length: 12 }, (_, index) => index + 1).filter((month) => isOwed(quarterly, { year: 2026, month }));
    expect(owed).toEqual([3, 6, 9, 12]);
    expect(isOwed({ ...quarterly, from: { year: 2026, month: 7 } }, { year: 2026, month: 6 })).toBe(false);
    expect(isOwed({ ...quarterly, from: { year: 2026, month: 7 } }, { year: 2026, month: 9 })).toBe(true);
  });

  it('is owed by a month when a quarter before it ended in its year: by February not yet, by November yes', () => {
    expect(owedBy(quarterly, { year: 2027, month: 2 })).toBe(false);
    expect(owedBy(quarterly, { year: 2027, month: 3 })).toBe(true);
    expect(owedBy(quarterly, NOVEMBER)).toBe(true);
    expect(owedBy({ ...quarterly, from: { year: 2026, month: 10 } }, NOVEMBER)).toBe(false);
  });

  it('is next owed at the quarter\'s end, or at the first quarter end from its from', () => {
    expect(nextOwed(quarterly, NOVEMBER)).toEqual(DECEMBER);
    expect(nextOwed(quarterly, { year: 2026, month: 12 })).toEqual(DECEMBER);
    expect(nextOwed({ ...quarterly, from: { year: 2027, month: 2 } }, NOVEMBER)).toEqual({ year: 2027, month: 3 });
    expect(nextOwed({ from: { year: 2027, month: 2 } }, NOVEMBER)).toEqual({ year: 2027, month: 2 });
  });

  it('names no month between quarters as not reported, and the quarter end it lacks', () => {
    const indicator = {
      key: 'income', name: '农村居民人均可支配收入', nameEn: 'Rural income', sectionKey: 'rural', kind: 'cumulative' as const,
      unit: '元' as const, decimals: 2, aliases: [], frequency: 'quarterly' as const,
    };
    const figures = [3, 6, 9].map((month) => ({ year: 2026, month, value: dec(month * 2000) }));
    // Read in November (October and before are due): 1–9月 is current, 序时进度 75%.
    const current = computeProgress({ indicator, figures, year: 2026, throughMonth: 11, target: dec(24000), dueThrough: 10 });
    expect([current.throughMonth, current.elapsed.toFixed(2), current.unreportedMonths]).toEqual([9, '75.00', undefined]);
    // September missing: that month is named, not July or August, nor October.
    const stale = computeProgress({ indicator, figures: figures.slice(0, 2), year: 2026, throughMonth: 11, target: dec(24000), dueThrough: 10 });
    expect(stale.unreportedMonths).toEqual([9]);
    // An increment's quarters are its whole year: no month between them is missing from the sum.
    const added = computeProgress({ indicator: { ...indicator, kind: 'increment' }, figures, year: 2026, throughMonth: 9, dueThrough: 9 });
    expect([added.ytd?.toFixed(), added.unreportedMonths]).toEqual(['36000', undefined]);
  });

  it('refuses a frequency it does not know, naming those it does, and the one meant by 季度', () => {
    const parsed = parseOrgFile(ORG.replace('frequency: quarterly', 'frequency: yearly'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatchObject([{ path: 'indicators[1].frequency', code: 'unknown_frequency', params: { value: 'yearly', allowed: FREQUENCIES } }]);
    expect(formatOrgProblems(parsed.error, translator('zh-CN'))).toContain('未知报送频率“yearly”，可用：monthly、quarterly（quarterly 为按季度');
    const chinese = parseOrgFile(ORG.replace('frequency: quarterly', 'frequency: 季度'));
    expect(chinese.ok ? [] : chinese.error.map((problem) => [problem.code, problem.params.suggestion])).toEqual([['unknown_choice_suggest', 'quarterly']]);
  });
});

describeEachDatabase('an indicator reported quarterly (frequency: quarterly)', (ctx) => {
  let ids: Map<string, number>;
  const running: Array<{ stop(): Promise<void> }> = [];

  async function report(entries: Array<[key: string, value: number]>, period: Period, at: Date): Promise<void> {
    await ctx.db().prisma.$transaction(async (tx) => {
      for (const [key, value] of entries) await recordFigure(tx, { indicatorId: ids.get(key) ?? -1, period, value: dec(value), channel: 'test', at });
    });
  }

  async function chatAt(now: Date): Promise<MemoryChannel> {
    const channel = createMemoryChannel('wecom');
    const runtime = await startChatRuntime({ prisma: ctx.db().prisma, adapters: [channel], now: () => now, sweepIntervalMs: 0 });
    running.push(runtime);
    return channel;
  }

  const owing = async (period: Period, now: Date) =>
    (await missingReport(ctx.deps(now), period)).sections.map((section) => [section.sectionKey, section.indicators.map((indicator) => indicator.key)]);

  beforeEach(async () => {
    const { prisma } = ctx.db();
    await clearChatsAndFigures(prisma);
    await loadOrgText(ctx.deps(NOV_25), ORG);
    ids = new Map((await prisma.indicator.findMany({ select: { key: true, id: true } })).map((row) => [row.key, row.id]));
  });

  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop();
  });

  it('is stored with its frequency', async () => {
    const byKey = new Map((await listIndicators(ctx.db().prisma)).map((indicator) => [indicator.key, indicator]));
    expect(byKey.get('income')?.frequency).toBe('quarterly');
    expect(byKey.get('output')).not.toHaveProperty('frequency');
  });

  it('is not missing in November from a section that reported its monthly figure; in December it is', async () => {
    await report([['output', 30]], NOVEMBER, NOV_25);
    expect(await owing(NOVEMBER, DEC_3)).toEqual([['sci', ['rd']]]);
    const november = await overviewReport(ctx.deps(DEC_3));
    expect(november.period).toEqual(NOVEMBER);
    expect([november.reported, november.sections]).toEqual([1, 2]);
    // What it owes is September's (no figure yet), not November's.
    expect(november.owed.get('income')?.period).toEqual({ year: 2026, month: 9 });

    await report([['output', 33]], DECEMBER, DEC_25);
    expect(await owing(DECEMBER, JAN_4)).toEqual([
      ['rural', ['income']],
      ['sci', ['rd']],
    ]);
  });

  it('reminds nobody of it between quarters, and chases it after December\'s deadline', async () => {
    await report([['output', 30]], NOVEMBER, NOV_25);
    const november = await planDueReminders(ctx.deps(DEC_3), DEC_3);
    expect(november.filter((reminder) => reminder.memberKey === 'wang')).toEqual([]);
    expect(november.find((reminder) => reminder.kind === 'escalation')?.sections).toEqual([{ key: 'sci', missing: ['rd'] }]);

    await report([['output', 33]], DECEMBER, DEC_25);
    const december = await planDueReminders(ctx.deps(JAN_4), JAN_4);
    expect(december.some((reminder) => reminder.memberKey === 'wang' && reminder.kind === 'overdue')).toBe(true);
    expect(december.find((reminder) => reminder.kind === 'escalation')?.sections).toEqual([
      { key: 'rural', missing: ['income'] },
      { key: 'sci', missing: ['rd'] },
    ]);
  });

  it('is not asked in November nor taken as a one-line report then; in December it is asked, beside the quarter before', async () => {
    await report([['income', 18000]], { year: 2026, month: 9 }, NOV_25);
    const november = await chatAt(NOV_25);
    const say = async (text: string) => texts(await november.say('wang', text));
    expect(await say('农村居民人均可支配收入 21000元')).toEqual([
      '农村居民人均可支配收入按季度报送（3、6、9、12月），2026年11月 不需要报送，下次报送 2026年12月，本条未作记录。',
    ]);
    expect(await storedFigure(ctx.db().prisma, 'income', '2026-11')).toBeUndefined();
    const asked = await say('/report');
    expect(asked[0]).toContain('共 1 项');
    expect(asked.join('\n')).not.toContain('农村居民');
    // Typed in the middle of the report, it is still not owed, rather than to be taken once the report is done.
    expect((await say('农村居民人均可支配收入 21000元'))[0]).toBe(
      '农村居民人均可支配收入按季度报送（3、6、9、12月），2026年11月 不需要报送，下次报送 2026年12月，本条未作记录。',
    );
    expect(await say('取消')).toHaveLength(1);

    const december = await chatAt(DEC_25);
    const sayDecember = async (text: string) => texts(await december.say('wang', text));
    const opened = await sayDecember('/report');
    expect(opened[0]).toContain('共 2 项');
    expect(await sayDecember('35亿')).toEqual(['(2/2) 农村居民人均可支配收入 1–12月累计（元）？2026年9月 18000']);
    // Its check is against the quarter before: a 1–12月 total below 1–9月's is queried.
    expect((await sayDecember('17000')).join('\n')).toContain('比2026年9月（18000 元）少');
  });

  it('tells a section whose only indicator is quarterly when it next reports', async () => {
    await loadOrgText(ctx.deps(NOV_25), ORG.replace('section: rural, kind: cumulative, unit: 亿元', 'section: sci, kind: cumulative, unit: 亿元'));
    const november = await chatAt(NOV_25);
    expect(texts(await november.say('wang', '/report'))).toEqual([
      '2026年11月 您没有需要报送的指标：农村居民人均可支配收入 按季度报送（3、6、9、12月），下次报送 2026年12月。',
    ]);
  });

  it('answers with its latest quarter, naming no month between quarters as not reported', async () => {
    await report([['income', 6000]], { year: 2026, month: 3 }, NOV_25);
    await report([['income', 12000]], { year: 2026, month: 6 }, NOV_25);
    await report([['income', 18000]], { year: 2026, month: 9 }, NOV_25);
    const channel = await chatAt(NOV_25);
    const answer = texts(await channel.say('lin', '农村居民人均可支配收入完成情况')).join('\n');
    expect(answer).toMatch(/^农村居民人均可支配收入：前三季度累计 18000 元，完成年度目标 24000 元的 75%，序时进度 75%/);
    expect(answer).not.toContain('未报送');
    // The 通报 says its quarters as statistics do (前三季度), not 1-9月.
    const paragraphs = await docxParagraphs(await buildBulletin(ctx.deps(NOV_25), { period: NOVEMBER }));
    expect(paragraphs.find((line) => line.includes('农村居民人均可支配收入'))).toMatch(/^前三季度我县农村居民人均可支配收入18000元，完成年度目标任务（24000元）的75%/);
    // The workbook's monthly sheet gives each quarter's own addition (当季), as the month's is for the others.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(ctx.deps(NOV_25), { year: 2026 })) as unknown as ArrayBuffer);
    const rows = (workbook.getWorksheet('月度数据')!.getSheetValues() as unknown[][]).filter(Boolean);
    const income = rows.filter((row) => row[1] === '农村居民人均可支配收入').map((row) => [row[3], row[6], row[9], row[12]]);
    expect(income).toEqual([['当季', 6000, 6000, 6000], ['1月至当月累计', 6000, 12000, 18000]]);
    // Its September figure is all it owes by November: the intro finds nothing of the month not in yet…
    expect(paragraphs.filter((line) => line.includes('尚未报齐'))).toEqual([]);
    // …but a monthly indicator at October is a month short, and the intro says how it is measured.
    await report([['output', 30]], { year: 2026, month: 10 }, NOV_25);
    const after = await docxParagraphs(await buildBulletin(ctx.deps(NOV_25), { period: NOVEMBER }));
    expect(after.filter((line) => line.includes('本月数据尚未报齐的指标，按已报送的最新月份及该月序时进度计算'))).toHaveLength(1);
  });

  it('says the quarters left to its target, and, asked why it is behind, its latest quarter and the next', async () => {
    await report([['income', 6000]], { year: 2026, month: 3 }, NOV_25);
    await report([['income', 17500]], { year: 2026, month: 9 }, NOV_25);
    const channel = await chatAt(NOV_25);
    const left = texts(await channel.say('lin', '农村居民人均可支配收入还差多少')).join('\n');
    expect(left).toContain('年内还有 1 次季度报送，平均每次需完成 6500 元。');
    expect(left).not.toContain('个月');
    const why = texts(await channel.say('lin', '农村居民人均可支配收入为什么落后')).join('\n');
    expect(why).toContain('2026年9月数据已报送（农村经济股 王明），下次报送 2026年12月。');
    expect(why).not.toContain('2026年11月数据已报送');
  });

  it('names who owes its last quarter\'s figure while that is still chased, between quarters too', async () => {
    const channel = await chatAt(NOV_25);
    expect(texts(await channel.say('lin', '农村居民人均可支配收入完成情况'))).toEqual([
      '农村居民人均可支配收入：2026年尚无数据；2026年9月尚未报送（农村经济股 王明，已于9月30日截止）。',
    ]);
    // Once September's is in, nobody owes it until December.
    await report([['income', 18000]], { year: 2026, month: 9 }, NOV_25);
    expect(texts(await channel.say('lin', '农村居民人均可支配收入完成情况')).join('\n')).not.toContain('尚未报送');
  });

  it('gives its change on the quarter before (环比), a cumulative one\'s by the quarter\'s own addition', async () => {
    await report([['income', 12000]], { year: 2026, month: 6 }, DEC_25);
    await report([['income', 17700]], { year: 2026, month: 9 }, DEC_25);
    await report([['income', 21200]], { year: 2026, month: 12 }, DEC_25);
    const channel = await chatAt(JAN_4);
    // 四季度 21200 − 17700 = 3500 against 三季度 17700 − 12000 = 5700: −38.6%.
    expect(texts(await channel.say('lin', '农村居民人均可支配收入环比'))).toEqual([
      '农村居民人均可支配收入：四季度当季 3500 元，三季度当季 5700 元，环比下降 38.6%。',
    ]);
    // In English, quarters as Q1–Q4, and the change said on the quarter before.
    expect(texts(await channel.say('deputy', 'month on month for rural per-capita disposable income'))).toEqual([
      'Rural per-capita disposable income: Q4 alone 3,500 yuan, Q3 alone 5,700 yuan, down 38.6% on the quarter before.',
    ]);
    expect(texts(await channel.say('deputy', 'rural per-capita disposable income progress'))[0]).toMatch(/^Rural per-capita disposable income: Q1–Q4 cumulative 21,200 yuan/);
    const english = await docxParagraphs(await buildBulletin(ctx.deps(JAN_4), { period: DECEMBER, locale: 'en' }));
    expect(english.find((line) => line.includes('per-capita disposable income'))).toMatch(/^In the year as a whole, /);
  });

  it('is not imported for a month that ends no quarter: read as 1–11月, it would pass for a figure', async () => {
    const rows = readFiguresCsv('indicator,period,value\n农村居民人均可支配收入,2026-09,18000\n农村居民人均可支配收入,2026-11,22500');
    if (!rows.ok) throw new Error('unreadable');
    const imported = await importFigures(ctx.deps(DEC_25), rows.value, { channel: 'import', actor: 'test', reason: 'test', source: 'test' });
    expect(imported).toMatchObject({ ok: false, error: [{ line: 3, code: 'not_quarter_end', params: { value: '2026-11', indicator: '农村居民人均可支配收入' } }] });
    expect(await storedFigure(ctx.db().prisma, 'income', '2026-09')).toBeUndefined();

    // A month from before it was made quarterly, as a year's export holds it: taken as stored, never changed.
    await report([['income', 15000]], { year: 2026, month: 8 }, DEC_25);
    const history = (august: string) => readFiguresCsv(`indicator,period,value\n农村居民人均可支配收入,2026-08,${august}\n农村居民人均可支配收入,2026-09,18000`);
    const same = history('15000');
    if (!same.ok) throw new Error('unreadable');
    expect(await importFigures(ctx.deps(DEC_25), same.value, { channel: 'import', actor: 'test', reason: 'test', source: 'test' })).toMatchObject({
      ok: true,
      value: { count: 2, added: [{ indicatorKey: 'income', period: { year: 2026, month: 9 } }], unchanged: 1 },
    });
    const changed = history('15500');
    if (!changed.ok) throw new Error('unreadable');
    expect(await importFigures(ctx.deps(DEC_25), changed.value, { channel: 'import', actor: 'test', reason: 'test', source: 'test' })).toMatchObject({
      ok: false,
      error: [{ line: 2, code: 'not_quarter_end', params: { value: '2026-08' } }],
    });
  });

  it('load names a frequency changed, in the reader\'s words', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'org-quarterly-'));
    const file = path.join(dir, 'org.yaml');
    await writeFile(file, ORG.replace(', frequency: quarterly', ''));
    const printed: string[] = [];
    const context = { deps: ctx.deps(NOV_25), t: translator('zh-CN'), locale: 'zh-CN' as const, print: (line: string) => void printed.push(line) };
    expect(await loadCommand(context, file)).toBe(0);
    expect(printed).toContain('  指标农村居民人均可支配收入（income）报送频率：按季度（3、6、9、12月） → 按月');
    expect((await listIndicators(ctx.db().prisma)).find((indicator) => indicator.key === 'income')).not.toHaveProperty('frequency');
  });
});
