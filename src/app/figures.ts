import type { MonthlyFigure } from '../core/domain.js';
import type { Db, Tx } from '../db/database.js';
import { toDecimal } from '../db/org-repository.js';

/** The latest figures of `years`, by indicator key, in the core's shape. */
export async function figuresByIndicator(db: Db | Tx, years: number[]): Promise<Map<string, MonthlyFigure[]>> {
  const rows = await db.submission.findMany({
    where: { year: { in: years } },
    select: { year: true, month: true, value: true, queried: true, indicator: { select: { key: true } } },
    orderBy: [{ year: 'asc' }, { month: 'asc' }],
  });
  const byKey = new Map<string, MonthlyFigure[]>();
  for (const row of rows) {
    const list = byKey.get(row.indicator.key) ?? [];
    list.push({ year: row.year, month: row.month, value: toDecimal(row.value), ...(row.queried ? { queried: true } : {}) });
    byKey.set(row.indicator.key, list);
  }
  return byKey;
}
