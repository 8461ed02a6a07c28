import type { DialogueContext, DialogueItem, DialogueRelation } from '../../core/dialogue/types.js';
import type { Decimal } from '../../core/decimal.js';
import type { Translate } from '../../core/i18n.js';
import type { CheckConfig, ScheduleConfig } from '../../core/org/parse.js';
import { type Period, addMonths, comparePeriods, previousPeriod } from '../../core/period.js';
import { deadlineOf } from '../../core/schedule.js';
import type { Tx } from '../../db/database.js';
import { type StoredIndicator, toDecimal } from '../../db/org-repository.js';
import { type SqlParam, intArray, sqlOf } from '../../db/sql.js';
import { type Member, isOwed } from '../../core/domain.js';
import { greetingName } from './member.js';

/** A figure as the dialogue reads it, with its latest revision's note. */
export interface FigureRow {
  indicator_id: number;
  year: number;
  month: number;
  value: string;
  note: string | null;
  /** Marked 待核实: the checks set it aside, as an import does. */
  queried: boolean;
}

/**
 * The dialogue's figures of a period read ahead, in the turn's first statement (`dialogueFigures` there),
 * for the organisation snapshot the turn then finds.
 */
export interface ReadAhead {
  period: Period;
  rows: FigureRow[];
}

/** What a section's dialogue needs of the indicators: its own, the relations naming one, the other sides. */
interface SectionIndicators {
  indicators: StoredIndicator[];
  relations: StoredRelation[];
  others: Set<StoredIndicator>;
  /**
   * Whether any of its own has a `from` (报送起始月) or is quarterly: if none, every one is owed in every
   * period.
   */
  dated: boolean;
  /** Whether any of its own is quarterly: last year's December is then read in the first quarter (its 上季度). */
  quarterly: boolean;
}

// One empty list, so that calls without checks share what `indicatorsOf` worked out.
const NO_CHECKS: readonly CheckConfig[] = [];

/** An organisation's indicators grouped by section, and every relation whose two sides are active. */
interface Grouped {
  bySection: Map<string | undefined, StoredIndicator[]>;
  relations: StoredRelation[];
  sections: Map<string | undefined, SectionIndicators>;
}

/*
 * Worked out once per list of indicators and checks (an organisation snapshot's, which lives until the
 * organisation changes), then once per section: going through every indicator of the organisation on each
 * turn cost more than the rest of the turn's own work in an organisation of hundreds of sections. Shared,
 * so read-only.
 */
const groupedOf = new WeakMap<readonly StoredIndicator[], WeakMap<readonly CheckConfig[], Grouped>>();

function grouped(all: StoredIndicator[], checks: readonly CheckConfig[]): Grouped {
  let byChecks = groupedOf.get(all);
  if (!byChecks) groupedOf.set(all, (byChecks = new WeakMap()));
  let known = byChecks.get(checks);
  if (!known) {
    const bySection = new Map<string | undefined, StoredIndicator[]>();
    for (const indicator of all) {
      const list = bySection.get(indicator.sectionKey);
      if (list) list.push(indicator);
      else bySection.set(indicator.sectionKey, [indicator]);
    }
    byChecks.set(checks, (known = { bySection, relations: relationsOf(checks, all), sections: new Map() }));
  }
  return known;
}

/** The member's section's indicators, and those on the other side of a relation that names one of them. */
function indicatorsOf(member: Member, all: StoredIndicator[], checks: readonly CheckConfig[]): SectionIndicators {
  const organisation = grouped(all, checks);
  let known = organisation.sections.get(member.sectionKey);
  if (!known) {
    const indicators = organisation.bySection.get(member.sectionKey) ?? [];
    const relations = organisation.relations.filter((r) => indicators.includes(r.left) || indicators.includes(r.right));
    const others = new Set(relations.flatMap((r) => [r.left, r.right]).filter((i) => !indicators.includes(i)));
    const quarterly = indicators.some((indicator) => indicator.frequency === 'quarterly');
    const dated = quarterly || indicators.some((indicator) => indicator.from !== undefined);
    organisation.sections.set(member.sectionKey, (known = { indicators, relations, others, dated, quarterly }));
  }
  return known;
}

