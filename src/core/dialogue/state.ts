import type { IndicatorDef } from '../domain.js';
import type { DialogueContext, DialogueItem, ReportingState, StoredAnswer } from './types.js';

/** What an answer's value means besides the number: the indicator's kind and unit. */
export function meaningOf(indicator: IndicatorDef): string {
  return `${indicator.kind} ${indicator.unit}`;
}

/** The indicator no longer means what it meant when the answer was given (the file changed its unit or kind). */
export function redefined(meaning: string | undefined, item: DialogueItem): boolean {
  return meaning !== undefined && meaning !== meaningOf(item.indicator);
}

/** The reporting state with its keys matched to the context's items, index for index. */
export interface Resolved {
  state: ReportingState;
  items: DialogueItem[];
  /** Some keys of the state have no item any more (the organisation file changed). */
  changed: boolean;
  /** The item the person was answering (the question or the figure awaiting 是/否) is among them. */
  lostCurrent: boolean;
}

/**
 * Drops the keys whose indicator left the context or was redefined, with their answers, keeping the index
 * on the same question or, when that one went, on the next. A stored state never makes a step crash.
 */
export function resolveReporting(state: ReportingState, ctx: DialogueContext): Resolved {
  const byKey = new Map(ctx.items.map((item) => [item.indicator.key, item]));
  const keys: string[] = [];
  const items: DialogueItem[] = [];
  const answers: Record<string, StoredAnswer> = {};
  let index = 0;
  state.keys.forEach((key, i) => {
    const item = byKey.get(key);
    if (!item || keys.includes(key) || redefined(state.meanings?.[key], item)) return;
    if (i < state.index) index += 1;
    keys.push(key);
    items.push(item);
    const answer = state.answers[key];
    if (answer) answers[key] = answer;
  });
  const changed = keys.length !== state.keys.length;
  const asked = state.keys[state.index];
  const questionLost = state.phase === 'asking' && asked !== undefined && !keys.includes(asked);
  const pendingLost = state.pending !== undefined && !keys.includes(state.pending.key);
  const orphanConfirm = state.phase === 'confirm_suspicious' && state.pending === undefined;
  if (!changed && !pendingLost && !orphanConfirm) return { state, items, changed: false, lostCurrent: false };
  let next: ReportingState = { ...state, keys, index, answers };
  if (pendingLost || orphanConfirm) {
    const { pending: _dropped, ...rest } = next;
    next = { ...rest, phase: state.pending?.returnTo ?? 'asking' };
  }
  return { state: next, items, changed, lostCurrent: questionLost || pendingLost };
}

/** Answers given (not skipped), in the order asked. */
export function answeredCount(state: ReportingState): number {
  return state.keys.filter((key) => isAnswered(state.answers[key])).length;
}

/** True for an answer with a value. */
export function isAnswered(answer: StoredAnswer | undefined): answer is { value: string; note?: string } {
  return answer !== undefined && 'value' in answer;
}
