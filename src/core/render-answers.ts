import { type SectionNames, isOwed, nextOwed } from './domain.js';
import type { CivilDate } from './calendar.js';
import { type Decimal, formatDecimal } from './decimal.js';
import type { MessageKey, Translate } from './i18n.js';
import { dimensionOf } from './units.js';
import type { MonthOnMonth } from './month-on-month.js';
import type { Period } from './period.js';
import { dueBySchedule, targetMet } from './remaining.js';
import { type IndicatorProgress, formatFigure, formatGrowth, formatPercent, formatPoints, formatPointsChange, levelShortfall, sortBehindFirst } from './progress.js';
import { type YearOnYearKeys, dayLabel, indicatorName, levelStanding, monthName, organisationName, periodLabel, queriedMark, renderFigure, renderProgressLine, sectionName, spanText, unreportedText, yearOnYear } from './render.js';

/*
 * The answers to directors' questions beyond a progress line (docs/product.md, Questions): the overview
 * with how many sections have reported, what is behind, year-on-year, targets, and why something is
 * behind — each naming, for a figure not yet in, who owes it and by when.
 */

/** Who owes an indicator's figure for a period, and by when. */
export interface Owed {
  period: Period;
  section: SectionNames;
  /** The section's reporters: its head and staff. */
  people: string[];
  deadline: CivilDate;
  /** The deadline has passed. */
  overdue: boolean;
}

/** What the overview answers are rendered from (the app's overview use case gives it). */
export interface OverviewView {
  /** Whose figures the overview is of: the organisation's names, or a section's for its own members. */
  organisation: SectionNames;
  year: number;
  items: IndicatorProgress[];
  latest: Map<string, Period>;
  period: Period;
  sections: number;
  reported: number;
  owed: Map<string, Owed>;
  dataMonth?: number;
  /** A section's own overview: its figures owed for `period` and those in, said in place of the sections' count. */
  section?: { owed: number; done: number };
  /** When `period`'s reporting begins, for a period it has not begun for yet: said in place of the counts. */
  opensOn?: CivilDate;
}

/** 11月尚未报送（产业技术与工业节能股 李华，截止11月30日） */
export function owedText(t: Translate, locale: string, owed: Owed): string {
  const people = owed.people.length > 0 ? owed.people.join(t('list.separator')) : t('answers.nobody');
  return t(owed.overdue ? 'answers.owed_overdue' : 'answers.owed', {
    period: periodLabel(t, owed.period),
    section: sectionName(owed.section, locale),
    people,
    deadline: dayLabel(t, owed.deadline),
  });
}

/** One indicator's line; a year with no figure says who owes the period's figure; `asked`: that there is no target. */
export function progressLineWithOwed(
  t: Translate,
  locale: string,
  view: Pick<OverviewView, 'latest' | 'owed'>,
  item: IndicatorProgress,
  asked = true,
): string {
  const owed = item.ytd === undefined ? view.owed.get(item.indicator.key) : undefined;
  return renderProgressLine(t, locale, item, view.latest.get(item.indicator.key), owed ? owedText(t, locale, owed) : undefined, asked);
}

