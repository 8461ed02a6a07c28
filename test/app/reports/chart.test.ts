import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/app/deps.js';
import { PNG } from 'pngjs';
import {
  CHART_HEIGHT,
  CHART_LAYOUT,
  CHART_WIDTH,
  CJK_FONT_FAMILY,
  CJK_FONT_FILES,
  completionChartOption,
  findCjkFont,
  renderCompletionChart,
  resvgOptions,
} from '../../../src/app/reports/chart.js';
import { CHART_COLOURS, mostCommon, textWidth, wrapLabel } from '../../../src/app/reports/chart-style.js';
import { drawChartPng } from '../../../src/app/reports/chart-thread.js';
import { type ReportData, documentTranslator, measured, reportData } from '../../../src/app/reports/report-data.js';
import { indicatorName } from '../../../src/core/render.js';
import { type Database, openDatabase } from '../../../src/db/database.js';
import { withDemoFigures } from '../../helpers/databases.js';
import { decodePng } from '../../helpers/documents.js';

/*
 * The completion chart as a picture: rendered on the server, decoded here. Chinese text must come out as
 * glyphs: without a CJK font the renderer leaves text out or draws the same box for every character.
 * On a machine without the font these tests skip, saying so; in CI (CI=true) they fail instead.
 */

const NOW = new Date('2026-11-27T10:38:29.510Z');
const font = findCjkFont();
const required = process.env.CI === 'true';

if (!font && !required) console.warn(`no CJK font at ${CJK_FONT_FILES[0]} (apt-get install fonts-noto-cjk) — chart text tests skipped`);

/** One line of text in the configured family, as the chart writes its labels, drawn by the chart thread. */
const label = (text: string, fontFile: string | undefined) =>
  drawChartPng({
    option: { animation: false, title: { text, left: 10, top: 10, textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 32 } } },
    width: 240,
    height: 60,
    resvg: resvgOptions(fontFile),
  });

