import type { Decimal } from '../core/decimal.js';
import type { MonthlyFigure } from '../core/domain.js';
import type { Db, Tx } from '../db/database.js';
import { toDecimal } from '../db/org-repository.js';
import { intArray, sqlOf } from '../db/sql.js';

type FigureRow = { key: string; year: number; month: number; value: string; queried: boolean };

/**
 * The latest figures of `years`, by indicator key, in the core's shape; of the indicators `ids` only when
 * given (a chat turn reads its own few, not the whole organisation's).
 */
export async function figuresByIndicator(db: Db | Tx, years: number[], ids?: readonly number[]): Promise<Map<string, MonthlyFigure[]>> {
  const rows = await sqlOf(db).query<FigureRow>(
    `SELECT i.key, s.year, s.month, s.value::text AS value, s.queried
     FROM submission s JOIN indicator i ON i.id = s.indicator_id
     WHERE s.year = ANY($1::int[])${ids ? ' AND s.indicator_id = ANY($2::int[])' : ''}
     ORDER BY s.year, s.month`,
    ids ? [intArray(years), intArray(ids)] : [intArray(years)],
  );
  return byIndicator(rows);
}

/**
 * `figuresByIndicator` and the targets of `targetYear` by indicator key, in one statement (one round trip
 * of a chat turn where there were two).
 */
export async function figuresAndTargets(
  db: Db | Tx,
  years: number[],
  targetYear: number,
  ids?: readonly number[],
): Promise<FiguresAndTargets> {
  const read = figuresAndTargetsJson('$1::int[]', '$2::int', ids ? '$3::int[]' : undefined);
  const [row] = await sqlOf(db).query<{ figures: string; targets: string }>(
    `SELECT ${read.figures} AS figures, ${read.targets} AS targets`,
    ids ? [intArray(years), targetYear, intArray(ids)] : [intArray(years), targetYear],
  );
  return parseFiguresAndTargets(row?.figures ?? '[]', row?.targets ?? '[]');
}

/** What progress lines are computed from: figures by indicator key, oldest first, and a year's targets. */
export interface FiguresAndTargets {
  figures: Map<string, MonthlyFigure[]>;
  targets: Map<string, Decimal>;
}

/**
 * SQL selecting, as json text, the figures of years `years` and the targets of year `year` (SQL
 * expressions: placeholders) of the indicators `ids` or of all, for a statement that reads them, alone or
 * alongside its own work (`parseFiguresAndTargets` reads the result).
 */
export function figuresAndTargetsJson(years: string, year: string, ids?: string): { figures: string; targets: string } {
  const of = (column: string) => (ids ? ` AND ${column} = ANY(${ids})` : '');
  return {
    figures: `(SELECT coalesce(json_agg(json_build_object('key', i.key, 'year', s.year, 'month', s.month, 'value', s.value::text, 'queried', s.queried)
        ORDER BY s.year, s.month), '[]')::text
      FROM submission s JOIN indicator i ON i.id = s.indicator_id WHERE s.year = ANY(${years})${of('s.indicator_id')})`,
    targets: `(SELECT coalesce(json_agg(json_build_object('key', i.key, 'value', t.value::text)), '[]')::text
      FROM target t JOIN indicator i ON i.id = t.indicator_id WHERE t.year = ${year}${of('t.indicator_id')})`,
  };
}

export function parseFiguresAndTargets(figures: string, targets: string): FiguresAndTargets {
  const targetRows = JSON.parse(targets) as { key: string; value: string }[];
  return { figures: byIndicator(JSON.parse(figures) as FigureRow[]), targets: new Map(targetRows.map((row) => [row.key, toDecimal(row.value)])) };
}

/** `known` with `added` figures in their places (each of a month `known` has none of for its indicator). */
export function withFigures(known: Map<string, MonthlyFigure[]>, added: { key: string; figure: MonthlyFigure }[]): Map<string, MonthlyFigure[]> {
  const figures = new Map(known);
  for (const { key, figure } of added) {
    const list = [...(figures.get(key) ?? []), figure];
    figures.set(key, list.sort((a, b) => a.year - b.year || a.month - b.month));
  }
  return figures;
}

function byIndicator(rows: FigureRow[]): Map<string, MonthlyFigure[]> {
  const byKey = new Map<string, MonthlyFigure[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ year: row.year, month: row.month, value: toDecimal(row.value), ...(row.queried ? { queried: true } : {}) });
    byKey.set(row.key, list);
  }
  return byKey;
}
