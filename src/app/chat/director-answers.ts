import { civilDateInZone } from '../../core/calendar.js';
import { isReporter } from '../../core/domain.js';
import type { MessageKey } from '../../core/i18n.js';
import type { SocialTone } from '../../core/intents/vocabulary.js';
import { monthOnMonth, stepOf } from '../../core/month-on-month.js';
import type { IndicatorProgress } from '../../core/progress.js';
import { indicatorName } from '../../core/render.js';
import { renderAhead, renderBehind, renderCompare, renderMonthOnMonth, renderOverview, renderTarget, renderWhy } from '../../core/render-answers.js';
import { renderRemaining, renderRemainingList } from '../../core/render-remaining.js';
import { reportingYear } from '../../core/schedule.js';
import { figuresByIndicator } from '../figures.js';
import { type Overview, overviewReport } from '../overview.js';
import { greetingName } from './member.js';
import { type AnswerContext, visibleIndicators } from './questions.js';

/*
 * Answers to what directors ask in their own words (docs/product.md, Questions): the overview, what is
 * behind, year-on-year, targets, what is left to them and why something is behind, all from the one
 * overview use case the CLI prints too; and a short reply in kind to thanks and greetings.
 */

type When = { year?: number; month?: number };

/** The overview of the visible indicators (or of `keys` among them) as this message's transaction sees it. */
async function overviewFor(ctx: AnswerContext, when: When, keys?: string[]): Promise<Overview | undefined> {
  const visible = visibleIndicators(ctx).map((indicator) => indicator.key);
  const asked = keys && keys.length > 0 ? keys.filter((key) => visible.includes(key)) : visible;
  if (asked.length === 0) return undefined;
  return overviewReport(
    { prisma: ctx.tx, now: ctx.now },
    { year: when.year, month: when.month, indicatorKeys: asked },
    { organisation: ctx.org.organisation(), indicators: ctx.indicators },
  );
}

/** 总体进度: the same text as `cli progress`. */
export async function answerOverview(ctx: AnswerContext, when: When): Promise<string[]> {
  const overview = await overviewFor(ctx, when);
  if (!overview) return [ctx.t('chat.not_your_section')];
  // A section's own overview is headed by the section, not by the whole bureau it does not speak for, and
  // counts the section's own figures, not the bureau's sections.
  const { section } = ctx.member;
  const own = ctx.member.sectionKey === undefined ? undefined : overview.bySection.get(ctx.member.sectionKey);
  const scoped =
    ctx.member.seesAll || !section
      ? overview
      : { ...overview, organisation: section, section: own ?? { owed: 0, done: 0 } };
  return [renderOverview(ctx.t, ctx.member.locale, scoped)];
}

/** 哪些指标领先, 超额完成的有哪些: those ahead of schedule, furthest first, and those whose target is met. */
export async function answerAhead(ctx: AnswerContext, when: When): Promise<string[]> {
  const overview = await overviewFor(ctx, when);
  return overview ? [renderAhead(ctx.t, ctx.member.locale, overview, overview.owners)] : [ctx.t('chat.not_your_section')];
}

/** 哪些指标落后: those behind schedule only, worst first, with who is responsible. */
export async function answerBehind(ctx: AnswerContext, when: When): Promise<string[]> {
  const overview = await overviewFor(ctx, when);
  return overview ? [renderBehind(ctx.t, ctx.member.locale, overview, overview.owners)] : [ctx.t('chat.not_your_section')];
}

/**
 * One line per indicator asked, rendered by `line`. With none named, every visible indicator that `shows`
 * keeps, and one closing line naming the rest (`rest`), so that fifteen lines do not say "no figure".
 */
async function perIndicator(
  ctx: AnswerContext,
  keys: string[],
  when: When,
  line: (overview: Overview, item: IndicatorProgress) => string,
  all: {
    shows: (item: IndicatorProgress) => boolean;
    rest: MessageKey;
    none: MessageKey;
    /** One sentence for all of those shown, in place of a line each that would say the same (e.g. no last year at all). */
    together?: (shown: IndicatorProgress[], year: number) => string | undefined;
  },
): Promise<string[]> {
  const overview = await overviewFor(ctx, when, keys);
  if (!overview) return [ctx.t('chat.not_your_section')];
  if (keys.length > 0) return [overview.items.map((item) => line(overview, item)).join('\n')];
  const shown = overview.items.filter(all.shows);
  // Nothing to show at all: said so, not a lone 另有 15 项… with nothing before it.
  if (shown.length === 0) return [ctx.t(all.none, { year: overview.year })];
  const together = all.together?.(shown, overview.year);
  if (together !== undefined) return [together];
  const rest = overview.items.filter((item) => !all.shows(item));
  const lines = shown.map((item) => line(overview, item));
  if (rest.length > 0) {
    const indicators = rest.map((item) => indicatorName(item.indicator, ctx.member.locale)).join(ctx.t('list.separator'));
    lines.push(ctx.t(all.rest, { count: rest.length, year: overview.year, indicators }));
  }
  return [lines.join('\n')];
}

