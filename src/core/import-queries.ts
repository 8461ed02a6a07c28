import type { Decimal } from './decimal.js';
import type { IndicatorDef, Locale, MonthlyFigure } from './domain.js';
import type { Translate } from './i18n.js';
import { type Period, periodIndex, previousPeriod } from './period.js';
import { isJump, isLevelDrop, queriesFor } from './dialogue/queries.js';
import type { DialogueRelation, StoredAnswer } from './dialogue/types.js';
import { isWholeUnit } from './units.js';

/** One figure of a file being imported, already in its indicator's unit. */
export interface ImportedFigure {
  indicator: IndicatorDef;
  period: Period;
  value: Decimal;
}

/**
 * The chat's second looks (a cumulative figure below an earlier month or above a later one, a jump over
 * 3×, a figure shown as zero, the organisation file's relations) applied to the figures of an import, each
 * against the stored figures as the file leaves them: the file's own months count, in place of the stored
 * ones they replace. One figure mistyped must not make its correct neighbours look wrong (a July of 1.63
 * among 13.80 and 18.90 would have June "above a later month" and August "11.6 times July"): in each
 * indicator's year the fewest months whose removal leaves the rest consistent are set aside, and every
 * figure is compared with the others only. One list of reasons per figure, in the order given; empty where
 * nothing looks wrong.
 */
export function importQueries(
  figures: readonly ImportedFigure[],
  stored: ReadonlyMap<string, readonly MonthlyFigure[]>,
  relations: readonly DialogueRelation[],
  t: Translate,
  locale: Locale,
  /**
   * Which of `figures` count as the file's when a month must be set aside: those that add or change a
   * figure (an import), or all of them (marked figures looked at again: they are the suspects).
   */
  suspects: 'changed' | 'all' = 'changed',
): string[][] {
  const looked = lookAt(figures, stored, relations, t, locale, suspects);
  return figures.map((figure) => looked.reasons(figure));
}

/**
 * `importQueries`' reasons for the file's figures, and the stored figures — not in the file, not marked yet —
 * the file's figures make look wrong: in their indicator's year, the months set aside (above) that are
 * stored ones (a November of 5600 after a file of January–October rising to 52000), each with the reasons
 * the chat would give.
 */
export function importQueriesWithStored(
  figures: readonly ImportedFigure[],
  stored: ReadonlyMap<string, readonly MonthlyFigure[]>,
  relations: readonly DialogueRelation[],
  t: Translate,
  locale: Locale,
): { reasons: string[][]; stored: Array<ImportedFigure & { reasons: string[] }> } {
  const looked = lookAt(figures, stored, relations, t, locale, 'changed');
  const inFile = new Set(figures.map((figure) => `${figure.indicator.key} ${periodIndex(figure.period)}`));
  const indicators = new Map(figures.map((figure) => [figure.indicator.key, figure.indicator]));
  const suspects = [...indicators.values()].flatMap((indicator) =>
    (stored.get(indicator.key) ?? []).flatMap((month) => {
      const period = { year: month.year, month: month.month };
      if (month.queried || inFile.has(`${indicator.key} ${periodIndex(period)}`) || !looked.isSetAside(indicator.key, period)) return [];
      const figure = { indicator, period, value: month.value };
      const reasons = looked.reasons(figure);
      return reasons.length > 0 ? [{ ...figure, reasons }] : [];
    }),
  );
  return { reasons: figures.map((figure) => looked.reasons(figure)), stored: suspects };
}

