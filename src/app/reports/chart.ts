import { existsSync } from 'node:fs';
import type { Locale } from '../../core/domain.js';
import type { Translate } from '../../core/i18n.js';
import { formatPercent } from '../../core/progress.js';
import { indicatorName, organisationName } from '../../core/render.js';
import type { ReadDeps } from '../deps.js';
import { BAR_KINDS, type BarKind, CHART_COLOURS, barKind, mostCommon, textWidth, wrapLabel } from './chart-style.js';
import { drawChartPng } from './chart-thread.js';
import { type ReportData, documentTranslator, measured, monthParams, reportData, unreported } from './report-data.js';

/*
 * The completion chart: each indicator with a target and a figure, its completion rate as a bar and its
 * 序时进度 as a mark across the bar. echarts renders it to SVG on the server, resvg turns the SVG into a PNG with a CJK
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


const RATE_NAMES = { rate: 'reports.chart.rate', behind: 'reports.chart.rate_behind', level: 'reports.chart.rate_level' } as const satisfies Record<BarKind, string>;

/** The picture's size, and where the title, the legend and the plot go in it. */
export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 560;
export const CHART_LAYOUT = {
  titleTop: 12,
  titleSize: 20,
  /** The legend goes under the title, above the plot: the indicators' names under the plot never reach it. */
  legendTop: 48,
  legendHeight: 20,
  legendSize: 14,
  gridTop: 100,
  gridLeft: 64,
  gridRight: 32,
  /** Between the axis and the first line of the names, and under the last. */
  axisLabelMargin: 10,
  bottomPadding: 14,
  /** A bar's value label: its size, its height, and its gap above the bar (or above the 序时进度 mark). */
  valueSize: 13,
  valueHeight: 18,
  valueGap: 5,
  /** The 序时进度 mark across each bar: its thickness. */
  markThickness: 3,
} as const;

/** A nice step for a value axis reaching `span` in about 5 steps (10, 20, 25, 50, 100, …). */
function niceStep(span: number): number {
  const raw = Math.max(span, 1) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw);
  return step ?? 10 * power;
}

/**
 * echarts' option for the chart: one bar per measured indicator (completion, %) and its 序时进度 as a mark
 * across it. Laid out here, not by echarts, so that nothing overlaps: the legend under the title, the
 * indicators' names broken into lines as wide as a bar's place with the plot's bottom above them, the value
 * axis's top high enough for the labels, and a bar's value label lifted above the 序时进度 mark when the mark
 * would run through it. 序时进度 is said in the legend (the value most indicators have), and under the name of
 * an indicator whose own is another: never as a label in the plot, where it met the bars' labels.
 */
