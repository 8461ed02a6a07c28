import type { DialogueContext, DialogueItem } from '../../core/dialogue/types.js';
import type { Translate } from '../../core/i18n.js';
import type { ScheduleConfig } from '../../core/org/parse.js';
import { type Period, previousPeriod } from '../../core/period.js';
import { deadlineOf } from '../../core/schedule.js';
import type { Tx } from '../../db/database.js';
import { type StoredIndicator, toDecimal } from '../../db/org-repository.js';
import type { Member } from '../../core/domain.js';
import { greetingName } from './member.js';

/**
 * What the reporting dialogue needs for a member and a period: their section's indicators in order,
 * last period's figure of each (for 上月 and the checks) and what is already stored for this period.
 */
export async function dialogueContext(
  tx: Tx,
  member: Member,
  period: Period,
  t: Translate,
  all: StoredIndicator[],
  /** The schedule that governs the member's section (the organisation snapshot's). */
  schedule: ScheduleConfig,
): Promise<DialogueContext> {
  const indicators = all.filter((indicator) => indicator.sectionKey === member.sectionKey);
  const before = previousPeriod(period);
  const rows = await tx.submission.findMany({
    where: {
      indicatorId: { in: indicators.map((indicator) => indicator.id) },
      OR: [{ year: period.year, month: period.month }, { year: before.year, month: before.month }],
    },
    include: { revisions: { orderBy: { revision: 'desc' }, take: 1, select: { note: true } } },
  });
  const items = indicators.map((indicator): DialogueItem => {
    const previousRow = rows.find((row) => row.indicatorId === indicator.id && row.year === before.year && row.month === before.month);
    const currentRow = rows.find((row) => row.indicatorId === indicator.id && row.year === period.year && row.month === period.month);
    // A cumulative figure restarts every January: December's is no yardstick for it.
    const comparable = previousRow && (indicator.kind !== 'cumulative' || before.year === period.year);
    return {
      indicator,
      previous: comparable ? { period: before, value: toDecimal(previousRow.value) } : undefined,
      current: currentRow ? { value: toDecimal(currentRow.value), note: currentRow.revisions[0]?.note ?? undefined } : undefined,
    };
  });
  return {
    period,
    deadline: deadlineOf(period, schedule),
    items,
    memberName: member.name,
    greetingName: greetingName(member),
    locale: member.locale,
    t,
  };
}
