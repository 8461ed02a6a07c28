import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INCOMING_LENGTH, cleanIncomingText } from '../../src/core/clean-text.js';
import { dec } from '../../src/core/decimal.js';
import { isWord, startOneShot, startReport, stepDialogue } from '../../src/core/dialogue/engine.js';
import { judgeAnswer } from '../../src/core/dialogue/validate.js';
import type { DialogueContext, DialogueState, DialogueStep, ReportingState } from '../../src/core/dialogue/types.js';
import { createIntentMatcher } from '../../src/core/intents.js';
import { parseAnswer } from '../../src/core/numbers.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { UNITS as ALL_UNITS, type Unit } from '../../src/core/units.js';
import { anyMessage, isPrintable } from '../helpers/any-text.js';
import { after, context, threeItems } from './dialogue-fixtures.js';

/*
 * Any text is safe (docs/architecture.md, The life of one message): whatever a person or a broken client
 * sends, cleaned once at the entry, the answer parser, the question matcher and every phase of the
 * reporting dialogue answer it without throwing, in printable text, within a platform's limit; a refused
 * answer moves nothing, an accepted one is kept as read.
 */

// Telegram's limit, in UTF-16 units: the largest a reply may be before an adapter would have to split it.
const PLATFORM_LIMIT = 4096;


const codePoints = (text: string) => [...text].length;

