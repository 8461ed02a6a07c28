import { compareCivilDates } from '../calendar.js';
import { comparePeriods, formatPeriod } from '../period.js';
import { nextOwed, startsLater } from '../domain.js';
import { dayLabel, indicatorName, periodLabel } from '../render.js';
import { correctionHint, openingLine, questionLine, suspiciousPrompt } from './prompts.js';
import { readEdit, stepReason, stepReview } from './review.js';
import { type Resolved, meaningOf, resolveReporting } from './state.js';
import { type StoredFigure, ask, cancelled, decimalOf, idle, recordAndAdvance, stored, toReview } from './steps.js';
import type { DialogueContext, DialogueItem, DialogueStep, ReportingState } from './types.js';
import { judgeAnswer } from './validate.js';
import { isWord } from './words.js';

/**
 * Opens a report of `ctx.period`: the greeting and the first question. Normal reporting asks only what is
 * not stored yet; a correction asks everything and shows the stored figures.
 */
export function startReport(ctx: DialogueContext, options: { correction: boolean; late?: boolean }): DialogueStep {
  const { t } = ctx;
  if (ctx.items.length === 0) return idle([nothingOwed(ctx)]);
  const open = options.correction ? ctx.items : ctx.items.filter((item) => item.current === undefined);
  if (open.length === 0) {
    const done = t('dialogue.all_reported', { period: periodLabel(t, ctx.period), count: ctx.items.length });
    return idle([`${done}${earlierMissingLine(ctx, options.correction)}${correctionHint(ctx, ctx.period)}`]);
  }
  const state: ReportingState = {
    kind: 'reporting',
    period: ctx.period,
    correction: options.correction,
    ...(options.late && !options.correction ? { late: true } : {}),
    keys: open.map((item) => item.indicator.key),
    index: 0,
    answers: {},
    phase: 'asking',
    meanings: Object.fromEntries(open.map((item) => [item.indicator.key, meaningOf(item.indicator)])),
  };
  const done = ctx.items.length - open.length;
  const lateParams = { name: ctx.greetingName, period: periodLabel(t, ctx.period), count: open.length, done };
  const late = done > 0 ? t('checks.opening_late_remaining', lateParams) : t('checks.opening_late', lateParams);
  const opening = options.late && !options.correction ? late : openingLine(ctx, options.correction, open.length, done);
  return { state, replies: [opening, questionLine(ctx, state, open, 0)], effects: [] };
}

/** The month before, still missing figures past its deadline: named with the command that files them (补报). */
function earlierMissingLine(ctx: DialogueContext, correction: boolean): string {
  const missing = ctx.earlierMissing;
  if (correction || !missing) return '';
  const { t } = ctx;
  const passed = missing.deadline === undefined || ctx.today === undefined || compareCivilDates(missing.deadline, ctx.today) < 0;
  if (!passed) return '';
  return t('dialogue.earlier_missing', {
    period: periodLabel(t, missing.period),
    count: missing.count,
    deadline: missing.deadline === undefined ? '' : t('dialogue.deadline_passed', { date: dayLabel(t, missing.deadline) }),
    command: `/report ${formatPeriod(missing.period)}`,
  });
}

/** One message of an open report, whatever its phase; indicators gone from `ctx` are dropped first. */
export function stepReporting(state: ReportingState, text: string, ctx: DialogueContext): DialogueStep {
  if (isWord(text, 'cancel')) return cancelled(ctx);
  const resolved = resolveReporting(state, ctx);
  if (resolved.state.keys.length === 0) return idle([ctx.t('dialogue.items_gone')]);
  const notice = resolved.changed ? [ctx.t('dialogue.items_changed')] : [];
  const { items } = resolved;
  const current = resolved.state;
  // The message answered a question that no longer exists, or edited a summary whose numbers have shifted:
  // it is not applied to something else; the person sees where the report stands instead.
  if (resolved.lostCurrent || (resolved.changed && current.phase === 'review')) return resume(ctx, resolved, notice);
  if (current.phase === 'asking' && current.index >= items.length) return toReview(ctx, current, items, notice);
  const step = byPhase(current, text, ctx, items);
  return { ...step, replies: [...notice, ...step.replies] };
}

/** Where an open report stands (the question, the query, the summary or the request for a reason), as a step. */
export function resume(ctx: DialogueContext, resolved: Resolved, before: string[] = []): DialogueStep {
  const { state, items } = resolved;
  switch (state.phase) {
    case 'asking':
      return state.index >= items.length ? toReview(ctx, state, items, before) : ask(ctx, state, items, state.index, before);
    case 'confirm_suspicious': {
      const pending = state.pending;
      const item = items.find((i) => i.indicator.key === pending?.key);
      if (!pending || !item) return toReview(ctx, state, items, before);
      return { state, replies: [...before, ...suspiciousPrompt(ctx, state, item, decimalOf(pending.value))], effects: [] };
    }
    case 'review':
      return toReview(ctx, state, items, before);
    case 'reason':
      return { state, replies: [...before, ctx.t('dialogue.ask_reason')], effects: [] };
  }
}

function byPhase(state: ReportingState, text: string, ctx: DialogueContext, items: DialogueItem[]): DialogueStep {
  switch (state.phase) {
    case 'asking':
      return stepAsking(state, text, ctx, items);
    case 'confirm_suspicious':
      return stepSuspicious(state, text, ctx, items);
    case 'review':
      return stepReview(state, text, ctx, items);
    case 'reason':
      return stepReason(state, text, ctx, items);
  }
}