/** 总体进度: a header with the sections reported, indicators with a target behind-first, then those without. */
export function renderOverview(t: Translate, locale: string, view: OverviewView): string {
  const items = sortBehindFirst(view.items);
  const withTarget = items.filter((item) => item.target !== undefined);
  const listed = withTarget.length > 0 ? withTarget : items;
  // Not an indicator reported only from a later year (`from`): it had no target to set this year.
  const untargeted =
    withTarget.length > 0 ? items.filter((item) => item.target === undefined && isOwed(item.indicator, { year: view.year, month: 12 })) : [];
  const counts = { period: periodLabel(t, view.period), reported: view.reported, sections: view.sections, ...view.section };
  const own = view.section !== undefined;
  const org = organisationName(view.organisation, locale);
  // A year not begun has no figure to show and nobody owing one: its targets are what there is to say.
  const opens = view.dataMonth === undefined ? view.opensOn : undefined;
  const header = opens
    ? t('answers.overview_header_not_yet', { org, year: view.year, period: counts.period, opens: dayLabel(t, opens) })
    : view.dataMonth === undefined
      ? t(own ? 'answers.overview_header_section_empty' : 'answers.overview_header_empty', { org, year: view.year, ...counts })
      : t(own ? 'answers.overview_header_section' : 'answers.overview_header', {
          org,
          year: view.year,
          month: view.dataMonth,
          monthName: monthName(t, view.dataMonth),
          ...counts,
        });
  const body = opens
    ? withTarget.length > 0
      ? withTarget.map((item) => renderTarget(t, locale, item))
      : [t('answers.no_targets_at_all', { year: view.year })]
    : listed.map((item) => progressLineWithOwed(t, locale, view, item));
  const lines = [header, ...body];
  if (untargeted.length > 0) {
    lines.push(
      t('answers.overview_untargeted', {
        count: untargeted.length,
        year: view.year,
        indicators: untargeted.map((item) => indicatorName(item.indicator, locale)).join(t('list.separator')),
      }),
    );
  }
  return lines.join('\n');
}

/**
 * 哪些指标落后: only those behind 序时进度, largest gap first, each with the section and people responsible;
 * then the levels short of their target, which have no 序时进度 to be behind of.
 */
export function renderBehind(t: Translate, locale: string, view: OverviewView, owners: Map<string, Owed>): string {
  const behind = sortBehindFirst(view.items).filter((item) => item.gap?.status === 'behind');
  const month = view.dataMonth ?? view.period.month;
  const params = { year: view.year, month, monthName: monthName(t, month) };
  const noData = view.items.filter((item) => item.ytd === undefined && item.target !== undefined);
  const missing = { count: noData.length, year: view.year, indicators: noData.map((item) => indicatorName(item.indicator, locale)).join(t('list.separator')) };
  // A year without targets has nothing to be behind of: said, not as good news.
  if (!view.items.some((item) => item.target !== undefined)) return t('answers.no_targets_to_judge', { year: view.year });
  const levels = levelsShortLine(t, locale, view.items, owners);
  // Nothing behind among figures in is no good news while figures are missing: said first, not after.
  if (behind.length === 0 && noData.length > 0) {
    const anyFigure = view.items.some((item) => item.ytd !== undefined);
    return [t(anyFigure ? 'answers.behind_none_but_missing' : 'answers.behind_unknown', { ...params, ...missing }), ...levels].join('\n');
  }
  const lines =
    behind.length === 0
      ? [t('answers.behind_none', params)]
      : [
          t('answers.behind_header', { ...params, count: behind.length }),
          ...behind.map((item, index) => {
            const owner = owners.get(item.indicator.key);
            return t('answers.behind_item', {
              index: index + 1,
              line: renderProgressLine(t, locale, item),
              section: owner ? sectionName(owner.section, locale) : '—',
              people: owner && owner.people.length > 0 ? owner.people.join(t('list.separator')) : t('answers.nobody'),
            });
          }),
        ];
  lines.push(...levels);
  if (noData.length > 0) lines.push(t('answers.behind_no_data', missing));
  return lines.join('\n');
}

/** The levels short of their target, with who is responsible, in one line (none: no line). */
function levelsShortLine(t: Translate, locale: string, items: readonly IndicatorProgress[], owners: Map<string, Owed>): string[] {
  const short = items.filter((item) => levelShortfall(item)?.greaterThan(0));
  if (short.length === 0) return [];
  const listed = short.map((item) => {
    const owner = owners.get(item.indicator.key);
    return t('answers.behind_level_item', {
      name: indicatorName(item.indicator, locale),
      figure: figureOf(t, item, item.ytd!),
      standing: levelStanding(t, item),
      section: owner ? sectionName(owner.section, locale) : '—',
      people: owner && owner.people.length > 0 ? owner.people.join(t('list.separator')) : t('answers.nobody'),
    });
  });
  return [t('answers.behind_levels', { count: short.length, indicators: listed.join(t('list.clause_separator')) })];
}

