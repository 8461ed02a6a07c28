import { compareCivilDates } from '../../core/calendar.js';
import type { FirstFigures, FirstFiguresOutcome } from '../record-figure.js';
import type { Unit } from '../../core/units.js';
import type { Translate } from '../../core/i18n.js';
import { type Period, comparePeriods, formatPeriod, previousPeriod } from '../../core/period.js';
import { currentPeriod, reportingYear } from '../../core/schedule.js';
import { dayLabel, indicatorName, monthName, organisationName, periodLabel, sectionName } from '../../core/render.js';
import { progressLineWithOwed } from '../../core/render-answers.js';
import type { Tx } from '../../db/database.js';
import { type StoredIndicator, targetsOf } from '../../db/org-repository.js';
import { exportFileName, exportYear } from '../export-figures.js';
import { type MissingReport, type MissingSection, missingLines, missingReport, stillOwedBefore } from '../missing-report.js';
import { namedInText, unknownSectionNamed } from '../named-in-text.js';
import type { OutgoingMessage } from '../outbox.js';
import { type Member, isOwed, owedIndicators } from '../../core/domain.js';
import { overviewReport } from '../overview.js';
import { progressReport } from '../progress-report.js';
import type { FiguresAndTargets } from '../figures.js';
import { bulletinFile, bulletinNotYet } from '../reports/bulletin.js';
import { annualReportFile } from '../reports/annual-report.js';
import { chartFile } from '../reports/chart.js';
import type { OrgSnapshot } from '../org-cache.js';
import type { ReadAhead } from './dialogue-context.js';

/** What answering needs: the transaction, the clock, the member asking and their language. */
export interface AnswerContext {
  tx: Tx;
  now: () => Date;
  member: Member;
  t: Translate;
  /** The organisation's active indicators: `org.indicators`. */
  indicators: StoredIndicator[];
  /** The organisation as this message found it, from memory. */
  org: OrgSnapshot;
  /** The web dashboard's sign-in address for a link token; absent where no dashboard is served. */
  dashboardLink?: (token: string) => string;
  /** The reporting dialogue's figures, read ahead in the turn's first statement. */
  readAhead?: ReadAhead;
  /**
   * How a report's first figures are stored: `recordFirstFigures` in `tx` unless given (a turn decided
   * outside a transaction stores them with the turn's own write).
   */
  recordFirst?: (input: FirstFigures) => Promise<FirstFiguresOutcome>;
}

/** A reply: text, or a file with a caption. */
export type Reply = string | { file: NonNullable<OutgoingMessage['file']>; caption: string };

/** What a report need not read again: the organisation and its indicators, from the snapshot. */
function known(ctx: AnswerContext) {
  return { organisation: ctx.org.organisation(), indicators: ctx.indicators };
}

/** The indicators the member may see: all for directors and administrators, else their section's. */
export function visibleIndicators(ctx: AnswerContext): StoredIndicator[] {
  return ctx.member.seesAll ? ctx.indicators : ctx.org.sectionIndicators(ctx.member.sectionKey);
}

/**
 * The progress of named indicators, for a year and month when the question gave them. `asked`: a question
 * (a line without a target says so), not the lines that close a submission.
 */
export async function answerProgress(
  ctx: AnswerContext,
  keys: string[],
  when: { year?: number; month?: number },
  asked = true,
  /** The figures (of `when`'s year and the year before) and targets, when the turn holds them already. */
  read?: FiguresAndTargets,
): Promise<string[]> {
  const wanted = new Set(keys);
  // In the file's order, as the report lists them.
  const allowedIndicators = visibleIndicators(ctx).filter((indicator) => wanted.has(indicator.key));
  if (allowedIndicators.length === 0) return [ctx.t('chat.not_your_section')];
  const deps = { prisma: ctx.tx, now: ctx.now };
  const query = { ...when, indicatorKeys: allowedIndicators.map((indicator) => indicator.key) };
  // Just stored, every figure is in: nobody owes one, and the progress alone says it.
  const stored = asked ? undefined : await progressReport(deps, query, { organisation: ctx.org.organisation(), indicators: allowedIndicators }, read);
  if (stored && stored.items.every((item) => item.ytd !== undefined)) {
    return [stored.items.map((item) => progressLineWithOwed(ctx.t, ctx.member.locale, { latest: stored.latest, owed: new Map() }, item, asked)).join('\n')];
  }
  // The overview use case, so that a figure not yet in names who owes it and by when.
  const report = await overviewReport(deps, query, known(ctx));
  return [report.items.map((item) => progressLineWithOwed(ctx.t, ctx.member.locale, report, item, asked)).join('\n')];
}

