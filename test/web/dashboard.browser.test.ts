import { existsSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { createDashboardLink } from '../../src/app/dashboard-login.js';
import { CHART_COLOURS } from '../../src/app/reports/chart-style.js';
import { dashboardProgress, indicatorHistory, sectionsReporting } from '../../src/app/dashboard-view.js';
import type { AppDeps } from '../../src/app/deps.js';
import { createWebChannel } from '../../src/channels/web/web-adapter.js';
import { translator } from '../../src/core/i18n.js';
import { formatFigure, formatPercent } from '../../src/core/progress.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { type BotHttpServer, createHttpServer } from '../../src/http-server.js';
import { dashboardLink, mountDashboard } from '../../src/web/dashboard.js';
import { withDemoFigures } from '../helpers/databases.js';
import { docxParagraphs } from '../helpers/documents.js';
import { buildAnnualReport } from '../../src/app/reports/annual-report.js';
import { buildBulletin } from '../../src/app/reports/bulletin.js';
import { readFile } from 'node:fs/promises';

/*
 * The dashboard and the simulator in a real browser (Debian's chromium driven by playwright-core), against
 * the real HTTP server on an ephemeral port, the real chat runtime and an embedded database holding the
 * demo bureau's figures, with December 2020 not reported yet and the clock on 25 December 2020.
 */

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI !== 'true') {
  console.warn(`chromium not found at ${CHROMIUM} — dashboard browser tests skipped (apt-get install chromium)`);
}

const NOW = new Date('2020-12-25T02:00:00Z');
const zh = translator('zh-CN');
const en = translator('en');

