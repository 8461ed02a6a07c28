import { createIntentMatcher, namedRetiredOnly } from '../../core/intents.js';
import type { CivilDate } from '../../core/calendar.js';
import { indicatorName } from '../../core/render.js';
import { progressLineWithOwed } from '../../core/render-answers.js';
import type { StoredIndicator, StoredOrganisation } from '../../db/org-repository.js';
import type { Translate } from '../../core/i18n.js';
import type { ReadDeps } from '../deps.js';
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
  const when = { year: 'year' in intent ? intent.year : undefined, month: 'month' in intent ? intent.month : undefined };
  const reader = { t: ctx.t, locale: ctx.member.locale, organisation: ctx.org.organisation() };
  return [await retiredProgress({ prisma: ctx.tx, now: ctx.now }, reader, indicators, when)];
}

/**
 * What is said of retired indicators asked about: that they are no longer reported, and each one's progress line
 * of `year` (else of their last year with a figure), through `month` when given. The chat says it, and so does
 * `npm run cli -- progress --indicator` for one.
 */
export async function retiredProgress(
  deps: ReadDeps,
  reader: { t: Translate; locale: string; organisation: StoredOrganisation },
  indicators: StoredIndicator[],
  when: { year?: number; month?: number },
): Promise<string> {
  const { t, locale } = reader;
  const names = indicators.map((indicator) => indicatorName(indicator, locale)).join(t('list.separator'));
  const year = when.year ?? (await latestYear(deps, indicators.map((indicator) => indicator.id)));
  if (year === undefined) return t('chat.retired_no_figures', { indicators: names });
  const report = await progressReport(
    deps,
    { year, ...(when.month === undefined ? {} : { month: when.month }), indicatorKeys: indicators.map((indicator) => indicator.key) },
    { organisation: reader.organisation, indicators, retired: new Set(indicators.map((indicator) => indicator.key)) },
  );
  const view = { latest: report.latest, owed: new Map() };
  return [t('chat.retired_intro', { indicators: names }), ...report.items.map((item) => progressLineWithOwed(t, locale, view, item))].join('\n');
}

/** The last year with a figure of any of `ids`. */
async function latestYear(deps: ReadDeps, ids: number[]): Promise<number | undefined> {
  const found = await deps.prisma.submission.aggregate({ where: { indicatorId: { in: ids } }, _max: { year: true } });
  return found._max.year ?? undefined;
}
