import { type Decimal, formatDecimal } from './decimal.js';
import { englishMoney, readerDigits } from './english-money.js';
import { type IndicatorDef, type SectionNames, nextOwed, owedBy } from './domain.js';
import { type MessageKey, type Translate, localeOf } from './i18n.js';
import type { CivilDate } from './calendar.js';
import type { Period } from './period.js';
import { type IndicatorProgress, formatFigure, formatGrowth, formatPercent, formatPoints, formatPointsChange, levelShortfall } from './progress.js';

/*
 * Progress as sentences, the same for the CLI and every chat channel (docs/product.md, Progress arithmetic):
 * 工业技改投资：1–10月累计 2.05 亿元，完成年度目标 3 亿元的 68.33%，序时进度 83.33%，落后 15 个百分点；同比增长 34.1%。
 */

/**
 * A value with its unit as the locale writes it ("2.05 亿元", "0.50%"); given the indicator, English uses
 * its own word for the unit (3 institutions, not 3 firms), and says money in yuan, millions or billions
 * (205 million yuan, english-money.ts).
 */
export function renderFigure(t: Translate, value: string, unit: IndicatorDef['unit'] | Pick<IndicatorDef, 'unit' | 'unitEn'>): string {
  const indicator = typeof unit === 'string' ? { unit } : unit;
  if (indicator.unit === '%') return t('figure.percent', { value });
  return englishMoney(t, value, indicator.unit) ?? t('figure.with_unit', { value: readerDigits(t, value), unit: unitWord(t, indicator, value) });
}

/** （待核实） after a figure kept despite a check's query (marked for the directors); nothing otherwise. */
export function queriedMark(t: Translate, queried: boolean | undefined): string {
  return queried ? t('checks.queried_mark') : '';
}

/**
 * The unit's word in the reader's language: 家, firms, or the indicator's `unit_en` in English; with the
 * figure, one written as exactly 1 takes the singular (1 firm).
 */
export function unitWord(t: Translate, indicator: Pick<IndicatorDef, 'unit' | 'unitEn'>, value?: string): string {
  if (indicator.unitEn !== undefined && localeOf(t) === 'en') return indicator.unitEn;
  return t(`${value === '1' ? 'units_one' : 'units'}.${indicator.unit}` as MessageKey);
}

/**
 * An amount of the indicator, with its decimals; a share's difference is in percentage points (还差 0.16 个百分点),
 * never a percentage. An amount that would show as zero while it is not keeps all its digits: 还差 0.00 亿元
 * would say nothing is left.
 */
export function amountText(
  t: Translate,
  indicator: IndicatorDef,
  value: Decimal,
  write: (t: Translate, value: string, unit: IndicatorDef['unit'] | IndicatorDef) => string = renderFigure,
): string {
  const rounded = formatFigure(value, indicator.decimals);
  const shown = Number(rounded) === 0 && !value.isZero() ? value.toFixed() : rounded;
  return indicator.unit === '%' ? write(t, shown, '个百分点') : write(t, shown, indicator);
}

/**
 * Where a level indicator stands against its target, in its unit (距目标还差 0.16 个百分点, 已达到目标); '' for
 * another kind, or without a target or a figure. A level is never said to be behind or ahead of 序时进度.
 */
export function levelStanding(t: Translate, progress: IndicatorProgress): string {
  const shortfall = levelShortfall(progress);
  if (shortfall === undefined) return '';
  if (shortfall.isZero()) return t('progress.level_met');
  const amount = amountText(t, progress.indicator, shortfall.abs());
  return t(shortfall.isPositive() ? 'progress.level_short' : 'progress.level_over', { amount });
}

/** The indicator's name in the reader's language. */
export function indicatorName(indicator: Pick<IndicatorDef, 'name' | 'nameEn'>, locale: string): string {
  return locale === 'en' ? indicator.nameEn : indicator.name;
}

/**
 * A section's name in the reader's language: its `name_en` for an English reader when the organisation file
 * gives one, else its name. Every sentence, list and document that names a section goes through here.
 */
export function sectionName(section: SectionNames, locale: string): string {
  return locale === 'en' && section.nameEn ? section.nameEn : section.name;
}

/** The organisation's name in the reader's language, by the rule a section's follows (`name_en` when the file gives one). */
export const organisationName: (organisation: SectionNames, locale: string) => string = sectionName;

/** The month's name for the en templates (zh-CN writes {month}月). */
export function monthName(t: Translate, month: number): string {
  return t(`month_names.${month}` as MessageKey);
}

