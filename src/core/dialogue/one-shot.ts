import { clip, nameOf, showFigure } from './format.js';
import { periodLabel } from '../render.js';
import { nextOwed, startsLater } from '../domain.js';
import { correctionHint, oneShotPrompt } from './prompts.js';
import { meaningOf, redefined } from './state.js';
import { decimalOf, idle, stored } from './steps.js';
import type { DialogueContext, DialogueEffect, DialogueStep, DialogueState, QueuedOneShot, ReportingState } from './types.js';
import { stepReporting } from './report.js';
import { judgeAnswer } from './validate.js';
import { isWord } from './words.js';
import { submittedLine } from './review.js';

type OneShotState = Extract<DialogueState, { kind: 'one_shot' }>;

/**
 * `5G站点 本月新增12个`: checks the figure like an answer and asks for 确认. Another figure for one already stored
 * opens that indicator's correction (review, then the reason, as `/report YYYY-MM` asks). `queued` are the
 * one-line reports still to confirm after this one; they ride along in the state.
 */
export function startOneShot(ctx: DialogueContext, key: string, text: string, queued: QueuedOneShot[] = []): DialogueStep {
  const { t } = ctx;
  const item = ctx.items.find((i) => i.indicator.key === key);
  if (!item) return idle([notAsked(ctx, key)]);
  const judged = judgeAnswer(ctx, item, text, ctx.period);
  if (!judged.ok) return idle([judged.reply]);
  if (item.current) {
    const params = { name: nameOf(ctx, item.indicator), period: periodLabel(t, ctx.period), figure: showFigure(t, item.indicator, item.current.value) };
    const same = judged.value.equals(item.current.value) && (judged.note === undefined || judged.note === item.current.note);
    // Nothing to change, or other one-line reports waiting their turn: said, with how to correct.
    if (same || queued.length > 0) return idle([`${t('dialogue.oneshot_already', params)}${correctionHint(ctx, ctx.period)}`]);
    // Another figure for one stored: the month's correction of that indicator, as `/report YYYY-MM` takes an
    // answer to it — its review, then the reason — so nothing is replaced without one.
    const asking: ReportingState = {
      kind: 'reporting', period: ctx.period, correction: true, keys: [key], index: 0, answers: {}, phase: 'asking',
      meanings: { [key]: meaningOf(item.indicator) },
    };
    const step = stepReporting(asking, text, ctx);
    return { ...step, replies: [t('dialogue.oneshot_correcting', params), ...step.replies] };
  }
  const state: OneShotState = {
    kind: 'one_shot',
    period: ctx.period,
    key,
    ...stored(judged.value, judged.note),
    meaning: meaningOf(item.indicator),
    ...(judged.warning === undefined ? {} : { queried: true as const }),
    ...(queued.length === 0 ? {} : { queued }),
  };
  return { state, replies: [oneShotPrompt(ctx, ctx.period, item, judged.value, judged.note)], effects: [] };
}

/** 确认 submits the one figure, 取消 drops it, anything else says what is awaited and asks again. */
export function stepOneShot(state: OneShotState, text: string, ctx: DialogueContext): DialogueStep {
  const { t } = ctx;
  const item = ctx.items.find((i) => i.indicator.key === state.key);
  if (!item) return idle([notAsked(ctx, state.key)]);
  // The figure was read in the indicator's unit of then: it is not submitted in another one.
  if (redefined(state.meaning, item)) return idle([t('dialogue.items_gone')]);
  if (isWord(text, 'cancel') || isWord(text, 'no')) return idle([t('dialogue.oneshot_cancelled')]);
  if (!isWord(text, 'confirm')) return { state, replies: [t('checks.oneshot_waiting'), ...oneShotQuestion(state, ctx)], effects: [] };
  const value = decimalOf(state.value);
  const figure = {
    key: state.key,
    value,
    ...(state.note === undefined ? {} : { note: state.note }),
    ...(state.queried ? { queried: true } : {}),
  };
  const effect: DialogueEffect = { type: 'submit', period: state.period, figures: [figure], correction: false, late: false, skipped: 0 };
  return { ...idle([submittedLine(t, effect, 1)]), effects: [effect] };
}

/** Keeps another one-line report for after the pending one, and says so with the question still open. */
export function queueOneShot(state: OneShotState, next: QueuedOneShot, message: string, ctx: DialogueContext): DialogueStep {
  const queued = [...(state.queued ?? []), next];
  const replies = [ctx.t('checks.oneshot_queued', { text: clip(message) }), ...oneShotQuestion(state, ctx)];
  return { state: { ...state, queued }, replies, effects: [] };
}

/** The confirmation question of a pending one-shot figure. */
export function oneShotQuestion(state: OneShotState, ctx: DialogueContext): string[] {
  const item = ctx.items.find((i) => i.indicator.key === state.key);
  if (!item) return [ctx.t('dialogue.oneshot_not_yours')];
  return [oneShotPrompt(ctx, state.period, item, decimalOf(state.value), state.note)];
}

/**
 * Why a one-line report of `key` is not taken for the period: the indicator is the member's but not owed
 * for it (its `from` is later, or it is reported quarterly: said when it is next), or not the member's at all.
 */
function notAsked(ctx: DialogueContext, key: string): string {
  return notOwedNotice(ctx, key) ?? ctx.t('dialogue.oneshot_not_yours');
}

/** Why the member's indicator `key` is not owed for the period (its `from` is later, or it is quarterly); undefined if owed or not theirs. */
export function notOwedNotice(ctx: DialogueContext, key: string): string | undefined {
  const later = ctx.notOwed?.find((indicator) => indicator.key === key);
  if (!later) return undefined;
  const params = { name: nameOf(ctx, later), from: periodLabel(ctx.t, nextOwed(later, ctx.period)), period: periodLabel(ctx.t, ctx.period) };
  return ctx.t(startsLater(later, ctx.period) ? 'dialogue.oneshot_not_owed' : 'dialogue.oneshot_quarterly', params);
}