export function completionChartOption(data: ReportData, t: Translate, locale: string): object {
  const L = CHART_LAYOUT;
  const items = measured(data.items);
  const month = data.dataMonth ?? data.month;
  const rateText = items.map((item) => formatPercent(item.progress.rate));
  // A level is measured against its target only: no 序时进度 mark on its bar, nor in what the legend says.
  const elapsedText = items.map((item) => (item.progress.gap === undefined ? undefined : formatPercent(item.progress.elapsed)));
  const marked = elapsedText.filter((text) => text !== undefined);
  const rates = rateText.map(Number);
  const elapsed = elapsedText.map((text) => (text === undefined ? undefined : Number(text)));
  // 序时进度 is said once, in the legend; an indicator whose 序时进度 is another (its figure is of an earlier
  // month) has its own under its name.
  const common = mostCommon(marked);

  // The names under the plot: each broken to its bar's place, the plot's bottom above the longest.
  const plotWidth = CHART_WIDTH - L.gridLeft - L.gridRight;
  const slot = plotWidth / Math.max(items.length, 1);
  const labelSize = slot >= 90 ? 13 : slot >= 70 ? 11 : 10;
  const lineHeight = Math.round(labelSize * 1.35);
  const names = items.map((item, index) => [
    ...wrapLabel(indicatorName(item.indicator, locale), slot - 6, labelSize),
    ...(elapsedText[index] === undefined || elapsedText[index] === common ? [] : wrapLabel(t('reports.chart.elapsed_own', { elapsed: elapsedText[index] ?? '' }), slot - 6, labelSize)),
  ]);
  const lines = Math.max(1, ...names.map((name) => name.length));
  const gridBottom = L.axisLabelMargin + lines * lineHeight + L.bottomPadding;
  const plotHeight = CHART_HEIGHT - L.gridTop - gridBottom;

  // The value axis: from 0 (or below, for a negative rate) to a step at or above the highest value, high
  // enough that every value label, lifted or not, ends under the legend (it may go into the band between the
  // two, but not into the legend).
  const highest = Math.max(0, ...rates, ...marked.map(Number));
  const lowest = Math.min(0, ...rates);
  const step = niceStep(highest - lowest);
  const min = Math.floor(lowest / step) * step;
  let max = Math.max(step, Math.ceil(highest / step) * step);
  const band = L.gridTop - (L.legendTop + L.legendHeight) - 6;
  const barWidth = Math.min(56, slot * 0.6);
  const markWidth = Math.min(barWidth + 16, slot * 0.9);
  // A label's lift in pixels (k: pixels a percentage point): none, or enough to clear the 序时进度 mark where
  // the mark would run through the label.
  const lifts = (k: number) =>
    rates.map((rate, index) => {
      const at = elapsed[index];
      if (rate < 0 || at === undefined) return 0;
      const mark = (at - rate) * k; // the mark's centre above the bar's top
      const half = L.markThickness / 2 + 1;
      const clear = mark + half < L.valueGap || mark - half > L.valueGap + L.valueHeight;
      return clear ? 0 : Math.ceil(mark + half + 2 - L.valueGap);
    });
  const fits = (k: number) =>
    lifts(k).every((lift, index) => ((rates[index] ?? 0) - min) * k + L.valueGap + L.valueHeight + lift <= (max - min) * k + band);
  while (!fits(plotHeight / (max - min))) max += step;
  const lift = lifts(plotHeight / (max - min));

  const elapsedName =
    common === undefined
      ? t('reports.chart.elapsed')
      : t(marked.every((value) => value === common) ? 'reports.chart.elapsed_at' : 'reports.chart.elapsed_most', { elapsed: common });
  const kinds = items.map((item) => barKind(item.progress.gap));
  const barKinds = BAR_KINDS.filter((kind) => kinds.includes(kind));
  const font = { fontFamily: CJK_FONT_FAMILY };
  const title = items.length > 0
    ? t('reports.chart.title', { org: organisationName(data.organisation, locale), year: data.year, ...monthParams(t, month) })
    : t('reports.chart.empty', { year: data.year });
  // A long title (an English bureau's name) is set smaller, to stay whole within the picture's margins.
  const titleSize = Math.min(L.titleSize, Math.floor((L.titleSize * (CHART_WIDTH - 2 * L.gridRight)) / textWidth(title, L.titleSize)));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: font,
    title: {
      text: title,
      left: 'center',
      top: L.titleTop,
      textStyle: { ...font, fontSize: titleSize },
    },
    legend: {
      top: L.legendTop,
      left: 'center',
      height: L.legendHeight,
      itemHeight: 14,
      // Wide: echarts measures the text without the font, a little narrower than it is drawn.
      itemGap: 28,
      textStyle: { ...font, fontSize: L.legendSize },
      data: [
        ...barKinds.map((kind) => ({ name: t(RATE_NAMES[kind]) })),
        // The 序时进度 mark's own shape in the legend: a short thick line, not a block like a bar's.
        { name: elapsedName, icon: 'path://M0,6h24v3H0z' },
      ],
    },
    grid: { left: L.gridLeft, right: L.gridRight, top: L.gridTop, bottom: gridBottom },
    xAxis: {
      type: 'category',
      data: names.map((name) => name.join('\n')),
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, rotate: 0, margin: L.axisLabelMargin, ...font, fontSize: labelSize, lineHeight },
    },
    yAxis: {
      type: 'value',
      name: t('reports.chart.axis'),
      min,
      max,
      interval: step,
      nameTextStyle: font,
      axisLabel: font,
    },
    series: [
      // Behind schedule in red, levels (against their target only) in grey, the rest in the bureau's blue: a series
      // each, in one place per indicator, so that the legend shows each colour with its meaning (one series of
      // two colours showed one colour for both).
      ...barKinds.map((kind) => ({
        name: t(RATE_NAMES[kind]),
        type: 'bar',
        barWidth,
        barGap: '-100%',
        itemStyle: { color: CHART_COLOURS[kind] },
        label: { show: true, position: 'top', distance: L.valueGap, ...font, fontSize: L.valueSize, color: '#1f2328' },
        data: items.map((_, index) =>
          kinds[index] === kind
            ? {
                value: rates[index],
                // The value as the product writes it (2 decimals half up, trailing zeros dropped), not as echarts prints a number.
                label: {
                  formatter: `${rateText[index]}%`,
                  position: (rates[index] ?? 0) < 0 ? 'bottom' : 'top',
                  offset: [0, -(lift[index] ?? 0)],
                },
              }
            : null,
        ),
      })),
      {
        name: elapsedName,
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [markWidth, L.markThickness],
        z: 3,
        // Opaque: echarts draws a scatter's marks at 0.8 opacity by default, another colour than the legend's.
        itemStyle: { color: CHART_COLOURS.elapsed, opacity: 1 },
        data: elapsed.map((value) => value ?? null),
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
    width: options.width ?? CHART_WIDTH,
    height: options.height ?? CHART_HEIGHT,
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

/**
 * The targets the chart cannot draw for want of a figure, named under it: a director reading bars alone would
 * not miss the indicator that has not reported at all. '' when every owed one has a figure.
 */
function unreportedNote(t: Translate, locale: string, data: ReportData): string {
  const missing = unreported(data.items);
  if (missing.length === 0) return '';
  const indicators = missing.map(({ indicator }) => indicatorName(indicator, locale)).join(t('list.separator'));
  return t('reports.chart.caption_unreported', { count: missing.length, indicators });
}

/** The chart with its file name and caption (what the chat sends for 看图). */
export async function chartFile(
  deps: ReadDeps,
  options: { year?: number; month?: number; locale?: Locale } = {},
): Promise<{ content: Buffer; fileName: string; caption: string; year: number; /** No indicator with a target has a figure: nothing is drawn. */ empty: boolean }> {
  const { t, locale } = documentTranslator(options.locale);
  const data = await reportData(deps, { year: options.year, month: options.month });
  const names = { org: organisationName(data.organisation, locale), year: data.year, ...monthParams(t, data.dataMonth ?? data.month) };
  return {
    content: await completionChartPng(data, t, locale),
    fileName: t('reports.chart.file_name', names),
    caption: `${t('reports.chart.caption', names)}${unreportedNote(t, locale, data)}`,
    year: data.year,
    empty: measured(data.items).length === 0,
  };
}
