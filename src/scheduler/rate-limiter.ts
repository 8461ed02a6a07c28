/** How fast one channel may send: in all, and to any one chat. */
export interface RateLimit {
  /** At most this many messages in any second, across all chats. */
  perSecond: number;
  /** At least this long between two messages to one chat. */
  chatIntervalMs: number;
}

/** Telegram's documented limits: about 30 messages a second in all, one a second per chat. */
export const TELEGRAM_RATE: RateLimit = { perSecond: 30, chatIntervalMs: 1000 };

export interface RateLimiter {
  /** Resolves when a message to `chat` may go out, and counts it as sent. */
  acquire(chat: string): Promise<void>;
}

/**
 * A sliding-window limiter with an injected clock and sleep, so that tests run a storm of messages
 * without waiting for real seconds.
 */
export function createRateLimiter(
  limit: RateLimit,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): RateLimiter {
  const recent: number[] = [];
  const lastByChat = new Map<string, number>();
  let queue: Promise<void> = Promise.resolve();

  async function waitTurn(chat: string): Promise<void> {
    for (;;) {
      const now = clock.now();
      while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift();
      const globalWait = recent.length >= limit.perSecond ? recent[0]! + 1000 - now : 0;
      const last = lastByChat.get(chat);
      const chatWait = last === undefined ? 0 : last + limit.chatIntervalMs - now;
      const wait = Math.max(globalWait, chatWait);
      if (wait <= 0) {
        recent.push(now);
        lastByChat.set(chat, now);
        // Forget only chats whose interval is over: forgetting one still inside it would let it be sent to again.
        if (lastByChat.size > 10_000) {
          for (const [key, at] of lastByChat) if (at <= now - limit.chatIntervalMs) lastByChat.delete(key);
        }
        return;
      }
      await clock.sleep(wait);
    }
  }

  return {
    acquire(chat) {
      // Turns are taken one at a time, so two sends never count the same free slot.
      const turn = queue.then(() => waitTurn(chat));
      queue = turn.catch(() => {});
      return turn;
    },
  };
}
