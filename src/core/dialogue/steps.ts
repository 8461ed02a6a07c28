import { Decimal } from '../decimal.js';
import { questionLine, reviewPrompt } from './prompts.js';
import type { DialogueContext, DialogueItem, DialogueStep, ReportingState, StoredAnswer } from './types.js';
import { IDLE } from './types.js';

/** A step that ends the dialogue with these replies. */
export function idle(replies: string[]): DialogueStep {
  return { state: IDLE, replies, effects: [] };
}

/** Stops without submitting anything. */
export function cancelled(ctx: DialogueContext): DialogueStep {
  return idle([ctx.t('dialogue.cancelled')]);
}

/** Asks question `index`, after the replies in `before`. */
export function ask(
  ctx: DialogueContext,
  state: ReportingState,
  items: DialogueItem[],
  index: number,
  before: string[] = [],
): DialogueStep {
  const { pending: _pending, ...rest } = state;
  const next: ReportingState = { ...rest, phase: 'asking', index };
  return { state: next, replies: [...before, questionLine(ctx, next, items, index)], effects: [] };
}

/** Shows the summary and waits for 确认 or an edit. */
export function toReview(ctx: DialogueContext, state: ReportingState, items: DialogueItem[], before: string[] = []): DialogueStep {
  const { pending: _pending, editing: _editing, ...rest } = state;
  const next: ReportingState = { ...rest, phase: 'review', answers: state.correction ? unchangedKept(state.answers, items) : state.answers };
  return { state: next, replies: [...before, ...reviewPrompt(ctx, next, items)], effects: [] };
}

/**
 * In a correction, a figure given as it is stored (its note too, if one is given) changes nothing: kept as
 * 不变, as 跳过 keeps it, so that no reason is asked and no correction claimed for it.
 */
function unchangedKept(answers: ReportingState['answers'], items: DialogueItem[]): ReportingState['answers'] {
  const kept = { ...answers };
  for (const item of items) {
    const answer = kept[item.indicator.key];
    if (!item.current || answer === undefined || !('value' in answer)) continue;
    const sameNote = answer.note === undefined || answer.note === item.current.note;
    if (item.current.value.equals(answer.value) && sameNote) kept[item.indicator.key] = { skipped: true };
  }
  return kept;
}

/** Keeps `answer` for `key` and moves on: to the next question not yet answered, or to the review. */
export function recordAndAdvance(
  ctx: DialogueContext,
  state: ReportingState,
  items: DialogueItem[],
  key: string,
  answer: StoredAnswer,
  before: string[] = [],
): DialogueStep {
  const next: ReportingState = { ...state, answers: { ...state.answers, [key]: answer } };
  if (state.editing) return toReview(ctx, next, items, before);
  // After 上一项 the questions further on may be answered already; they are not asked twice.
  const following = next.keys.findIndex((k, i) => i > state.index && next.answers[k] === undefined);
  return following === -1 ? toReview(ctx, next, items, before) : ask(ctx, next, items, following, before);
}

/** A figure as state keeps it: an exact decimal string, the note only when there is one. */
export type StoredFigure = Extract<StoredAnswer, { value: string }>;

/** An accepted figure as state keeps it. */
export function stored(value: Decimal, note: string | undefined): StoredFigure {
  return note === undefined ? { value: value.toFixed() } : { value: value.toFixed(), note };
}

/** The state's exact decimal string back as a Decimal. */
export function decimalOf(value: string): Decimal {
  return new Decimal(value);
}