/** Who has not reported a period: all sections for directors, the member's own otherwise. */
export async function answerMissing(
  ctx: AnswerContext,
  period?: Period,
  ask?: {
    text?: string;
    indicators?: string[];
    /** The question named its month: that month alone. */
    periodNamed?: boolean;
    /** 逾期: only those whose deadline has passed. */
    overdue?: boolean;
  },
): Promise<string[]> {
  const report = await missingReport({ prisma: ctx.tx, now: ctx.now }, period);
  if (comparePeriods(report.period, report.current) > 0) {
    return [ctx.t('missing.not_yet', { period: periodLabel(ctx.t, report.period), current: periodLabel(ctx.t, report.current) })];
  }
  // Asked without a month: the month before, still owed though its deadline has passed, is said after.
  const earlier = ask?.periodNamed !== true ? await stillOwedBefore({ prisma: ctx.tx, now: ctx.now }, report) : undefined;
  // 李华报了没有, 运行监测股报了吗: a director asking about some people or sections gets theirs alone.
  const named = ctx.member.seesAll && ask?.text ? namedSections(ctx, report, ask.text, ask.indicators ?? []) : [];
  if (named.length > 0) return [namedStatus(ctx, report, named, earlier)];
  // A section the organisation has not (an old name after a rename) is said to be unknown, not answered for all.
  const unknown = ctx.member.seesAll && ask?.text ? unknownSectionNamed(ask.text, report.activeSections) : undefined;
  if (unknown) {
    const known = report.activeSections.map((section) => sectionName(section, ctx.member.locale)).join(ctx.t('list.separator'));
    if (!unknown.like) return [ctx.t('missing.unknown_section', { section: unknown.words, known })];
    return [ctx.t('missing.unknown_section_like', { section: unknown.words, like: sectionName(unknown.like, ctx.member.locale), known })];
  }
  const visible = (section: MissingSection) => ctx.member.seesAll || section.sectionKey === ctx.member.sectionKey;
  const sections = report.sections.filter(visible);
  const label = periodLabel(ctx.t, report.period);
  const earlierSections = earlier?.sections.filter(visible) ?? [];
  if (ask?.overdue) return [overdueLines(ctx, report, sections, earlier, earlierSections).join('\n')];
  const lines =
    sections.length === 0
      ? [ctx.t(ctx.member.seesAll ? 'missing.none' : 'chat.own_section_done', { period: label })]
      : missingLines(ctx.t, ctx.member.locale, report, sections);
  if (earlier && earlierSections.length > 0) lines.push(...missingLines(ctx.t, ctx.member.locale, earlier, earlierSections, true));
  return [lines.join('\n')];
}

/** 哪些逾期了: of those who have not reported, only those whose deadline has passed, the month asked first. */
function overdueLines(
  ctx: AnswerContext,
  report: MissingReport,
  sections: MissingSection[],
  earlier: MissingReport | undefined,
  earlierSections: MissingSection[],
): string[] {
  const passed = (section: MissingSection) => compareCivilDates(section.deadline, report.today) < 0;
  const late = sections.filter(passed);
  const lateBefore = earlierSections.filter(passed);
  const lines = late.length > 0 ? missingLines(ctx.t, ctx.member.locale, report, late) : [];
  if (earlier && lateBefore.length > 0) lines.push(...missingLines(ctx.t, ctx.member.locale, earlier, lateBefore, lines.length > 0));
  if (lines.length > 0) return lines;
  // Nothing overdue: said so, and what is still open without being late yet.
  const open = sections.length > 0 ? ctx.t('missing.none_overdue_open', { period: periodLabel(ctx.t, report.period), count: sections.length }) : '';
  return [ctx.t('missing.none_overdue', { open })];
}

/** The active sections a question names (by section, person or indicator), in the organisation's order, with their reporters. */
function namedSections(ctx: AnswerContext, report: MissingReport, text: string, indicators: string[]): NamedSection[] {
  const { reporters, activeSections } = report;
  const indicatorSections = indicators.flatMap((key) => ctx.org.indicator(key)?.sectionKey ?? []);
  const { people, sectionKeys } = namedInText(text, reporters, activeSections, indicatorSections);
  for (const person of people) if (person.sectionKey) sectionKeys.add(person.sectionKey);
  return activeSections
    .filter((section) => sectionKeys.has(section.key))
    .map((section) => ({ ...section, people: reporters.filter((member) => member.sectionKey === section.key) }));
}

type NamedSection = MissingReport['activeSections'][number] & { people: Member[] };

