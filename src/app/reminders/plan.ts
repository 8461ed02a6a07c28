import { civilDateInZone } from '../../core/calendar.js';
import { isOwed, isReporter } from '../../core/domain.js';
import { type Period, addMonths, previousPeriod } from '../../core/period.js';
import { type PlannedReminder, planReminders } from '../../core/reminders.js';
import { getOrganisation, listIndicators, listMembers } from '../../db/org-repository.js';
import { parseSectionSchedule } from '../../db/stored-json.js';
import { sqlOf, textArray } from '../../db/sql.js';
import type { ReadDeps } from '../deps.js';
import { chatsOf } from '../member-chats.js';

/*
 * Planning: which reminders are due at a moment, for whom, where they would go. Reads only; the round is
 * written to the outbox by enqueue.ts, and each reminder looked at again as it goes out by gate.ts.
 */

/** A planned reminder with the names a person reads. */
export interface ReminderPreview extends PlannedReminder {
  memberName: string;
  /** Where it would go; undefined when the member has no bound chat account. */
  chat?: string;
}

/**
 * The periods whose reminders may be running at `now`: this calendar month's (a section's own window may
 * open before the organisation's) and the two before (催报 run on into the next month, a long run further).
 */
function activePeriods(now: Date, timeZone: string): Period[] {
  const { year, month } = civilDateInZone(now, timeZone);
  const thisMonth = { year, month };
  return [addMonths(thisMonth, -2), previousPeriod(thisMonth), thisMonth];
}

/** Every reminder due at `now` (for `period`, or the periods running then), nothing sent or stored. */
export async function planDueReminders(deps: ReadDeps, at: Date, period?: Period): Promise<ReminderPreview[]> {
  const db = deps.prisma;
  const organisation = await getOrganisation(db);
  const [indicators, members, sections] = await Promise.all([
    listIndicators(db),
    listMembers(db),
    db.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
  ]);
  const periods = period ? [period] : activePeriods(at, organisation.timezone);
  // By section and by key, once: an organisation of thousands is planned every minute of a round.
  const reportersBySection = new Map<string, string[]>();
  for (const member of members) {
    if (!member.sectionKey || !isReporter(member)) continue;
    const reporters = reportersBySection.get(member.sectionKey);
    if (reporters) reporters.push(member.key);
    else reportersBySection.set(member.sectionKey, [member.key]);
  }
  const nameByKey = new Map(members.map((member) => [member.key, member.name]));
  const planned: PlannedReminder[] = [];
  for (const p of periods) {
    const submitted = await db.submission.findMany({ where: { year: p.year, month: p.month }, select: { indicatorId: true } });
    const done = new Set(submitted.map((row) => row.indicatorId));
    planned.push(
      ...planReminders({
        now: at,
        timeZone: organisation.timezone,
        period: p,
        sections: sections.map((section) => ({
          key: section.key,
          schedule: parseSectionSchedule(section) ?? organisation.schedule,
          // Only what the period owes: an indicator whose `from` is later reminds nobody of it.
          missing: indicators.filter((i) => i.sectionKey === section.key && isOwed(i, p) && !done.has(i.id)).map((i) => i.key),
          reporters: reportersBySection.get(section.key) ?? [],
        })),
        directors: members.filter((m) => m.roles.includes('director')).map((m) => m.key),
      }),
    );
  }
  const chats = await chatsOf(db, planned.map((reminder) => reminder.memberKey));
  return planned.map((reminder) => ({
    ...reminder,
    memberName: nameByKey.get(reminder.memberKey) ?? reminder.memberKey,
    chat: chats.get(reminder.memberKey),
  }));
}

/** Which of these reminders are in the outbox already (queued, sent, or cancelled since). */
export async function queuedReminderKeys(deps: Pick<ReadDeps, 'prisma'>, reminders: readonly { dedupeKey: string }[]): Promise<Set<string>> {
  if (reminders.length === 0) return new Set();
  // One array parameter, not one per key: a round's thousands of keys are looked up every minute.
  const rows = await sqlOf(deps.prisma).query<{ dedupe_key: string }>(
    'SELECT dedupe_key FROM outbox_message WHERE dedupe_key = ANY($1::text[])',
    [textArray(reminders.map((reminder) => reminder.dedupeKey))],
  );
  return new Set(rows.map((row) => row.dedupe_key));
}
