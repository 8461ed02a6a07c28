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

/** Waits for the channel's next free slot and counts the message as sent from that moment. */
export type TakeSlot = () => Promise<void>;

export interface SendPacer {
  /**
   * Runs `job` once `chat` may be written to: after the chat's earlier jobs have finished (its replies
   * ahead of its bulk) and its interval has passed. The job calls `slot()` right before the platform call:
   * the channel's overall pace counts the moment of sending, not the moment the job began (a job may look
   * at the database first, and a job that decides not to send takes no slot). Other chats never wait for
   * this one.
   */
  run<T>(chat: string, priority: SendPriority, job: (slot: TakeSlot) => Promise<T>): Promise<T>;
}

export interface PacerClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

// Monotonic and finer than a millisecond: with Date.now()'s whole milliseconds a send done at 0.9 ms past
// a tick could count as a whole millisecond older than it is, and the platform then see 31 in a second.
const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface Job {
  send: (slot: TakeSlot) => Promise<unknown>;
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
 * (one job at a time, replies first), a sliding one-second window for the whole channel, and queues,
 * replies before bulk, both of chats waiting to begin a job and of jobs waiting for a slot. A chat waiting
 * out its own interval is skipped, so it holds up nobody else. At most about a second's worth of jobs run
 * at once, so that what a job looked at before its slot is at most that old when it sends.
 *
 * A reminder round of thousands delays a reply by at most about one slot (a thirtieth of a second on
 * Telegram), because bulk is spread out: it goes evenly at the channel's rate (after a stall, what was
 * missed at once, as far as the window allows), never as the window's whole second at once — a burst of
 * 30 would leave a reply that comes just after it nothing free for a second — and bulk jobs never take
 * the last running places, so a reply can always begin at once and wait for the next slot at the head of
 * the queue.
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
  /*
   * The channel's last second of sends. A send still under way counts as happening now, and once done it
   * counts from when it was done: a send granted just before the event loop stalled (a long database
   * call, a garbage collection) and written just after it is then still in the window, so the platform
   * never receives more than its limit within a second, stall or no stall.
   */
  const window: Array<{ at: number | undefined; grantedAt: number }> = [];
  // A send that never returns (a platform call hanging) stops counting as under way after this long.
  const HUNG_MS = 10_000;
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

  /** Whether a send no longer counts in the window at `now`; a hung one is taken as done after HUNG_MS. */
  function leftWindow(entry: { at: number | undefined; grantedAt: number }, now: number): boolean {
    if (entry.at === undefined && entry.grantedAt <= now - HUNG_MS) entry.at = entry.grantedAt + HUNG_MS;
    // Written as the free moment below is, so that both round alike (bulk's moments are fractional).
    return entry.at !== undefined && entry.at + 1000 <= now;
  }

  function slotAt(now: number): number {
    /*
     * Sends leave the window about in the order they were granted: those at its front go first, at no cost
     * per call. Only a full window is gone through whole (one finished early behind one still under way),
     * since only then does it decide the slot. With the pace off (a million a second) the window holds a
     * second of sends — thousands under load — and going through it on every call cost more than the send.
     */
    while (window.length > 0 && leftWindow(window[0]!, now)) window.shift();
    if (window.length >= pace.perSecond) {
      for (let i = window.length - 1; i >= 0; i -= 1) if (leftWindow(window[i]!, now)) window.splice(i, 1);
    }
    let byWindow = now;
    if (window.length >= pace.perSecond) {
      // Free when the earliest finished send leaves the window; none finished yet: when one finishes.
      const finished = window.map((entry) => entry.at).filter((at): at is number => at !== undefined);
      byWindow = finished.length > 0 ? Math.min(...finished) + 1000 : Number.POSITIVE_INFINITY;
    }
    return Math.max(byWindow, lastSend + (pace.minIntervalMs ?? 0));
  }

  /** The first waiting chat that may be written to now, replies first; else how long until one may. */
  function pick(now: number, bulkMayStart: boolean): { chat: string; priority: SendPriority } | { wait: number } {
    let soonest = Number.POSITIVE_INFINITY;
    for (const priority of bulkMayStart ? (['reply', 'bulk'] as const) : (['reply'] as const)) {
      for (const chat of waiting[priority]) {
        if (lanes.get(chat)?.busy) continue;
        const readyAt = chatReadyAt(chat);
        if (readyAt <= now) return { chat, priority };
        soonest = Math.min(soonest, readyAt);
      }
    }
    return { wait: soonest - now };
  }

  // Jobs begun and not finished; at most `maxRunning` at once (about a second's worth of the pace), of them
  // bulk at most `maxBulkRunning`: the rest are kept for replies.
  let running = 0;
  let bulkRunning = 0;
  const maxRunning = Number.isFinite(pace.perSecond) ? Math.max(2, Math.ceil(pace.perSecond)) : Number.POSITIVE_INFINITY;
  const maxBulkRunning = Number.isFinite(maxRunning) ? maxRunning - Math.max(1, Math.ceil(maxRunning / 10)) : maxRunning;
  /*
   * Bulk goes out evenly, one every `bulkSpacing` ms: `bulkDue` is when the next is on time. One sent late
   * (a timer that fired late, the event loop held by other work) keeps the schedule, so what was missed
   * follows at once, as far as the window allows, and the round keeps the channel's rate; after more than
   * a second without bulk the schedule starts again from now, so that a round never begins with a burst.
   */
  const bulkSpacing = Number.isFinite(pace.perSecond) && pace.perSecond > 0 ? 1000 / pace.perSecond : 0;
  const BULK_CATCH_UP_MS = 1000;
  let bulkDue = Number.NEGATIVE_INFINITY;
  // Jobs waiting for a slot, replies first.
  const slotWaiters: Record<SendPriority, Array<{ chat: string; grant: (done: () => void) => void }>> = { reply: [], bulk: [] };

  function pump(): void {
    generation += 1;
    for (;;) {
      const now = clock.now();
      let wait = Number.POSITIVE_INFINITY;
      const bulk = slotWaiters.reply.length === 0;
      const waiter = bulk ? slotWaiters.bulk : slotWaiters.reply;
      const slot = bulk ? Math.max(slotAt(now), bulkDue) : slotAt(now);
      if (waiter.length > 0) {
        if (slot <= now) {
          const { chat, grant } = waiter.shift()!;
          if (bulk) bulkDue = (now - bulkDue > BULK_CATCH_UP_MS ? now : bulkDue) + bulkSpacing;
          grant(countSend(chat, now));
          continue;
        }
        wait = slot - now;
      }
      if (running < maxRunning) {
        const choice = pick(now, bulkRunning < maxBulkRunning);
        if (!('wait' in choice)) {
          start(choice.chat, choice.priority);
          continue;
        }
        wait = Math.min(wait, Math.max(choice.wait, slot - now));
      }
      if (Number.isFinite(wait)) sleepThenPump(wait);
      return;
    }
  }

  function sleepThenPump(ms: number): void {
    const mine = generation;
    void clock.sleep(Math.max(1, ms)).then(() => {
      if (mine === generation) pump();
    });
  }

  /**
   * Counts a message as sent from `now`: against its chat's interval and limits, and in the channel's
   * window until the returned `done` is called (then from that moment).
   */
  function countSend(chat: string, now: number): () => void {
    const entry: { at: number | undefined; grantedAt: number } = { at: undefined, grantedAt: now };
    if (Number.isFinite(pace.perSecond)) window.push(entry);
    lastSend = now;
    lastByChat.set(chat, now);
    if (keepRecent > 0) {
      const recent = recentByChat.get(chat) ?? [];
      recent.push(now);
      if (recent.length > keepRecent) recent.shift();
      recentByChat.set(chat, recent);
    }
    forgetOldChats(now);
    return () => {
      entry.at = clock.now();
    };
  }

  function start(chat: string, priority: SendPriority): void {
    const lane = lanes.get(chat)!;
    const job = lane[priority].shift()!;
    if (lane[priority].length === 0) waiting[priority].delete(chat);
    lane.busy = true;
    running += 1;
    if (priority === 'bulk') bulkRunning += 1;
    // The job's sends are done when the job is: that moment is when they count in the window.
    const sent: Array<() => void> = [];
    const slot: TakeSlot = () =>
      new Promise<void>((granted) => {
        slotWaiters[priority].push({ chat, grant: (done) => (sent.push(done), granted()) });
        pump();
      });
    void job
      .send(slot)
      .then(job.resolve, job.reject)
      .finally(() => {
        for (const done of sent) done();
        lane.busy = false;
        running -= 1;
        if (priority === 'bulk') bulkRunning -= 1;
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
    run<T>(chat: string, priority: SendPriority, send: (slot: TakeSlot) => Promise<T>): Promise<T> {
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