/**
 * 哪些指标领先, 超额完成的有哪些: those ahead of 序时进度, largest lead first, each with its section; then one
 * line naming those whose annual target is met. Nothing ahead while figures are missing says so.
 */
export function renderAhead(t: Translate, locale: string, view: OverviewView, owners: Map<string, Owed>): string {
  // sortBehindFirst puts the smallest lead first; the question asks for the best first.
  const ahead = sortBehindFirst(view.items)
    .filter((item) => item.gap?.status === 'ahead')
    .reverse();
  const met = view.items.filter(targetMet);
  const month = view.dataMonth ?? view.period.month;
  const params = { year: view.year, month, monthName: monthName(t, month) };
  const noData = view.items.filter((item) => item.ytd === undefined && item.target !== undefined);
  const names = (items: IndicatorProgress[]) => items.map((item) => indicatorName(item.indicator, locale)).join(t('list.separator'));
  if (!view.items.some((item) => item.target !== undefined)) return t('answers.no_targets_to_judge', { year: view.year });
  if (ahead.length === 0 && !view.items.some((item) => item.ytd !== undefined && item.target !== undefined)) {
    return t('answers.ahead_unknown', { ...params, count: noData.length, indicators: names(noData) });
  }
  const lines =
    ahead.length === 0
      ? [t('answers.ahead_none', params)]
      : [
          t('answers.ahead_header', { ...params, count: ahead.length }),
          ...ahead.map((item, index) => {
            const owner = owners.get(item.indicator.key);
            return t('answers.ahead_item', { index: index + 1, line: renderProgressLine(t, locale, item), section: owner ? sectionName(owner.section, locale) : '—' });
          }),
        ];
  lines.push(met.length > 0 ? t('answers.ahead_met', { count: met.length, year: view.year, indicators: names(met) }) : t('answers.ahead_met_none', params));
  if (noData.length > 0) lines.push(t('answers.behind_no_data', { count: noData.length, year: view.year, indicators: names(noData) }));
  return lines.join('\n');
}

function figureOf(t: Translate, item: IndicatorProgress, value: Decimal): string {
  return renderFigure(t, formatFigure(value, item.indicator.decimals), item.indicator);
}

const COMPARE_YOY: YearOnYearKeys = {
  up: 'answers.compare_up',
  down: 'answers.compare_down',
  flat: 'answers.compare_flat',
  pointsUp: 'answers.compare_points_up',
  pointsDown: 'answers.compare_points_down',
};

/** 同比: this year-to-date against last year's same months, or a plain statement that last year has none. */
export function renderCompare(t: Translate, locale: string, view: Pick<OverviewView, 'latest' | 'owed'>, item: IndicatorProgress): string {
  if (item.ytd === undefined || item.throughMonth === undefined) return progressLineWithOwed(t, locale, view, item);
  const name = indicatorName(item.indicator, locale);
  // A year-to-date that holds a figure kept despite a query says so, as the progress line does.
  const figure = `${figureOf(t, item, item.ytd)}${queriedMark(t, item.queried)}`;
  const base = { name, span: spanText(t, item.indicator, item.throughMonth), figure };
  if (item.yoyIncomplete !== undefined) {
    return t('answers.compare_incomplete', { ...base, incompleteYear: item.yoyIncomplete, month: item.throughMonth });
  }
  if (item.lastYearYtd === undefined) return t('answers.compare_no_last', { ...base, lastYear: item.year - 1 });
  // Last year's same months are in but came to nothing: a growth rate from zero means nothing, "no data" would be
  // false (a share's change in points is still a change).
  if (item.yoy === undefined && item.yoyPoints === undefined) {
    return t('answers.compare_from_zero', { ...base, lastYear: item.year - 1, last: figureOf(t, item, item.lastYearYtd) });
  }
  return t('answers.compare_line', { ...base, last: figureOf(t, item, item.lastYearYtd), growth: yearOnYear(t, item, COMPARE_YOY) });
}

