import { createIntentMatcher, namedRetiredOnly } from '../../core/intents.js';
import type { CivilDate } from '../../core/calendar.js';
import { indicatorName } from '../../core/render.js';
import { progressLineWithOwed } from '../../core/render-answers.js';
import type { StoredIndicator } from '../../db/org-repository.js';
import { progressReport } from '../progress-report.js';
import type { AnswerContext } from './questions.js';

/*
 * An indicator the organisation file stopped listing is kept inactive with its history (docs/product.md,
 * Organisation, sections and members). A question the active indicators do not answer is tried against
 * those, so that `2025年科技型中小企业入库` still finds last year's figures after the file dropped it; so is
 * one that names a retired indicator and no active one (`道路货运量`, gone, is not `道路客运量`, which
 * only looks like it).
 */

/** The retired indicators the member may see: their own section's, or all for a director. */
function visibleRetired(ctx: AnswerContext): StoredIndicator[] {
  return ctx.org.retired.filter((indicator) => ctx.member.seesAll || indicator.sectionKey === ctx.member.sectionKey);
}

/** Whether `text` names a retired indicator the member may see, and no active one: it is about that one. */
export function namesRetiredOnly(ctx: AnswerContext, text: string): boolean {
  if (ctx.org.retired.length === 0) return false;
  const visible = new Set(visibleRetired(ctx).map((indicator) => indicator.key));
  return namedRetiredOnly(ctx.org.matcher(), ctx.org.retiredMatcher(), text).some((key) => visible.has(key));
}

/** The answer about retired indicators the text names, or undefined when it names none the member may see. */
export async function answerRetired(ctx: AnswerContext, text: string, today: CivilDate): Promise<string[] | undefined> {
  const retired = visibleRetired(ctx);
  if (retired.length === 0) return undefined;
  const intent = createIntentMatcher(retired).classify(text, { year: today.year, month: today.month });
  const named = (key: string) => retired.find((indicator) => indicator.key === key);
  if (intent.kind === 'one_shot') {
    const indicator = named(intent.indicator);
    return indicator ? [ctx.t('chat.retired_not_reported', { name: indicatorName(indicator, ctx.member.locale) })] : undefined;
  }
  const keys =
    intent.kind === 'ambiguous'
      ? intent.candidates
      : intent.kind === 'progress' || intent.kind === 'compare' || intent.kind === 'target' || intent.kind === 'why'
        ? intent.indicators
        : [];
  const indicators = keys.flatMap((key) => named(key) ?? []);
  if (indicators.length === 0) return undefined;
  const names = indicators.map((indicator) => indicatorName(indicator, ctx.member.locale)).join(ctx.t('list.separator'));
  const year = 'year' in intent && intent.year !== undefined ? intent.year : await latestYear(ctx, indicators.map((indicator) => indicator.id));
  if (year === undefined) return [ctx.t('chat.retired_no_figures', { indicators: names })];
  const month = 'month' in intent ? intent.month : undefined;
  const report = await progressReport(
    { prisma: ctx.tx, now: ctx.now },
    { year, ...(month === undefined ? {} : { month }), indicatorKeys: indicators.map((indicator) => indicator.key) },
    { organisation: ctx.org.organisation(), indicators },
  );
  const view = { latest: report.latest, owed: new Map() };
  return [[ctx.t('chat.retired_intro', { indicators: names }), ...report.items.map((item) => progressLineWithOwed(ctx.t, ctx.member.locale, view, item))].join('\n')];
}

/** The last year with a figure of any of `ids`. */
async function latestYear(ctx: AnswerContext, ids: number[]): Promise<number | undefined> {
  const found = await ctx.tx.submission.aggregate({ where: { indicatorId: { in: ids } }, _max: { year: true } });
  return found._max.year ?? undefined;
}