/**
 * The statement that reads the dialogue's figures of `period` (its parameters numbered after `offset`):
 * each figure with its latest revision's note, this period's and the year's other months' of the member's
 * indicators, last period's (`lastPeriodRead`), and this period's of the other side of a relation. Each part goes by the
 * (indicator, year, month) key: one condition with OR was planned as a scan of every figure of the month
 * in the organisation, so the turn cost more as the month filled. The other side of a relation is never
 * one of the member's own indicators (`indicatorsOf`), and last period is read apart only when it is in
 * another year, so no figure comes twice; with no relation, that part is left out (its parameters too).
 */
export function dialogueFigures(
  member: Member,
  period: Period,
  all: StoredIndicator[],
  checks: readonly CheckConfig[] = NO_CHECKS,
  offset = 0,
): { text: string; params: SqlParam[] } {
  const { indicators, others, quarterly } = indicatorsOf(member, all, checks);
  const before = lastPeriodRead(period, quarterly);
  const n = (k: number) => `$${offset + k}`;
  return {
    text: `SELECT s.indicator_id, s.year, s.month, s.value::text AS value, s.queried,
              (SELECT r.note FROM submission_revision r WHERE r.submission_id = s.id ORDER BY r.revision DESC LIMIT 1) AS note
       FROM (SELECT * FROM submission WHERE indicator_id = ANY(${n(1)}::int[]) AND year = ${n(2)}::int
             UNION ALL
             SELECT * FROM submission WHERE indicator_id = ANY(${n(1)}::int[]) AND year = ${n(3)}::int AND month = ${n(4)}::int AND ${n(3)}::int <> ${n(2)}::int
             ${others.size === 0 ? '' : `UNION ALL
             SELECT * FROM submission WHERE indicator_id = ANY(${n(5)}::int[]) AND year = ${n(2)}::int AND month = ${n(6)}::int`}) s`,
    params: [
      intArray(indicators.map((indicator) => indicator.id)), period.year, before.year, before.month,
      ...(others.size === 0 ? [] : [intArray([...others].map((indicator) => indicator.id)), period.month]),
    ],
  };
}

/**
 * The period before `period` whose figures the dialogue reads when it is in another year: last December, in
 * January (the month before), and in the whole first quarter for a section with a quarterly indicator (the
 * quarter before); else the month before, which is in the year read already.
 */
function lastPeriodRead(period: Period, quarterly: boolean): Period {
  return quarterly && period.month <= 3 ? { year: period.year - 1, month: 12 } : previousPeriod(period);
}

/**
 * What the reporting dialogue needs for a member and a period: their section's indicators owed for it in
 * order (one whose `from` is later is set apart as `notOwed`, from the snapshot: no query),
 * last period's figure of each (for 上月), the year's other months (for the whole-year checks), what is
 * already stored for this period, and the organisation file's relations that name their indicators with
 * the other side's figure. One query, whatever the number of months and indicators — none when the
 * figures of this very period were read ahead (`readAhead`) and nothing was written since.
 */
