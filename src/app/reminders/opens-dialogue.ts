import { civilDateInZone } from '../../core/calendar.js';
import { currentPrompt, startReport } from '../../core/dialogue/engine.js';
import type { DialogueState } from '../../core/dialogue/types.js';
import type { Member } from '../../core/domain.js';
import { translator } from '../../core/i18n.js';
import { type Period, comparePeriods } from '../../core/period.js';
import type { PlannedReminder } from '../../core/reminders.js';
import type { Tx } from '../../db/database.js';
import { lockConversation, saveConversation } from '../chat/conversation.js';
import { dialogueContext } from '../chat/dialogue-context.js';
import type { OrgSnapshot } from '../org-cache.js';
import { reminderTexts } from './compose.js';

/**
 * A reporter's reminder as it is to be read: its sentence, then the dialogue's question. With no report
 * open, or one of this month or an earlier one that nobody has begun answering (opened by its reminders),
 * it opens this period's report afresh, so that the reply is taken as its first answer — and asks only
 * what is still missing; the window-open prompt is then the dialogue's own greeting. With this period's
 * report under way it shows where that stands.
 */
export async function composeMemberReminder(
  tx: Tx,
  input: { reminder: PlannedReminder; member: Member; chat: string; at: Date; org: OrgSnapshot },
): Promise<string> {
  const { reminder, member, chat, at, org } = input;
  const t = translator(member.locale);
  const texts = await reminderTexts(tx, reminder, org.indicators, t, member.locale, org);
  const { state, version } = await lockConversation(tx, member.id, at);
  const { dialogue } = state;
  const ctx = {
    ...(await dialogueContext(tx, member, reminder.period, t, org.indicators, org.schedule(member.sectionKey))),
    today: civilDateInZone(at, org.organisation().timezone),
  };
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
