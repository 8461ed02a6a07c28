import type { Translate } from '../core/i18n.js';
import { translator } from '../core/i18n.js';
import { type Period, formatPeriod, previousPeriod } from '../core/period.js';
import { outsideQuietHours } from '../core/reminders.js';
import { dayLabel, indicatorName, periodLabel, sectionName } from '../core/render.js';
import { currentPeriod, deadlineOf } from '../core/schedule.js';
import type { Tx } from '../db/database.js';
import { type Member, type SectionNames, isReporter, owedIndicators } from '../core/domain.js';
import { listMembers } from '../db/org-repository.js';
import { greetingName } from './chat/member.js';
import { chatsOf } from './member-chats.js';
import { namedInText } from './named-in-text.js';
import type { OrgSnapshot } from './org-cache.js';
import { type OutgoingMessage, enqueueMessages } from './outbox.js';

/** What a director asked for: `text` names people or sections, `indicators` the indicators named. */
export interface NudgeRequest {
  director: Member;
  text: string;
  indicators: string[];
  period?: Period;
}

export interface NudgeOutcome {
  replies: string[];
  /** Outbox rows written for the reminded, for the caller to have swept once the transaction commits. */
  queued: bigint[];
}

const HOUR_MS = 3_600_000;
// Words that ask for everyone who owes figures rather than someone by name.
const EVERYONE = /没报|未报|没交|未交|所有|全部|大家|都|各股室|每个|everyone|everybody|\ball\b/;
const ONLY_ASKING = /^(?:催报?|催一下|催催|提醒一下|提醒|督促一下|督促|remind|chase|nudge)(?:一下|下|吧|了)?$/;

type Skip = 'reported' | 'recent' | 'unbound';

/**
 * 催报 from the chat: reminds the named people (or the reporters of the named sections, or of the
 * sections owning the named indicators, or everyone who owes figures) to report the period now. Directors
 * only. A person is skipped when their section has reported everything, when they were reminded within
 * the hour (by any director, on any replica: the `nudge` row is checked and taken in one statement), or
 * when no chat account is bound. Reminders go through the outbox at the channel's pace, out of quiet
 * hours; the request is written to the audit log. Runs inside the message's transaction.
 */
export async function nudgeFromChat(tx: Tx, org: OrgSnapshot, request: NudgeRequest, at: Date, t: Translate): Promise<NudgeOutcome> {
  if (!request.director.roles.includes('director')) return { replies: [t('answers.nudge_not_allowed')], queued: [] };
  const organisation = org.organisation();
  const period = request.period ?? currentPeriod(at, organisation.timezone, organisation.schedule);
  const outcome = await nudgeFor(tx, org, request, period, at, t);
  if (outcome) return outcome;
  // 催一下没报的 with no month named, when this month is all in: the month before, if it still owes figures
  // (谁还没报 names it too, and a director asks to chase what they were just shown).
  const before = request.period === undefined ? await nudgeFor(tx, org, request, previousPeriod(period), at, t) : undefined;
  // Nobody to remind, and that is the answer.
  return before ?? { replies: [t('answers.nudge_all_reported', { period: periodLabel(t, period) })], queued: [] };
}