function stepAsking(state: ReportingState, text: string, ctx: DialogueContext, items: DialogueItem[]): DialogueStep {
  const item = items[state.index];
  if (!item) return toReview(ctx, state, items);
  const key = item.indicator.key;
  if (isWord(text, 'skip')) return recordAndAdvance(ctx, state, items, key, { skipped: true });
  if (isWord(text, 'back')) {
    if (state.editing) return toReview(ctx, state, items);
    if (state.index === 0) return ask(ctx, state, items, 0, [ctx.t('dialogue.first_already')]);
    return ask(ctx, state, items, state.index - 1);
  }
  const judged = judgeAnswer(ctx, item, text, state.period, state.answers);
  if (!judged.ok) return ask(ctx, state, items, state.index, [judged.reply]);
  const answer = stored(judged.value, judged.note);
  if (judged.warning === undefined) return recordAndAdvance(ctx, state, items, key, answer);
  const next: ReportingState = { ...state, phase: 'confirm_suspicious', pending: { key, ...answer, returnTo: 'asking' } };
  return { state: next, replies: [judged.warning, ctx.t('dialogue.confirm_suspicious')], effects: [] };
}

/**
 * 是 keeps the pending figure, 否 asks again, 跳过 leaves the item for later, 上一项 goes back without it, a new
 * number is a new answer to the same question.
 */
function stepSuspicious(state: ReportingState, text: string, ctx: DialogueContext, items: DialogueItem[]): DialogueStep {
  const pending = state.pending;
  const index = items.findIndex((i) => i.indicator.key === pending?.key);
  const item = items[index];
  if (!pending || !item) return toReview(ctx, state, items);
  const key = item.indicator.key;
  const toReviewFirst = pending.returnTo === 'review';
  const { pending: _pending, ...rest } = state;
  const settled: ReportingState = { ...rest, phase: pending.returnTo, index: toReviewFirst ? state.index : index };
  const accept = (answer: StoredFigure): DialogueStep =>
    toReviewFirst
      ? toReview(ctx, { ...settled, answers: { ...state.answers, [key]: answer } }, items)
      : recordAndAdvance(ctx, settled, items, key, answer);
  const again = (before: string[] = []): DialogueStep =>
    toReviewFirst ? toReview(ctx, settled, items, before) : ask(ctx, settled, items, index, before);

  // 跳过 leaves the item for later, as it does when the question is asked, the queried figure with it.
  if (isWord(text, 'skip')) {
    const skipped = { skipped: true } as const;
    return toReviewFirst
      ? toReview(ctx, { ...settled, answers: { ...state.answers, [key]: skipped } }, items)
      : recordAndAdvance(ctx, settled, items, key, skipped);
  }
  // 上一项 lets the queried figure go and goes back, as it does from the question.
  if (isWord(text, 'back')) return toReviewFirst ? toReview(ctx, settled, items) : stepAsking(settled, text, ctx, items);
  // Kept despite the query: the figure goes in marked for the directors.
  if (isWord(text, 'yes')) return accept({ ...stored(decimalOf(pending.value), pending.note), queried: true });
  if (isWord(text, 'no')) return again();
  // From the summary, an edit written as one (`3 两千三百万`): of the queried item it is the answer; of
  // another, the query is answered first.
  const edit = toReviewFirst ? readEdit(text) : undefined;
  if (edit && items[edit.number - 1]?.indicator.key !== key) {
    return { state, replies: [ctx.t('dialogue.query_first'), ...suspiciousPrompt(ctx, state, item, decimalOf(pending.value))], effects: [] };
  }
  const judged = judgeAnswer(ctx, item, edit?.answer ?? text, state.period, state.answers);
  if (!judged.ok) {
    // Neither 是/否 nor a figure that can be taken (`2 3`, one out of range): the question about the pending
    // one still stands, so that no figure it was about is dropped without a word.
    const before = judged.code === 'no_number' || judged.code === 'empty' ? [] : [judged.reply];
    return { state, replies: [...before, ...suspiciousPrompt(ctx, state, item, decimalOf(pending.value))], effects: [] };
  }
  const answer = stored(judged.value, judged.note);
  if (judged.warning === undefined) return accept(answer);
  const next: ReportingState = { ...state, pending: { key, ...answer, returnTo: pending.returnTo } };
  return { state: next, replies: [judged.warning, ctx.t('dialogue.confirm_suspicious')], effects: [] };
}

/**
 * No indicator to ask for the period: none is the member's, or those they have are owed later (their `from`,
 * or the next quarter's end of a quarterly one): said when the first of them is.
 */
function nothingOwed(ctx: DialogueContext): string {
  const later = ctx.notOwed ?? [];
  if (later.length === 0) return ctx.t('dialogue.no_indicators');
  const first = later.map((indicator) => nextOwed(indicator, ctx.period)).sort(comparePeriods)[0]!;
  return ctx.t(later.every((indicator) => startsLater(indicator, ctx.period)) ? 'dialogue.nothing_owed_yet' : 'dialogue.nothing_owed_quarterly', {
    period: periodLabel(ctx.t, ctx.period),
    indicators: later.map((indicator) => indicatorName(indicator, ctx.locale)).join(ctx.t('list.separator')),
    count: later.length,
    from: periodLabel(ctx.t, first),
  });
}
