import type { Decimal } from '../core/decimal.js';
import type { Period } from '../core/period.js';
import { AppError } from '../core/errors.js';
import type { Tx } from './deps.js';
import { sqlOf } from '../db/sql.js';

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
 * Stores a figure as a new revision (the first, or one more) inside the caller's transaction. The same
 * value and note again is `unchanged` and writes nothing, so a repeated import or a message delivered
 * twice leaves one revision. Nothing is ever overwritten: the submission row points at the latest value,
 * the revisions keep all of them.
 */
export async function recordFigure(tx: Tx, input: FigureInput): Promise<{ status: RecordStatus; revision: number }> {
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
  await tx.submissionRevision.create({ data: { submissionId: existing.id, revision, ...revisionData } });
  return { status: 'revised', revision };
}

/**
 * Stores a figure only if none is in for its indicator and period, else returns the one that is. A
 * single read decides: if another transaction stores the same figure after it, this one's insert fails
 * on the unique key (and is handled again by the caller), so a colleague's figure is never revised by
 * a report that did not see it.
 */
export async function recordFirstFigure(tx: Tx, input: FigureInput): Promise<{ stored: true } | { stored: false; value: string }> {
  const value = input.value.toFixed();
  // One statement: the read, and the submission with its first revision when there was none.
  const [row] = await sqlOf(tx).query<{ existing: string | null }>(
    `WITH existing AS (
       SELECT value::text AS value FROM submission WHERE indicator_id = $1::int AND year = $2::int AND month = $3::int),
     created AS (
       INSERT INTO submission (indicator_id, year, month, value, revision, queried, updated_at)
       SELECT $1::int, $2::int, $3::int, $4::numeric, 1, $5::boolean, $6::timestamptz WHERE NOT EXISTS (SELECT 1 FROM existing)
       RETURNING id),
     revision AS (
       INSERT INTO submission_revision (submission_id, revision, value, member_id, channel, note, reason, created_at)
       SELECT id, 1, $4::numeric, $7::int, $8::text, $9::text, $10::text, $6::timestamptz FROM created)
     SELECT (SELECT value FROM existing) AS existing`,
    [
      input.indicatorId, input.period.year, input.period.month, value, input.queried === true, input.at,
      input.memberId ?? null, input.channel, input.note ?? null, input.reason ?? null,
    ],
  );
  return row?.existing == null ? { stored: true } : { stored: false, value: row.existing };
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