(haveChromium || process.env.CI === 'true' ? describe : describe.skip)('the web dashboard in a browser', () => {
  let database: Database;
  let deps: AppDeps;
  let http: BotHttpServer;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  let browser: Browser;
  let base = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`chromium is required in CI (${CHROMIUM}); .ci/run installs it`);
    database = await openDatabase({ dataDir: 'memory://' });
    deps = { prisma: database.prisma, now: () => NOW };
    await withDemoFigures(deps);
    await database.prisma.submissionRevision.deleteMany({ where: { submission: { year: 2020, month: 12 } } });
    await database.prisma.submission.deleteMany({ where: { year: 2020, month: 12 } });
    const web = createWebChannel();
    http = createHttpServer({ port: 0, host: '127.0.0.1' });
    mountDashboard(http, { deps, web });
    runtime = await startChatRuntime({
      prisma: database.prisma,
      adapters: [web],
      now: deps.now,
      sweepIntervalMs: 0,
      soleSender: true,
      dashboardLink: (token) => dashboardLink(base, token),
    });
    const address = await http.listen();
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await http?.close();
    await runtime?.stop();
    await database?.close();
  });

  async function newPage(options: { width?: number; height?: number } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1100, height: options.height ?? 900 } });
    contexts.push(context);
    return context.newPage();
  }

  async function linkFor(memberKey: string, now = NOW): Promise<string> {
    const made = await createDashboardLink(database.prisma, { memberKey, actor: 'test', now });
    if (!made.ok) throw new Error(made.error);
    return dashboardLink(base, made.value.token);
  }

  async function signIn(page: Page, link: string): Promise<void> {
    await page.goto(link);
    await page.click('#sign-in');
    await page.waitForURL(`${base}/dashboard`);
  }

  /** Names of the organisation that a page for strangers must not show. */
  async function secrets(): Promise<string[]> {
    const indicators = await database.prisma.indicator.findMany();
    const sections = await database.prisma.section.findMany();
    const organisation = await database.prisma.organisation.findFirstOrThrow();
    return [organisation.name, ...indicators.flatMap((i) => [i.name, i.nameEn]), ...sections.flatMap((s) => (s.nameEn ? [s.name, s.nameEn] : [s.name]))];
  }

  async function expectRefused(page: Page, status: number | undefined): Promise<void> {
    expect(status).toBe(401);
    const text = await page.locator('body').innerText();
    expect(text).toContain(zh('dashboard.refused_body'));
    for (const secret of await secrets()) expect(text).not.toContain(secret);
  }

  it('refuses every page without a session, showing nothing of the organisation', async () => {
    const page = await newPage();
    for (const path of ['/dashboard', '/dashboard/indicator?key=tech_upgrade_investment', '/dashboard/download/workbook', '/dashboard/simulator']) {
      const response = await page.goto(`${base}${path}`);
      await expectRefused(page, response?.status());
    }
    const unknown = await page.goto(`${base}/dashboard/login?token=made-up`);
    await expectRefused(page, unknown?.status());
  });

  it('refuses a link used once already, and one past its time', async () => {
    const link = await linkFor('director');
    await signIn(await newPage(), link);
    const second = await newPage();
    await expectRefused(second, (await second.goto(link))?.status());

    const stale = await linkFor('director', new Date(NOW.getTime() - 31 * 60_000));
    const third = await newPage();
    await expectRefused(third, (await third.goto(stale))?.status());
  });

  it('signs out: the session is over and the dashboard refused again', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'baoshu_session');
    if (!cookie) throw new Error('no session cookie');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/dashboard' });
    await page.click('header form button');
    await expect(page.locator('body').innerText()).resolves.toContain(zh('dashboard.signed_out'));
    await expectRefused(page, (await page.goto(`${base}/dashboard`))?.status());
    // The old cookie, sent again by hand, opens nothing either.
    await page.context().addCookies([{ ...cookie, expires: -1 }]);
    await expectRefused(page, (await page.goto(`${base}/dashboard`))?.status());
  });

  it('shows every indicator against 序时进度 as a chart and a table, behind schedule first', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const report = await dashboardProgress(deps, {});
    const latest = Math.max(...report.items.map((item) => item.throughMonth ?? 0));
    const heading = zh('dashboard.progress_heading', { year: report.year, month: latest });
    await expect(page.locator('h2').first().innerText()).resolves.toBe(heading);

    const rows = page.locator('#progress-table tbody tr');
    expect(await rows.evaluateAll((list) => list.map((row) => row.getAttribute('data-key')))).toEqual(report.items.map((item) => item.indicator.key));
    const first = report.items[0];
    if (!first?.rate || first.gap?.status !== 'behind') throw new Error('the demo data should have an indicator behind schedule');
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells[0]).toBe(first.indicator.name);
    expect(cells[3]).toBe(`${formatPercent(first.rate)}%`);
    expect(cells[5]).toContain(zh('dashboard.status_behind', { points: formatPercent(first.gap.points) }));
    // A target as it was set and as the chat says it (21 亿元), a figure with the indicator's decimals.
    const investment = await page.locator('#progress-table tr[data-key="industrial_investment"] td').allInnerTexts();
    expect(investment[1]).toMatch(/^\d+\.\d\d 亿元$/);
    expect(investment[2]).toBe('21 亿元');
    await expect(page.locator('#progress-table thead th').nth(1).innerText()).resolves.toBe('完成数');

    const chart = page.locator('#progress-chart');
    await page.waitForSelector('#progress-chart[data-drawn="true"]');
    const png = PNG.sync.read(await chart.screenshot());
    if (process.env.DASHBOARD_SCREENSHOTS) await page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/overview.png`, fullPage: true });
    let drawn = 0;
    let red = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r = 255, g = 255, b = 255] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (r < 235 || g < 235 || b < 235) drawn += 1;
      if (r > 170 && g < 90 && b < 90) red += 1;
    }
    const pixels = png.width * png.height;
    // Bars, axes and labels cover a good part of the box; behind-schedule bars are red.
    expect(drawn / pixels).toBeGreaterThan(0.03);
    expect(red).toBeGreaterThan(200);
    // The legend, along the top, shows completion in both colours with their meaning, and the 序时进度 mark:
    // the documents' chart's colours (chart-style.ts).
    const legend = { rate: 0, behind: 0, elapsed: 0 };
    const rgb = (hex: string) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
    const near = (pixel: number[], hex: string) => rgb(hex).every((value, index) => Math.abs((pixel[index] ?? 255) - value) <= 8);
    for (let i = 0; i < png.width * 28 * 4; i += 4) {
      const pixel = [png.data[i] ?? 255, png.data[i + 1] ?? 255, png.data[i + 2] ?? 255];
      if (near(pixel, CHART_COLOURS.rate)) legend.rate += 1;
      if (near(pixel, CHART_COLOURS.behind)) legend.behind += 1;
      if (near(pixel, CHART_COLOURS.elapsed)) legend.elapsed += 1;
    }
    expect(legend.rate).toBeGreaterThan(50);
    expect(legend.behind).toBeGreaterThan(50);
    expect(legend.elapsed).toBeGreaterThan(10);
  });

  it('charts only the indicators with a completion rate, says under it how many are left out and why, and cuts no name', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    await page.waitForSelector('#progress-chart[data-drawn="true"]');
    const report = await dashboardProgress(deps, {});
    const rated = report.items.filter((item) => item.rate !== undefined);
    const noFigure = report.items.filter((item) => item.ytd === undefined).length;
    const noTarget = report.items.length - rated.length - noFigure;
    // The demo bureau: 7 indicators with a target, 8 without (they were 8 empty bars).
    expect([rated.length, noTarget, noFigure]).toEqual([7, 8, 0]);
    const data = JSON.parse((await page.textContent('#chart-data')) ?? '{}') as { labels: string[]; rate: string[]; colours: object; names: { elapsed: string } };
    expect(data.labels).toEqual(rated.map((item) => item.indicator.name));
    expect(data.rate).toEqual(rated.map((item) => formatPercent(item.rate!)));
    expect(data.colours).toEqual(CHART_COLOURS);
    // Every indicator's 序时进度 is 11/12 of the year: said once, in the legend.
    expect(data.names.elapsed).toBe(zh('dashboard.chart_elapsed_at', { elapsed: '91.67' }));
    await expect(page.locator('#chart-left-out').innerText()).resolves.toBe(
      zh('dashboard.chart_left_out', { count: 8, reasons: zh('dashboard.chart_left_out_no_target', { count: 8 }) }),
    );

    for (const width of [1100, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      type Box = { left: number; right: number; top: number; bottom: number };
      const drawn = await page.evaluate<{ frame: Box; texts: Array<Box & { text: string }>; marks: Box[] }>(`(() => {
        const chart = document.querySelector('#progress-chart svg');
        const frame = chart.getBoundingClientRect();
        const box = (element) => {
          const rect = element.getBoundingClientRect();
          return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
        };
        return {
          frame: box(chart),
          texts: [...chart.querySelectorAll('text')].map((text) => ({ text: text.textContent || '', ...box(text) })),
          // The 序时进度 marks in the plot (26 px high; the legend's icon is 14).
          marks: [...chart.querySelectorAll('path')].filter((path) => path.getAttribute('fill') === '${CHART_COLOURS.elapsed}' && path.getBoundingClientRect().height > 20).map(box),
        };
      })()`);
      // Each name whole (on one line or broken into several, in order), no "…", and inside the chart.
      const text = drawn.texts.map((each) => each.text).join('');
      for (const item of rated) expect(text).toContain(item.indicator.name);
      expect(text).not.toContain('…');
      for (const each of drawn.texts) {
        expect(each.left).toBeGreaterThanOrEqual(drawn.frame.left - 1);
        expect(each.right).toBeLessThanOrEqual(drawn.frame.right + 1);
      }
      // No value label on a 序时进度 mark (100% against 100% sat right on it). A level (R&D's share) has no mark.
      expect(drawn.marks).toHaveLength(rated.filter((item) => item.gap !== undefined).length);
      expect(rated.some((item) => item.gap === undefined)).toBe(true);
      const values = drawn.texts.filter((each) => data.rate.some((rate) => `${rate}%` === each.text) && each.top > drawn.frame.top + 24 && each.bottom < drawn.frame.bottom - 24);
      expect(values).toHaveLength(rated.length);
      for (const label of values) {
        for (const mark of drawn.marks) {
          const overlap = label.left < mark.right && mark.left < label.right && label.top < mark.bottom && mark.top < label.bottom;
          expect(overlap, `${label.text} on a mark at ${width}px`).toBe(false);
        }
      }
    }
  });

  it('shows 序时进度 in the table only beside a completion rate, not beside 未设目标', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const report = await dashboardProgress(deps, {});
    for (const item of report.items) {
      const cells = await page.locator(`#progress-table tr[data-key="${item.indicator.key}"] td`).allInnerTexts();
      if (item.rate === undefined) {
        expect(cells[5]).toBe(item.ytd === undefined ? zh('dashboard.no_figure') : zh('dashboard.no_target'));
        expect(cells[4]).toBe('');
      } else {
        // A level is measured against its target only: no 序时进度 beside its rate either.
        expect(cells[4]).toBe(item.indicator.kind === 'level' ? '' : `${formatPercent(item.elapsed)}%`);
      }
    }
    expect(report.items.filter((item) => item.rate === undefined && item.ytd !== undefined).length).toBeGreaterThan(0);
  });

  it('has an icon for the browser tab on every page, inline, so no /favicon.ico is asked for', async () => {
    const page = await newPage();
    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(`${base}/dashboard`);
    const refused = await page.getAttribute('link[rel="icon"]', 'href');
    await signIn(page, await linkFor('director'));
    const signedIn = await page.getAttribute('link[rel="icon"]', 'href');
    expect(refused).toBe(signedIn);
    expect(signedIn).toMatch(/^data:image\/svg\+xml,/);
    // The icon is a picture the browser can draw.
    const size = await page.evaluate<number[]>(`(async () => {
      const image = new Image();
      image.src = ${JSON.stringify(signedIn)};
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    })()`);
    expect(size[0]).toBeGreaterThan(0);
    expect(asked).not.toContain('/favicon.ico');
  });

  it('says which sections have reported the current period', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('deputy'));
    const reporting = await sectionsReporting(deps);
    expect(reporting.period).toEqual({ year: 2020, month: 12 });
    const items = page.locator('#sections li');
    expect(await items.count()).toBe(reporting.sections.length);
    for (const section of reporting.sections) {
      const text = await page.locator(`#sections li[data-section="${section.key}"]`).innerText();
      expect(text).toContain(section.name);
      expect(text).toContain(
        section.missing === 0 ? zh('dashboard.section_done') : zh('dashboard.section_missing', { missing: section.missing, total: section.indicators }),
      );
    }
  });

  it("shows one indicator's months beside last year's", async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    await page.click('#progress-table a[href*="key=tech_upgrade_investment"]');
    const history = await indicatorHistory(deps, 'tech_upgrade_investment', 2020);
    if (!history) throw new Error('no history');
    await expect(page.locator('h2').innerText()).resolves.toBe(zh('dashboard.history_heading', { name: '工业技改投资' }));
    const rows = await page.locator('#history tbody tr').evaluateAll((list) => list.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)));
    expect(rows).toHaveLength(12);
    const cell = (value: (typeof history.months)[number]) => (value === undefined ? '' : formatFigure(value, 2));
    expect(rows.map((row) => row[1])).toEqual(history.months.map(cell));
    expect(rows.map((row) => row[2])).toEqual(history.lastYear.map(cell));
    expect(rows[10]?.[1]).not.toBe('');
    expect(rows[10]?.[2]).not.toBe('');
    expect(rows[11]?.[1]).toBe('');
  });

  it('downloads the year as a workbook that reads back', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a')]);
    // Named as the chat names it (the header's filename*), not by the ASCII stand-in.
    expect(download.suggestedFilename()).toBe('乐昌市工业和信息化局-2020.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheets = [zh('reports.workbook.sheet_summary'), zh('reports.workbook.sheet_monthly'), zh('reports.workbook.sheet_figures'), zh('reports.workbook.sheet_history')];
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(sheets);
    // A header, then one row per stored figure of the year.
    const stored = await database.prisma.submission.count({ where: { year: 2020 } });
    expect(stored).toBeGreaterThanOrEqual(11 * 15);
    expect(workbook.getWorksheet(zh('reports.workbook.sheet_figures'))?.actualRowCount).toBe(1 + stored);
  });

  it('downloads the bulletin and the annual draft of the year shown as .docx files written from the figures', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    // Offered by its month: one bulletin, not the year's.
    expect(await page.textContent('#downloads a[href*="bulletin"]')).toBe('2020年12月指标完成情况通报（.docx）');
    const [bulletin] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a[href*="bulletin"]')]);
    expect(bulletin.suggestedFilename()).toBe('乐昌市工业和信息化局2020年12月主要指标完成情况通报.docx');
    // The year shown is the current one: the bulletin of the period being reported now (December 2020,
    // with figures to November), as the builder writes it.
    const bulletinText = await docxParagraphs(await readFile(await bulletin.path()));
    expect(bulletinText).toEqual(await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 12 }, locale: 'zh-CN' })));
    expect(bulletinText.join('\n')).toContain('1-11月我市完成工业投资');
    const [annual] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a[href*="annual-report"]')]);
    expect(annual.suggestedFilename()).toBe('乐昌市工业和信息化局2020年度部门整体支出绩效自评报告（初稿）.docx');
    const annualText = await docxParagraphs(await readFile(await annual.path()));
    expect(annualText).toEqual(await docxParagraphs(await buildAnnualReport(deps, { year: 2020, locale: 'zh-CN' })));
    expect(annualText.join('\n')).toContain('完成韶关下达年度目标任务（21亿元）');
  });

  it('says so for a year it has nothing for, instead of quietly showing or sending another year', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    // The clock is in 2020: 2000–2021 can be asked for (next year's targets may be set already).
    for (const path of ['/dashboard?year=abc', '/dashboard?year=2020.5', '/dashboard?year=1e3', '/dashboard?year=1999', '/dashboard?year=2100', '/dashboard/download/annual-report?year=1999']) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status()).toBe(400);
      const asked = new URL(path, base).searchParams.get('year');
      await expect(page.locator('main').innerText()).resolves.toContain(`没有“${asked}”年的数据：可查 2000–2021 年。`);
    }
    expect((await page.goto(`${base}/dashboard?year=2019`))?.status()).toBe(200);
    await expect(page.locator('main').innerText()).resolves.toContain('2019');
  });

  it('fits a phone screen 375 px wide', async () => {
    const page = await newPage({ width: 375, height: 740 });
    await signIn(page, await linkFor('director'));
    await page.waitForSelector('#progress-chart[data-drawn="true"]');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    if (process.env.DASHBOARD_SCREENSHOTS) await page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/phone.png`, fullPage: true });
    const box = await page.locator('#progress-chart').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
    // The table as a card a row: every value on the screen beside its label, none off to the right.
    const rate = page.locator('#progress-table tr[data-key="tech_upgrade_investment"] td[data-label="完成率"]');
    const rateBox = await rate.boundingBox();
    expect((rateBox?.x ?? 0) + (rateBox?.width ?? 0)).toBeLessThanOrEqual(375);
    // In the page, where the DOM's getComputedStyle is (this file is compiled without the DOM's types).
    const before = (cell: unknown) =>
      (globalThis as unknown as { getComputedStyle(element: unknown, pseudo: string): { content: string } }).getComputedStyle(cell, '::before').content;
    expect(await rate.evaluate(before)).toBe('"完成率"');
    expect(await rate.innerText()).toMatch(/\d%$/);
  });

  it('speaks English to a member whose locale is en', async () => {
    await database.prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'en' } });
    try {
      const page = await newPage();
      await signIn(page, await linkFor('deputy'));
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      const report = await dashboardProgress(deps, {});
      const latest = Math.max(...report.items.map((item) => item.throughMonth ?? 0));
      await expect(page.locator('h2').first().innerText()).resolves.toBe(
        en('dashboard.progress_heading', { year: report.year, monthName: en(`month_names.${latest}` as never) }),
      );
      await expect(page.locator('#progress-table tbody tr').first().locator('td').first().innerText()).resolves.toBe(report.items[0]?.indicator.nameEn);
      await page.waitForSelector('#progress-chart[data-drawn="true"]');
      if (process.env.DASHBOARD_SCREENSHOTS) await page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOTS}/overview-en.png`, fullPage: true });
      // The long English names whole in the chart, and the line under it in English.
      const chartText = (await page.locator('#progress-chart svg text').allTextContents()).join('').replace(/\s/g, '');
      for (const item of report.items.filter((each) => each.rate !== undefined)) expect(chartText).toContain(item.indicator.nameEn?.replace(/\s/g, ''));
      await expect(page.locator('#chart-left-out').innerText()).resolves.toBe(
        en('dashboard.chart_left_out', { count: 8, reasons: en('dashboard.chart_left_out_no_target', { count: 8 }) }),
      );
      await expect(page.locator('#sections li[data-section="sci_plan"]').innerText()).resolves.toMatch(/^Science and Technology Planning Section\n/);
    } finally {
      await database.prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'zh-CN' } });
    }
  });

  it('lets an administrator chat as a director and as a section head, through the chat service', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('admin'));
    await page.goto(`${base}/dashboard/simulator?member=director`);
    await page.fill('#text', '技改完成率');
    await page.click('#say button');
    const answer = page.locator('#transcript p.bot').first();
    await answer.waitFor();
    const report = await dashboardProgress(deps, {}).then((r) => r.items.find((item) => item.indicator.key === 'tech_upgrade_investment'));
    if (!report?.rate) throw new Error('no rate');
    expect(await answer.innerText()).toContain(`完成年度目标 3 亿元的 ${formatPercent(report.rate)}%`);
    expect(await database.prisma.auditLog.findFirst({ where: { action: 'simulator.open', subject: 'web:director' } })).toMatchObject({ actor: 'admin' });

    await page.goto(`${base}/dashboard/simulator?member=li`);
    await page.fill('#text', '技改投资 2.9亿');
    await page.click('#say button');
    await page.locator('#transcript p.bot').first().waitFor();
    expect(await page.locator('#transcript p.bot').first().innerText()).toContain('确认提交');
    expect(await database.prisma.submission.count({ where: { year: 2020, month: 12 } })).toBe(0);
    await page.fill('#text', '确认');
    await page.click('#say button');
    await page.locator('#transcript p.bot').nth(1).waitFor();
    const stored = await database.prisma.submission.findFirst({ where: { year: 2020, month: 12, indicator: { key: 'tech_upgrade_investment' } } });
    expect(stored?.value.toString()).toBe('2.9');
  });

  it('gives a director who asks for 看板 in chat a link that signs them in', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('admin'));
    await page.goto(`${base}/dashboard/simulator?member=deputy`);
    await page.fill('#text', '看板');
    await page.click('#say button');
    const reply = page.locator('#transcript p.bot').first();
    await reply.waitFor();
    const link = /http:\/\/127\.0\.0\.1:\d+\/dashboard\/login\?token=[\w-]+/.exec(await reply.innerText())?.[0];
    if (!link) throw new Error(`no link in: ${await reply.innerText()}`);
    const director = await newPage();
    await signIn(director, link);
    await expect(director.locator('header .who').innerText()).resolves.toBe('吴建国');

    await page.fill('#text', '帮助');
    await page.click('#say button');
    await expect(page.locator('#transcript p.bot').nth(1).innerText()).resolves.toContain(zh('dashboard.help'));

    await page.goto(`${base}/dashboard/simulator?member=wang`);
    await page.fill('#text', '看板');
    await page.click('#say button');
    await expect(page.locator('#transcript p.bot').first().innerText()).resolves.toBe(zh('dashboard.chat_not_allowed'));
  });

  it('says which months an increment indicator’s sum leaves out', async () => {
    // February's 5G sites never reported: 1–11月 is then not the whole of those months.
    await database.prisma.submissionRevision.deleteMany({ where: { submission: { year: 2020, month: 2, indicator: { key: 'new_5g_sites' } } } });
    await database.prisma.submission.deleteMany({ where: { year: 2020, month: 2, indicator: { key: 'new_5g_sites' } } });
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const cells = await page.locator('#progress-table tr[data-key="new_5g_sites"] td').allInnerTexts();
    // Through November; past the heading's month only if a test before reported December of another indicator.
    const heading = Number(/完成情况（截至(\d+)月）/.exec(await page.locator('body').innerText())?.[1]);
    expect(cells[1]).toBe(`${/^\d+/.exec(cells[1] ?? '')?.[0]} 个（2月未报送）${heading === 11 ? '' : ' （截至11月）'}`);
  });

  it('says the month a row stops at when it is before the heading’s: its rate and 序时进度 are that month’s', async () => {
    // November's 5G sites not in either: the row is through October, the heading later.
    await database.prisma.submissionRevision.deleteMany({ where: { submission: { year: 2020, month: 11, indicator: { key: 'new_5g_sites' } } } });
    await database.prisma.submission.deleteMany({ where: { year: 2020, month: 11, indicator: { key: 'new_5g_sites' } } });
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    expect(Number(/完成情况（截至(\d+)月）/.exec(await page.locator('body').innerText())?.[1])).toBeGreaterThan(10);
    const cells = await page.locator('#progress-table tr[data-key="new_5g_sites"] td').allInnerTexts();
    // November, due and not in, is named with February (the test before removed it).
    expect(cells[1]).toMatch(/^\d+ 个（2月、11月未报送） （截至10月）$/);
  });

  it('measures a level (a share) against its target, with no 序时进度 in its row', async () => {
    const page = await newPage();
    await signIn(page, await linkFor('director'));
    const cells = await page.locator('#progress-table tr[data-key="rd_share_of_gdp"] td').allInnerTexts();
    expect(cells[3]).toMatch(/^\d+(\.\d+)?%$/);
    expect(cells[4]).toBe('');
    expect(cells[5]).toMatch(/^距目标还差 0\.\d\d 个百分点$/);
    // In the chart: a grey bar of its own kind, no 序时进度 mark.
    const data = JSON.parse((await page.textContent('#chart-data')) ?? '{}') as { labels: string[]; kind: string[]; elapsed: Array<string | null> };
    const at = data.labels.indexOf('R&D经费占GDP比重');
    expect([data.kind[at], data.elapsed[at]]).toEqual(['level', null]);
    expect(data.kind.filter((kind) => kind === 'level')).toHaveLength(1);
  });
});