export async function dialogueContext(
  tx: Tx,
  member: Member,
  period: Period,
  t: Translate,
  all: StoredIndicator[],
  /** The schedule that governs the member's section (the organisation snapshot's). */
  schedule: ScheduleConfig,
  /** The organisation file's `checks:`. */
  checks: readonly CheckConfig[] = NO_CHECKS,
  readAhead?: ReadAhead,
  /** An indicator's annual target for the period's year (the organisation snapshot's), for the checks. */
  targetOf?: (indicatorId: number, year: number) => Decimal | undefined,
): Promise<DialogueContext> {
  const { indicators: own, relations, others, dated } = indicatorsOf(member, all, checks);
  const indicators = dated ? own.filter((indicator) => isOwed(indicator, period)) : own;
  const notOwed = dated ? own.filter((indicator) => !isOwed(indicator, period)) : [];
  const before = previousPeriod(period);
  const readNow = () => {
    const statement = dialogueFigures(member, period, all, checks);
    return sqlOf(tx).query<FigureRow>(statement.text, statement.params);
  };
  const read = readAhead && comparePeriods(readAhead.period, period) === 0 ? readAhead.rows : await readNow();
  const rows = read.map((row) => ({ indicatorId: row.indicator_id, year: row.year, month: row.month, value: row.value, note: row.note, queried: row.queried }));
  // A figure marked 待核实 is no yardstick for the checks: it is flagged already, and may be the wrong one.
  const monthOf = (row: (typeof rows)[number], at: Period) => ({ period: at, value: toDecimal(row.value), ...(row.queried ? { queried: true as const } : {}) });
  const items = indicators.map((indicator): DialogueItem => {
    const own = rows.filter((row) => row.indicatorId === indicator.id);
    // A quarterly figure's yardstick is the quarter before's (last year's December in the first quarter).
    const last = indicator.frequency === 'quarterly' ? addMonths(period, -3) : before;
    const previousRow = own.find((row) => row.year === last.year && row.month === last.month);
    const currentRow = own.find((row) => row.year === period.year && row.month === period.month);
    // A cumulative figure restarts every January: December's is no yardstick for it.
    const comparable = previousRow && (indicator.kind !== 'cumulative' || last.year === period.year);
    const year = own
      .filter((row) => row.year === period.year && row.month !== period.month)
      .map((row) => monthOf(row, { year: row.year, month: row.month }))
      .sort((a, b) => a.period.month - b.period.month);
    const yearBefore = previousRow && !comparable ? { yearBefore: monthOf(previousRow, last) } : {};
    const target = targetOf?.(indicator.id, period.year);
    return {
      indicator,
      ...yearBefore,
      ...(target === undefined ? {} : { target }),
      previous: comparable ? monthOf(previousRow, last) : undefined,
      current: currentRow ? { value: toDecimal(currentRow.value), note: currentRow.note ?? undefined } : undefined,
      ...(year.length === 0 ? {} : { year }),
    };
  });
  // The month before, owed and still without a figure of some: named when this month is all in.
  const missingBefore = own.filter((indicator) => isOwed(indicator, before) && !rows.some((row) => row.indicatorId === indicator.id && row.year === before.year && row.month === before.month));
  const related: Record<string, Decimal> = {};
  for (const indicator of others) {
    const row = rows.find((r) => r.indicatorId === indicator.id && r.year === period.year && r.month === period.month);
    if (row) related[indicator.key] = toDecimal(row.value);
  }
  return {
    period,
    deadline: deadlineOf(period, schedule),
    items,
    memberName: member.name,
    greetingName: greetingName(member),
    locale: member.locale,
    t,
    ...(relations.length === 0 ? {} : { relations, related }),
    ...(notOwed.length === 0 ? {} : { notOwed }),
    ...(missingBefore.length === 0 ? {} : { earlierMissing: { period: before, deadline: deadlineOf(before, schedule), count: missingBefore.length } }),
  };
}

type StoredRelation = DialogueRelation & { left: StoredIndicator; right: StoredIndicator };

/** The relations of the organisation file's checks whose two sides are active indicators. */
export function relationsOf(checks: readonly CheckConfig[], all: StoredIndicator[]): StoredRelation[] {
  const byKey = new Map(all.map((indicator) => [indicator.key, indicator]));
  return checks.flatMap((check) => {
    const left = byKey.get(check.left);
    const right = byKey.get(check.right);
    if (!left || !right) return [];
    return [{ left, op: check.op, right, ...(check.message === undefined ? {} : { message: check.message }) }];
  });
}
