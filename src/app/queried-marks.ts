import type { Locale } from '../core/domain.js';
import { translator } from '../core/i18n.js';
import { importQueries } from '../core/import-queries.js';
import type { Period } from '../core/period.js';
import type { Tx } from '../db/database.js';
import type { CheckConfig } from '../core/org/parse.js';
import type { StoredIndicator } from '../db/org-repository.js';
import { intArray, sqlOf } from '../db/sql.js';
import { relationsOf } from './chat/dialogue-context.js';
import { figuresByIndicator } from './figures.js';

/** A figure whose 待核实 mark was taken off because nothing queries it any more. */
export interface Unmarked {
  indicatorKey: string;
  period: Period;
}

/**
 * After figures changed (a correction in chat, an import), the 待核实 marks that nothing queries any more
 * are taken off: a corrected November can clear the October it made look "above a later month", and a
 * corrected 总产值 the 增加值 that stood above it. Looked at: the marked figures of the changed years, of the
 * changed indicators and of those the organisation file relates to them; each is checked as the chat
 * checks a figure, against the stored figures as they now are. A mark something still queries stays, as
 * do the changed figures' own and every mark of another year. Returns what was unmarked, for the audit log.
 */
export async function clearResolvedMarks(
  tx: Tx,
  /** The figures just stored: their own marks are what storing them decided, and are left alone. */
  changed: ReadonlyArray<{ indicatorKey: string; period: Period }>,
  known: { indicators: readonly StoredIndicator[]; checks: readonly CheckConfig[] },
  locale: Locale = 'zh-CN',
): Promise<Unmarked[]> {
  if (changed.length === 0) return [];
  const relations = relationsOf(known.checks, [...known.indicators]);
  const keys = new Set(changed.map((change) => change.indicatorKey));
  for (const relation of relations) {
    if (keys.has(relation.left.key) || keys.has(relation.right.key)) keys.add(relation.left.key).add(relation.right.key);
  }
  const years = [...new Set(changed.map((change) => change.period.year))];
  const justStored = new Set(changed.map((change) => `${change.indicatorKey} ${change.period.year} ${change.period.month}`));
  // The year before too: a January is compared with the December before it.
  const stored = await figuresByIndicator(tx, [...new Set(years.flatMap((year) => [year, year - 1]))]);
  const byKey = new Map(known.indicators.map((indicator) => [indicator.key, indicator]));
  const marked = [...keys].flatMap((key) => {
    const indicator = byKey.get(key);
    const figures = stored.get(key) ?? [];
    const looked = figures.filter((figure) => figure.queried && years.includes(figure.year) && !justStored.has(`${key} ${figure.year} ${figure.month}`));
    return indicator ? looked.map((figure) => ({ indicator, figure })) : [];
  });
  if (marked.length === 0) return [];
  const reasons = importQueries(
    marked.map(({ indicator, figure }) => ({ indicator, period: { year: figure.year, month: figure.month }, value: figure.value })),
    stored,
    relations,
    translator(locale),
    locale,
    'all',
  );
  const clear = marked.filter((_, index) => reasons[index]!.length === 0);
  if (clear.length === 0) return [];
  await setQueried(tx, clear.map(({ indicator, figure }) => ({ indicatorId: indicator.id, year: figure.year, month: figure.month })), false);
  return clear.map(({ indicator, figure }) => ({ indicatorKey: indicator.key, period: { year: figure.year, month: figure.month } }));
}

/** Marks stored figures 待核实 (or takes the mark off), in one statement. */
export async function setQueried(
  tx: Tx,
  figures: ReadonlyArray<{ indicatorId: number; year: number; month: number }>,
  queried: boolean,
): Promise<void> {
  if (figures.length === 0) return;
  await sqlOf(tx).query(
    `UPDATE submission s SET queried = $4::boolean
     FROM unnest($1::int[], $2::int[], $3::int[]) AS c(indicator_id, year, month)
     WHERE s.indicator_id = c.indicator_id AND s.year = c.year AND s.month = c.month`,
    [intArray(figures.map((figure) => figure.indicatorId)), intArray(figures.map((figure) => figure.year)), intArray(figures.map((figure) => figure.month)), queried],
  );
}
