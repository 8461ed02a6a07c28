import { civilDateInZone } from '../core/calendar.js';
import { currentPrompt, startReport } from '../core/dialogue/engine.js';
import type { DialogueState } from '../core/dialogue/types.js';
import { type Translate, translator } from '../core/i18n.js';
import type { ScheduleConfig } from '../core/org/parse.js';
import { type Period, addMonths, comparePeriods, previousPeriod } from '../core/period.js';
import { type PlannedReminder, type ReminderKind, parseReminderKey, planReminders, reminderKey, sendableAt } from '../core/reminders.js';
import { deadlineOf } from '../core/schedule.js';
import { dayLabel, indicatorName, periodLabel } from '../core/render.js';
import type { Db, Tx } from '../db/database.js';
import { type StoredIndicator, getOrganisation, listIndicators, listMembers } from '../db/org-repository.js';
import { lockConversation, saveConversation } from './chat/conversation.js';
import { dialogueContext } from './chat/dialogue-context.js';
import type { ChatMember } from './chat/member.js';
import { type OrgCache, type OrgSnapshot, createOrgCache, orgVersion, readOrgSnapshot } from './org-cache.js';
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
    // The terminal chat and the dashboard's simulator (web:) are only there while someone has them open:
    // no reminder can wait for them, nor go there instead of the member's own chat.
    const bound = row.identities.map((identity) => identity.identity).filter((chat) => !chat.startsWith('terminal:') && !chat.startsWith('web:'));
    const last = row.conversation?.lastChat;
    const chat = last && bound.includes(last) ? last : bound[0];
    if (chat) chats.set(row.key, chat);
  }
  return chats;
}

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
      // Read once for the whole round (thousands of reminders), not once per reminder.
      const org = await readOrgSnapshot(tx);
      const fresh = await filterFresh(tx, due);
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

/**
 * A reporter's reminder as it is to be read: its sentence, then the dialogue's question. With no report
 * open, or one of this month or an earlier one that nobody has begun answering (opened by its reminders),
 * it opens this period's report afresh, so that the reply is taken as its first answer — and asks only
 * what is still missing; the window-open prompt is then the dialogue's own greeting. With this period's
 * report under way it shows where that stands.
 */
async function composeMemberReminder(
  tx: Tx,
  input: { reminder: PlannedReminder; member: ChatMember; chat: string; at: Date; org: OrgSnapshot },
): Promise<string> {
  const { reminder, member, chat, at, org } = input;
  const t = translator(member.locale);
  const texts = await reminderTexts(tx, reminder, org.indicators, t, member.locale, org);
  const { state, version } = await lockConversation(tx, member.id, at);
  const { dialogue } = state;
  const ctx = await dialogueContext(tx, member, reminder.period, t, org.indicators, org.schedule(member.sectionKey));
  if (dialogue.kind === 'idle' || unanswered(dialogue, reminder.period)) {
    const step = startReport(ctx, { correction: false });
    if (step.state.kind !== 'reporting') return texts.join('\n');
    await saveConversation(tx, member.id, { dialogue: step.state }, { version, chat, now: at });
    return (reminder.kind === 'window_open' ? step.replies : [...texts, ...step.replies.slice(1)]).join('\n');
  }
  if (dialogue.kind === 'reporting' && !dialogue.correction && comparePeriods(dialogue.period, reminder.period) === 0) {
    return [...texts, ...currentPrompt(dialogue, ctx)].join('\n');
  }
  return texts.join('\n');
}

/**
 * A report of this period or an earlier one, opened (by a reminder, or by /report) and not begun: a new
 * reminder may open it afresh. An earlier month's one must give way, or the reply to the new prompt would
 * be taken as last month's figure.
 */
function unanswered(dialogue: DialogueState, period: Period): boolean {
  return (
    dialogue.kind === 'reporting' &&
    !dialogue.correction &&
    dialogue.phase === 'asking' &&
    dialogue.index === 0 &&
    Object.keys(dialogue.answers).length === 0 &&
    comparePeriods(dialogue.period, period) <= 0
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
  /** The organisation in memory, when the caller has it: its settings and schedules are not read again. */
  org?: OrgSnapshot,
): Promise<string[]> {
  const organisation = org?.organisation() ?? (await getOrganisation(db));
  const separator = locale === 'en' ? ', ' : '、';
  const names = (keys: string[]) =>
    keys.map((key) => indicators.find((indicator) => indicator.key === key)).filter((i): i is StoredIndicator => i !== undefined)
      .map((indicator) => indicatorName(indicator, locale)).join(separator);
  const period = periodLabel(t, reminder.period);
  const firstKey = reminder.sections[0]?.key;
  const schedule = org
    ? org.schedule(firstKey)
    : (((await db.section.findUnique({ where: { key: firstKey ?? '' }, select: { schedule: true } }))?.schedule as unknown as ScheduleConfig | null) ??
      organisation.schedule);
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
    const owing = await prisma.indicator.count({
      where: {
        active: true,
        ...(escalation ? {} : { section: { key: member?.sectionKey ?? '' } }),
        submissions: { none: { year: key.period.year, month: key.period.month } },
      },
    });
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
    return prisma.$transaction(
      async (tx) => {
        const member = org.member(chat);
        if (!member?.sectionKey) return { action: 'send' };
        const own = org.indicators.filter((indicator) => indicator.sectionKey === member.sectionKey);
        const submitted = await tx.submission.findMany({
          where: { year: key.period.year, month: key.period.month, indicatorId: { in: own.map((indicator) => indicator.id) } },
          select: { indicatorId: true },
        });
        const done = new Set(submitted.map((row) => row.indicatorId));
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
function memberById(org: OrgSnapshot, memberId: number, chat: string): ChatMember | undefined {
  const bound = org.member(chat);
  return bound?.id === memberId ? bound : org.memberById(memberId);
}
