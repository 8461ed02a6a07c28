import type { MonthlyFigure } from '../core/domain.js';
import type { Db, Tx } from '../db/database.js';
import { toDecimal } from '../db/org-repository.js';
import { intArray, sqlOf } from '../db/sql.js';

/**
 * The latest figures of `years`, by indicator key, in the core's shape; of the indicators `ids` only when
 * given (a chat turn reads its own few, not the whole organisation's).
 */
export async function figuresByIndicator(db: Db | Tx, years: number[], ids?: readonly number[]): Promise<Map<string, MonthlyFigure[]>> {
  const rows = await sqlOf(db).query<{ key: string; year: number; month: number; value: string; queried: boolean }>(
    `SELECT i.key, s.year, s.month, s.value::text AS value, s.queried
     FROM submission s JOIN indicator i ON i.id = s.indicator_id
     WHERE s.year = ANY($1::int[])${ids ? ' AND s.indicator_id = ANY($2::int[])' : ''}
     ORDER BY s.year, s.month`,
    ids ? [intArray(years), intArray(ids)] : [intArray(years)],
  );
  const byKey = new Map<string, MonthlyFigure[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ year: row.year, month: row.month, value: toDecimal(row.value), ...(row.queried ? { queried: true } : {}) });
    byKey.set(row.key, list);
  }
  return byKey;
}
