import { fold } from '../intents/text.js';
import { parseAnswer } from '../numbers.js';
import { type Period, formatPeriod } from '../period.js';
import type { Translate } from '../i18n.js';
import { periodLabel } from '../render.js';
import { reviewInstruction } from './prompts.js';
import { answeredCount, isAnswered } from './state.js';
import { ask, decimalOf, idle, stored, toReview } from './steps.js';
import type { DialogueContext, DialogueEffect, DialogueItem, DialogueStep, ReportingState } from './types.js';
import { judgeAnswer } from './validate.js';
import { isWord } from './words.js';

// `2 2.5`, `2、2.5`, `第2项：2.5`, `2. 2.5`, `第2项改为2.5`, `change item 2 to 2.5`; `2.5` alone is not an edit, nor is `1,960`.
const EDIT = /^(?:(?:change|set|make)\s+)?(?:item\s+|no\.?\s*|#)?第?\s*(\d{1,3})\s*项?(?:\s*(?:改为|改成|改|to|=|[、:：])\s*|\.\s+|\s+)(\S[\s\S]*)$/;
const ITEM_ONLY = /^(?:改|修改|更改)?\s*第?\s*(\d{1,3})\s*项?$/;

/** An edit of the summary (`2 2.5`): the item's number and its answer as written, with its own punctuation. */
export function readEdit(text: string): { number: number; answer: string } | undefined {
  const trimmed = text.trim();
  const folded = fold(trimmed);
  if (ITEM_ONLY.test(folded)) return undefined;
  const edit = EDIT.exec(folded);
  // fold() keeps one character for one, so the answer is cut from the original text.
  return edit ? { number: Number(edit[1]), answer: trimmed.slice(folded.length - (edit[2] ?? '').length) } : undefined;
}

/** The summary: 确认 submits (or, in a correction, asks why), `2 2.5` edits item 2, `2` asks item 2 again. */
export function stepReview(state: ReportingState, text: string, ctx: DialogueContext, items: DialogueItem[]): DialogueStep {
  const { t } = ctx;
  const hint = (before: string): DialogueStep => ({ state, replies: [before, reviewInstruction(ctx, items.length)], effects: [] });
  if (isWord(text, 'confirm')) {
    // Everything skipped: 确认 ends the report (the summary again would have nothing to confirm, and no way on).
    if (answeredCount(state) === 0) return idle([t(state.correction ? 'dialogue.nothing_corrected' : 'dialogue.nothing_to_submit')]);
    if (state.correction) return { state: { ...state, phase: 'reason' }, replies: [t('dialogue.ask_reason')], effects: [] };
    return submit(ctx, state, items);
  }
  if (isWord(text, 'back')) return ask(ctx, { ...state, editing: true }, items, items.length - 1);

  const only = ITEM_ONLY.exec(fold(text.trim()));
  const edit = only ? undefined : readEdit(text);
  const number = only ? Number(only[1]) : edit?.number;
  if (number === undefined) return hint(bareFigureHint(ctx, text, items) ?? t('dialogue.review_not_understood'));
  const item = items[number - 1];
  if (!item) return hint(t('dialogue.review_no_such_item', { number, total: items.length }));
  if (only || !edit) return ask(ctx, { ...state, editing: true }, items, number - 1);

  const answerText = edit.answer;
  const key = item.indicator.key;
  if (isWord(answerText, 'skip')) return toReview(ctx, { ...state, answers: { ...state.answers, [key]: { skipped: true } } }, items);
  const judged = judgeAnswer(ctx, item, answerText, state.period, state.answers);
  if (!judged.ok) return hint(judged.reply);
  const answer = stored(judged.value, judged.note);
  if (judged.warning === undefined) return toReview(ctx, { ...state, answers: { ...state.answers, [key]: answer } }, items);
  const next: ReportingState = { ...state, phase: 'confirm_suspicious', pending: { key, ...answer, returnTo: 'review' } };
  return { state: next, replies: [judged.warning, t('dialogue.confirm_suspicious')], effects: [] };
}

/**
 * A figure alone in the summary (`12.4亿`) is an edit without its item's number: the number asked for, with
 * the one item whose unit the figure fits as the example (`3 12.4亿`), else the first.
 */
function bareFigureHint(ctx: DialogueContext, text: string, items: DialogueItem[]): string | undefined {
  const figure = text.trim();
  const fits = items.flatMap((item, index) => (parseAnswer(figure, item.indicator.unit).ok ? [index + 1] : []));
  if (fits.length === 0) return undefined;
  return ctx.t('dialogue.review_figure_without_item', { text: figure, example: `${fits.length === 1 ? fits[0] : 1} ${figure}` });
}

// What answers the request for a reason without being one: a question back (为什么要填原因, 什么原因?), a bare
// yes or confirm (确认 typed twice), a figure.
const QUESTION_BACK = /[?？]\s*$|^(?:为什么|为啥|干嘛|什么|怎么|咋|why\b|what\b)|(?:为什么|为啥|干嘛)要/i;

/** After 确认 in a correction: the next message is the reason; 返回 goes back to the summary. (取消 is handled before.) */
export function stepReason(state: ReportingState, text: string, ctx: DialogueContext, items: DialogueItem[]): DialogueStep {
  if (isWord(text, 'back')) return toReview(ctx, state, items);
  const reason = text.trim();
  if (reason === '') return { state, replies: [ctx.t('dialogue.ask_reason')], effects: [] };
  // The reason stays in the figures' history for whoever checks them later: not a question or a yes.
  if (QUESTION_BACK.test(reason) || isWord(reason, 'confirm') || /^[-+]?[0-9.,，]+$/.test(reason)) {
    return { state, replies: [ctx.t('dialogue.reason_explained')], effects: [] };
  }
  return submit(ctx, state, items, reason);
}

/** The one side effect: every answered figure, exact, in the order asked; the dialogue ends. */
function submit(ctx: DialogueContext, state: ReportingState, items: DialogueItem[], reason?: string): DialogueStep {
  const { t } = ctx;
  const figures = items.flatMap((item) => {
    const answer = state.answers[item.indicator.key];
    if (!isAnswered(answer)) return [];
    const value = decimalOf(answer.value);
    const figure = { key: item.indicator.key, value, ...(answer.queried ? { queried: true } : {}) };
    return [answer.note === undefined ? figure : { ...figure, note: answer.note }];
  });
  const effect: DialogueEffect = {
    type: 'submit',
    period: state.period,
    figures,
    correction: state.correction,
    late: state.late === true,
    skipped: items.length - figures.length,
    ...(reason === undefined ? {} : { reason }),
  };
  return { ...idle([submittedLine(t, effect, figures.length)]), effects: [effect] };
}

/**
 * The line that closes a submission: 已提交 / 已更正 / 已补报 … `count` 项, with what was skipped. Said by
 * the dialogue with every figure counted; said again with fewer by whoever stores them, if some could
 * not be (a colleague's figure came in meanwhile).
 */
export function submittedLine(t: Translate, effect: DialogueEffect, count: number): string {
  const params = { period: periodLabel(t, effect.period), count, skipped: effect.skipped };
  if (effect.correction) return t('dialogue.corrected', params);
  if (effect.late) return lateLine(t, effect.period, params);
  return t(params.skipped > 0 ? 'dialogue.submitted_with_skipped' : 'dialogue.submitted', params);
}

/** 已补报 …: a first filing of a past month, with the command that adds what was skipped. */
function lateLine(t: Translate, period: Period, params: { period: string; count: number; skipped: number }): string {
  if (params.skipped === 0) return t('checks.late_submitted', params);
  return t('checks.late_submitted_with_skipped', { ...params, command: `/report ${formatPeriod(period)}` });
}
