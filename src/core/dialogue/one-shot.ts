import { showFigure, nameOf } from './format.js';
import { periodLabel } from '../render.js';
import { correctionHint, oneShotPrompt } from './prompts.js';
import { meaningOf, redefined } from './state.js';
import { decimalOf, idle, stored } from './steps.js';
import type { DialogueContext, DialogueEffect, DialogueStep, DialogueState } from './types.js';
import { judgeAnswer } from './validate.js';
import { isWord } from './words.js';

type OneShotState = Extract<DialogueState, { kind: 'one_shot' }>;

/**
 * `5G站点 本月新增12个`: checks the figure like an answer and asks for 确认. A figure already stored is not
 * replaced this way: a correction goes through `/report YYYY-MM`, which asks for the reason.
 */
export function startOneShot(ctx: DialogueContext, key: string, text: string): DialogueStep {
  const { t } = ctx;
  const item = ctx.items.find((i) => i.indicator.key === key);
  if (!item) return idle([t('dialogue.oneshot_not_yours')]);
  if (item.current) {
    const already = t('dialogue.oneshot_already', {
      name: nameOf(ctx, item.indicator),
      period: periodLabel(t, ctx.period),
      figure: showFigure(t, item.indicator, item.current.value),
    });
    return idle([`${already}${correctionHint(ctx, ctx.period)}`]);
  }
  const judged = judgeAnswer(ctx, item, text, ctx.period);
  if (!judged.ok) return idle([judged.reply]);
  const state: OneShotState = { kind: 'one_shot', period: ctx.period, key, ...stored(judged.value, judged.note), meaning: meaningOf(item.indicator) };
  return { state, replies: [oneShotPrompt(ctx, ctx.period, item, judged.value, judged.note)], effects: [] };
}

/** 确认 submits the one figure, 取消 drops it, anything else repeats the question. */
export function stepOneShot(state: OneShotState, text: string, ctx: DialogueContext): DialogueStep {
  const { t } = ctx;
  const item = ctx.items.find((i) => i.indicator.key === state.key);
  if (!item) return idle([t('dialogue.oneshot_not_yours')]);
  // The figure was read in the indicator's unit of then: it is not submitted in another one.
  if (redefined(state.meaning, item)) return idle([t('dialogue.items_gone')]);
  if (isWord(text, 'cancel') || isWord(text, 'no')) return idle([t('dialogue.oneshot_cancelled')]);
  if (!isWord(text, 'confirm')) return { state, replies: oneShotQuestion(state, ctx), effects: [] };
  const value = decimalOf(state.value);
  const figure = state.note === undefined ? { key: state.key, value } : { key: state.key, value, note: state.note };
  const effect: DialogueEffect = { type: 'submit', period: state.period, figures: [figure], correction: false };
  return { ...idle([t('dialogue.submitted', { period: periodLabel(t, state.period), count: 1, skipped: 0 })]), effects: [effect] };
}

/** The confirmation question of a pending one-shot figure. */
export function oneShotQuestion(state: OneShotState, ctx: DialogueContext): string[] {
  const item = ctx.items.find((i) => i.indicator.key === state.key);
  if (!item) return [ctx.t('dialogue.oneshot_not_yours')];
  return [oneShotPrompt(ctx, state.period, item, decimalOf(state.value), state.note)];
}
