import { type CivilDate, civilDateInZone, compareCivilDates } from '../core/calendar.js';
import type { Translate } from '../core/i18n.js';
import { dayLabel, indicatorName, periodLabel, sectionName } from '../core/render.js';
import { type Member, type SectionNames, isOwed, isReporter } from '../core/domain.js';
import { type Period, comparePeriods, previousPeriod } from '../core/period.js';
import { currentPeriod, deadlineOf } from '../core/schedule.js';
import { type StoredIndicator, getOrganisation, listIndicators, listMembers } from '../db/org-repository.js';
import { parseSectionSchedule } from '../db/stored-json.js';
import type { ReadDeps } from './deps.js';

export interface MissingSection {
  sectionKey: string;
  section: SectionNames;
  deadline: CivilDate;
  indicators: StoredIndicator[];
  /** Section heads and staff of the section: who is asked, and who is reminded. */
  people: Member[];
}

export interface MissingReport {
  period: Period;
  /** The organisation's current period: a later one asked for is not open yet (`sections` then lists nothing). */
  current: Period;
  sections: MissingSection[];
  /** Every active section, in the organisation's order, and every reporter: what a question may name. */
  activeSections: Array<{ key: string } & SectionNames>;
  reporters: Member[];
  /** Today in the organisation's time zone: a deadline before it has passed. */
  today: CivilDate;
}

/**
 * Who has not reported `period` (default: the current one): per section, the indicators owed for it
 * (`isOwed`: not one whose `from` is later) with no figure, and the people responsible for them.
 */
export async function missingReport(deps: ReadDeps, period?: Period): Promise<MissingReport> {
  const organisation = await getOrganisation(deps.prisma);
  const now = deps.now();
  const orgCurrent = currentPeriod(now, organisation.timezone, organisation.schedule);
  const asked = period ?? orgCurrent;
  const [indicators, members, submitted, sections] = await Promise.all([
    listIndicators(deps.prisma),
    listMembers(deps.prisma),
    deps.prisma.submission.findMany({
      where: { year: asked.year, month: asked.month },
      select: { indicatorId: true },
    }),
    deps.prisma.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
  ]);
  const done = new Set(submitted.map((row) => row.indicatorId));
  const reporters = members.filter(isReporter);
  // The latest period any section reports now (a section may keep a schedule of its own): nothing later is owed yet.
  const current = sections
    .map((section) => currentPeriod(now, organisation.timezone, parseSectionSchedule(section) ?? organisation.schedule))
    .reduce((latest, each) => (comparePeriods(each, latest) > 0 ? each : latest), orgCurrent);
  const result: MissingSection[] = [];
  for (const section of comparePeriods(asked, current) > 0 ? [] : sections) {
    const open = indicators.filter((indicator) => indicator.sectionKey === section.key && isOwed(indicator, asked) && !done.has(indicator.id));
    if (open.length === 0) continue;
    const schedule = parseSectionSchedule(section) ?? organisation.schedule;
    result.push({
      sectionKey: section.key,
      section: { name: section.name, nameEn: section.nameEn },
      deadline: deadlineOf(asked, schedule),
      indicators: open,
      people: reporters.filter((member) => member.sectionKey === section.key),
    });
  }
  return {
    period: asked,
    current,
    sections: result,
    activeSections: sections.map((section) => ({ key: section.key, name: section.name, nameEn: section.nameEn })),
    reporters,
    today: civilDateInZone(now, organisation.timezone),
  };
}

/**
 * The missing report as lines (chat and CLI say it alike): a header, then each section with what it owes
 * and who. The deadline goes in the header when every section listed shares it; else each section says its
 * own (a section may keep a schedule of its own). A deadline that has passed is said to be.
 */
export function missingLines(
  t: Translate,
  locale: string,
  report: MissingReport,
  sections: readonly MissingSection[],
  /** The lines follow the current period's, about the period before it: 此外，2026年12月 还有未报… */
  earlier = false,
): string[] {
  const label = periodLabel(t, report.period);
  const due = (section: MissingSection) =>
    compareCivilDates(section.deadline, report.today) < 0
      ? t('missing.deadline_passed', { deadline: dayLabel(t, section.deadline) })
      : dayLabel(t, section.deadline);
  const shared = sections.every((section) => compareCivilDates(section.deadline, sections[0]!.deadline) === 0);
  const lines = [
    shared
      ? t(earlier ? 'missing.header_earlier' : 'missing.header', { period: label, deadline: due(sections[0]!) })
      : t(earlier ? 'missing.header_earlier_by_section' : 'missing.header_by_section', { period: label }),
  ];
  for (const section of sections) {
    const indicators = section.indicators.map((indicator) => indicatorName(indicator, locale)).join(t('list.separator'));
    const name = sectionName(section.section, locale);
    lines.push(
      shared
        ? t('missing.section', { section: name, indicators })
        : t('missing.section_due', { section: name, indicators, deadline: due(section) }),
    );
    lines.push(
      section.people.length === 0
        ? t('missing.nobody')
        : t('missing.people', { people: headsFirst(section.people).map((person) => person.name).join(t('list.separator')) }),
    );
  }
  return lines;
}

/** The section head first, then the staff, each in the file's order. */
function headsFirst(people: readonly Member[]): Member[] {
  const head = (member: Member) => (member.roles.includes('section_head') ? 0 : 1);
  return [...people].sort((a, b) => head(a) - head(b));
}

/**
 * The period before `report`'s, when `report` is the current one and that period still owes figures (a
 * December overdue while January is reported): undefined otherwise.
 */
export async function stillOwedBefore(deps: ReadDeps, report: MissingReport): Promise<MissingReport | undefined> {
  if (comparePeriods(report.period, report.current) !== 0) return undefined;
  const before = await missingReport(deps, previousPeriod(report.period));
  return before.sections.length > 0 ? before : undefined;
}