// What 环比 says of a month against the month before, and of a quarter against the quarter before (English differs).
const MOM_MONTH = {
  flat: 'answers.mom_flat', up: 'answers.mom_up', down: 'answers.mom_down', pointsUp: 'answers.mom_points_up', pointsDown: 'answers.mom_points_down',
} as const satisfies Record<string, MessageKey>;
const MOM_QUARTER = {
  flat: 'answers.mom_flat_quarter', up: 'answers.mom_up_quarter', down: 'answers.mom_down_quarter',
  pointsUp: 'answers.mom_points_up_quarter', pointsDown: 'answers.mom_points_down_quarter',
} as const satisfies Record<string, MessageKey>;

/** 环比: the month's own figure (a cumulative one's addition) against the month before's. */
export function renderMonthOnMonth(
  t: Translate,
  locale: string,
  view: Pick<OverviewView, 'latest' | 'owed'>,
  item: IndicatorProgress,
  mom: MonthOnMonth | undefined,
): string {
  if (item.ytd === undefined) return progressLineWithOwed(t, locale, view, item);
  const name = indicatorName(item.indicator, locale);
  const quarterly = item.indicator.frequency === 'quarterly';
  if (!mom) return t(quarterly ? 'answers.mom_none_quarters' : 'answers.mom_none', { name, year: item.year });
  const own = item.indicator.kind === 'cumulative';
  // A quarterly indicator's by its quarter (四季度当季), against the quarter before.
  const spanOf = (period: Period) =>
    quarterly && period.month % 3 === 0
      ? t(own ? 'answers.mom_span_quarter_own' : 'answers.mom_span_quarter', { quarter: t(`quarter_names.q${period.month / 3}` as MessageKey) })
      : t(own ? 'answers.mom_span_own' : 'answers.mom_span', { month: period.month, monthName: monthName(t, period.month) });
  const says = quarterly ? MOM_QUARTER : MOM_MONTH;
  const base = { name, span: spanOf(mom.period), figure: figureOf(t, item, mom.value), previousSpan: spanOf(mom.previousPeriod) };
  // A share against last month's: a change in percentage points (环比提高 0.02 个百分点), never a growth rate.
  if (mom.previous !== undefined && dimensionOf(item.indicator.unit) === 'percent') {
    const change = mom.value.minus(mom.previous);
    const points = formatPointsChange(change.abs());
    const phrase = points === '0.00' ? t(says.flat) : t(change.isNegative() ? says.pointsDown : says.pointsUp, { points });
    return t('answers.mom_line', { ...base, previous: figureOf(t, item, mom.previous), growth: phrase });
  }
  if (mom.previous === undefined || mom.growth === undefined) return t('answers.mom_no_previous', base);
  const growth = formatGrowth(mom.growth.abs());
  const phrase =
    growth === '0' ? t(says.flat) : t(mom.growth.isNegative() ? says.down : says.up, { growth });
  return t('answers.mom_line', { ...base, previous: figureOf(t, item, mom.previous), growth: phrase });
}

/** 目标是多少: the year's target, or that there is none. */
export function renderTarget(t: Translate, locale: string, item: IndicatorProgress): string {
  const name = indicatorName(item.indicator, locale);
  if (item.target === undefined) return t('answers.target_none', { name, year: item.year });
  const target = renderFigure(t, formatDecimal(item.target, item.indicator.decimals), item.indicator);
  return t('answers.target_line', { name, year: item.year, target });
}