(font || required ? describe : describe.skip)(`the completion chart${font ? '' : ' [no CJK font installed]'}`, () => {
  let database: Database;
  let deps: AppDeps;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    deps = { prisma: database.prisma, now: () => NOW };
    await withDemoFigures(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  it('has a CJK font to draw Chinese with', () => {
    expect(font, `none of ${CJK_FONT_FILES.join(', ')} exists: apt-get install fonts-noto-cjk`).toBeDefined();
  });

  it('draws Chinese characters as their own glyphs, not as one box for all', async () => {
    const [a, b] = await Promise.all([label('完成率', font), label('序时进', font)]);
    const [first, second] = [decodePng(a), decodePng(b)];
    expect(first.inked()).toBeGreaterThan(200);
    expect(second.inked()).toBeGreaterThan(200);
    // Boxes (.notdef) look the same whatever the character; glyphs do not.
    expect(a.equals(b)).toBe(false);
    // Without any font the same text leaves no ink: the font is what draws it.
    expect(decodePng(await label('完成率', undefined)).inked()).toBe(0);
  });

  it('renders 2020\'s completion against 序时进度 as a 1000×560 PNG with its title drawn', async () => {
    const png = decodePng(await renderCompletionChart(deps, { year: 2020 }));
    expect([png.width, png.height]).toEqual([1000, 560]);
    expect(png.inked()).toBeGreaterThan(1000 * 560 * 0.02);
    const titleBox = { x: 150, y: 10, width: 700, height: 36 };
    expect(png.inked(titleBox)).toBeGreaterThan(500);
    const bare = decodePng(await renderCompletionChart(deps, { year: 2020, fontFile: null }));
    // The legend, under the title, shows completion in both of the bars' colours, blue on schedule, red
    // behind it (2020's 技改 at 81% and R&D at 75.76% against 100% of the year elapsed), and the 序时进度 mark.
    const legend = { x: 0, y: CHART_LAYOUT.legendTop, width: 1000, height: CHART_LAYOUT.legendHeight };
    expect(png.coloured(CHART_COLOURS.rate, legend)).toBeGreaterThan(100);
    expect(png.coloured(CHART_COLOURS.behind, legend)).toBeGreaterThan(100);
    expect(png.coloured(CHART_COLOURS.elapsed, legend)).toBeGreaterThan(30);
    // The same chart without the font has bars but no title: the title's ink is the font's.
    expect(bare.inked(titleBox)).toBeLessThan(png.inked(titleBox) / 10);
  });

  /** The option of 2020 (or through `month`), in `locale`, with `change` applied to the report's data first. */
  async function option(locale: 'zh-CN' | 'en', query: { month?: number } = {}, change: (data: ReportData) => ReportData = (data) => data) {
    const { t } = documentTranslator(locale);
    const data = change(await reportData(deps, { year: 2020, ...query }));
    return { data, option: completionChartOption(data, t, locale) as ChartOption };
  }

  it('sets a title too long for the picture (an English bureau\'s name) smaller, so that it stays whole', async () => {
    const zh = (await option('zh-CN')).option.title;
    expect(zh.textStyle.fontSize).toBe(CHART_LAYOUT.titleSize);
    const en = (await option('en')).option.title;
    expect(en.text).toMatch(/^Lechang Bureau of Industry and Information Technology: completion against time elapsed/);
    expect(en.textStyle.fontSize).toBeLessThan(CHART_LAYOUT.titleSize);
    expect(textWidth(en.text, en.textStyle.fontSize)).toBeLessThanOrEqual(CHART_WIDTH - 2 * CHART_LAYOUT.gridRight);
  });

  const draw = (option: object) => drawChartPng({ option, width: CHART_WIDTH, height: CHART_HEIGHT, resvg: resvgOptions(font) }).then((png) => PNG.sync.read(png));
  /** Pixels with ink, as indexes. */
  const ink = (png: PNG) => {
    const set = new Set<number>();
    for (let i = 0; i < png.width * png.height; i += 1) {
      const [r = 255, g = 255, b = 255] = png.data.subarray(i * 4, i * 4 + 3);
      if (r < 230 || g < 230 || b < 230) set.add(i);
    }
    return set;
  };
  /** The option with nothing drawn but what `keep` leaves: no title, legend, axes or grid lines. */
  const only = (option: ChartOption, keep: (series: ChartOption['series'][number]) => ChartOption['series'][number] | undefined): object => ({
    ...option,
    title: { show: false },
    legend: { show: false },
    xAxis: { ...option.xAxis, axisLabel: { show: false }, axisLine: { show: false }, axisTick: { show: false } },
    yAxis: { ...option.yAxis, name: '', axisLabel: { show: false }, splitLine: { show: false } },
    series: option.series.flatMap((series) => keep(series) ?? []),
  });

  it('keeps the indicators’ names out of the legend: the legend is above the plot, the names under it, none cut', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { data, option: chart } = await option(locale);
      // Boxes, in pixels from the top: the legend ends above the plot, the names start under it.
      expect(chart.legend.top + chart.legend.height).toBeLessThan(chart.grid.top);
      const names: string[] = chart.xAxis.data;
      const lines = Math.max(...names.map((name) => name.split('\n').length));
      expect(chart.grid.bottom).toBeGreaterThanOrEqual(chart.xAxis.axisLabel.margin + lines * chart.xAxis.axisLabel.lineHeight);
      // Every name whole, broken only into lines that fit its bar's place.
      const slot = (CHART_WIDTH - chart.grid.left - chart.grid.right) / names.length;
      measured(data.items).forEach((item, index) => {
        const name = names[index] ?? '';
        expect(name.replace(/\n/g, ' ').replace(/(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])/g, '').replace(/- /g, '-')).toBe(indicatorName(item.indicator, locale));
        for (const line of name.split('\n')) expect(textWidth(line, chart.xAxis.axisLabel.fontSize)).toBeLessThanOrEqual(slot);
      });
    }
    // 7 long English names at the old 30° slant reached into the legend at the bottom; now each is at most 4 lines.
    const { option: english } = await option('en');
    expect(english.xAxis.axisLabel.rotate).toBe(0);
    expect(english.xAxis.data).toContain('Industrial\ntechnology upgrade\ninvestment');
  });

  it('draws the English names where the legend is not: the legend band is the same with the names left out', async () => {
    const { option: chart } = await option('en');
    const full = await draw(chart);
    const nameless = await draw({ ...chart, xAxis: { ...chart.xAxis, axisLabel: { ...chart.xAxis.axisLabel, show: false } } });
    const band = (png: PNG) => png.data.subarray(0, chart.grid.top * png.width * 4);
    expect(Buffer.from(band(full)).equals(Buffer.from(band(nameless)))).toBe(true);
    // The names are drawn, under the plot, and end above the picture's bottom edge.
    const under = (png: PNG) => [...ink(png)].filter((i) => Math.floor(i / png.width) > CHART_HEIGHT - chart.grid.bottom + 2).length;
    expect(under(full)).toBeGreaterThan(under(nameless) + 1000);
    const lastRows = [...ink(full)].filter((i) => Math.floor(i / full.width) >= CHART_HEIGHT - 3);
    expect(lastRows).toEqual([]);
  });

  /** Pixels both the bars' value labels and the 序时进度 marks ink. */
  async function labelsOnMarks(chart: ChartOption): Promise<number> {
    const labels = ink(await draw(only(chart, (series) => (series.type === 'bar' ? { ...series, itemStyle: { color: 'rgba(0,0,0,0)' } } : undefined))));
    const marks = ink(await draw(only(chart, (series) => (series.type === 'scatter' ? series : undefined))));
    expect(labels.size).toBeGreaterThan(500);
    expect(marks.size).toBeGreaterThan(200);
    return [...labels].filter((i) => marks.has(i)).length;
  }

  it('puts no bar’s value label on a 序时进度 mark: 100% at 100% elapsed, and a bar just under its mark', async () => {
    // 2020: 新增高新技术企业 and 新增研发机构 at exactly 100% against 100% (the "100%" sat on the line).
    const { option: december } = await option('zh-CN');
    expect(await labelsOnMarks(december)).toBe(0);
    // A rate 2 points under its 序时进度 and one 3 points over it: the label is lifted over the mark.
    const { option: close } = await option('zh-CN', {}, (data) => {
      const shown = measured(data.items);
      const moved = (item: ReportData['items'][number], points: number) => ({ ...item, progress: { ...item.progress, rate: item.progress.elapsed.plus(points) } });
      return { ...data, items: data.items.map((item) => (item === shown[0] ? moved(item, -2) : item === shown[1] ? moved(item, 3) : item)) };
    });
    expect(await labelsOnMarks(close)).toBe(0);
    const lifted = close.series.filter((series) => series.type === 'bar').flatMap((series) => series.data.filter((value) => value !== null && value.label.offset[1] < 0));
    expect(lifted.length).toBeGreaterThan(0);
  });

  it('says 序时进度 once, in the legend, and under the name of an indicator whose own is another', async () => {
    const { t } = documentTranslator('zh-CN');
    const { option: november } = await option('zh-CN', { month: 11 });
    const marks = november.series.find((series) => series.type === 'scatter');
    expect(marks?.name).toBe(t('reports.chart.elapsed_at', { elapsed: '91.67' }));
    expect(marks?.label).toBeUndefined();
    expect(november.xAxis.data.join('')).not.toContain('91.67');
    // One indicator measured at October: its 83.33% under its name, the legend's 91.67% for the others.
    const { option: mixed } = await option('zh-CN', { month: 11 }, (data) => ({
      ...data,
      items: data.items.map((item) => (item === measured(data.items)[0] ? { ...item, progress: { ...item.progress, elapsed: item.progress.elapsed.minus('8.34') } } : item)),
    }));
    expect(mixed.series.find((series) => series.type === 'scatter')?.name).toBe(t('reports.chart.elapsed_most', { elapsed: '91.67' }));
    expect(mixed.xAxis.data[0]).toContain('83.33%');
    expect(mixed.xAxis.data.slice(1).join('')).not.toContain('%');
    // Values as the product rounds them: 2 decimals half up, trailing zeros dropped.
    const labels = november.series.filter((series) => series.type === 'bar').flatMap((series) => series.data.flatMap((value) => (value === null ? [] : [value.label.formatter])));
    expect(labels).toContain('104.19%');
    expect(labels).toContain('75%');
  });

  it('draws no 序时进度 mark on a level’s bar (R&D’s share), which is measured against its target only', async () => {
    const { data, option: chart } = await option('zh-CN');
    const items = measured(data.items);
    const rd = items.findIndex((item) => item.indicator.key === 'rd_share_of_gdp');
    expect(rd).toBeGreaterThanOrEqual(0);
    const marks = chart.series.find((series) => series.type === 'scatter')!.data as Array<number | null>;
    expect(marks[rd]).toBeNull();
    expect(marks.filter((mark) => mark !== null)).toHaveLength(items.length - 1);
    // Its bar is grey, in a series of its own that the legend names: neither on schedule (blue) nor behind (red).
    const { t } = documentTranslator('zh-CN');
    const bars = chart.series.filter((series) => series.type === 'bar');
    const level = bars.find((series) => series.name === t('reports.chart.rate_level'));
    expect(level?.itemStyle?.color).toBe(CHART_COLOURS.level);
    expect(level?.data.flatMap((value, index) => (value === null ? [] : [index]))).toEqual([rd]);
    for (const other of bars.filter((series) => series !== level)) expect(other.data[rd]).toBeNull();
  });
});

