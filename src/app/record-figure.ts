import type { Decimal } from '../core/decimal.js';
import { type Period, formatPeriod } from '../core/period.js';
import { AppError } from '../core/errors.js';
import type { Tx } from './deps.js';
import { type AloneStatement, type SqlParam, intArray, sqlOf } from '../db/sql.js';
import { toDecimal } from '../db/org-repository.js';
import type { MonthlyFigure } from '../core/domain.js';
import { type FiguresAndTargets, figuresAndTargetsJson, parseFiguresAndTargets, withFigures } from './figures.js';

/** One figure to store: the value is already in the indicator's unit. */
export interface FigureInput {
  indicatorId: number;
  period: Period;
  value: Decimal;
  /** Who reported it; none for imports and demo data. */
  memberId?: number;
  /** `telegram`, `wechat`, `terminal`, `import`, `demo` … */
  channel: string;
  note?: string;
  /** Why a figure was corrected. */
  reason?: string;
  /** The reporter kept it although a check queried it: marked for the directors until stored again unqueried. */
  queried?: boolean;
  at: Date;
}

export type RecordStatus = 'created' | 'revised' | 'unchanged';

/**
 * Stores a figure as a new revision (the first, or one more) inside the caller's transaction; without a
 * note of its own a revision keeps the note before it. The same value and note again is `unchanged` and
 * writes nothing, so a repeated import or a message delivered
 * twice leaves one revision. Nothing is ever overwritten: the submission row points at the latest value,
 * the revisions keep all of them.
 */
export async function recordFigure(
  tx: Tx,
  input: FigureInput,
): Promise<{ status: RecordStatus; revision: number; /** A revised figure's value before. */ previous?: string }> {
  const { key, value, revisionData } = parts(input);
  const existing = await tx.submission.findUnique({
    where: { indicatorId_year_month: key },
    include: { revisions: { orderBy: { revision: 'desc' }, take: 1 } },
  });
  if (!existing) {
    await createFirst(tx, input);
    return { status: 'created', revision: 1 };
  }
  const latestNote = existing.revisions[0]?.note ?? null;
  const sameNote = input.note === undefined || input.note === latestNote;
  const queried = input.queried === true;
  if (input.value.equals(existing.value.toString()) && sameNote) {
    // The same figure confirmed again: only its mark follows the latest confirmation.
    if (existing.queried !== queried) await tx.submission.update({ where: { id: existing.id }, data: { queried } });
    return { status: 'unchanged', revision: existing.revision };
  }
  const revision = existing.revision + 1;
  // The revision number in the WHERE clause makes a concurrent writer's update fail instead of being lost.
  const { count } = await tx.submission.updateMany({
    where: { id: existing.id, revision: existing.revision },
    data: { value, revision, queried, updatedAt: input.at },
  });
  if (count !== 1) throw new AppError('write_conflict', 'the figure was revised meanwhile');
  // A new figure without a note of its own keeps the one it replaces (a correction of 3.95亿 含省补资金1.2亿 to
  // 3.98亿 still names what it includes); a note given replaces it.
  await tx.submissionRevision.create({ data: { submissionId: existing.id, revision, ...revisionData, note: input.note ?? latestNote } });
  return { status: 'revised', revision, previous: existing.value.toString() };
}

/** A report's figures of one period, to store only where none is in yet (`recordFirstFigures`). */
export interface FirstFigures {
  period: Period;
  figures: { indicatorId: number; key: string; value: Decimal; note?: string; queried?: boolean }[];
  memberId?: number;
  channel: string;
  reason?: string;
  at: Date;
  /** Written with them when at least one is stored: who stored which figures (`figures.submit`). */
  audit: { actor: string; action: string };
}

/** What `recordFirstFigures` did with each figure, and the figures its progress lines are computed from. */
export interface FirstFiguresOutcome {
  outcomes: ({ stored: true } | { stored: false; value: string })[];
  /**
   * The figures of these indicators in the period's year and the year before, as they stand with this
   * report's, and the period year's targets: read in the same statement (a round trip less for 确认).
   */
  after: FiguresAndTargets;
}

/**
 * Stores each figure only if none is in for its indicator and period, else returns the one that is; and,
 * when any was stored, the audit row that lists those. One statement: a single read decides, and if
 * another transaction stores the same figure after it, this one's insert fails on the unique key (and the
 * turn is handled again), so a colleague's figure is never revised by a report that did not see it.
 */