describe('cleanIncomingText', () => {
  it('leaves only printable, well-formed text within the length limit, and is idempotent', () => {
    fc.assert(
      fc.property(anyMessage, (text) => {
        const clean = cleanIncomingText(text);
        expect(isPrintable(clean)).toBe(true);
        expect(codePoints(clean)).toBeLessThanOrEqual(MAX_INCOMING_LENGTH);
        expect(cleanIncomingText(clean)).toBe(clean);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps printable text as it is, line breaks and emoji included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        fc.pre(isPrintable(text) && !/[\r\t\v\f\u0085\u2028\u2029]/.test(text));
        expect(cleanIncomingText(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
    expect(cleanIncomingText('3家 博昇乐、创睿极光\n👨‍👩‍👧 🇨🇳')).toBe('3家 博昇乐、创睿极光\n👨‍👩‍👧 🇨🇳');
  });

  it('removes NUL, controls, bidi overrides and lone surrogates; makes tabs spaces and line ends \\n', () => {
    expect(cleanIncomingText('5亿\u0000')).toBe('5亿');
    expect(cleanIncomingText('\u202E19.6亿\u202C\u200F')).toBe('19.6亿');
    expect(cleanIncomingText('12\ud800个\udfff')).toBe('12个');
    expect(cleanIncomingText('a\tb\r\nc\rd\u2028e')).toBe('a b\nc\nd\ne');
    expect(cleanIncomingText('😀'.repeat(5), 3)).toBe('😀😀😀');
  });
});

const UNITS: readonly Unit[] = ALL_UNITS;

describe('parseAnswer on any cleaned text', () => {
  it('never throws, and an accepted figure is a finite number whose note is part of what was written', () => {
    fc.assert(
      fc.property(anyMessage, fc.constantFrom(...UNITS), (raw, unit) => {
        const text = cleanIncomingText(raw);
        const parsed = parseAnswer(text, unit);
        if (!parsed.ok) return;
        expect(parsed.value.value.isFinite()).toBe(true);
        if (parsed.value.note !== undefined) expect(text).toContain(parsed.value.note);
      }),
      { numRuns: 3000 },
    );
  });
});

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const matcher = createIntentMatcher(demo.value.indicators);
const KEYS = new Set(demo.value.indicators.map((indicator) => indicator.key));

describe('the question matcher on any cleaned text', () => {
  it('never throws and names only the organisation’s indicators', () => {
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const intent = matcher.classify(cleanIncomingText(raw), { year: 2026, month: 11 });
        const named = intent.kind === 'progress' ? intent.indicators : intent.kind === 'ambiguous' ? intent.candidates : intent.kind === 'one_shot' ? [intent.indicator] : [];
        for (const key of named) expect(KEYS.has(key)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Where the dialogue stands: what a refused answer must leave as it was. */
function position(state: DialogueState) {
  return state.kind === 'reporting' ? { phase: state.phase, index: state.index, answers: state.answers, pending: state.pending } : state;
}

describe('the reporting dialogue on any cleaned text, in every phase', () => {
  const correctionItems = threeItems();
  correctionItems[0] = { ...correctionItems[0]!, current: { value: dec('19.6') } };
  const ctx = context();
  const correction = context({ items: correctionItems });
  const phases: Array<[string, DialogueContext, DialogueStep, string]> = [
    ['the first question', ctx, startReport(ctx, { correction: false }), 'asking'],
    ['a later question', ctx, after(ctx, startReport(ctx, { correction: false }), '19.6亿'), 'asking'],
    ['a suspicious figure awaiting 是/否', ctx, after(ctx, startReport(ctx, { correction: false }), '190亿'), 'confirm_suspicious'],
    ['the summary', ctx, after(ctx, startReport(ctx, { correction: false }), '19.6亿', '2.1', '3家 博昇乐'), 'review'],
    ['a question reopened from the summary', ctx, after(ctx, startReport(ctx, { correction: false }), '19.6亿', '2.1', '3家', '2'), 'asking'],
    ['the reason of a correction', correction, after(correction, startReport(correction, { correction: true }), '19.8', '跳过', '跳过', '确认'), 'reason'],
    ['a one-shot confirmation', ctx, startOneShot(ctx, 'new_above_scale_firms', '3家'), 'one_shot'],
  ];

  it.each(phases)('%s', (_name, phaseCtx, start, phase) => {
    expect(start.state.kind === 'reporting' ? start.state.phase : start.state.kind).toBe(phase);
    fc.assert(
      fc.property(anyMessage, (raw) => {
        const text = cleanIncomingText(raw);
        const step = stepDialogue(start.state, text, phaseCtx);
        for (const reply of step.replies) {
          expect(reply.length).toBeLessThanOrEqual(PLATFORM_LIMIT);
          expect(isPrintable(reply)).toBe(true);
        }
        const submit = step.effects.find((effect) => effect.type === 'submit');
        if (submit) {
          // What is stored is what the summary or the confirmation showed: the answers as they stood.
          const shown = start.state.kind === 'one_shot' ? [{ key: start.state.key, value: start.state.value, note: start.state.note }] : answersOf(start.state as ReportingState);
          expect(submit.figures.map((f) => ({ key: f.key, value: f.value.toFixed(), note: f.note }))).toEqual(shown);
        } else if (JSON.stringify(position(step.state)) === JSON.stringify(position(start.state))) {
          expect(step.effects).toEqual([]);
        }
        const asked = start.state.kind === 'reporting' && start.state.phase === 'asking' ? start.state : undefined;
        if (asked && !(['skip', 'back', 'cancel'] as const).some((word) => isWord(text, word))) {
          // An answer to the question: refused, nothing moves; accepted, it is kept exactly as read.
          const key = asked.keys[asked.index]!;
          const judged = judgeAnswer(phaseCtx, phaseCtx.items.find((item) => item.indicator.key === key)!, text, asked.period);
          if (!judged.ok) {
            expect(position(step.state)).toEqual(position(start.state));
          } else {
            const kept = step.state.kind === 'reporting' ? (step.state.pending ?? step.state.answers[key]) : undefined;
            expect(kept).toMatchObject({ value: judged.value.toFixed() });
            expect(kept && 'note' in kept ? kept.note : undefined).toBe(judged.note);
          }
        }
        if (step.state.kind === 'reporting') {
          for (const answer of Object.values(step.state.answers)) {
            if ('note' in answer && answer.note !== undefined) expect(isPrintable(answer.note)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

function answersOf(state: ReportingState) {
  return state.keys.flatMap((key) => {
    const answer = state.answers[key];
    return answer && 'value' in answer ? [{ key, value: answer.value, note: answer.note }] : [];
  });
}
