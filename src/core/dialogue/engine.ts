import { resume, stepReporting } from './report.js';
import { resolveReporting } from './state.js';
import { oneShotQuestion, stepOneShot } from './one-shot.js';
import type { DialogueContext, DialogueState, DialogueStep } from './types.js';

export { startReport } from './report.js';
export { startOneShot } from './one-shot.js';
export { isWord, type ControlWord } from './words.js';
export * from './types.js';

/** Handles one message of an open dialogue; pure, so the caller stores the state and runs the effects once. */
export function stepDialogue(state: DialogueState, text: string, ctx: DialogueContext): DialogueStep {
  switch (state.kind) {
    case 'idle':
      return { state, replies: [], effects: [] };
    case 'one_shot':
      return stepOneShot(state, text, ctx);
    case 'reporting':
      return stepReporting(state, text, ctx);
  }
}

/** What to show again when the person comes back to an open dialogue: the question, summary or confirmation. */
export function currentPrompt(state: DialogueState, ctx: DialogueContext): string[] {
  switch (state.kind) {
    case 'idle':
      return [];
    case 'one_shot':
      return oneShotQuestion(state, ctx);
    case 'reporting': {
      const resolved = resolveReporting(state, ctx);
      if (resolved.state.keys.length === 0) return [ctx.t('dialogue.items_gone')];
      return resume(ctx, resolved).replies;
    }
  }
}