/** 2026年11月 / November 2026: a period as people say it (commands keep 2026-11). */
export function periodLabel(t: Translate, period: Period): string {
  return t('dialogue.period', { year: period.year, month: period.month, monthName: monthName(t, period.month) });
}

/** 11月30日 / 30 November: a day of the current reporting year, as people say it. */
export function dayLabel(t: Translate, date: CivilDate): string {
  return t('dialogue.day', { month: date.month, day: date.day, monthName: monthName(t, date.month) });
}

function monthParams(t: Translate, month: number) {
  return { month, monthName: monthName(t, month) };
}

/** How a line names the months a figure covers: 1–10月累计, 截至10月; a quarterly one's quarters, 前三季度累计. */
export function spanText(t: Translate, indicator: IndicatorDef, month: number): string {
  const params = monthParams(t, month);
  if (indicator.kind === 'level') return t('progress.span_level', params);
  const quarters = quarterSpan(t, indicator, month);
  if (quarters !== undefined) return t(indicator.kind === 'cumulative' ? 'progress.span_quarters_cumulative' : 'progress.span_quarters_increment', { quarters });
  const first = month === 1;
  if (indicator.kind === 'cumulative') {
    return first ? t('progress.span_cumulative_first', params) : t('progress.span_cumulative', params);
  }
  return first ? t('progress.span_increment_first', params) : t('progress.span_increment', params);
}

/**
 * The quarters a quarterly indicator's figure of a quarter's end covers, as statistics say them (一季度, 上半年,
 * 前三季度, 全年); undefined for any other indicator or month.
 */
export function quarterSpan(
  t: Translate,
  indicator: Pick<IndicatorDef, 'frequency'>,
  month: number,
  /** Where the words are: the chat's (Q1–Q3 in English), or a document's sentence opening (In the first three quarters). */
  words: 'quarters' | 'reports.span.quarters' = 'quarters',
): string | undefined {
  if (indicator.frequency !== 'quarterly' || month % 3 !== 0) return undefined;
  return t(`${words}.q${month / 3}` as MessageKey);
}

/** The sentences one kind of text (a chat line, a document, the 同比 answer) says 同比 with. */
export interface YearOnYearKeys {
  up: MessageKey;
  down: MessageKey;
  flat: MessageKey;
  pointsUp: MessageKey;
  pointsDown: MessageKey;
}

/**
 * 同比 in words: growth in per cent (同比增长 33.7%), or for an indicator kept in % the change in
 * percentage points (同比提高 0.07 个百分点); '' when there is none to give.
 */
export function yearOnYear(t: Translate, progress: Pick<IndicatorProgress, 'yoy' | 'yoyPoints'>, keys: YearOnYearKeys): string {
  if (progress.yoyPoints !== undefined) {
    const points = formatPointsChange(progress.yoyPoints.abs());
    if (points === '0.00') return t(keys.flat);
    return t(progress.yoyPoints.isNegative() ? keys.pointsDown : keys.pointsUp, { points });
  }
  if (progress.yoy === undefined) return '';
  const growth = formatGrowth(progress.yoy.abs());
  if (growth === '0') return t(keys.flat);
  return t(progress.yoy.isNegative() ? keys.down : keys.up, { growth });
}

const LINE_YOY: YearOnYearKeys = {
  up: 'progress.yoy_up',
  down: 'progress.yoy_down',
  flat: 'progress.yoy_flat',
  pointsUp: 'progress.yoy_points_up',
  pointsDown: 'progress.yoy_points_down',
};

/**
 * One indicator's line; `latest` names the latest period with data when the year has none, and `owed`
 * (rendered by render-answers.ts) who owes the figure and by when. `noteNoTarget`: say that there is no
 * target (to a question about the completion rate), rather than leave the rate out unexplained.
 */
/**
 * （1–10月未报送）, （3月、5月未报送）: the months an increment's sum leaves out; '' when none. `bare`: no brackets (a
 * cell of its own); `document`: a span as the documents write theirs (1-10月, as 1-11月新增…).
 */
