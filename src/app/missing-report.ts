import { type CivilDate } from '../core/calendar.js';
import { type Member, isReporter } from '../core/domain.js';
import type { Period } from '../core/period.js';
import { currentPeriod, deadlineOf } from '../core/schedule.js';
import { type StoredIndicator, getOrganisation, listIndicators, listMembers } from '../db/org-repository.js';
import { parseSectionSchedule } from '../db/stored-json.js';
import type { ReadDeps } from './deps.js';

export interface MissingSection {
  sectionKey: string;
  sectionName: string;
  deadline: CivilDate;
  indicators: StoredIndicator[];
  /** Section heads and staff of the section: who is asked, and who is reminded. */
  people: Member[];
}

export interface MissingReport {
  period: Period;
  sections: MissingSection[];
  /** Every active section, in the organisation's order, and every reporter: what a question may name. */
  activeSections: Array<{ key: string; name: string }>;
  reporters: Member[];
}

/**
 * Who has not reported `period` (default: the current one): per section, the indicators with no figure
 * and the people responsible for them.
 */
export async function missingReport(deps: ReadDeps, period?: Period): Promise<MissingReport> {
  const organisation = await getOrganisation(deps.prisma);
  const asked = period ?? currentPeriod(deps.now(), organisation.timezone, organisation.schedule);
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
  const result: MissingSection[] = [];
  for (const section of sections) {
    const open = indicators.filter((indicator) => indicator.sectionKey === section.key && !done.has(indicator.id));
    if (open.length === 0) continue;
    const schedule = parseSectionSchedule(section) ?? organisation.schedule;
    result.push({
      sectionKey: section.key,
      sectionName: section.name,
      deadline: deadlineOf(asked, schedule),
      indicators: open,
      people: reporters.filter((member) => member.sectionKey === section.key),
    });
  }
  return {
    period: asked,
    sections: result,
    activeSections: sections.map((section) => ({ key: section.key, name: section.name })),
    reporters,
  };
}
