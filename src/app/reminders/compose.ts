import { isReporter } from '../../core/domain.js';
import { type Translate, joinList } from '../../core/i18n.js';
import type { PlannedReminder } from '../../core/reminders.js';
import { dayLabel, indicatorName, periodLabel, sectionName } from '../../core/render.js';
import { deadlineOf } from '../../core/schedule.js';
import type { Db, Tx } from '../../db/database.js';
import { type StoredIndicator, listMembers } from '../../db/org-repository.js';
import type { OrgSnapshot } from '../org-cache.js';

/** The reminder's own sentences (the dialogue's question, when it opens one, is added by the caller). */
export async function reminderTexts(
  db: Db | Tx,
  reminder: PlannedReminder,
  indicators: StoredIndicator[],
  t: Translate,
  locale: string,
  /** The organisation in memory: its settings and schedules are not read again. */
  org: OrgSnapshot,
): Promise<string[]> {
  const names = (keys: string[]) =>
    keys.map((key) => indicators.find((indicator) => indicator.key === key)).filter((i): i is StoredIndicator => i !== undefined)
      .map((indicator) => indicatorName(indicator, locale)).join(t('list.separator'));
  const period = periodLabel(t, reminder.period);
  const firstKey = reminder.sections[0]?.key;
  const schedule = org.schedule(firstKey);
  const deadline = dayLabel(t, deadlineOf(reminder.period, schedule));
  if (reminder.kind === 'escalation') {
    const members = await listMembers(db);
    const sections = await db.section.findMany({ where: { key: { in: reminder.sections.map((s) => s.key) } } });
    const lines = reminder.sections.map((section) => {
      const people = members
        .filter((m) => m.sectionKey === section.key && isReporter(m))
        .map((m) => m.name);
      const row = sections.find((candidate) => candidate.key === section.key);
      return t('reminder.escalation_line', { section: row ? sectionName(row, locale) : section.key, people: people.length > 0 ? joinList(t, people) : '—', indicators: names(section.missing) });
    });
    return [[t('reminder.escalation', { period, deadline }), ...lines].join('\n')];
  }
  const missing = reminder.sections[0]?.missing ?? [];
  return [t(`reminder.${reminder.kind}`, { period, deadline, count: missing.length, indicators: names(missing) })];
}