/** The figures as the file leaves them, the months set aside in each indicator's year, and how to query one. */
function lookAt(
  figures: readonly ImportedFigure[],
  stored: ReadonlyMap<string, readonly MonthlyFigure[]>,
  relations: readonly DialogueRelation[],
  t: Translate,
  locale: Locale,
  suspects: 'changed' | 'all',
) {
  const after = new Map<string, Map<number, Dated>>();
  const monthsOf = (key: string) => {
    let months = after.get(key);
    if (!months) after.set(key, (months = new Map()));
    return months;
  };
  for (const [key, list] of stored) {
    for (const figure of list) monthsOf(key).set(periodIndex(figure), { period: { year: figure.year, month: figure.month }, value: figure.value });
  }
  // The months the file adds or changes. One it leaves as stored counts as stored: when a year is
  // inconsistent, the month set aside is preferably one the file brings, and an unchanged row beside a
  // changed one (a whole year's sheet re-imported with one cell edited) must not be taken for the culprit.
  const fromFile = new Set<string>();
  for (const figure of figures) {
    const key = `${figure.indicator.key} ${periodIndex(figure.period)}`;
    const before = monthsOf(figure.indicator.key).get(periodIndex(figure.period));
    monthsOf(figure.indicator.key).set(periodIndex(figure.period), { period: figure.period, value: figure.value });
    if (suspects === 'all' || !before?.value.equals(figure.value)) fromFile.add(key);
  }
  const setAside = new Map<string, Set<number>>();
  for (const figure of figures) {
    const key = `${figure.indicator.key} ${figure.period.year}`;
    if (setAside.has(key)) continue;
    const year = [...monthsOf(figure.indicator.key).values()]
      .filter((month) => month.period.year === figure.period.year)
      .sort((a, b) => periodIndex(a.period) - periodIndex(b.period));
    const isFile = (month: Dated) => fromFile.has(`${figure.indicator.key} ${periodIndex(month.period)}`);
    setAside.set(key, inconsistentMonths(year, figure.indicator, isFile));
  }

  /*
   * How likely a month's figure is the wrong one when a relation between two indicators breaks: one its own
   * series also makes look wrong (set aside above), then one the file adds or changes, then one stored. A
   * right 总产值 beside a wrong 增加值 is not queried for it; of two equally likely, both are.
   */
  const isSetAside = (key: string, period: Period) => setAside.get(`${key} ${period.year}`)?.has(periodIndex(period)) === true;
  const suspicion = (key: string, period: Period) => (isSetAside(key, period) ? 2 : fromFile.has(`${key} ${periodIndex(period)}`) ? 1 : 0);
  const ctx = { t, locale, items: [], relations: [...relations] };
  const related = [...new Set(relations.flatMap((relation) => [relation.left.key, relation.right.key]))];
  const reasons = (figure: ImportedFigure): string[] => {
    const at = periodIndex(figure.period);
    const aside = (month: Dated) => periodIndex(month.period) !== at && isSetAside(figure.indicator.key, month.period);
    const months = [...monthsOf(figure.indicator.key).values()].filter((month) => !aside(month));
    const year = months.filter((month) => month.period.year === figure.period.year && periodIndex(month.period) !== at);
    const previous = months.find((month) => periodIndex(month.period) === periodIndex(previousPeriod(figure.period)));
    // The other side of a relation: its figure of the same month, as the file leaves it — unless that side
    // is the likelier culprit of a broken relation; then it alone is queried for it.
    const answers: Record<string, StoredAnswer> = {};
    for (const key of related) {
      const other = key === figure.indicator.key ? undefined : after.get(key)?.get(at);
      if (other && suspicion(key, figure.period) <= suspicion(figure.indicator.key, figure.period)) answers[key] = { value: other.value.toFixed() };
    }
    // A cumulative January is compared with last December, the whole of last year (usablePrevious drops it).
    const yearBefore = previous && figure.indicator.kind === 'cumulative' && previous.period.year !== figure.period.year ? { yearBefore: previous } : {};
    const item = { indicator: figure.indicator, year, ...(previous ? { previous } : {}), ...yearBefore };
    return queriesFor(ctx, item, figure.value, figure.period, answers);
  };
  return { reasons, isSetAside };
}

type Dated = { period: Period; value: Decimal };

/**
 * The fewest months of one indicator's year (in month order) whose removal leaves the others consistent —
 * a cumulative series never falling, a level never below half the month before, no month a jump from the
 * one before it (`isJump`) — preferring the file's months to
 * the stored ones; their period indices. A year has at most twelve months: every set is tried.
 */
function inconsistentMonths(months: Dated[], indicator: Pick<IndicatorDef, 'kind' | 'unit'>, isFile: (month: Dated) => boolean): Set<number> {
  const { kind } = indicator;
  const whole = isWholeUnit(indicator.unit);
  const consistent = (kept: Dated[]) =>
    kept.every((month, index) => {
      const before = kept[index - 1];
      if (!before) return true;
      if (kind === 'cumulative' && month.value.lessThan(before.value)) return false;
      if (kind === 'level' && isLevelDrop(month.value, before.value)) return false;
      return !isJump(month.value, before.value, { kind, from: before.period, to: month.period, whole });
    });
  if (consistent(months)) return new Set();
  let best: { removed: Dated[]; stored: number } | undefined;
  // From the highest mask down: of two equal choices, the later month is set aside, as the chat would query
  // the figure entered after the other (18, 20, 19: July's 19 falls, rather than June's 20 being too high).
  for (let mask = (1 << months.length) - 1; mask >= 1; mask -= 1) {
    const removed = months.filter((_, index) => (mask >> index) & 1);
    if (best && removed.length > best.removed.length) continue;
    const stored = removed.filter((month) => !isFile(month)).length;
    if (best && removed.length === best.removed.length && stored >= best.stored) continue;
    if (consistent(months.filter((_, index) => !((mask >> index) & 1)))) best = { removed, stored };
  }
  return new Set((best?.removed ?? []).map((month) => periodIndex(month.period)));
}
