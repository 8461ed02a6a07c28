import { existsSync } from 'node:fs';
import type { Locale } from '../../core/domain.js';
import type { Translate } from '../../core/i18n.js';
import { formatPercent } from '../../core/progress.js';
import { indicatorName } from '../../core/render.js';
import type { ReadDeps } from '../deps.js';
import { drawChartPng } from './chart-thread.js';
import { type ReportData, documentTranslator, measured, monthParams, reportData } from './report-data.js';

/*
 * The completion chart: each indicator with a target and a figure, its completion rate as a bar and its
 * 序时进度 as a line. echarts renders it to SVG on the server, resvg turns the SVG into a PNG with a CJK
 * font (Chinese text in an SVG renderer without one comes out as nothing or boxes); both on a thread of
 * their own (`chart-thread.ts`), so that drawing holds up no chat.
 */

/** Where CJK fonts are found on the systems the bot runs on (Debian/Ubuntu `fonts-noto-cjk` first). */
export const CJK_FONT_FILES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc',
];

export const CJK_FONT_FAMILY = 'Noto Sans CJK SC';

/** The first CJK font file present, if any. */
export function findCjkFont(): string | undefined {
  return CJK_FONT_FILES.find((file) => existsSync(file));
}

export interface ChartOptions {
  width?: number;
  height?: number;
  /** The font file to draw text with; default the first of CJK_FONT_FILES present. `null`: no font at all. */
  fontFile?: string | null;
}

const isBehind = (item: ReportData['items'][number]) => item.progress.gap?.status === 'behind';

/** echarts' option for the chart: one bar per measured indicator (completion, %) and the 序时进度 line. */
function completionChartOption(data: ReportData, t: Translate, locale: string): object {
  const items = measured(data.items);
  const month = data.dataMonth ?? data.month;
  const rates = items.map((item) => Number(formatPercent(item.progress.rate)));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CJK_FONT_FAMILY },
    title: {
      text: items.length > 0
        ? t('reports.chart.title', { org: data.organisation.name, year: data.year, ...monthParams(t, month) })
        : t('reports.chart.empty', { year: data.year }),
      left: 'center',
      top: 12,
      textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 20 },
    },
    legend: { bottom: 8, textStyle: { fontFamily: CJK_FONT_FAMILY, fontSize: 14 } },
    grid: { left: 64, right: 32, top: 64, bottom: 120 },
    xAxis: {
      type: 'category',
      data: items.map((item) => indicatorName(item.indicator, locale)),
      axisLabel: { interval: 0, rotate: items.length > 5 ? 30 : 0, fontFamily: CJK_FONT_FAMILY, fontSize: 13 },
    },
    yAxis: { type: 'value', name: t('reports.chart.axis'), axisLabel: { fontFamily: CJK_FONT_FAMILY } },
    series: [
      // Behind schedule in red, the rest in the bureau's blue: two series in one place per indicator, so that
      // the legend shows each colour with its meaning (one series of two colours showed one colour for both).
      ...[false, true]
        .filter((behind) => items.some((item) => isBehind(item) === behind))
        .map((behind) => ({
          name: t(behind ? 'reports.chart.rate_behind' : 'reports.chart.rate'),
          type: 'bar',
          barMaxWidth: 56,
          barGap: '-100%',
          itemStyle: { color: behind ? '#d9534f' : '#3b6fb6' },
          data: items.map((item, index) => (isBehind(item) === behind ? rates[index] : null)),
          label: { show: true, position: 'top', formatter: '{c}%', fontFamily: CJK_FONT_FAMILY, fontSize: 13 },
        })),
      {
        name: t('reports.chart.elapsed'),
        type: 'line',
        symbol: 'diamond',
        symbolSize: 10,
        itemStyle: { color: '#f0ad4e' },
        lineStyle: { width: 3 },
        // A level is measured against its target only: no 序时进度 mark over its bar.
        data: items.map((item) => (item.progress.gap === undefined ? null : Number(formatPercent(item.progress.elapsed)))),
      },
    ],
  };
}

/** resvg's options: a white background and the given font file (none: text is left out, as resvg does without fonts). */
export function resvgOptions(fontFile: string | undefined): object {
  return {
    background: '#ffffff',
    font: fontFile
      ? { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CJK_FONT_FAMILY }
      : { loadSystemFonts: false },
  };
}

/** The chart of already-read report data as a PNG, drawn and rasterised on the chart thread. */
export function completionChartPng(data: ReportData, t: Translate, locale: string, options: ChartOptions = {}): Promise<Buffer> {
  return drawChartPng({
    option: completionChartOption(data, t, locale),
    width: options.width ?? 1000,
    height: options.height ?? 560,
    resvg: resvgOptions(options.fontFile === null ? undefined : (options.fontFile ?? findCjkFont())),
  });
}

/**
 * The completion chart of `year` through `month` (default: as the progress answers choose) as a PNG:
 * what "看图" answers and the bulletin embeds.
 */
export async function renderCompletionChart(
  deps: ReadDeps,
  options: { year?: number; month?: number; locale?: Locale } & ChartOptions = {},
): Promise<Buffer> {
  const { t, locale } = documentTranslator(options.locale);
  const data = await reportData(deps, { year: options.year, month: options.month });
  return completionChartPng(data, t, locale, options);
}

/** The chart with its file name and caption (what the chat sends for 看图). */
export async function chartFile(
  deps: ReadDeps,
  options: { year?: number; month?: number; locale?: Locale } = {},
): Promise<{ content: Buffer; fileName: string; caption: string; year: number; /** No indicator with a target has a figure: nothing is drawn. */ empty: boolean }> {
  const { t, locale } = documentTranslator(options.locale);
  const data = await reportData(deps, { year: options.year, month: options.month });
  const names = { org: data.organisation.name, year: data.year, ...monthParams(t, data.dataMonth ?? data.month) };
  return {
    content: await completionChartPng(data, t, locale),
    fileName: t('reports.chart.file_name', names),
    caption: t('reports.chart.caption', names),
    year: data.year,
    empty: measured(data.items).length === 0,
  };
}
