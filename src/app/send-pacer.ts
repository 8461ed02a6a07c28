/** How fast one channel may send: in all, and to any one chat. */
export interface SendPace {
  /** At most this many messages in any second, across all chats. */
  perSecond: number;
  /** At least this long between two messages to one chat. */
  chatIntervalMs: number;
  /** At least this long between any two messages of the account (WeChat's slow pace); none by default. */
  minIntervalMs?: number;
  /** At most so many messages to one chat in any span of time (WeCom's per-member limits); none by default. */
  chatLimits?: readonly ChatLimit[];
}

/** At most `count` messages to one chat in any `perMs` milliseconds. */
export interface ChatLimit {
  count: number;
  perMs: number;
}

/** Telegram's documented limits: about 30 messages a second in all, one a second per chat. */
export const TELEGRAM_PACE: SendPace = { perSecond: 30, chatIntervalMs: 1000 };

/**
 * WeCom's documented limits for an app's messages (访问频率限制): to one member at most 30 a minute and
 * 1,000 an hour — WeCom drops what goes beyond them without an error, so they must never be reached — and
 * at most 10,000 calls of one API a minute for the enterprise: 100 messages a second in all keeps well
 * within that, file uploads included. Within the member's limits replies go out at once, not a fixed
 * interval apart.
 */
export const WECOM_PACE: SendPace = {
  perSecond: 100,
  chatIntervalMs: 0,
  chatLimits: [
    { count: 30, perMs: 60_000 },
    { count: 1000, perMs: 3_600_000 },
  ],
};

/** No limit but one message at a time per chat (a channel without a documented pace, tests). */
export const UNPACED: SendPace = { perSecond: Number.POSITIVE_INFINITY, chatIntervalMs: 0 };

/** A person's reply goes ahead of bulk (reminders); within a priority, first come first served. */
export type SendPriority = 'reply' | 'bulk';

export interface SendPacer {
  /**
   * Runs `send` once `chat` may be written to: after the chat's earlier sends have finished (its replies
   * ahead of its bulk), its interval has passed, and the channel has a free slot. Other chats never wait
   * for it.
   */
  run<T>(chat: string, priority: SendPriority, send: () => Promise<T>): Promise<T>;
}

export interface PacerClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Job {
  send: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  reply: Job[];
  bulk: Job[];
  busy: boolean;
}

/*
 * One scheduler per channel, in the manner of RapidPro's Courier and grammY's throttler: a lane per chat
 * (one send in flight, replies first), a sliding one-second window for the whole channel, and two queues
 * of chats waiting for a slot, replies before bulk. A chat waiting out its own interval is skipped, so it
 * holds up nobody else; a reminder round of thousands never delays a reply by more than one free slot.
 */

/** Builds a pacer; the clock is injected so tests run storms of messages without waiting real seconds. */
export function createSendPacer(pace: SendPace, clock: PacerClock = realClock): SendPacer {
  const lanes = new Map<string, Lane>();
  // Chats with a job waiting, in the order they started waiting (Sets keep insertion order).
  const waiting: Record<SendPriority, Set<string>> = { reply: new Set(), bulk: new Set() };
  const lastByChat = new Map<string, number>();
  // Per chat, the moments of its latest sends, as many as the largest chatLimits count (only with limits).
  const recentByChat = new Map<string, number[]>();
  const limits = pace.chatLimits ?? [];
  const keepRecent = Math.max(0, ...limits.map((limit) => limit.count));
  const forgetAfterMs = Math.max(pace.chatIntervalMs, ...limits.map((limit) => limit.perMs));
  const window: number[] = [];
  let lastSend = Number.NEGATIVE_INFINITY;
  let generation = 0;

  function chatReadyAt(chat: string): number {
    const last = lastByChat.get(chat);
    let readyAt = last === undefined ? Number.NEGATIVE_INFINITY : last + pace.chatIntervalMs;
    const recent = recentByChat.get(chat);
    // The chat may be written to again once the count-th latest send is a whole span ago.
    for (const limit of recent ? limits : []) {
      const oldest = recent![recent!.length - limit.count];
      if (oldest !== undefined) readyAt = Math.max(readyAt, oldest + limit.perMs);
    }
    return readyAt;
  }

  function slotAt(now: number): number {
    while (window.length > 0 && window[0]! <= now - 1000) window.shift();
    const byWindow = window.length >= pace.perSecond ? window[0]! + 1000 : now;
    return Math.max(byWindow, lastSend + (pace.minIntervalMs ?? 0));
  }

  /** The first waiting chat that may be written to now, replies first; else how long until one may. */
  function pick(now: number): { chat: string; priority: SendPriority } | { wait: number } {
    let soonest = Number.POSITIVE_INFINITY;
    for (const priority of ['reply', 'bulk'] as const) {
      for (const chat of waiting[priority]) {
        if (lanes.get(chat)?.busy) continue;
        const readyAt = chatReadyAt(chat);
        if (readyAt <= now) return { chat, priority };
        soonest = Math.min(soonest, readyAt);
      }
    }
    return { wait: soonest - now };
  }

  function pump(): void {
    generation += 1;
    for (;;) {
      const now = clock.now();
      const slot = slotAt(now);
      const choice = pick(now);
      if ('wait' in choice) {
        if (Number.isFinite(choice.wait)) sleepThenPump(Math.max(choice.wait, slot - now));
        return;
      }
      if (slot > now) {
        sleepThenPump(slot - now);
        return;
      }
      start(choice.chat, choice.priority, now);
    }
  }

  function sleepThenPump(ms: number): void {
    const mine = generation;
    void clock.sleep(Math.max(1, ms)).then(() => {
      if (mine === generation) pump();
    });
  }

  function start(chat: string, priority: SendPriority, now: number): void {
    const lane = lanes.get(chat)!;
    const job = lane[priority].shift()!;
    if (lane[priority].length === 0) waiting[priority].delete(chat);
    lane.busy = true;
    window.push(now);
    lastSend = now;
    lastByChat.set(chat, now);
    if (keepRecent > 0) {
      const recent = recentByChat.get(chat) ?? [];
      recent.push(now);
      if (recent.length > keepRecent) recent.shift();
      recentByChat.set(chat, recent);
    }
    forgetOldChats(now);
    void job
      .send()
      .then(job.resolve, job.reject)
      .finally(() => {
        lane.busy = false;
        if (lane.reply.length === 0 && lane.bulk.length === 0) lanes.delete(chat);
        pump();
      });
  }

  // Only chats whose interval and limits are over are forgotten: forgetting one inside them would let it be
  // written to again too soon.
  function forgetOldChats(now: number): void {
    if (lastByChat.size <= 10_000) return;
    for (const [chat, at] of lastByChat) {
      if (at > now - forgetAfterMs || lanes.has(chat)) continue;
      lastByChat.delete(chat);
      recentByChat.delete(chat);
    }
  }

  return {
    run<T>(chat: string, priority: SendPriority, send: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let lane = lanes.get(chat);
        if (!lane) {
          lane = { reply: [], bulk: [], busy: false };
          lanes.set(chat, lane);
        }
        lane[priority].push({ send, resolve: resolve as (value: unknown) => void, reject });
        waiting[priority].add(chat);
        pump();
      });
    },
  };
}
