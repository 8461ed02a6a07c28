import { civilDateInZone } from '../core/calendar.js';
import { startReport } from '../core/dialogue/engine.js';
import type { DialogueState } from '../core/dialogue/types.js';
import { type Translate, translator } from '../core/i18n.js';
import type { ScheduleConfig } from '../core/org/parse.js';
import { type Period, addMonths, comparePeriods, previousPeriod } from '../core/period.js';
import { type PlannedReminder, parseReminderKey, planReminders, sendableAt } from '../core/reminders.js';
import { deadlineOf } from '../core/schedule.js';
import { dayLabel, indicatorName, periodLabel } from '../core/render.js';
import type { Db, Tx } from '../db/database.js';
import { type StoredIndicator, getOrganisation, listIndicators, listMembers } from '../db/org-repository.js';
import { lockConversation, saveConversation } from './chat/conversation.js';
import { dialogueContext } from './chat/dialogue-context.js';
import { memberByIdentity } from './chat/member.js';
import type { ReadDeps } from './deps.js';
import { type OutgoingMessage, type SendDecision, enqueueMessages } from './outbox.js';

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
          schedule: (section.schedule as unknown as ScheduleConfig | null) ?? organisation.schedule,
          missing: indicators.filter((i) => i.sectionKey === section.key && !done.has(i.id)).map((i) => i.key),
          reporters: members
            .filter((m) => m.sectionKey === section.key && m.roles.some((r) => r === 'section_head' || r === 'staff'))
            .map((m) => m.key),
        })),
        directors: members.filter((m) => m.roles.includes('director')).map((m) => m.key),
      }),
    );
  }
  const chats = await chatsOf(db, planned.map((reminder) => reminder.memberKey));
  return planned.map((reminder) => ({
    ...reminder,
    memberName: members.find((member) => member.key === reminder.memberKey)?.name ?? reminder.memberKey,
    chat: chats.get(reminder.memberKey),
  }));
}

/** Where to reach each member: the chat they last wrote from, else their first bound account. */
async function chatsOf(db: Db | Tx, memberKeys: string[]): Promise<Map<string, string>> {
  const rows = await db.member.findMany({
    where: { key: { in: [...new Set(memberKeys)] } },
    select: {
      key: true,
      conversation: { select: { lastChat: true } },
      identities: { orderBy: { boundAt: 'asc' }, select: { identity: true } },
    },
  });
  const chats = new Map<string, string>();
  for (const row of rows) {
    // The terminal chat is only there while someone has it open: no reminder can wait for it.
    const bound = row.identities.map((identity) => identity.identity).filter((chat) => !chat.startsWith('terminal:'));
    const last = row.conversation?.lastChat;
    const chat = last && bound.includes(last) ? last : bound[0];
    if (chat) chats.set(row.key, chat);
  }
  return chats;
}

/**
 * Writes the reminders due at `now` to the outbox, each at most once (its dedupe key), in one
 * transaction under an advisory lock so that replicas sharing a database plan one after the other. A
 * reporter with no dialogue open gets the reporting dialogue started with the reminder, so their reply
 * is taken as the first answer.
 */
