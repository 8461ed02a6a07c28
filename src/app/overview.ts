import { type CivilDate, civilDateInZone, compareCivilDates } from '../core/calendar.js';
import { isOwed, isReporter, lastOwed } from '../core/domain.js';
import { type Period, addMonths, comparePeriods } from '../core/period.js';
import type { Owed } from '../core/render-answers.js';
import { currentPeriod, deadlineOf, windowOpensOn } from '../core/schedule.js';
import { type StoredIndicator, type StoredOrganisation, getOrganisation, listIndicators, listMembers } from '../db/org-repository.js';
import { parseSectionSchedule } from '../db/stored-json.js';
import type { ReadDeps } from './deps.js';
import { type ProgressQuery, type ProgressReport, progressReport } from './progress-report.js';

export interface Overview extends ProgressReport {
  /** The period the figures are owed for and the sections are counted at. */
  period: Period;
  /**
   * Reporting sections (those with an active indicator owed for `period`) and how many of them have reported
   * all it owes.
   */
  sections: number;
  reported: number;
  /** By section key: how many figures the section owes for `period`, and how many of them are in. */
  bySection: Map<string, { owed: number; done: number }>;
  /** By indicator key: who owes its figure for `period`, for each one still missing it. */
  owed: Map<string, Owed>;
  /** By indicator key: the section and people who report it, with `period`'s deadline. */
  owners: Map<string, Owed>;
  /** The latest month any figure of the year goes to; undefined when the year has none. */
  dataMonth?: number;
  /** When `period`'s reporting begins, for a period it has not begun for yet (nobody owes anything then). */
  opensOn?: CivilDate;
}

/**
 * Progress with what the director needs beside it: how many sections have reported the period, and for
 * each figure not yet in, the section and people who owe it and the deadline. The chat's questions and
 * the CLI's `progress` both read it, so they say the same. `items` keep the order asked.
 */
export async function overviewReport(
  deps: ReadDeps,
  query: ProgressQuery = {},
  known?: { organisation: StoredOrganisation; indicators: StoredIndicator[] },
): Promise<Overview> {
  const organisation = known?.organisation ?? (await getOrganisation(deps.prisma));
  const all = known?.indicators ?? (await listIndicators(deps.prisma));
  const report = await progressReport(deps, query, { organisation, indicators: all });
  const now = deps.now();
  const today = civilDateInZone(now, organisation.timezone);
  const current = currentPeriod(now, organisation.timezone, organisation.schedule);
  const period: Period =
    query.month !== undefined
      ? { year: report.year, month: report.month }
      : current.year === report.year
        ? current
        : { year: report.year, month: report.year < current.year ? 12 : 1 };

  const [members, sections, submitted] = await Promise.all([
    listMembers(deps.prisma),
    deps.prisma.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } }),
    deps.prisma.submission.findMany({ where: { year: period.year, month: period.month }, select: { indicatorId: true } }),
  ]);
  const done = new Set(submitted.map((row) => row.indicatorId));
  const sectionByKey = new Map(sections.map((section) => [section.key, section]));
  // Who owes a section's figures of a period, and by when.
  const ownerOf = (sectionKey: string, owedFor: Period): Owed | undefined => {
    const section = sectionByKey.get(sectionKey);
    if (!section) return undefined;
    const deadline = deadlineOf(owedFor, parseSectionSchedule(section) ?? organisation.schedule);
    return {
      period: owedFor,
      section: { name: section.name, nameEn: section.nameEn },
      people: members.filter((m) => m.sectionKey === section.key && isReporter(m)).map((m) => m.name),
      deadline,
      overdue: compareCivilDates(deadline, today) < 0,
    };
  };
  const owedBySection = new Map<string, Owed>();
  const bySection = new Map<string, { owed: number; done: number }>();
  let reporting = 0;
  let reported = 0;
  for (const section of sections) {
    // An indicator whose `from` is later is not owed yet: a section that reported all the rest has reported.
    const own = all.filter((indicator) => indicator.sectionKey === section.key && isOwed(indicator, period));
    if (own.length === 0) continue;
    reporting += 1;
    const doneHere = own.filter((indicator) => done.has(indicator.id)).length;
    bySection.set(section.key, { owed: own.length, done: doneHere });
    if (doneHere === own.length) reported += 1;
    owedBySection.set(section.key, ownerOf(section.key, period)!);
  }
  // Someone owes a figure only for a period still chased (this one and the two before, as reminders are):
  // a month long past, perhaps from before the bot, names nobody.
  // A period not begun yet (2027 asked in November 2026) is owed by nobody: when it opens is said instead.
  const future = comparePeriods(period, current) > 0;
  const stillChased = (owedFor: Period) => comparePeriods(owedFor, addMonths(current, -2)) >= 0 && comparePeriods(owedFor, current) <= 0;
  const owed = new Map<string, Owed>();
  const owners = new Map<string, Owed>();
  for (const item of report.items) {
    const indicator = all.find((candidate) => candidate.key === item.indicator.key);
    const sectionKey = indicator?.sectionKey;
    const who = sectionKey === undefined ? undefined : (owedBySection.get(sectionKey) ?? ownerOf(sectionKey, period));
    if (!indicator || sectionKey === undefined || !who) continue;
    owners.set(indicator.key, who);
    if (isOwed(indicator, period)) {
      if (!done.has(indicator.id) && stillChased(period)) owed.set(indicator.key, who);
      continue;
    }
    // Not owed this month (a quarterly one between quarters): its last quarter's end, still chased, if its figure is not in.
    const last = lastOwed(indicator, period);
    if (last && last.year === period.year && stillChased(last) && (item.throughMonth ?? 0) < last.month) owed.set(indicator.key, ownerOf(sectionKey, last)!);
  }
  const months = report.items.flatMap((item) => (item.throughMonth === undefined ? [] : [item.throughMonth]));
  return {
    ...report,
    period,
    sections: reporting,
    reported,
    bySection,
    owed,
    owners,
    dataMonth: months.length > 0 ? Math.max(...months) : undefined,
    ...(future ? { opensOn: windowOpensOn(period, organisation.schedule) } : {}),
  };
}