/**
 * One line per named section: what it still owes for the period and by when, or that it is all in; and, on
 * a line of its own, what it still owes of the month before (`earlier`), past its deadline.
 */
function namedStatus(ctx: AnswerContext, report: MissingReport, named: NamedSection[], earlier?: MissingReport): string {
  const { t } = ctx;
  const period = periodLabel(t, report.period);
  const list = (owed: MissingSection) => owed.indicators.map((indicator) => indicatorName(indicator, ctx.member.locale)).join(t('list.separator'));
  const line = (section: NamedSection): string => {
    const name = sectionName(section, ctx.member.locale);
    const people = section.people.length > 0 ? section.people.map((person) => person.name).join(t('list.separator')) : t('missing.no_reporter');
    const owed = report.sections.find((missing) => missing.sectionKey === section.key);
    if (owed) {
      return t('missing.named_owed', { section: name, people, period, count: owed.indicators.length, indicators: list(owed), deadline: dayLabel(t, owed.deadline) });
    }
    const count = owedIndicators(ctx.org.sectionIndicators(section.key), report.period).length;
    return count === 0 ? t('missing.named_nothing', { section: name }) : t('missing.named_done', { section: name, people, period, count });
  };
  return named
    .flatMap((section) => {
      const before = earlier?.sections.find((missing) => missing.sectionKey === section.key);
      if (!earlier || !before) return [line(section)];
      const late = { period: periodLabel(t, earlier.period), count: before.indicators.length, indicators: list(before), deadline: dayLabel(t, before.deadline) };
      return [line(section), t('missing.named_owed_earlier', late)];
    })
    .join('\n');
}

/** The year's figures as an Excel workbook, or as CSV when asked (directors and administrators). */
export async function answerExport(ctx: AnswerContext, year?: number, format: 'xlsx' | 'csv' = 'xlsx'): Promise<Reply[]> {
  if (!ctx.member.seesAll) return [ctx.t('chat.export_not_allowed')];
  const organisation = ctx.org.organisation();
  const chosen = year ?? reportingYear(ctx.now(), organisation.timezone, organisation.schedule);
  const { content, count } = await exportYear({ prisma: ctx.tx, now: ctx.now }, { year: chosen, format, t: ctx.t, locale: ctx.member.locale });
  const caption = ctx.t(format === 'csv' ? 'chat.export_csv_caption' : 'chat.export_caption', { year: chosen, count });
  // Named as the reader names the bureau (its English name for an English reader, as the documents are).
  return [{ file: { name: exportFileName(organisationName(organisation, ctx.member.locale), chosen, format), content }, caption }];
}

/** The period's progress bulletin as a .docx (directors and administrators). */
export async function answerBulletin(ctx: AnswerContext, period?: Period): Promise<Reply[]> {
  if (!ctx.member.seesAll) return [ctx.t('reports.chat.not_allowed')];
  const deps = { prisma: ctx.tx, now: ctx.now };
  const notYet = await bulletinNotYet(deps, ctx.t, period);
  if (notYet) return [notYet];
  const file = await bulletinFile(deps, { period, locale: ctx.member.locale });
  return [{ file: { name: file.fileName, content: file.content }, caption: file.caption }];
}

/** The year's self-evaluation draft as a .docx (directors and administrators): the year being reported unless asked. */
export async function answerAnnualDraft(ctx: AnswerContext, year?: number): Promise<Reply[]> {
  if (!ctx.member.seesAll) return [ctx.t('reports.chat.not_allowed')];
  const organisation = ctx.org.organisation();
  const chosen = year ?? reportingYear(ctx.now(), organisation.timezone, organisation.schedule);
  const file = await annualReportFile({ prisma: ctx.tx, now: ctx.now }, { year: chosen, locale: ctx.member.locale });
  return [{ file: { name: file.fileName, content: file.content }, caption: file.caption }];
}

/** The completion chart as a PNG (directors and administrators). */
export async function answerChart(ctx: AnswerContext, when: { year?: number; month?: number }): Promise<Reply[]> {
  if (!ctx.member.seesAll) return [ctx.t('reports.chat.not_allowed')];
  const file = await chartFile({ prisma: ctx.tx, now: ctx.now }, { ...when, locale: ctx.member.locale });
  // An empty chart under a caption that promises one says nothing a sentence would not say better.
  if (file.empty) return [ctx.t('reports.chat.chart_empty', { year: file.year })];
  return [{ file: { name: file.fileName, content: file.content }, caption: file.caption }];
}

