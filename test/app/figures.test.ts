import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadDemoFigures } from '../../src/app/demo-data.js';
import type { AppDeps } from '../../src/app/deps.js';
import { exportYear } from '../../src/app/export-figures.js';
import { importFigures, readFiguresFile } from '../../src/app/import-figures.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { dec } from '../../src/core/decimal.js';
import type { Locale } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { describeEachDatabase, withDemoFigures, withDemoOrganisation } from '../helpers/databases.js';

const NOW = new Date('2020-11-25T02:00:00Z');
const folder = await mkdtemp(path.join(tmpdir(), 'baoshu-figures-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

/** Writes `content` to a scratch file and imports it the way the CLI does. */
async function importFile(deps: AppDeps, name: string, content: string | Buffer) {
  const file = path.join(folder, name);
  await writeFile(file, content);
  const rows = await readFiguresFile(file);
  if (!rows.ok) return rows;
  return importFigures(deps, rows.value, { channel: 'import', actor: 'test', reason: 're-import', source: name });
}

describeEachDatabase('recording, importing and exporting figures', (ctx) => {
  it('keeps every revision of a figure: a new value is revision 2 with its reason, the same value again changes nothing', async () => {
    const deps = ctx.deps(NOW);
    const ids = await withDemoOrganisation(deps);
    const { prisma } = ctx.db();
    const figure = { indicatorId: ids.get('tech_upgrade_investment') ?? -1, period: { year: 2018, month: 3 }, channel: 'telegram' };
    const record = (value: string, extra: { reason?: string; at: Date }) =>
      prisma.$transaction((tx) => recordFigure(tx, { ...figure, value: dec(value), ...extra }));

    expect(await record('0.35', { at: new Date('2018-03-28T01:00:00Z') })).toEqual({ status: 'created', revision: 1 });
    expect(await record('0.53', { reason: '数字颠倒', at: new Date('2018-04-02T01:00:00Z') })).toEqual({ status: 'revised', revision: 2, previous: '0.35' });
    expect(await record('0.530', { reason: 'again', at: new Date('2018-04-03T01:00:00Z') })).toEqual({ status: 'unchanged', revision: 2 });

    const submission = await prisma.submission.findUniqueOrThrow({
      where: { indicatorId_year_month: { indicatorId: figure.indicatorId, year: 2018, month: 3 } },
      include: { revisions: { orderBy: { revision: 'asc' } } },
    });
    expect([submission.value.toString(), submission.revision]).toEqual(['0.53', 2]);
    expect(submission.revisions.map((r) => [r.revision, r.value.toString(), r.reason, r.channel, r.createdAt.toISOString()])).toEqual([
      [1, '0.35', null, 'telegram', '2018-03-28T01:00:00.000Z'],
      [2, '0.53', '数字颠倒', 'telegram', '2018-04-02T01:00:00.000Z'],
    ]);
  });

  it('stores a correction from 10 to 1 as a new revision', async () => {
    const deps = ctx.deps(NOW);
    const ids = await withDemoOrganisation(deps);
    const figure = { indicatorId: ids.get('new_5g_sites') ?? -1, period: { year: 2018, month: 5 }, channel: 'telegram', at: NOW };
    const record = (value: string, reason?: string) =>
      ctx.db().prisma.$transaction((tx) => recordFigure(tx, { ...figure, value: dec(value), reason }));
    await record('10');
    expect(await record('1', '多打了一个0')).toEqual({ status: 'revised', revision: 2, previous: '10' });
  });

  it('keeps the note of a figure corrected without one, and takes a new note when one is given', async () => {
    const deps = ctx.deps(NOW);
    const ids = await withDemoOrganisation(deps);
    const { prisma } = ctx.db();
    const figure = { indicatorId: ids.get('industrial_investment') ?? -1, period: { year: 2018, month: 6 }, channel: 'telegram', at: NOW };
    const record = (value: string, extra: { note?: string; reason?: string } = {}) =>
      prisma.$transaction((tx) => recordFigure(tx, { ...figure, value: dec(value), ...extra }));
    await record('3.95', { note: '含省补资金1.2亿' });
    expect(await record('3.98', { reason: '漏计一笔' })).toMatchObject({ status: 'revised', revision: 2 });
    expect(await record('4.01', { note: '含省补资金1.3亿', reason: '补资金' })).toMatchObject({ status: 'revised', revision: 3 });
    const revisions = await prisma.submissionRevision.findMany({
      where: { submission: { indicatorId: figure.indicatorId, year: 2018, month: 6 } },
      orderBy: { revision: 'asc' },
    });
    expect(revisions.map((r) => [r.value.toString(), r.note])).toEqual([
      ['3.95', '含省补资金1.2亿'],
      ['3.98', '含省补资金1.2亿'],
      ['4.01', '含省补资金1.3亿'],
    ]);
  });

  it('says when a figure it changes was someone\'s correction in chat, which the file undoes', async () => {
    const deps = ctx.deps(NOW);
    const ids = await withDemoOrganisation(deps);
    const { prisma } = ctx.db();
    const wang = await prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
    const figure = { indicatorId: ids.get('industrial_investment') ?? -1, period: { year: 2016, month: 10 }, at: NOW };
    await prisma.$transaction((tx) => recordFigure(tx, { ...figure, value: dec('11.5'), channel: 'import' }));
    await prisma.$transaction((tx) => recordFigure(tx, { ...figure, value: dec('11.52'), channel: 'telegram', memberId: wang.id, reason: '统计局口径调整' }));
    const stale = await importFile(deps, 'stale.csv', 'indicator,period,value\nindustrial_investment,2016-10,11.5\nindustrial_investment,2016-09,10.1\n');
    expect(stale.ok && stale.value.changes).toEqual([
      { indicatorKey: 'industrial_investment', period: { year: 2016, month: 10 }, from: '11.52', to: '11.5', corrected: { by: '王明', reason: '统计局口径调整' } },
    ]);
    // Changed again by a file, it is the file's figure that is replaced, nobody's correction.
    const again = await importFile(deps, 'again.csv', 'indicator,period,value\nindustrial_investment,2016-10,11.6\n');
    expect(again.ok && again.value.changes).toEqual([{ indicatorKey: 'industrial_investment', period: { year: 2016, month: 10 }, from: '11.5', to: '11.6' }]);
  });

  it('imports nothing from a CSV with a problem, and lists every problem with its line', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const auditRows = await ctx.db().prisma.auditLog.count();
    const csv = [
      'indicator,period,value,unit',
      '工业技改投资,2017-01,0.10,亿元',
      '无此指标,2017-02,1,',
      '技改,2017-13,0.2,',
      '工投,2017-03,abc,',
      '新增规上企业,2017-04,2,亿元',
    ].join('\n');
    const result = await importFile(deps, 'with-problems.csv', csv);
    // Every problem, each once, in file order; toMatchObject on an array also checks its length.
    expect(result).toMatchObject({
      ok: false,
      error: [
        { line: 3, column: 'indicator', code: 'unknown_indicator' },
        { line: 4, column: 'period', code: 'bad_period' },
        { line: 5, column: 'value', code: 'bad_value' },
        { line: 6, column: 'unit', code: 'unit_mismatch' },
      ],
    });
    expect(await ctx.db().prisma.submission.count({ where: { year: 2017 } })).toBe(0);
    expect(await ctx.db().prisma.auditLog.count()).toBe(auditRows);
  });

  it('imports a CSV saved by Excel on Chinese Windows (GBK), and full-width digits as the chat reads them', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    // '指标,期间,数值,单位\r\n技改,2017-05,2.05,亿元\r\n' as GBK bytes (no BOM, not UTF-8).
    const gbk = Buffer.from('d6b8b1ea2cc6dabce42ccafdd6b52cb5a5cebb0d0abcbcb8c42c323031372d30352c322e30352cd2dad4aa0d0a', 'hex');
    expect(await importFile(deps, 'gbk.csv', gbk)).toMatchObject({ ok: true, value: { count: 1, created: 1 } });
    expect(await importFile(deps, 'wide.csv', 'indicator,period,value\n新增规上企业,2017-06,１２\n')).toMatchObject({ ok: true, value: { created: 1 } });
    const stored = await ctx.db().prisma.submission.findMany({ where: { year: 2017 }, orderBy: { month: 'asc' }, select: { month: true, value: true } });
    expect(stored.map((row) => [row.month, row.value.toString()])).toEqual([[5, '2.05'], [6, '12']]);
  });

  it('loads the 228 illustrative demo figures, and loading them again leaves every one unchanged', async () => {
    const deps = ctx.deps(NOW);
    await withDemoOrganisation(deps);
    const first = await loadDemoFigures(deps, 'test');
    expect(first).toMatchObject({ ok: true, value: { count: 228, revised: 0 } });
    expect(first.ok && first.value.created + first.value.unchanged).toBe(228);
    const revisions = await ctx.db().prisma.submissionRevision.count();

    expect(await loadDemoFigures(deps, 'test')).toEqual({ ok: true, value: { count: 228, created: 0, revised: 0, unchanged: 228, changes: [], added: [], notesOnly: 0, queried: [], unmarked: [], dryRun: false } });
    expect(await ctx.db().prisma.submissionRevision.count()).toBe(revisions);
    expect(await ctx.db().prisma.submission.count({ where: { year: 2019 } })).toBe(4 * 12);
    expect(await ctx.db().prisma.submission.count({ where: { year: 2020 } })).toBe(15 * 12);
  });

  it.each<['xlsx' | 'csv', Locale]>([
    ['xlsx', 'zh-CN'],
    ['csv', 'zh-CN'],
    ['xlsx', 'en'],
    ['csv', 'en'],
  ])('exports 2020 as %s (%s headers) that re-imports as all unchanged', async (format, locale) => {
    const deps = ctx.deps(NOW);
    await withDemoFigures(deps);
    const revisions = await ctx.db().prisma.submissionRevision.count();
    const exported = await exportYear(deps, { year: 2020, format, t: translator(locale), locale });
    expect(exported.count).toBe(180);

    // Re-imported once the year is over (at NOW, in November 2020, its December would be a month to come).
    const afterTheYear = ctx.deps(new Date('2021-01-15T02:00:00Z'));
    const result = await importFile(afterTheYear, `figures-2020-${locale}.${format}`, exported.content);
    expect(result).toEqual({ ok: true, value: { count: 180, created: 0, revised: 0, unchanged: 180, changes: [], added: [], notesOnly: 0, queried: [], unmarked: [], dryRun: false } });
    expect(await ctx.db().prisma.submissionRevision.count()).toBe(revisions);
  });

  it('exports every figure exactly as stored, with its note, and names who or what submitted it and when, on the bureau\'s clock', async () => {
    const deps = ctx.deps(NOW);
    await withDemoFigures(deps);
    const exported = await exportYear(deps, { year: 2020, format: 'csv', t: translator('en'), locale: 'en' });
    const lines = exported.content.toString('utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFFindicator,period,value,unit,note,submitted_by,submitted_at');
    expect(lines).toContain('tech_upgrade_investment,2020-10,2.05,亿元,,demo data,2020-11-25T10:00:00+08:00');
    expect(lines.some((line) => line.startsWith('new_above_scale_firms,') && line.includes('博昇乐'))).toBe(true);
    // Who, in the reader's words when no member submitted it.
    const zh = await exportYear(deps, { year: 2020, format: 'csv', t: translator('zh-CN'), locale: 'zh-CN' });
    expect(zh.content.toString('utf8').split('\r\n')).toContain('tech_upgrade_investment,2020-10,2.05,亿元,,示例数据,2020-11-25T10:00:00+08:00');
  });
});
