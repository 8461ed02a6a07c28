import { type Member, owedIndicators } from '../../core/domain.js';
import { translator } from '../../core/i18n.js';
import { type PlannedReminder, type ReminderKind, parseReminderKey, reminderKey, sendableAt } from '../../core/reminders.js';
import type { Db } from '../../db/database.js';
import { intArray, sqlOf, transactionWithSql } from '../../db/sql.js';
import { type OrgCache, type OrgSnapshot, createOrgCache, orgVersion } from '../org-cache.js';
import type { SendDecision } from '../outbox.js';
import { reminderTexts } from './compose.js';
import { composeMemberReminder } from './opens-dialogue.js';
import { planDueReminders } from './plan.js';

/**
 * Looks at a reminder again just before it goes out, since the world may have moved since it was planned
 * (a reminder held for the morning, retried after a failure, or waiting out a WeChat logout):
 * - it is cancelled when what it asks for is in: the person's section has reported everything for the
 *   period (or, for an escalation, every section has);
 * - it waits for the end of the quiet hours, or the weekend or holiday, it would now fall into;
 * - a reporter's reminder names what is missing now and opens the reporting dialogue as it goes out, so
 *   that the reply is taken as the first answer; an escalation lists the sections overdue now.
 * Replies are never held: they answer someone who is writing right now.
 */
export function createReminderGate(prisma: Db, orgCache: OrgCache = createOrgCache()) {
  return gate;

  async function gate(
    message: { kind: string; chat: string; memberId: number | null; dedupeKey: string | null },
    at: Date,
  ): Promise<SendDecision> {
    if (!message.kind.startsWith('reminder.') || !message.dedupeKey) return { action: 'send' };
    const key = parseReminderKey(message.dedupeKey);
    if (!key) return { action: 'send' };
    const org = await orgCache.at(prisma, await orgVersion(prisma));
    const organisation = org.organisation();
    const member = message.memberId === null ? undefined : memberById(org, message.memberId, message.chat);
    const escalation = message.kind === 'reminder.escalation';
    // The indicators owed for the period (all, or the member's section's: from the snapshot, which knows
    // each one's `from`) without a figure for it.
    const owed = owedIndicators(escalation ? org.indicators : org.sectionIndicators(member?.sectionKey), key.period).map((indicator) => indicator.id);
    const [{ owing } = { owing: 0 }] = await sqlOf(prisma).query<{ owing: number }>(
      `SELECT count(*)::int AS owing FROM indicator i
       WHERE i.active AND i.id = ANY($1::int[])
         AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.indicator_id = i.id AND s.year = $2::int AND s.month = $3::int)`,
      [intArray(owed), key.period.year, key.period.month],
    );
    if (owing === 0) return { action: 'cancel', reason: 'reported meanwhile' };
    const schedule = escalation ? organisation.schedule : org.schedule(member?.sectionKey);
    const allowed = sendableAt(at, schedule, organisation.timezone);
    if (allowed.getTime() > at.getTime()) return { action: 'defer', until: allowed };
    if (!member) return { action: 'send' };
    if (!escalation) return composeAtSendTime(message.kind.slice('reminder.'.length) as ReminderKind, key, message.chat, at, org);
    const planned = (await planDueReminders({ prisma, now: () => at }, at, key.period)).find(
      (reminder) => reminder.kind === 'escalation' && reminder.memberKey === member.key,
    );
    if (!planned) return { action: 'send' };
    const texts = await reminderTexts(prisma, planned, org.indicators, translator(member.locale), member.locale, org);
    return { action: 'send', text: texts.join('\n') };
  }

  /** A reporter's reminder with what is missing now, opening the dialogue as it goes out. */
  async function composeAtSendTime(
    kind: ReminderKind,
    key: NonNullable<ReturnType<typeof parseReminderKey>>,
    chat: string,
    at: Date,
    // The gate's snapshot, read a moment ago: its version need not be read again inside the transaction.
    org: OrgSnapshot,
  ): Promise<SendDecision> {
    // On the plain-SQL path: a round sends 30 of these a second beside people's turns.
    return transactionWithSql(
      prisma,
      async (tx, sql) => {
        const member = org.member(chat);
        if (!member?.sectionKey) return { action: 'send' };
        const own = owedIndicators(org.sectionIndicators(member.sectionKey), key.period);
        const submitted = await sql.query<{ indicator_id: number }>(
          'SELECT indicator_id FROM submission WHERE year = $1::int AND month = $2::int AND indicator_id = ANY($3::int[])',
          [key.period.year, key.period.month, intArray(own.map((indicator) => indicator.id))],
        );
        const done = new Set(submitted.map((row) => row.indicator_id));
        const reminder: PlannedReminder = {
          kind,
          period: key.period,
          step: key.step,
          memberKey: member.key,
          sections: [{ key: member.sectionKey, missing: own.filter((indicator) => !done.has(indicator.id)).map((indicator) => indicator.key) }],
          dueAt: at,
          sendAt: at,
          until: at,
          dedupeKey: reminderKey(key.period, key.step, member.key),
        };
        return { action: 'send', text: await composeMemberReminder(tx, { reminder, member, chat, at, org }) };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }
}

/** The member a reminder is for: bound to its chat, or else any of the member's bindings (an escalation). */
function memberById(org: OrgSnapshot, memberId: number, chat: string): Member | undefined {
  const bound = org.member(chat);
  return bound?.id === memberId ? bound : org.memberById(memberId);
}
