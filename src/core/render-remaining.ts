import { type Decimal, formatDecimal } from './decimal.js';
import { isOwed } from './domain.js';
import type { Translate } from './i18n.js';
import { type IndicatorProgress, formatFigure, formatPercent, formatPoints } from './progress.js';
import { remainingList, remainingToTarget } from './remaining.js';
import { amountText, figureNotes, indicatorName, monthName, periodLabel, renderFigure, spanText } from './render.js';
import { type OverviewView, owedText, progressLineWithOwed } from './render-answers.js';

/*
 * 还差多少 as sentences (docs/product.md, Questions):
 * 工业技改投资：1–10月累计 2.05 亿元，距年度目标 3 亿元还差 0.95 亿元，完成 68.33%。
 * 年内还剩 2 个月，平均每月需完成 0.48 亿元。
 * 按序时进度（83.33%）应完成 2.50 亿元，还差 0.45 亿元。
 */

function figureOf(t: Translate, item: IndicatorProgress, value: Decimal): string {
  return renderFigure(t, formatFigure(value, item.indicator.decimals), item.indicator);
}

function targetOf(t: Translate, item: IndicatorProgress, target: Decimal): string {
  return renderFigure(t, formatDecimal(target, item.indicator.decimals), item.indicator);
}

interface Measured {
  ytd: Decimal;
  throughMonth: number;
  target: Decimal;
  left: Decimal;
}

/** What the main line needs, when the indicator has both a target and a figure. */
function measured(item: IndicatorProgress, left: Decimal | undefined): Measured | undefined {
  const { ytd, throughMonth, target } = item;
  if (ytd === undefined || throughMonth === undefined || target === undefined || left === undefined) return undefined;
  return { ytd, throughMonth, target, left };
}

/** `schedule`: the list says where each stands against 序时进度 in points, which is what orders it. */
function mainLine(t: Translate, locale: string, item: IndicatorProgress, at: Measured, schedule = false): string {
  const { indicator } = item;
  const base = {
    name: indicatorName(indicator, locale),
    span: spanText(t, indicator, at.throughMonth),
    // An increment's sum that lacks months says so, as the progress line does: 2 家（1–10月未报送）.
    figure: `${figureOf(t, item, at.ytd)}${figureNotes(t, item.queried, item.unreportedMonths)}`,
    target: targetOf(t, item, at.target),
    rate: item.rate === undefined ? '' : t('remaining.rate', { rate: formatPercent(item.rate) }),
  };
  if (at.left.isZero()) return t('remaining.line_met_exactly', base);
  if (at.left.isNegative()) return t('remaining.line_met', { ...base, over: amountText(t, item.indicator, at.left.negated()) });
  const gap = schedule && item.gap ? t(`remaining.list_gap_${item.gap.status}`, { points: formatPoints(item.gap.points) }) : '';
  return t('remaining.line', { ...base, left: amountText(t, item.indicator, at.left), schedule: gap });
}

/**
 * One indicator's 还差多少: the figure, the target, what is left and the rate; while the year is not over,
 * the months left and what each must bring on average; and the amount against 序时进度. `yearOver`: the
 * year asked is behind the one being reported.
 */
export function renderRemaining(
  t: Translate,
  locale: string,
  view: Pick<OverviewView, 'latest' | 'owed'>,
  item: IndicatorProgress,
  yearOver: boolean,
): string {
  const { indicator } = item;
  const remaining = remainingToTarget(item, yearOver);
  const at = measured(item, remaining?.left);
  if (!remaining || !at) {
    const reportedYet = indicator.from === undefined || isOwed(indicator, { year: item.year, month: item.asOfMonth });
    if (item.ytd !== undefined || item.target === undefined || !reportedYet) return progressLineWithOwed(t, locale, view, item);
    const latest = view.latest.get(indicator.key);
    const owed = view.owed.get(indicator.key);
    const params = {
      name: indicatorName(indicator, locale),
      year: item.year,
      target: targetOf(t, item, item.target),
      latest: latest ? t('progress.latest_hint', { period: periodLabel(t, latest) }) : '',
    };
    return owed ? t('remaining.no_data_owed', { ...params, owed: owedText(t, locale, owed) }) : t('remaining.no_data', params);
  }
  const lines = [mainLine(t, locale, item, at)];
  if (!remaining.left.greaterThan(0)) return lines.join('\n');
  if (remaining.monthlyNeeded !== undefined) {
    const average = formatFigure(remaining.monthlyNeeded, indicator.decimals);
    // Fewer firms to go than months: an average of 0 家 a month would read as nothing to do.
    // A quarterly one's quarters left, not its months.
    const quarterly = indicator.frequency === 'quarterly';
    lines.push(
      Number(average) === 0
        ? t(quarterly ? 'remaining.quarters_left' : 'remaining.months_left', { months: remaining.monthsLeft })
        : t(quarterly ? 'remaining.pace_quarters' : 'remaining.pace', { months: remaining.monthsLeft, average: amountText(t, item.indicator, remaining.monthlyNeeded) }),
    );
  }
  if (remaining.due !== undefined && remaining.againstSchedule !== undefined) {
    const amount = formatFigure(remaining.againstSchedule.abs(), indicator.decimals);
    const side = Number(amount) === 0 ? 'on' : remaining.againstSchedule.isNegative() ? 'behind' : 'ahead';
    lines.push(
      t(`remaining.schedule_${side}`, {
        elapsed: formatPercent(item.elapsed),
        due: figureOf(t, item, remaining.due),
        amount: amountText(t, item.indicator, remaining.againstSchedule.abs()),
      }),
    );
  }
  return lines.join('\n');
}

/**
 * 还差多少 with nothing named: those with a target still short of it, furthest behind 序时进度 first, one
 * line each; then one line for those with no figure yet and one for those already met.
 */
export function renderRemainingList(t: Translate, locale: string, view: Pick<OverviewView, 'items' | 'year' | 'dataMonth' | 'period'>): string {
  const { short, noData, met } = remainingList(view.items);
  const month = view.dataMonth ?? view.period.month;
  const names = (items: IndicatorProgress[]) => items.map((item) => indicatorName(item.indicator, locale)).join(t('list.separator'));
  const params = { year: view.year, month, monthName: monthName(t, month) };
  if (short.length === 0) {
    if (noData.length === 0 && met.length === 0) return t('answers.no_targets_at_all', params);
    if (noData.length === 0) return t('remaining.list_all_met', { ...params, indicators: names(met) });
    // Nothing short among figures in is no good news while figures are missing: said first.
    const key = met.length === 0 ? 'remaining.list_no_data' : 'remaining.list_all_met_but_missing';
    return t(key, { ...params, count: noData.length, indicators: names(noData) });
  }
  const lines = [
    t('remaining.list_header', { ...params, count: short.length }),
    ...short.flatMap((item, index) => {
      const at = measured(item, remainingToTarget(item, true)?.left);
      return at ? [t('remaining.list_item', { index: index + 1, line: mainLine(t, locale, item, at, true) })] : [];
    }),
  ];
  if (noData.length > 0) lines.push(t('answers.behind_no_data', { count: noData.length, year: view.year, indicators: names(noData) }));
  if (met.length > 0) lines.push(t('remaining.list_met', { count: met.length, year: view.year, indicators: names(met) }));
  return lines.join('\n');
}