/** 催报 of one period; undefined when everyone was asked for and nobody owes the period anything. */
async function nudgeFor(tx: Tx, org: OrgSnapshot, request: NudgeRequest, period: Period, at: Date, t: Translate): Promise<NudgeOutcome | undefined> {
  const { director } = request;
  const organisation = org.organisation();
  const [members, sections, submitted] = await Promise.all([
    listMembers(tx),
    tx.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
    tx.submission.findMany({ where: { year: period.year, month: period.month }, select: { indicatorId: true } }),
  ]);
  const done = new Set(submitted.map((row) => row.indicatorId));
  const missingOf = (sectionKey: string) => owedIndicators(org.sectionIndicators(sectionKey), period).filter((indicator) => !done.has(indicator.id));
  const reporters = members.filter(isReporter);

  const { targets, everyone } = chooseTargets(request, reporters, sections, org, (key) => missingOf(key).length > 0);
  if (targets.length === 0 && everyone) return undefined;
  if (targets.length === 0) {
    // The examples name this bureau's own people and sections.
    const owning = new Set(org.indicators.map((indicator) => indicator.sectionKey));
    const person = (reporters.find((member) => owning.has(member.sectionKey ?? '')) ?? reporters[0])?.name ?? director.name;
    const example = sections.find((candidate) => owning.has(candidate.key)) ?? sections[0];
    const section = example ? sectionName(example, director.locale) : '';
    return { replies: [t('answers.nudge_nobody', { person, section })], queued: [] };
  }

  const skipped: Record<Skip, Member[]> = { reported: [], recent: [], unbound: [] };
  const reminded: Member[] = [];
  const messages: OutgoingMessage[] = [];
  for (const member of targets) {
    const sectionKey = member.sectionKey ?? '';
    const missing = missingOf(sectionKey);
    if (missing.length === 0) {
      skipped.reported.push(member);
      continue;
    }
    const chat = (await chatsOf(tx, [member.key])).get(member.key);
    if (!chat) {
      skipped.unbound.push(member);
      continue;
    }
    if (!(await takeHour(tx, member.id, director.key, at))) {
      skipped.recent.push(member);
      continue;
    }
    const schedule = org.schedule(sectionKey);
    const own = translator(member.locale);
    const separator = own('list.separator');
    messages.push({
      channel: chat.split(':')[0] ?? chat,
      chat,
      memberId: member.id,
      kind: 'nudge',
      text: own('answers.nudge_message', {
        director: greetingName({ ...director, locale: member.locale }),
        period: periodLabel(own, period),
        deadline: dayLabel(own, deadlineOf(period, schedule)),
        count: missing.length,
        indicators: missing.map((indicator) => indicatorName(indicator, member.locale)).join(separator),
      }),
      notBefore: outsideQuietHours(at, schedule.quietHours, organisation.timezone),
    });
    reminded.push(member);
  }
  const queued = await enqueueMessages(tx, messages, at);
  await tx.auditLog.create({
    data: {
      at,
      actor: director.key,
      action: 'figures.nudge',
      subject: formatPeriod(period),
      details: {
        reminded: reminded.map((m) => m.key),
        skipped: Object.fromEntries(Object.entries(skipped).map(([why, list]) => [why, list.map((m) => m.key)])),
      },
    },
  });
  return { replies: [summary(t, period, org, reminded, skipped)], queued };
}

/** The people a request names, in the organisation's order; everyone owing figures when it names nobody. */
function chooseTargets(
  request: NudgeRequest,
  reporters: Member[],
  sections: ReadonlyArray<{ key: string } & SectionNames>,
  org: OrgSnapshot,
  owes: (sectionKey: string) => boolean,
): { targets: Member[]; everyone: boolean } {
  const text = request.text.normalize('NFKC').toLowerCase();
  const compact = text.replace(/[\s,，。!！、:：]/g, '');
  const indicatorSections = request.indicators.flatMap((key) => org.indicator(key)?.sectionKey ?? []);
  const { people: named, sectionKeys } = namedInText(request.text, reporters, sections, indicatorSections);
  const chosen = reporters.filter((member) => named.includes(member) || sectionKeys.has(member.sectionKey ?? ''));
  if (chosen.length > 0) return { targets: chosen, everyone: false };
  if (EVERYONE.test(compact) || ONLY_ASKING.test(compact)) return { targets: reporters.filter((member) => owes(member.sectionKey ?? '')), everyone: true };
  return { targets: [], everyone: false };
}

/** Takes this hour's reminder of a member, unless one was taken within the hour: one statement, row-locked. */
async function takeHour(tx: Tx, memberId: number, by: string, at: Date): Promise<boolean> {
  const since = new Date(at.getTime() - HOUR_MS);
  const rows = await tx.$queryRaw<{ member_id: number }[]>`
    INSERT INTO nudge (member_id, last_at, last_by) VALUES (${memberId}, ${at}, ${by})
    ON CONFLICT (member_id) DO UPDATE SET last_at = EXCLUDED.last_at, last_by = EXCLUDED.last_by
    WHERE nudge.last_at <= ${since}
    RETURNING member_id`;
  return rows.length > 0;
}

function summary(
  t: Translate,
  period: Period,
  org: OrgSnapshot,
  reminded: Member[],
  skipped: Record<Skip, Member[]>,
): string {
  const names = (list: Member[]) => list.map((m) => m.name).join(t('list.separator'));
  const deadline = dayLabel(t, deadlineOf(period, org.organisation().schedule));
  // Said as it is: 已催报 only when someone was reminded.
  const lines = [t(reminded.length > 0 ? 'answers.nudge_done' : 'answers.nudge_none', { period: periodLabel(t, period), deadline })];
  if (reminded.length > 0) lines.push(t('answers.nudge_sent', { people: names(reminded) }));
  if (skipped.reported.length > 0) lines.push(t('answers.nudge_skipped_reported', { people: names(skipped.reported) }));
  if (skipped.recent.length > 0) lines.push(t('answers.nudge_skipped_recent', { people: names(skipped.recent) }));
  if (skipped.unbound.length > 0) lines.push(t('answers.nudge_skipped_unbound', { people: names(skipped.unbound) }));
  return lines.join('\n');
}