export async function enqueueDueReminders(deps: { prisma: Db; now: () => Date }): Promise<bigint[]> {
  return deps.prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(20261125) AS locked`;
      if (!lock?.locked) return [];
      const at = deps.now();
      const due = await planDueReminders({ prisma: tx, now: deps.now }, at);
      const indicators = await listIndicators(tx);
      const fresh = await filterFresh(tx, due);
      const messages: OutgoingMessage[] = [];
      for (const reminder of fresh) {
        if (!reminder.chat) continue;
        const member = await memberByIdentity(tx, reminder.chat);
        if (!member) continue;
        const t = translator(member.locale);
        let texts = await reminderTexts(tx, reminder, indicators, t, member.locale);
        if (reminder.kind !== 'escalation') {
          const { state, version } = await lockConversation(tx, member.id, at);
          if (state.dialogue.kind === 'idle' || unansweredEarlierReport(state.dialogue, reminder.period)) {
            const ctx = await dialogueContext(tx, member, reminder.period, t, indicators);
            const step = startReport(ctx, { correction: false });
            if (step.state.kind === 'reporting') {
              // The dialogue's opening says what the window-open prompt would; later reminders add its question.
              texts = reminder.kind === 'window_open' ? step.replies : [...texts, ...step.replies.slice(1)];
              await saveConversation(tx, member.id, { dialogue: step.state }, { version, chat: reminder.chat, now: at });
            }
          }
        }
        // One outbox row per reminder, so that its dedupe key covers the whole of it.
        messages.push({
          channel: reminder.chat.split(':')[0] ?? reminder.chat,
          chat: reminder.chat,
          memberId: member.id,
          kind: `reminder.${reminder.kind}`,
          dedupeKey: reminder.dedupeKey,
          text: texts.join('\n'),
          notBefore: reminder.sendAt,
          expiresAt: reminder.until,
        });
      }
      return enqueueMessages(tx, messages, at);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/**
 * A report of an earlier month, opened by its reminders and never answered: the new month's reminder
 * takes its place, or the reply to the new prompt would be taken as last month's figure.
 */
function unansweredEarlierReport(dialogue: DialogueState, period: Period): boolean {
  return (
    dialogue.kind === 'reporting' &&
    !dialogue.correction &&
    dialogue.phase === 'asking' &&
    Object.keys(dialogue.answers).length === 0 &&
    comparePeriods(dialogue.period, period) < 0
  );
}

async function filterFresh(tx: Tx, due: ReminderPreview[]): Promise<ReminderPreview[]> {
  const existing = await tx.outboxMessage.findMany({
    where: { dedupeKey: { in: due.map((reminder) => reminder.dedupeKey) } },
    select: { dedupeKey: true },
  });
  const sent = new Set(existing.map((row) => row.dedupeKey));
  return due.filter((reminder) => !sent.has(reminder.dedupeKey));
}

/** The reminder's own sentences (the dialogue's question, when it opens one, is added by the caller). */
export async function reminderTexts(
  db: Db | Tx,
  reminder: PlannedReminder,
  indicators: StoredIndicator[],
  t: Translate,
  locale: string,
): Promise<string[]> {
  const organisation = await getOrganisation(db);
  const separator = locale === 'en' ? ', ' : '、';
  const names = (keys: string[]) =>
    keys.map((key) => indicators.find((indicator) => indicator.key === key)).filter((i): i is StoredIndicator => i !== undefined)
      .map((indicator) => indicatorName(indicator, locale)).join(separator);
  const period = periodLabel(t, reminder.period);
  const first = await db.section.findUnique({ where: { key: reminder.sections[0]?.key ?? '' }, select: { schedule: true } });
  const schedule = (first?.schedule as unknown as ScheduleConfig | null) ?? organisation.schedule;
  const deadline = dayLabel(t, deadlineOf(reminder.period, schedule));
  if (reminder.kind === 'escalation') {
    const members = await listMembers(db);
    const sections = await db.section.findMany({ where: { key: { in: reminder.sections.map((s) => s.key) } } });
    const lines = reminder.sections.map((section) => {
      const people = members
        .filter((m) => m.sectionKey === section.key && m.roles.some((r) => r === 'section_head' || r === 'staff'))
        .map((m) => m.name)
        .join(separator);
      const name = sections.find((row) => row.key === section.key)?.name ?? section.key;
      return t('reminder.escalation_line', { section: name, people: people || '—', indicators: names(section.missing) });
    });
    return [[t('reminder.escalation', { period, deadline }), ...lines].join('\n')];
  }
  const missing = reminder.sections[0]?.missing ?? [];
  return [t(`reminder.${reminder.kind}`, { period, deadline, count: missing.length, indicators: names(missing) })];
}

/**
 * Looks at a reminder again just before it goes out, since the world may have moved since it was planned
 * (a reminder held for the morning, retried after a failure, or waiting out a WeChat logout):
 * - it is cancelled when what it asks for is in: the person's section has reported everything for the
 *   period (or, for an escalation, every section has);
 * - it waits for the end of the quiet hours, or the weekend or holiday, it would now fall into;
 * - an escalation lists the sections overdue now, not those overdue when it was planned.
 * Replies are never held: they answer someone who is writing right now.
 */
export function createReminderGate(prisma: Db) {
  return async (message: { kind: string; memberId: number | null; dedupeKey: string | null }, at: Date): Promise<SendDecision> => {
    if (!message.kind.startsWith('reminder.') || !message.dedupeKey) return { action: 'send' };
    const key = parseReminderKey(message.dedupeKey);
    if (!key) return { action: 'send' };
    const organisation = await getOrganisation(prisma);
    const member = message.memberId === null
      ? null
      : await prisma.member.findUnique({ where: { id: message.memberId }, include: { section: true } });
    const escalation = message.kind === 'reminder.escalation';
    const owing = await prisma.indicator.count({
      where: {
        active: true,
        ...(escalation ? {} : { section: { key: member?.section?.key ?? '' } }),
        submissions: { none: { year: key.period.year, month: key.period.month } },
      },
    });
    if (owing === 0) return { action: 'cancel', reason: 'reported meanwhile' };
    const schedule = (!escalation ? (member?.section?.schedule as unknown as ScheduleConfig | null) : null) ?? organisation.schedule;
    const allowed = sendableAt(at, schedule, organisation.timezone);
    if (allowed.getTime() > at.getTime()) return { action: 'defer', until: allowed };
    if (!escalation || !member) return { action: 'send' };
    const planned = (await planDueReminders({ prisma, now: () => at }, at, key.period)).find(
      (reminder) => reminder.kind === 'escalation' && reminder.memberKey === member.key,
    );
    if (!planned) return { action: 'send' };
    const locale = member.locale === 'en' ? 'en' : 'zh-CN';
    const texts = await reminderTexts(prisma, planned, await listIndicators(prisma), translator(locale), locale);
    return { action: 'send', text: texts.join('\n') };
  };
}