export async function recordFirstFigures(tx: Tx, input: FirstFigures): Promise<FirstFiguresOutcome> {
  const params: SqlParam[] = [];
  const write = firstFiguresWrite(input, params);
  const years = `$${params.push(intArray([input.period.year - 1, input.period.year]))}::int[]`;
  // Read in the statement's snapshot, from before its inserts: what it stores is added below. Every read
  // names its indicators, so that it can go by the (indicator, year, month) key: a read by period alone
  // costs more the more figures the whole organisation has in that month.
  const read = figuresAndTargetsJson(years, `${write.year}`, 'ARRAY(SELECT indicator_id FROM input)');
  const rows = await sqlOf(tx).query<{ existing: string | null; created: string | null; figures: string; targets: string }>(
    `WITH ${write.ctes}
     SELECT e.value AS existing, c.value AS created, ${read.figures} AS figures, ${read.targets} AS targets
     FROM input i LEFT JOIN existing e ON e.indicator_id = i.indicator_id LEFT JOIN created c ON c.indicator_id = i.indicator_id
     ORDER BY i.ord`,
    params,
  );
  return firstFiguresOutcome(
    input,
    rows.map((row) => row.existing ?? undefined),
    rows.map((row) => row.created ?? undefined),
    rows[0],
  );
}

/**
 * What storing a report's first figures did, from each figure's value already in (`existing[i]`, then not
 * stored) or as stored (`created[i]`, numeric's scale applied), and the figures and targets read before
 * (JSON of `figuresAndTargetsJson`): the stored ones are added to those in their places.
 */
function firstFiguresOutcome(
  input: FirstFigures,
  existing: (string | undefined)[],
  created: (string | undefined)[],
  read: { figures: string; targets: string } | undefined,
): FirstFiguresOutcome {
  const outcomes = existing.map((value) => (value === undefined ? ({ stored: true } as const) : { stored: false as const, value }));
  const before = read ? parseFiguresAndTargets(read.figures, read.targets) : { figures: new Map(), targets: new Map() };
  return { outcomes, after: { figures: withFigures(before.figures, addedFigures(input, created)), targets: before.targets } };
}

/** A report's first figures as read before they are stored (`readFirstFigures`), to store with a write of one's own. */
export interface FirstFiguresRead {
  input: FirstFigures;
  /** What storing them would do, were nothing to change before the write. */
  outcome: FirstFiguresOutcome;
  /** The fingerprint of their indicators' figures (this year's and last) when read. */
  seen: string;
  /** The SQL expression of that fingerprint, its parameters appended to `params`. */
  fingerprint(params: SqlParam[]): string;
}

/**
 * Reads what `recordFirstFigures` would decide for `input` — which figures are in already, the figures
 * and targets its closing lines are computed from — and a fingerprint of those figures, so that a write
 * of the caller's (`firstFiguresWrite` with the fingerprint unchanged as its condition) stores them only
 * if nothing changed since. `query` runs one statement.
 */
export async function readFirstFigures(
  query: AloneStatement,
  input: FirstFigures,
): Promise<FirstFiguresRead> {
  const ids = intArray(input.figures.map((figure) => figure.indicatorId));
  const years = intArray([input.period.year - 1, input.period.year]);
  const fingerprint = (params: SqlParam[]) =>
    `(SELECT md5(coalesce(string_agg(concat_ws(':', s.indicator_id, s.year, s.month, s.value::text, s.revision, s.queried), ','
        ORDER BY s.indicator_id, s.year, s.month), '')) FROM submission s
      WHERE s.indicator_id = ANY($${params.push(ids)}::int[]) AND s.year = ANY($${params.push(years)}::int[]))`;
  const params: SqlParam[] = [];
  const of = `$${params.push(ids)}::int[]`;
  const read = figuresAndTargetsJson(`$${params.push(years)}::int[]`, `$${params.push(input.period.year)}::int`, of);
  const [row] = await query<{ existing: string; figures: string; targets: string; fingerprint: string }>(
    `SELECT (SELECT coalesce(json_agg(json_build_object('indicator_id', s.indicator_id, 'value', s.value::text)), '[]')::text
               FROM submission s WHERE s.indicator_id = ANY(${of}) AND s.year = $${params.push(input.period.year)}::int AND s.month = $${params.push(input.period.month)}::int) AS existing,
            ${read.figures} AS figures, ${read.targets} AS targets, ${fingerprint(params)} AS fingerprint`,
    params,
  );
  const stored = new Map((JSON.parse(row!.existing) as { indicator_id: number; value: string }[]).map((figure) => [figure.indicator_id, figure.value]));
  const existing = input.figures.map((figure) => stored.get(figure.indicatorId));
  const created = input.figures.map((figure, index) => (existing[index] === undefined ? figure.value.toFixed() : undefined));
  return { input, outcome: firstFiguresOutcome(input, existing, created, row), seen: row!.fingerprint, fingerprint };
}