/** 环比: each month's own figure against the month before's. */
async function answerMonthOnMonth(ctx: AnswerContext, keys: string[], when: When): Promise<string[]> {
  const year = when.year ?? civilDateInZone(ctx.now(), ctx.org.organisation().timezone).year;
  const figures = await figuresByIndicator(ctx.tx, [year - 1, year]);
  return perIndicator(
    ctx,
    keys,
    when,
    (overview, item) => {
      const mom = monthOnMonth(item.indicator.kind, figures.get(item.indicator.key) ?? [], overview.year, item.asOfMonth, stepOf(item.indicator));
      return renderMonthOnMonth(ctx.t, ctx.member.locale, overview, item, mom);
    },
    { shows: (item) => item.ytd !== undefined, rest: 'answers.behind_no_data', none: 'answers.compare_none' },
  );
}

/** 同比, 去年同期: the growth, or that last year has no figure for the same months; 环比 with `basis: 'month'`. */
export function answerCompare(ctx: AnswerContext, keys: string[], when: When & { basis?: 'month' }): Promise<string[]> {
  if (when.basis === 'month') return answerMonthOnMonth(ctx, keys, when);
  return perIndicator(ctx, keys, when, (overview, item) => renderCompare(ctx.t, ctx.member.locale, overview, item), {
    shows: (item) => item.ytd !== undefined,
    rest: 'answers.behind_no_data',
    none: 'answers.compare_none',
    // Last year with nothing at all for the same months: said once, not once an indicator.
    together: (shown, year) =>
      shown.every((item) => item.lastYearYtd === undefined && item.yoyIncomplete === undefined)
        ? ctx.t('answers.compare_no_last_any', { year, lastYear: year - 1 })
        : undefined,
  });
}

/** 目标是多少, 任务数: the year's target. */
export function answerTarget(ctx: AnswerContext, keys: string[], when: When): Promise<string[]> {
  return perIndicator(ctx, keys, when, (_, item) => renderTarget(ctx.t, ctx.member.locale, item), {
    shows: (item) => item.target !== undefined,
    rest: 'answers.overview_untargeted',
    none: 'answers.no_targets_at_all',
  });
}

/** 为什么落后: the gap and what it is short, and what is missing: who owes it, by when. None named: those behind. */
export async function answerWhy(ctx: AnswerContext, keys: string[], when: When): Promise<string[]> {
  const overview = await overviewFor(ctx, when, keys);
  if (!overview) return [ctx.t('chat.not_your_section')];
  const items = keys.length > 0 ? overview.items : overview.items.filter((item) => item.gap?.status === 'behind');
  if (items.length === 0) return [renderBehind(ctx.t, ctx.member.locale, overview, overview.owners)];
  const reporter = isReporter(ctx.member);
  const render = (item: IndicatorProgress) => renderWhy(ctx.t, ctx.member.locale, overview, item, overview.owners.get(item.indicator.key), reporter);
  return [items.map(render).join('\n')];
}

/**
 * 还差多少, 离目标还差多少: what is left to each named indicator's target, the months left and the pace they
 * need, and where it stands against 序时进度. None named: every one with a target not yet met, one line each.
 */
export async function answerRemaining(ctx: AnswerContext, keys: string[], when: When): Promise<string[]> {
  const overview = await overviewFor(ctx, when, keys);
  if (!overview) return [ctx.t('chat.not_your_section')];
  if (keys.length === 0) return [renderRemainingList(ctx.t, ctx.member.locale, overview)];
  const organisation = ctx.org.organisation();
  // A year behind the one being reported has no month left to work in, whatever month its figures stop at.
  const yearOver = overview.year < reportingYear(ctx.now(), organisation.timezone, organisation.schedule);
  return [overview.items.map((item) => renderRemaining(ctx.t, ctx.member.locale, overview, item, yearOver)).join('\n')];
}

/** 谢谢, 好的, 早上好: a short reply in kind. */
export function answerSocial(ctx: AnswerContext, tone: SocialTone): string[] {
  if (tone === 'greeting') return [ctx.t('answers.social_greeting', { name: greetingName(ctx.member) })];
  return [ctx.t(tone === 'thanks' ? 'answers.social_thanks' : 'answers.social_ack')];
}