/** A short choice list for an ambiguous question; the member answers with a number. */
export async function answerAmbiguous(ctx: AnswerContext, candidates: string[]): Promise<string[]> {
  const lines = candidates.map((key, index) => {
    const indicator = ctx.org.indicator(key);
    return `${index + 1}. ${indicator ? indicatorName(indicator, ctx.member.locale) : key}`;
  });
  return [[ctx.t('chat.ambiguous'), ...lines, ctx.t('chat.ambiguous_hint')].join('\n')];
}

/** What can be asked, with examples from the member's own indicators. */
export async function answerHelp(ctx: AnswerContext, unknown: boolean): Promise<string[]> {
  const visible = visibleIndicators(ctx);
  // An example whose answer has a completion rate: one with a target this year, if any has.
  // The examples name real periods: last year, and the month before the one being reported now.
  const current = currentPeriod(ctx.now(), ctx.org.organisation().timezone, ctx.org.schedule(ctx.member.sectionKey));
  const past = previousPeriod(current);
  const targets = await targetsOf(ctx.tx, current.year);
  const chosen = visible.find((indicator) => targets.has(indicator.key)) ?? visible[0];
  const example = chosen ? indicatorName(chosen, ctx.member.locale) : '';
  const lines = [unknown ? ctx.t('chat.unknown') : ctx.t('chat.help_intro', { name: ctx.member.name })];
  if (example) {
    lines.push(ctx.t('chat.help_progress', { example, lastYear: current.year - 1, month: past.month, monthName: monthName(ctx.t, past.month) }));
  }
  if (ctx.member.seesAll) lines.push(ctx.t('chat.help_overview'), ctx.t('chat.help_missing'), ctx.t('chat.help_export'), ctx.t('reports.chat.help'));
  if (ctx.member.seesAll && example) lines.push(ctx.t('answers.help_questions', { example }));
  if (ctx.member.roles.includes('director')) lines.push(ctx.t('answers.help_nudge'));
  if (ctx.member.seesAll && ctx.dashboardLink) lines.push(ctx.t('dashboard.help'));
  // A section member's overview is of their own section's indicators.
  if (ctx.member.sectionKey && !ctx.member.seesAll) lines.push(ctx.t('chat.help_overview_own'), ctx.t('chat.help_missing'));
  // A one-line report of one of the member's own indicators, as they would type it (one owed now, else
  // their first); nothing of reporting for someone whose section reports nothing (an office's administrator).
  const owned = ctx.org.sectionIndicators(ctx.member.sectionKey);
  const own = owned.find((indicator) => isOwed(indicator, current)) ?? owned[0];
  if (own) {
    const samples = ctx.member.locale === 'en' ? SAMPLE_FIGURES_EN : SAMPLE_FIGURES;
    lines.push(ctx.t('chat.help_report', { example: `${indicatorName(own, ctx.member.locale)} ${samples[own.unit]}`, past: formatPeriod(past) }));
  }
  return [lines.join('\n')];
}

/** A plausible figure in each unit, for the one-line report the help shows (工业投资 2.5亿). */
const SAMPLE_FIGURES: Record<Unit, string> = {
  亿元: '2.5亿', 万元: '2300万', 元: '50000元', 家: '3家', 个: '12个', 户: '20户', 项: '2项', 人: '5人', '%': '0.5%', 个百分点: '1.2个百分点',
  万吨: '3.5万吨', 吨: '1200吨', 万亩: '2.3万亩', 亩: '500亩', 公里: '12.5公里', 万人次: '3.2万人次', 人次: '1500人次',
  亿千瓦时: '2.1亿千瓦时', 万千瓦时: '2300万千瓦时', 千瓦时: '50000千瓦时', 公顷: '120公顷', 万头: '3.5万头', 头: '800头', 万只: '12万只', 只: '5000只',
};

/**
 * The same figures as English writes them and the chat reads them (250 million is 2.5 亿元): a count bare,
 * since an English word after it (3 institutions) would be read as the figure's note.
 */
const SAMPLE_FIGURES_EN: Record<Unit, string> = {
  亿元: '250 million', 万元: '23 million', 元: '50000', 家: '3', 个: '12', 户: '20', 项: '2', 人: '5', '%': '0.5%', 个百分点: '1.2',
  万吨: '35 thousand', 吨: '1200', 万亩: '23 thousand', 亩: '500', 公里: '12.5', 万人次: '32 thousand', 人次: '1500',
  亿千瓦时: '210 million', 万千瓦时: '23 million', 千瓦时: '50000', 公顷: '120', 万头: '35 thousand', 头: '800', 万只: '120 thousand', 只: '5000',
};
