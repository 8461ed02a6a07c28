import type { Decimal } from './decimal.js';
import type { IndicatorDef, Locale, MonthlyFigure } from './domain.js';
import type { Translate } from './i18n.js';
import { type Period, periodIndex, previousPeriod } from './period.js';
import { queriesFor } from './dialogue/queries.js';
import type { DialogueRelation, StoredAnswer } from './dialogue/types.js';

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
 * ones they replace. One list of reasons per figure, in the order given; empty where nothing looks wrong.
 */
export function importQueries(
  figures: readonly ImportedFigure[],
  stored: ReadonlyMap<string, readonly MonthlyFigure[]>,
  relations: readonly DialogueRelation[],
  t: Translate,
  locale: Locale,
): string[][] {
  const after = new Map<string, Map<number, { period: Period; value: Decimal }>>();
  const monthsOf = (key: string) => {
    let months = after.get(key);
    if (!months) after.set(key, (months = new Map()));
    return months;
  };
  for (const [key, list] of stored) {
    for (const figure of list) monthsOf(key).set(periodIndex(figure), { period: { year: figure.year, month: figure.month }, value: figure.value });
  }
  for (const figure of figures) monthsOf(figure.indicator.key).set(periodIndex(figure.period), { period: figure.period, value: figure.value });

  const ctx = { t, locale, items: [], relations: [...relations] };
  const related = [...new Set(relations.flatMap((relation) => [relation.left.key, relation.right.key]))];
  return figures.map((figure) => {
    const months = [...monthsOf(figure.indicator.key).values()];
    const at = periodIndex(figure.period);
    const year = months.filter((month) => month.period.year === figure.period.year && periodIndex(month.period) !== at);
    const previous = monthsOf(figure.indicator.key).get(periodIndex(previousPeriod(figure.period)));
    // The other side of a relation: its figure of the same month, as the file leaves it.
    const answers: Record<string, StoredAnswer> = {};
    for (const key of related) {
      const other = key === figure.indicator.key ? undefined : after.get(key)?.get(at);
      if (other) answers[key] = { value: other.value.toFixed() };
    }
    const item = { indicator: figure.indicator, year, ...(previous ? { previous } : {}) };
    return queriesFor(ctx, item, figure.value, figure.period, answers);
  });
}