/**
 * The WITH clauses that store a report's first figures (`recordFirstFigures`), their parameters appended
 * to `params`: `input` (the figures), `existing` (those in already, in the statement's snapshot),
 * `created` (the submissions written, returning id, indicator_id, value), their first revisions, and the
 * audit row when any was written. With `only`, an SQL condition, nothing is written unless it holds.
 * `year` is the period's year as a parameter reference.
 */
export function firstFiguresWrite(input: FirstFigures, params: SqlParam[], only?: string): { ctes: string; year: string } {
  const ids = input.figures.map((figure) => figure.indicatorId);
  if (new Set(ids).size !== ids.length) throw new AppError('internal', 'the same indicator twice in one report');
  const figures = input.figures.map((figure, index) => ({
    ord: index,
    indicator_id: figure.indicatorId,
    key: figure.key,
    value: figure.value.toFixed(),
    note: figure.note ?? null,
    queried: figure.queried === true,
  }));
  const bind = (value: SqlParam) => `$${params.push(value)}`;
  const json = bind(JSON.stringify(figures));
  const year = `${bind(input.period.year)}::int`;
  const month = `${bind(input.period.month)}::int`;
  const at = `${bind(input.at)}::timestamptz`;
  const channel = `${bind(input.channel)}::text`;
  const reason = `${bind(input.reason ?? null)}::text`;
  return {
    year,
    ctes: `input AS (
       SELECT * FROM json_to_recordset(${json}::json) AS i(ord int, indicator_id int, key text, value text, note text, queried boolean)),
     existing AS (
       SELECT s.indicator_id, s.value::text AS value FROM submission s
       WHERE s.indicator_id = ANY(ARRAY(SELECT indicator_id FROM input)) AND s.year = ${year} AND s.month = ${month}),
     created AS (
       INSERT INTO submission (indicator_id, year, month, value, revision, queried, updated_at)
       SELECT i.indicator_id, ${year}, ${month}, i.value::numeric, 1, i.queried, ${at} FROM input i
       WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.indicator_id = i.indicator_id)${only ? ` AND ${only}` : ''}
       RETURNING id, indicator_id, value::text AS value),
     revision AS (
       INSERT INTO submission_revision (submission_id, revision, value, member_id, channel, note, reason, created_at)
       SELECT c.id, 1, i.value::numeric, ${bind(input.memberId ?? null)}::int, ${channel}, i.note, ${reason}, ${at} FROM created c JOIN input i ON i.indicator_id = c.indicator_id),
     audit AS (
       INSERT INTO audit_log (at, actor, action, subject, details)
       SELECT ${at}, ${bind(input.audit.actor)}::text, ${bind(input.audit.action)}::text, ${bind(formatPeriod(input.period))}::text,
         jsonb_build_object('channel', ${channel}, 'figures', jsonb_agg(jsonb_build_object('key', i.key, 'value', i.value) ORDER BY i.ord), 'reason', ${reason})
       FROM created c JOIN input i ON i.indicator_id = c.indicator_id
       HAVING count(*) > 0)`,
  };
}

/** Each figure as stored (numeric's scale applied, `created[i]` as the database returned it), in its place among those read. */
function addedFigures(input: FirstFigures, created: (string | undefined)[]): { key: string; figure: MonthlyFigure }[] {
  const { year, month } = input.period;
  return input.figures.flatMap((figure, index) => {
    const value = created[index];
    return value == null ? [] : [{ key: figure.key, figure: { year, month, value: toDecimal(value), ...(figure.queried ? { queried: true } : {}) } }];
  });
}

function parts(input: FigureInput) {
  const value = input.value.toFixed();
  return {
    key: { indicatorId: input.indicatorId, year: input.period.year, month: input.period.month },
    value,
    revisionData: {
      value,
      memberId: input.memberId ?? null,
      channel: input.channel,
      note: input.note ?? null,
      reason: input.reason ?? null,
      createdAt: input.at,
    },
  };
}

async function createFirst(tx: Tx, input: FigureInput): Promise<void> {
  const { key, value, revisionData } = parts(input);
  await tx.submission.create({
    data: { ...key, value, revision: 1, queried: input.queried === true, updatedAt: input.at, revisions: { create: { revision: 1, ...revisionData } } },
  });
}
