import { translator } from '../../core/i18n.js';
import type { Db, Tx } from '../../db/database.js';
import { readOrgSnapshot } from '../org-cache.js';
import { type OutgoingMessage, enqueueMessages } from '../outbox.js';
import { reminderTexts } from './compose.js';
import { type ReminderPreview, planDueReminders, queuedReminderKeys } from './plan.js';

/**
 * Writes the reminders due at `now` to the outbox, each at most once (its dedupe key), in one
 * transaction under an advisory lock so that replicas sharing a database plan one after the other. The
 * text stored is the reminder's own sentence; the gate (`createReminderGate`) writes the whole of it as it
 * goes out, and only then opens the reporter's dialogue, so that a reminder held for the morning does not
 * take an evening message as the answer to a question not yet asked. Planning locks no conversation.
 */
export async function enqueueDueReminders(deps: { prisma: Db; now: () => Date }): Promise<bigint[]> {
  return deps.prisma.$transaction(
    async (tx) => {
      // Waits for a run already planning (another replica, an overlapping tick) rather than skipping: once
      // it has committed, this run finds its reminders queued, adds none, and its sweep sends them at once
      // instead of a tick later.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(20261125)`;
      const at = deps.now();
      const due = await planDueReminders({ prisma: tx, now: deps.now }, at);
      const fresh = await filterFresh(tx, due);
      // Most ticks find their round queued already: nothing more to read, and the database is free again.
      if (fresh.length === 0) return [];
      // Read once for the whole round (thousands of reminders), not once per reminder.
      const org = await readOrgSnapshot(tx);
      const messages: OutgoingMessage[] = [];
      for (const reminder of fresh) {
        if (!reminder.chat) continue;
        const member = org.member(reminder.chat);
        if (!member) continue;
        // Its own sentence: the gate writes the whole of it as it goes out, and only then opens the dialogue.
        const text = (await reminderTexts(tx, reminder, org.indicators, translator(member.locale), member.locale, org)).join('\n');
        // One outbox row per reminder, so that its dedupe key covers the whole of it.
        messages.push({
          channel: reminder.chat.split(':')[0] ?? reminder.chat,
          chat: reminder.chat,
          memberId: member.id,
          kind: `reminder.${reminder.kind}`,
          dedupeKey: reminder.dedupeKey,
          text,
          notBefore: reminder.sendAt,
          expiresAt: reminder.until,
        });
      }
      return enqueueMessages(tx, messages, at);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

async function filterFresh(tx: Tx, due: ReminderPreview[]): Promise<ReminderPreview[]> {
  const queued = await queuedReminderKeys({ prisma: tx }, due);
  return due.filter((reminder) => !queued.has(reminder.dedupeKey));
}