/**
 * 为什么落后: how far behind and what that is in the indicator's unit, then what is missing (the period's
 * figure not yet in: who owes it, by when) or, when it is in, who reported it.
 */
export function renderWhy(
  t: Translate,
  locale: string,
  view: Pick<OverviewView, 'latest' | 'owed' | 'period'>,
  item: IndicatorProgress,
  owner?: Owed,
  /** The asker files figures: the months missing come with how to file them (not said to a director). */
  reporter = false,
): string {
  const name = indicatorName(item.indicator, locale);
  const owed = view.owed.get(item.indicator.key);
  if (item.ytd === undefined || item.throughMonth === undefined) return progressLineWithOwed(t, locale, view, item);
  const lines: string[] = [];
  if (item.target !== undefined && item.rate !== undefined && item.indicator.kind === 'level') {
    lines.push(
      t('answers.why_level', {
        name,
        span: spanText(t, item.indicator, item.throughMonth),
        figure: figureOf(t, item, item.ytd),
        target: renderFigure(t, formatDecimal(item.target, item.indicator.decimals), item.indicator),
        rate: formatPercent(item.rate),
        standing: levelStanding(t, item),
      }),
    );
  } else if (item.target !== undefined && item.rate !== undefined && item.indicator.timeProgress === false) {
    lines.push(
      t('answers.why_unscheduled', {
        name,
        span: spanText(t, item.indicator, item.throughMonth),
        figure: figureOf(t, item, item.ytd),
        target: renderFigure(t, formatDecimal(item.target, item.indicator.decimals), item.indicator),
        rate: formatPercent(item.rate),
      }),
    );
  } else if (item.target === undefined || item.rate === undefined || item.gap === undefined) {
    lines.push(
      t('answers.why_no_target', {
        name,
        year: item.year,
        span: spanText(t, item.indicator, item.throughMonth),
        figure: figureOf(t, item, item.ytd),
      }),
    );
  } else if (item.gap.status === 'behind') {
    // What 序时进度 asks for by now, less what is in: 3 亿元 × 83.33% − 2.05 = 0.45 亿元 (not for a level, a share).
    const due = dueBySchedule(item)?.minus(item.ytd);
    const shortfall = due === undefined || !due.isPositive() ? '' : t('answers.why_shortfall', { amount: figureOf(t, item, due) });
    lines.push(
      t('answers.why_behind', {
        name,
        rate: formatPercent(item.rate),
        elapsed: formatPercent(item.elapsed),
        points: formatPoints(item.gap.points),
        shortfall,
      }),
    );
  } else {
    lines.push(
      t('answers.why_not_behind', {
        name,
        rate: formatPercent(item.rate),
        elapsed: formatPercent(item.elapsed),
        gap: t(`progress.gap_${item.gap.status}`, { points: formatPoints(item.gap.points) }),
      }),
    );
  }
  // Months never reported are not in the sum: often the whole of why an increment looks behind.
  if (item.unreportedMonths && item.unreportedMonths.length > 0) {
    lines.push(t('answers.why_unreported', { months: unreportedText(t, item.unreportedMonths, true), hint: reporter ? t('answers.why_unreported_hint') : '' }));
  }
  if (owed) {
    lines.push(t('answers.why_owed', { owed: owedText(t, locale, owed) }));
  } else if (owner) {
    const who = { section: sectionName(owner.section, locale), people: owner.people.length > 0 ? owner.people.join(t('list.separator')) : t('answers.nobody') };
    // Not owed this month (a quarterly one between quarters): its latest figure's month, and when it is next due.
    const owing = isOwed(item.indicator, view.period);
    lines.push(
      owing
        ? t('answers.why_reported', { ...who, period: periodLabel(t, view.period) })
        : t('answers.why_reported_next', { ...who, period: periodLabel(t, { year: item.year, month: item.throughMonth }), next: periodLabel(t, nextOwed(item.indicator, view.period)) }),
    );
  }
  return lines.join('\n');
}
