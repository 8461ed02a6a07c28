import { Decimal, formatDecimal } from '../decimal.js';
import type { MessageKey } from '../i18n.js';
import { type RelationOp, relationHolds } from '../org/checks.js';
import { type Period, comparePeriods } from '../period.js';
import type { IndicatorKind } from '../domain.js';
import { indicatorName, periodLabel, renderFigure } from '../render.js';
import { type Unit, convert, dimensionOf, isWholeUnit } from '../units.js';
import { formatFigure } from '../progress.js';
import { nameOf, previousLabel, showFigure, usablePrevious } from './format.js';
import { isAnswered } from './state.js';
import type { DialogueContext, DialogueItem, StoredAnswer } from './types.js';

const JUMP_FACTOR = new Decimal(3);

// A count this small moves by more than 3× in an ordinary month: 1 firm, then 4.
const SMALL_COUNT = new Decimal(5);

/**
 * A jump: more than 3× a month before that had a figure above zero (the chat queries it; an import too). A
 * cumulative total grows with the months it covers: against an earlier month of its year that is not the
 * one before, it is 3× what that month's pace reaches by then (from February to November, 3 × 11/2). A
 * count counted whole (`whole`: 家, 个, 人次) that reaches no more than 5 is no jump.
 */
export function isJump(value: Decimal, before: Decimal, span?: { kind: IndicatorKind; from: Period; to: Period; whole?: boolean }): boolean {
  if (span?.whole && value.lessThanOrEqualTo(SMALL_COUNT)) return false;
  const spread = span?.kind === 'cumulative' && span.from.year === span.to.year && span.to.month > span.from.month + 1;
  const factor = spread ? JUMP_FACTOR.times(span.to.month).dividedBy(span.from.month) : JUMP_FACTOR;
  return before.greaterThan(0) && value.greaterThan(before.times(factor));
}

/** More than 3× the year's target (above zero): a month's figure, a year-to-date or a level alike. */
export function isFarAboveTarget(value: Decimal, target: Decimal): boolean {
  return target.greaterThan(0) && value.greaterThan(target.times(JUMP_FACTOR));
}

const THOUSANDTH = new Decimal('0.001');

/**
 * Under a thousandth of the year's target (above zero), in a unit that is not counted whole: 2.43 typed for an
 * indicator kept in 万元 whose target is 4374 万元 meant 亿, and 1/1800 of the target passes every other check.
 * A month's count of firms or visits may well be that small against a big target; an amount of money rarely.
 */
export function isFarBelowTarget(value: Decimal, target: Decimal, unit: Unit): boolean {
  return !isWholeUnit(unit) && target.greaterThan(0) && value.greaterThan(0) && value.lessThan(target.times(THOUSANDTH));
}

const HALF = new Decimal('0.5');

/**
 * A level (a share, a stock of firms) below half the month before's: 46 firms then 4, 1.17% then 0.52%. A
 * level moves slowly; an increment's month may well be a tenth of the last, and a cumulative fall is queried
 * by itself.
 */
export function isLevelDrop(value: Decimal, before: Decimal): boolean {
  return before.greaterThan(0) && value.lessThan(before.times(HALF));
}

/**
 * The names a note lists (博昇乐、创睿极光、金丰): two or more short names and nothing else; undefined for any
 * other note (a sentence, one with a figure, or 等: a list that says it is partial).
 */
export function listedNames(note: string): string[] | undefined {
  const body = note.trim().replace(/^(?:分别(?:是|为)|包括|即)[:：]?/, '').replace(/[。.；;]$/, '');
  if (/[0-9０-９等]/.test(body)) return undefined;
  // English names hold spaces (Huafeng Agri and Green Valley): commas, 、 and `and` list them, a few words each.
  if (/[a-z]/i.test(body)) {
    const names = body.split(/\s*(?:[，,、;；&]|\band\b)\s*/i).filter((name) => name !== '');
    return names.length >= 2 && names.every((name) => name.split(/\s+/).length <= 4) ? names : undefined;
  }
  // 、 lists; so do spaces between names. A comma also ends a clause (已入库，待审核): three items at least.
  const [separator, least] = body.includes('、') ? [/\s*、\s*/, 2] : /[，,]/.test(body) ? [/\s*[，,]\s*/, 3] : [/\s+/, 2];
  const names = body.split(separator).filter((name) => name !== '');
  // A name has no words of a sentence in it (已, 待, 均, 的 …).
  const named = names.every((name) => name.length <= 16 && !/[的了已待均将正在是有]/.test(name));
  return names.length >= least && named ? names : undefined;
}

/**
 * A count whose note names another number of things (3家 博昇乐、创睿极光): one of the two is short of the other,
 * a name forgotten or the count mistyped. Undefined when the note is no list or they agree.
 */
