import type { ChatLimit } from '../../app/send-pacer.js';

/** Whether a send of some messages to a member fits in WeCom's limits now, or how long until it does. */
export type BudgetDecision = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Counts the messages sent to each member, as WeCom does, against its per-member limits. The outbox's
 * pacer keeps those limits per outbox message; one outbox message can be several WeCom messages (a long
 * text in parts, a file and its caption), and those must fit too: all of them, before the first goes, so
 * that a send refused for the limit is never half done.
 */
export function createMemberBudget(limits: readonly ChatLimit[], now: () => number = Date.now) {
  const keep = Math.max(0, ...limits.map((limit) => limit.count));
  const longest = Math.max(0, ...limits.map((limit) => limit.perMs));
  const sent = new Map<string, number[]>();

  function recent(userId: string, at: number): number[] {
    const times = (sent.get(userId) ?? []).filter((time) => time > at - longest);
    if (times.length === 0) sent.delete(userId);
    else sent.set(userId, times);
    return times;
  }

  return {
    /** Whether `count` more messages to `userId` fit now; they are counted when they fit. */
    take(userId: string, count: number): BudgetDecision {
      const at = now();
      // Members not written to for the longest span are forgotten, now and then.
      if (sent.size > 1000) for (const member of [...sent.keys()]) recent(member, at);
      const times = recent(userId, at);
      let readyAt = at;
      for (const limit of limits) {
        if (count > limit.count) continue; // can never fit at once: the pacer's slot is the best there is
        // With `count` more, the limit holds once the (limit - count + 1)-th latest send is a span ago.
        const blocking = times[times.length - (limit.count - count + 1)];
        if (blocking !== undefined) readyAt = Math.max(readyAt, blocking + limit.perMs);
      }
      if (readyAt > at) return { ok: false, retryAfterMs: readyAt - at };
      const updated = [...times, ...Array<number>(count).fill(at)].slice(-keep);
      sent.set(userId, updated);
      return { ok: true };
    },
  };
}
