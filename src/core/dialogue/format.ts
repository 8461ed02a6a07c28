import type { Decimal } from '../decimal.js';
import type { IndicatorDef } from '../domain.js';
import { englishMoney } from '../english-money.js';
import type { Translate } from '../i18n.js';
import { type Period, comparePeriods, previousPeriod } from '../period.js';
import { formatFigure } from '../progress.js';
import { indicatorName, monthName, periodLabel, renderFigure, unitWord } from '../render.js';
import type { DialogueContext, DialogueItem } from './types.js';

/**
 * A figure with the indicator's decimals ("18.20"), but never fewer digits than it has: answers are kept
 * exact, so 12345万 for a 2-decimal 亿元 indicator shows as 1.2345, not as a rounded 1.23 that is not stored.
 */
export function figureText(value: Decimal, decimals: number): string {
  return value.decimalPlaces() > decimals ? value.toFixed() : formatFigure(value, decimals);
}

/** A figure with its unit: "19.60 亿元", "0.50%". */
export function showFigure(t: Translate, indicator: IndicatorDef, value: Decimal): string {
  return renderFigure(t, figureText(value, indicator.decimals), indicator);
}

/**
 * A figure beside a question (上月 18.20): bare, as the question names the unit in parentheses — except
 * money in English, which is said in yuan, millions or billions (last month: 1.82 billion yuan).
 */
export function questionFigure(t: Translate, indicator: IndicatorDef, value: Decimal): string {
  const text = figureText(value, indicator.decimals);
  return englishMoney(t, text, indicator.unit) ?? text;
}

/** The unit as the question writes it in parentheses. */
export function unitLabel(t: Translate, indicator: IndicatorDef): string {
  return unitWord(t, indicator);
}

/** The indicator's name in the member's language. */
export function nameOf(ctx: Pick<DialogueContext, 'locale'>, indicator: IndicatorDef): string {
  return indicatorName(indicator, ctx.locale);
}

/**
 * The previous figure when it may be compared with `period`: an earlier period, and for a cumulative
 * indicator the same year, since a year-to-date total starts again in January.
 */
export function usablePrevious(item: DialogueItem, period: Period): DialogueItem['previous'] {
  const previous = item.previous;
  if (!previous || comparePeriods(previous.period, period) >= 0) return undefined;
  if (item.indicator.kind === 'cumulative' && previous.period.year !== period.year) return undefined;
  return previous;
}

/** 上月 for the month just before, otherwise the period itself (a member who skipped a month sees 2026年9月). */
export function previousLabel(t: Translate, previous: Period, period: Period): string {
  return comparePeriods(previous, previousPeriod(period)) === 0 ? t('dialogue.last_month') : periodLabel(t, previous);
}

/** What the month's figure is: 1–11月累计, 11月新增, 截至11月. */
export function spanText(t: Translate, indicator: IndicatorDef, month: number): string {
  const params = { month, monthName: monthName(t, month) };
  if (indicator.kind === 'increment') return t('dialogue.span_increment', params);
  if (indicator.kind === 'level') return t('dialogue.span_level', params);
  return month === 1 ? t('dialogue.span_cumulative_first', params) : t('dialogue.span_cumulative', params);
}

/** （备注：…） after a figure, or nothing; a long note is kept whole but quoted cut. */
export function noteText(t: Translate, note: string | undefined): string {
  return note === undefined || note === '' ? '' : t('dialogue.note', { note: clip(note) });
}

const QUOTE_LIMIT = 30;

/** What a reply quotes of a message: at most about 30 characters, cut with “…”. */
export function clip(text: string, limit = QUOTE_LIMIT): string {
  const chars = [...text.trim()];
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, limit).join('')}…`;
}