export function noteCountQuery(ctx: QueryContext, item: DialogueItem, value: Decimal, note: string | undefined): string | undefined {
  const { indicator } = item;
  if (note === undefined || dimensionOf(indicator.unit) !== 'count' || !value.isInteger()) return undefined;
  const names = listedNames(note);
  if (names === undefined || value.equals(names.length)) return undefined;
  return ctx.t('checks.warn_note_count', { name: nameOf(ctx, indicator), value: showFigure(ctx.t, indicator, value), count: names.length });
}

type Dated = { period: Period; value: Decimal };

/** What the queries read: the figures around the one checked, and the relations of the organisation file. */
export type QueryContext = Pick<DialogueContext, 't' | 'locale' | 'items' | 'relations' | 'related'>;

/**
 * Why a possible value deserves a second look (docs/product.md, Checks on a figure), each naming the
 * indicator: a figure that shows as zero, against the other months of the year, and against the relations
 * of the organisation file.
 */
export function queriesFor(
  ctx: QueryContext,
  item: DialogueItem,
  value: Decimal,
  period: Period,
  answers: Record<string, StoredAnswer> = {},
): string[] {
  return [...shownAsZero(ctx, item, value), ...yearQueries(ctx, item, value, period), ...relationQueries(ctx, item, value, answers)];
}

/**
 * A figure that is not zero but shows as zero with the indicator's decimals: most likely a unit mistaken
 * (1.8万元 for an indicator kept in 亿元 is 0.00018 亿元, shown as 0.00 in every progress line).
 */
function shownAsZero(ctx: QueryContext, item: DialogueItem, value: Decimal): string[] {
  const { indicator } = item;
  const shown = formatFigure(value, indicator.decimals);
  if (value.isZero() || !new Decimal(shown).isZero()) return [];
  const params = { name: nameOf(ctx, indicator), value: showFigure(ctx.t, indicator, value), shown: renderFigure(ctx.t, shown, indicator) };
  return [ctx.t('checks.warn_shown_as_zero', params)];
}

/**
 * A cumulative figure below an earlier month's or above a later month's; any figure over 3× the nearest month
 * before (`isJump`), or under a third of the nearest month after.
 */
function yearQueries(ctx: QueryContext, item: DialogueItem, value: Decimal, period: Period): string[] {
  const { t } = ctx;
  const { indicator } = item;
  const months = comparableMonths(item, period);
  const earlier = months.filter((m) => comparePeriods(m.period, period) < 0);
  const later = months.filter((m) => comparePeriods(m.period, period) > 0);
  const name = nameOf(ctx, indicator);
  const shown = showFigure(t, indicator, value);
  const queries: string[] = [];
  let fell = false;
  if (indicator.kind === 'cumulative') {
    const highest = largest(earlier.filter((m) => m.value.greaterThan(value)));
    if (highest) {
      fell = true;
      const when = previousLabel(t, highest.period, period);
      queries.push(t('dialogue.warn_fall', { name, value: shown, when, previous: showFigure(t, indicator, highest.value) }));
    }
    const lowest = smallest(later.filter((m) => m.value.lessThan(value)));
    if (lowest) {
      const when = periodLabel(t, lowest.period);
      queries.push(t('checks.warn_above_later', { name, value: shown, when, later: showFigure(t, indicator, lowest.value) }));
    }
  }
  // January starts the year-to-date total again: one that reaches last year's whole has carried it over.
  const lastYear = item.yearBefore;
  if (indicator.kind === 'cumulative' && period.month === 1 && lastYear && !lastYear.queried && lastYear.value.greaterThan(0) && value.greaterThanOrEqualTo(lastYear.value)) {
    queries.push(t('checks.warn_january_carry', { name, value: shown, year: lastYear.period.year, previous: showFigure(t, indicator, lastYear.value) }));
  }
  const nearest = earlier.at(-1);
  // The same jump seen from the month before it: a month filed or corrected late, a third of the one after
  // (a cumulative figure that fell below an earlier month is queried for that already).
  const next = later[0];
  const whole = isWholeUnit(indicator.unit);
  if (next && !fell && isJump(next.value, value, { kind: indicator.kind, from: period, to: next.period, whole })) {
    const times = timesText(next.value.dividedBy(value));
    queries.push(t('checks.warn_jump_later', { name, value: shown, when: periodLabel(t, next.period), later: showFigure(t, indicator, next.value), times }));
  }
  const jumped = nearest !== undefined && isJump(value, nearest.value, { kind: indicator.kind, from: nearest.period, to: period, whole });
  if (nearest && jumped) {
    const when = previousLabel(t, nearest.period, period);
    const times = timesText(value.dividedBy(nearest.value));
    queries.push(t('checks.warn_jump', { name, value: shown, when, previous: showFigure(t, indicator, nearest.value), times }));
  }
  // Far above the year's whole target, with no jump from a month before to say so (a bureau's first month
  // has none): 196 亿元 for a target of 21 is a unit slip far more often than a year done nine times over.
  if (!jumped && item.target && isFarAboveTarget(value, item.target)) {
    const times = timesText(value.dividedBy(item.target));
    queries.push(t('checks.warn_above_target', { name, value: shown, target: showFigure(t, indicator, item.target), times }));
  }
  // Far below it, where nothing above says so already (a fall, or a figure that shows as zero).
  const showsAsZero = new Decimal(formatFigure(value, indicator.decimals)).isZero();
  if (!fell && !showsAsZero && item.target && isFarBelowTarget(value, item.target, indicator.unit)) {
    queries.push(t('checks.warn_below_target', { name, value: shown, target: showFigure(t, indicator, item.target) }));
  }
  if (nearest && indicator.kind === 'level' && isLevelDrop(value, nearest.value)) {
    const when = previousLabel(t, nearest.period, period);
    queries.push(t('checks.warn_level_drop', { name, value: shown, when, previous: showFigure(t, indicator, nearest.value) }));
  }
  return queries;
}

