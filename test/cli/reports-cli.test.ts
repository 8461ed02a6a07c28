import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../helpers/cli.js';
import { docxParagraphs } from '../helpers/documents.js';

/* `npm run cli -- bulletin` and `annual-report`, in-process on one embedded database with the demo data. */

describe('the document commands of the admin CLI', () => {
  let dir: string;
  let cli: ReturnType<typeof cliOn>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baoshu-reports-cli-'));
    cli = cliOn(path.join(dir, 'data'), { now: new Date('2026-11-25T02:00:00Z'), cwd: dir });
    expect((await cli('demo-data')).code).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the 2020 self-evaluation draft with the seed\'s figures', async () => {
    const result = await cli('annual-report', '--year', '2020', '--out', 'draft-2020.docx');
    expect(result).toMatchObject({ code: 0, out: `已生成 2020 年度部门整体支出绩效自评报告初稿：${path.join(dir, 'draft-2020.docx')}` });
    const text = (await docxParagraphs(await readFile(path.join(dir, 'draft-2020.docx')))).join('\n');
    for (const figure of ['25.15亿元', '同比增长33.7%', '119.76%', '2.43亿元', '同比增长34.1%', '的81%', '0.50%', '75.76%']) expect(text).toContain(figure);
  });

  it('writes a month\'s bulletin', async () => {
    const result = await cli('bulletin', '--period', '2020-10', '--out', 'bulletin.docx');
    expect(result).toMatchObject({ code: 0, out: `已生成 2020年10月 通报：${path.join(dir, 'bulletin.docx')}` });
    const paragraphs = await docxParagraphs(await readFile(path.join(dir, 'bulletin.docx')));
    expect(paragraphs[0]).toBe('乐昌市工业和信息化局2020年10月主要指标完成情况通报');
  });

  it('refuses the bulletin of a month whose reporting has not started, writing nothing', async () => {
    const result = await cli('bulletin', '--period', '2026-12', '--out', 'december.docx');
    expect(result).toMatchObject({ code: 1, out: '2026年12月 的报送还没开始（现在报送的是 2026年11月），还不能出这个月的通报。' });
    await expect(readFile(path.join(dir, 'december.docx'))).rejects.toThrow(/ENOENT/);
  });

  it('drafts, without --year, last year’s self-evaluation in the first quarter and this year’s after', async () => {
    const inFebruary = cliOn(path.join(dir, 'data'), { now: new Date('2021-02-10T02:00:00Z'), cwd: dir });
    expect(await inFebruary('annual-report', '--out', 'february.docx')).toMatchObject({
      code: 0,
      out: `已生成 2020 年度部门整体支出绩效自评报告初稿：${path.join(dir, 'february.docx')}`,
    });
    const inApril = cliOn(path.join(dir, 'data'), { now: new Date('2021-04-01T02:00:00Z'), cwd: dir });
    expect((await inApril('annual-report', '--out', 'april.docx')).out).toContain('已生成 2021 年度');
  });

  it('exports, without --year, the year of the period being reported (last year in January until its window opens)', async () => {
    const early = cliOn(path.join(dir, 'data'), { now: new Date('2021-01-06T02:00:00Z'), cwd: dir });
    expect((await early('export', 'early.xlsx')).out).toMatch(/^已导出 2020 年/);
    const late = cliOn(path.join(dir, 'data'), { now: new Date('2021-01-25T02:00:00Z'), cwd: dir });
    expect((await late('export', 'late.xlsx')).out).toMatch(/^已导出 2021 年/);
  });

  it('asks for --out, and refuses a file that is not .docx', async () => {
    expect(await cli('bulletin', '--period', '2020-10')).toMatchObject({ code: 2, err: '缺少参数：--out <文件.docx>' });
    const wrong = await cli('annual-report', '--year', '2020', '--out', 'draft.xlsx', '--locale', 'en');
    expect(wrong).toMatchObject({ code: 1, out: `Give a .docx file name (--out file.docx): ${path.join(dir, 'draft.xlsx')}` });
  });
});
