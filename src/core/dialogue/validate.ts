import { Decimal, fitsStorage } from '../decimal.js';
import { ok } from '../result.js';
import { type MessageKey, translator } from '../i18n.js';
import type { AnswerError, ParsedAnswer } from '../numbers.js';
import { parseAnswer } from '../numbers.js';
import type { Period } from '../period.js';
import { renderFigure } from '../render.js';
import { isWholeUnit } from '../units.js';
import { clip, nameOf, showFigure, unitLabel } from './format.js';
import { noteCountQuery, queriesFor } from './queries.js';
import type { DialogueContext, DialogueItem, StoredAnswer } from './types.js';

/** An answer read and checked: refused with the reason, or accepted (with a warning when it looks wrong). */
export type Judgement =
  | { ok: false; reply: string; code: AnswerError['code'] | 'refused' }
  | { ok: true; value: Decimal; note?: string; warning?: string };

/** Reads an answer for `item` and applies every check of docs/product.md, Checks on a figure; never throws. */
export function judgeAnswer(
  ctx: DialogueContext,
  item: DialogueItem,
  text: string,
  period: Period,
  /** The answers of the dialogue so far, for the relations between indicators. */
  answers: Record<string, StoredAnswer> = {},
): Judgement {
  const parsed = item.indicator.kind === 'increment' && NONE.test(text.trim()) ? NOTHING_ADDED : parseAnswer(text, item.indicator.unit);
  if (!parsed.ok) return { ok: false, reply: explainParseError(ctx, item, parsed.error), code: parsed.error.code };
  const { value } = parsed.value;
  const note = withoutUnitWord(parsed.value.note, item.indicator);
  const refusal = refusalFor(ctx, item, value);
  if (refusal !== undefined) return { ok: false, reply: refusal, code: 'refused' };
  const queries = [warningFor(ctx, item, value, period, answers), noteCountQuery(ctx, item, value, note)].filter((query) => query !== undefined);
  const warning = queries.length === 0 ? undefined : queries.join('\n');
  return {
    ok: true,
    value,
    ...(note === undefined ? {} : { note }),
    ...(warning === undefined ? {} : { warning }),
  };
}

/*
 * 无, 没有, 本月无新增 (none, no new ones this month): nothing added this month, which an office writes
 * instead of 0 — for an indicator reported as the month's increment only. Of a year-to-date total or a
 * share it would say nothing, and 没有变化 (unchanged, no change) is no zero.
 */
const NONE =
  /^(?:本月|这个月|当月|本期)?(?:无|没有|没)(?:新增|增加)?[。.!！\s]*$|^(?:none|nothing(?: new)?|no new(?: ones?)?|no additions?)(?: (?:this|in the) month)?[.!\s]*$/i;
const NOTHING_ADDED = ok<ParsedAnswer>({ value: new Decimal(0), given: '0' });

const ENGLISH = translator('en');

/**
 * The note without the indicator's unit written in English after the number ("2 firms", "12 sites, 3 in
 * Danxia town"): the number reader knows 家 and 个, not firms and sites, and left them as the note.
 */
function withoutUnitWord(note: string | undefined, indicator: DialogueItem['indicator']): string | undefined {
  if (note === undefined) return undefined;
  const words = [indicator.unitEn, ENGLISH(`units.${indicator.unit}` as MessageKey), ENGLISH(`units_one.${indicator.unit}` as MessageKey)]
    .filter((word): word is string => word !== undefined && word !== '' && word !== '%')
    .map((word) => word.toLowerCase())
    .sort((a, b) => b.length - a.length);
  const lower = note.toLowerCase();
  for (const word of words) {
    if (lower === word) return undefined;
    if (lower.startsWith(word) && /^[\s,;:，、；：]/.test(note.slice(word.length))) {
      const rest = note.slice(word.length).replace(/^[\s,;:，、；：]+/, '');
      return rest === '' ? undefined : rest;
    }
  }
  return note;
}

function explainParseError(ctx: DialogueContext, item: DialogueItem, error: AnswerError): string {
  const { t } = ctx;
  switch (error.code) {
    case 'empty':
      return t('dialogue.error_empty');
    case 'no_number':
      return t('dialogue.error_no_number', { text: clip(error.text) });
    case 'several_numbers':
      return t('dialogue.error_several_numbers', { text: clip(error.text) });
    case 'unit_mismatch':
      return t('dialogue.error_unit_mismatch', { unit: error.unit ?? error.text, expected: unitLabel(t, item.indicator) });
    case 'fraction_of_whole':
      return t('dialogue.error_fraction_of_whole', { text: clip(error.text), unit: error.unit ?? '' });
    case 'unknown_unit':
      return t('dialogue.error_unknown_unit', { unit: error.unit ?? error.text, expected: unitLabel(t, item.indicator) });
    case 'malformed':
      // The example fits the indicator: 19.6 firms would itself be refused.
      return t(isWholeUnit(item.indicator.unit) ? 'dialogue.error_malformed_count' : 'dialogue.error_malformed', { text: clip(error.text) });
  }
}

/** Why a value cannot be right at all: negative, a fraction of firms, outside the indicator's bounds. */
function refusalFor(ctx: DialogueContext, item: DialogueItem, value: Decimal): string | undefined {
  const { t } = ctx;
  const { indicator } = item;
  const figure = showFigure(t, indicator, value);
  const { min, max } = indicator;
  if (value.isNegative() && !value.isZero() && (min === undefined || !min.isNegative())) {
    return t('dialogue.refuse_negative', { name: nameOf(ctx, indicator), figure });
  }
  if (!fitsStorage(value)) return t('dialogue.refuse_unstorable', { text: clip(value.toFixed()) });
  if (isWholeUnit(indicator.unit) && !value.isInteger()) {
    return t('dialogue.refuse_fraction', { figure, unit: unitLabel(t, indicator) });
  }
  const below = min !== undefined && value.lessThan(min);
  const above = max !== undefined && value.greaterThan(max);
  if (!below && !above) return undefined;
  // Bounds are written as the organisation file gives them: 0 至 1000 亿元, not 0.00 至 1000.00.
  const bound = (b: Decimal) => renderFigure(t, b.toFixed(), indicator);
  if (min !== undefined && max !== undefined) {
    return t('dialogue.refuse_out_of_range', { figure, min: bound(min), max: bound(max) });
  }
  if (min !== undefined) return t('dialogue.refuse_below_min', { figure, min: bound(min) });
  return t('dialogue.refuse_above_max', { figure, max: bound(max ?? value) });
}

/** Why a possible value deserves a second look, every query on its own line; undefined when none applies. */
export function warningFor(
  ctx: DialogueContext,
  item: DialogueItem,
  value: Decimal,
  period: Period,
  answers: Record<string, StoredAnswer> = {},
): string | undefined {
  const queries = queriesFor(ctx, item, value, period, answers);
  return queries.length === 0 ? undefined : queries.join('\n');
}
