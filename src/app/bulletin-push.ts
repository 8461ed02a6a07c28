import { reachableChat } from './member-chats.js';
import { addWorkingDays, civilDateInZone, instantAt } from '../core/calendar.js';
import type { Locale } from '../core/domain.js';
import { type Period, formatPeriod, previousPeriod } from '../core/period.js';
import { sendableAt } from '../core/reminders.js';
import { deadlineOf } from '../core/schedule.js';
import type { StoredOrganisation } from '../db/org-repository.js';
import { getOrganisation } from '../db/org-repository.js';
import type { Db } from '../db/database.js';
import { type OutgoingMessage, enqueueMessages } from './outbox.js';
import { type ReportFile, bulletinFile } from './reports/bulletin.js';

/*
 * The month's bulletin goes to every director once the period's deadline has passed: on the first
 * working day after it, at the reminder time (as the escalation does). Each director gets it at most once
 * per period, whoever plans it, across restarts and replicas: a `bulletin_delivery` row per period and
 * director (unique in the database, kept after the outbox's history is pruned) is written in the
 * transaction that queues the message, whose outbox dedupe key `bulletin:<YYYY-MM>:<member>` is unique too.
 */

/** The dedupe key of a director's bulletin for a period. */
export function bulletinKey(period: Period, memberKey: string): string {
  return `bulletin:${formatPeriod(period)}:${memberKey}`;
}

/** When a period's bulletin is due: the first working day after its deadline, at the reminder time. */
export function bulletinDueAt(period: Period, organisation: StoredOrganisation): Date {
  const { schedule, timezone } = organisation;
  const day = addWorkingDays(deadlineOf(period, schedule), 1);
  const [hour = 9, minute = 0] = schedule.deadlineReminderTime.split(':').map(Number);
  return instantAt(day, hour, minute, timezone);
}

/**
 * The latest period whose bulletin is due at `now` (this month's or last month's). Only the latest: a
 * bulletin not sent before the next one is due is not sent late.
 */
export function dueBulletinPeriod(now: Date, organisation: StoredOrganisation): Period | undefined {
  const today = civilDateInZone(now, organisation.timezone);
  const thisMonth = { year: today.year, month: today.month };
  return [thisMonth, previousPeriod(thisMonth)].find((period) => bulletinDueAt(period, organisation).getTime() <= now.getTime());
}

/**
 * Queues the due period's bulletin (a .docx) for every director with a bound chat who has not had it;
 * returns the ids written. A period nobody has reported a figure for sends nothing.
 */
export async function enqueueDueBulletins(deps: { prisma: Db; now: () => Date }): Promise<bigint[]> {
  const now = deps.now();
  const organisation = await getOrganisation(deps.prisma);
  const period = dueBulletinPeriod(now, organisation);
  if (!period) return [];
  const directors = await directorChats(deps.prisma);
  const delivered = await deps.prisma.bulletinDelivery.findMany({
    where: { period: formatPeriod(period), memberId: { in: directors.map((director) => director.id) } },
    select: { memberId: true },
  });
  const done = new Set(delivered.map((row) => row.memberId));
  const owed = directors.filter((director) => !done.has(director.id));
  if (owed.length === 0) return [];
  if ((await deps.prisma.submission.count({ where: { year: period.year, month: period.month } })) === 0) return [];

  // One document per language, made once, however many directors read it.
  const files = new Map<Locale, ReportFile>();
  const messages: OutgoingMessage[] = [];
  const notBefore = sendableAt(now, organisation.schedule, organisation.timezone);
  for (const director of owed) {
    const file = files.get(director.locale) ?? (await bulletinFile(deps, { period, locale: director.locale }));
    files.set(director.locale, file);
    messages.push({
      channel: director.chat.split(':')[0] ?? director.chat,
      chat: director.chat,
      memberId: director.id,
      kind: 'bulletin',
      dedupeKey: bulletinKey(period, director.key),
      text: file.caption,
      file: { name: file.fileName, content: file.content },
      notBefore,
    });
  }
  return deps.prisma.$transaction(async (tx) => {
    // A replica that recorded the same deliveries meanwhile wins: the unique (period, member) drops these.
    const recorded = await tx.bulletinDelivery.createManyAndReturn({
      data: owed.map((director) => ({ period: formatPeriod(period), memberId: director.id, chat: director.chat, queuedAt: now })),
      skipDuplicates: true,
      select: { memberId: true },
    });
    const mine = new Set(recorded.map((row) => row.memberId));
    return enqueueMessages(tx, messages.filter((message) => message.memberId !== undefined && mine.has(message.memberId)), now);
  });
}

interface DirectorChat {
  id: number;
  key: string;
  locale: Locale;
  chat: string;
}

/** Active directors with the chat to reach them on (member-chats.ts). */
async function directorChats(prisma: Db): Promise<DirectorChat[]> {
  const rows = await prisma.member.findMany({
    // Roles are filtered here: the embedded database's adapter cannot pass an enum to an array filter (`has`).
    where: { active: true },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      roles: true,
      key: true,
      locale: true,
      conversation: { select: { lastChat: true } },
      identities: { orderBy: { boundAt: 'asc' }, select: { identity: true } },
    },
  });
  return rows.filter((row) => row.roles.includes('director')).flatMap((row) => {
    const chat = reachableChat(row.identities.map((identity) => identity.identity), row.conversation?.lastChat);
    return chat ? [{ id: row.id, key: row.key, locale: row.locale === 'en' ? ('en' as const) : ('zh-CN' as const), chat }] : [];
  });
}