describe('the chart\'s shared parts', () => {
  it('breaks a name into lines without losing or reordering anything, and never inside a Latin word that fits', () => {
    const rd = wrapLabel('R&D经费占GDP比重', 60, 13);
    expect(rd.length).toBeGreaterThan(1);
    expect(rd.join('')).toBe('R&D经费占GDP比重');
    expect(rd.some((line) => line.includes('R&D')) && rd.some((line) => line.includes('GDP'))).toBe(true);
    expect(wrapLabel('Industrial technology upgrade investment', 120, 13)).toEqual(['Industrial', 'technology upgrade', 'investment']);
    expect(wrapLabel('工业投资', 200, 13)).toEqual(['工业投资']);
    expect(wrapLabel('Supercalifragilistic', 40, 13).join('')).toBe('Supercalifragilistic');
  });

  it('finds the 序时进度 most indicators share, or none when no two share one', () => {
    expect(mostCommon(['91.67', '91.67', '83.33'])).toBe('91.67');
    expect(mostCommon(['100'])).toBe('100');
    expect(mostCommon(['91.67', '83.33'])).toBeUndefined();
    expect(mostCommon([])).toBeUndefined();
  });
});

interface ChartOption {
  title: { text: string; textStyle: { fontSize: number } };
  legend: { top: number; height: number };
  grid: { top: number; bottom: number; left: number; right: number };
  xAxis: { data: string[]; axisLabel: { margin: number; lineHeight: number; fontSize: number; rotate: number; show?: boolean } };
  yAxis: object;
  series: Array<{ type: string; name: string; label?: object; itemStyle?: { color: string }; data: Array<{ value: number; label: { formatter: string; offset: [number, number] } } | null> }>;
}