/**
 * The year's other months and the figure before, in order, without the period itself, and without those
 * marked 待核实 (as an import sets them aside): a known-bad figure must not make a right one look wrong.
 */
function comparableMonths(item: DialogueItem, period: Period): Dated[] {
  const months = (item.year ?? []).filter(
    (m) => !m.queried && comparePeriods(m.period, period) !== 0 && (item.indicator.kind !== 'cumulative' || m.period.year === period.year),
  );
  const previous = usablePrevious(item, period);
  if (previous && !previous.queried && !months.some((m) => comparePeriods(m.period, previous.period) === 0)) months.push(previous);
  return months.sort((a, b) => comparePeriods(a.period, b.period));
}

function largest(list: Dated[]): Dated | undefined {
  return list.reduce<Dated | undefined>((best, m) => (best === undefined || m.value.greaterThanOrEqualTo(best.value) ? m : best), undefined);
}

function smallest(list: Dated[]): Dated | undefined {
  return list.reduce<Dated | undefined>((best, m) => (best === undefined || m.value.lessThan(best.value) ? m : best), undefined);
}

const OP_WORDS: Record<RelationOp, MessageKey> = {
  '<=': 'checks.op_le',
  '<': 'checks.op_lt',
  '>=': 'checks.op_ge',
  '>': 'checks.op_gt',
};

/** The organisation file's relations that the figure breaks, against the other side's figure of the same period. */
function relationQueries(ctx: QueryContext, item: DialogueItem, value: Decimal, answers: Record<string, StoredAnswer>): string[] {
  const { t, locale } = ctx;
  const key = item.indicator.key;
  return (ctx.relations ?? []).flatMap((relation) => {
    const onLeft = relation.left.key === key;
    if (!onLeft && relation.right.key !== key) return [];
    const other = onLeft ? relation.right : relation.left;
    const otherValue = figureOf(ctx, other.key, answers);
    // The other side in this figure's unit, so that 万元 and 亿元 compare; another dimension never does.
    const comparable = otherValue === undefined ? undefined : convert(otherValue, other.unit, item.indicator.unit);
    if (comparable === undefined) return [];
    const comparison = onLeft ? value.comparedTo(comparable) : comparable.comparedTo(value);
    if (relationHolds(relation.op, comparison)) return [];
    const leftValue = onLeft ? value : (otherValue ?? value);
    const rightValue = onLeft ? (otherValue ?? value) : value;
    const params = {
      left: indicatorName(relation.left, locale),
      right: indicatorName(relation.right, locale),
      value: showFigure(t, relation.left, leftValue),
      other: showFigure(t, relation.right, rightValue),
      op: t(OP_WORDS[relation.op]),
    };
    return [relation.message === undefined ? t('checks.warn_relation', params) : t('checks.warn_relation_message', { ...params, message: relation.message })];
  });
}

/** The other side's figure: the answer given in this dialogue, else the one stored for the period. */
function figureOf(ctx: QueryContext, key: string, answers: Record<string, StoredAnswer>): Decimal | undefined {
  const answer = answers[key];
  if (isAnswered(answer)) return new Decimal(answer.value);
  const item = ctx.items.find((i) => i.indicator.key === key);
  return item?.current?.value ?? ctx.related?.[key];
}

/** How many times one figure is another, as a query says it: 3.2 (倍), and whole from 100 on (9833, not 9833.3). */
function timesText(ratio: Decimal): string {
  return formatDecimal(ratio, ratio.greaterThanOrEqualTo(100) ? 0 : 1);
}
