/*
 * The load: reporters writing to the bot through the fake Bot API. Each says its turns one after another;
 * after each it waits for the bot's answer — its latency is the first message to its chat after it spoke
 * ("first part of the reply") — and for the answer's last part (the turn's `done`), so that a reply's tail
 * is never taken for the next turn's answer; then it pauses (typing) or goes on at once (unthrottled). An
 * answer that does not come within the timeout makes it an unanswered reporter, which stops.
 */
import { performance } from 'node:perf_hooks';
import type { BenchTelegram } from './fake-telegram.js';

export interface Turn {
  text: string;
  /** The answer's last part (the turn is over when a message to the chat matches). */
  done: (text: string) => boolean;
}

export interface LoadPlan {
  ids: number[];
  turns: Turn[];
  /** Before the first turn, ms (random per reporter). */
  firstDelayMs: () => number;
  /** Between receiving an answer and the next turn, ms. */
  pauseMs: () => number;
  answerTimeoutMs: number;
  /** A message that says the bot failed (its apology): counted as an error, and the reporter stops. */
  isError: (text: string) => boolean;
  /** Starts no later than this (performance.now()); the whole load is bounded by `deadline`. */
  deadline: number;
}

export interface Reply {
  reporter: number;
  turn: number;
  spoke: number;
  ms: number;
}

export interface LoadResult {
  reporters: number;
  messages: number;
  /** Turns whose first part came. */
  answered: number;
  /** Turns whose every part came. */
  completed: number;
  unanswered: number;
  errors: number;
  /** Messages to a reporter's chat while it had not spoken (a reminder, or a reply's part after `done`). */
  stray: number;
  /** ms */
  firstPart: number[];
  /** Each answered turn: who spoke, which turn, when (performance.now() of this process) and its first part's wait, ms. */
  replies: Reply[];
  whole: number[];
  startedAt: number;
  endedAt: number;
  /** A few answers that never completed: what the reporter got instead. */
  samples: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function runLoad(fake: BenchTelegram, plan: LoadPlan): Promise<LoadResult> {
  const result: LoadResult = {
    reporters: plan.ids.length,
    messages: 0,
    answered: 0,
    completed: 0,
    unanswered: 0,
    errors: 0,
    stray: 0,
    firstPart: [],
    replies: [],
    whole: [],
    startedAt: Infinity,
    endedAt: 0,
    samples: [],
  };

  async function reporter(id: number): Promise<void> {
    // Between turns, whatever reaches the chat was not asked for.
    let current: ((text: string, at: number) => void) | undefined;
    const unwatch = fake.watch(id, (record) => (current ? current(record.text, record.at) : (result.stray += 1)));
    try {
      await sleep(Math.min(plan.firstDelayMs(), plan.deadline - performance.now()));
      for (const [index, turn] of plan.turns.entries()) {
        if (index > 0) await sleep(plan.pauseMs());
        const timeLeft = Math.min(plan.answerTimeoutMs, plan.deadline - performance.now());
        if (timeLeft <= 0) {
          result.unanswered += 1;
          return;
        }
        const got: string[] = [];
        let first: number | undefined;
        let spoke = 0;
        const outcome = await new Promise<'done' | 'error' | 'timeout'>((resolve) => {
          const timer = setTimeout(() => resolve('timeout'), timeLeft);
          current = (text, at) => {
            got.push(text);
            if (first === undefined) {
              first = at;
              result.answered += 1;
              result.firstPart.push(at - spoke);
              result.replies.push({ reporter: id, turn: index, spoke, ms: at - spoke });
            }
            if (plan.isError(text)) {
              clearTimeout(timer);
              resolve('error');
            } else if (turn.done(text)) {
              clearTimeout(timer);
              result.whole.push(at - spoke);
              result.endedAt = Math.max(result.endedAt, at);
              resolve('done');
            }
          };
          spoke = fake.say(id, turn.text);
          result.messages += 1;
          result.startedAt = Math.min(result.startedAt, spoke);
        });
        current = undefined;
        if (outcome === 'done') {
          result.completed += 1;
          continue;
        }
        if (outcome === 'error') result.errors += 1;
        else result.unanswered += 1;
        if (result.samples.length < 3) result.samples.push(`${outcome} after "${turn.text}": ${JSON.stringify(got).slice(0, 300)}`);
        return;
      }
    } finally {
      unwatch();
    }
  }

  await Promise.all(plan.ids.map((id) => reporter(id)));
  return result;
}

/** Nearest-rank percentile of `values` (ms); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The most messages in any one-second window, and the shortest gap between two messages to one chat (ms). */
export function paceOf(records: ReadonlyArray<{ at: number; chat: number }>): { maxPerSecond: number; minChatGapMs: number } {
  const times = records.map((r) => r.at).sort((a, b) => a - b);
  let maxPerSecond = 0;
  for (let i = 0, j = 0; j < times.length; j += 1) {
    while (times[j]! - times[i]! >= 1000) i += 1;
    maxPerSecond = Math.max(maxPerSecond, j - i + 1);
  }
  const last = new Map<number, number>();
  let minChatGapMs = Infinity;
  for (const record of [...records].sort((a, b) => a.at - b.at)) {
    const before = last.get(record.chat);
    if (before !== undefined) minChatGapMs = Math.min(minChatGapMs, record.at - before);
    last.set(record.chat, record.at);
  }
  return { maxPerSecond, minChatGapMs };
}