export function unreportedText(t: Translate, months: readonly number[] | undefined, bare = false, document = false): string {
  if (!months || months.length === 0) return '';
  const runs: Array<[number, number]> = [];
  for (const month of months) {
    const last = runs.at(-1);
    if (last && last[1] === month - 1) last[1] = month;
    else runs.push([month, month]);
  }
  const spans = runs.map(([from, to]) =>
    from === to
      ? t('progress.month_one', monthParams(t, from))
      : t(document ? 'reports.month_span' : 'progress.month_span', { from: t('progress.month_bound', monthParams(t, from)), to: t('progress.month_bound', monthParams(t, to)) }),
  );
  return t(bare ? 'progress.unreported_months_bare' : 'progress.unreported_months', { months: spans.join(t('list.separator')) });
}

/**
 * What follows a figure in brackets: its 待核实 mark and the months its sum leaves out, in one bracket when it
 * has both (5家（待核实；1–8月、10月未报送）), never two in a row.
 */
export function figureNotes(t: Translate, queried: boolean | undefined, months: readonly number[] | undefined, document = false): string {
  if (!queried || !months || months.length === 0) return `${queriedMark(t, queried)}${unreportedText(t, months, false, document)}`;
  return t('progress.queried_and_unreported', { unreported: unreportedText(t, months, true, document) });
}

export function renderProgressLine(
  t: Translate,
  locale: string,
  progress: IndicatorProgress,
  latest?: Period,
  owed?: string,
  noteNoTarget = false,
): string {
  const { indicator } = progress;
  const name = indicatorName(indicator, locale);
  if (progress.ytd === undefined || progress.throughMonth === undefined) {
    // A year before the indicator is reported at all: say from when, not that figures are still to come.
    if (indicator.from !== undefined && !owedBy(indicator, { year: progress.year, month: progress.asOfMonth })) {
      return t('progress.line_not_owed_yet', { name, from: periodLabel(t, nextOwed(indicator, indicator.from)) });
    }
    // The year has a figure after the month asked (10月 asked, November in): none up to that month, said so.
    if (latest && latest.year === progress.year) {
      return t('progress.line_no_data_until', { name, year: progress.year, ...monthParams(t, progress.asOfMonth), period: periodLabel(t, latest) });
    }
    const hint = latest ? t('progress.latest_hint', { period: periodLabel(t, latest) }) : '';
    if (owed) return t('answers.line_no_data_owed', { name, year: progress.year, latest: hint, owed });
    return t('progress.line_no_data', { name, year: progress.year, latest: hint });
  }
  // The figure with its 待核实 mark; the months an increment's sum leaves out follow it, in brackets of their own.
  const marked = `${renderFigure(t, formatFigure(progress.ytd, indicator.decimals), indicator)}${queriedMark(t, progress.queried)}`;
  const params = {
    name,
    span: spanText(t, indicator, progress.throughMonth),
    figure: `${renderFigure(t, formatFigure(progress.ytd, indicator.decimals), indicator)}${figureNotes(t, progress.queried, progress.unreportedMonths)}`,
    yoy: yearOnYear(t, progress, LINE_YOY),
  };
  const target = progress.target === undefined ? '' : renderFigure(t, formatDecimal(progress.target, indicator.decimals), indicator);
  if (progress.rate !== undefined && indicator.kind === 'level') {
    return t('progress.line_level', { ...params, target, rate: formatPercent(progress.rate), standing: levelStanding(t, progress) });
  }
  // Not measured against 序时进度 (time_progress: false): the target and the rate, never ahead or behind.
  if (progress.target !== undefined && progress.rate !== undefined && indicator.timeProgress === false) {
    return t('progress.line_unscheduled', { ...params, target, rate: formatPercent(progress.rate) });
  }
  if (progress.target === undefined || progress.rate === undefined || progress.gap === undefined) {
    if (!noteNoTarget) return t('progress.line_no_target', params);
    // Both notes in one bracket: 21 个（1–9月未报送；2026年未设目标）, not two brackets in a row.
    if (!progress.unreportedMonths?.length) return t('answers.line_no_target', { ...params, year: progress.year });
    const unreported = unreportedText(t, progress.unreportedMonths, true);
    return t('answers.line_no_target_unreported', { ...params, figure: marked, unreported, year: progress.year });
  }
  const gapKey = `progress.gap_${progress.gap.status}` as const;
  // A share against a share: 0.50%，目标 0.66%，完成 75.76%, never "目标 0.66%的 75.76%".
  return t(indicator.unit === '%' ? 'answers.line_percent' : 'progress.line', {
    ...params,
    target,
    rate: formatPercent(progress.rate),
    elapsed: formatPercent(progress.elapsed),
    gap: t(gapKey, { points: formatPoints(progress.gap.points) }),
  });
}
