/** Settings of a replay memory: how many keys, for how long. */
export interface ReplayMemoryOptions {
  capacity: number;
  ttlMs: number;
  now?: () => number;
}

/**
 * Remembers the keys of recent callbacks, so that WeCom's retries of a callback (and anyone replaying a
 * captured one while its timestamp is still accepted) are acknowledged without being handled again. At
 * most `capacity` keys, each for `ttlMs`; the oldest go first. Bounded: past it, the chat core's own
 * record of handled messages still answers each message once.
 */
export function createReplayMemory(options: ReplayMemoryOptions) {
  const now = options.now ?? Date.now;
  // A Map keeps insertion order: the first entries are the oldest.
  const seen = new Map<string, number>();

  function forgetOld(at: number): void {
    for (const [key, until] of seen) {
      if (until > at && seen.size <= options.capacity) break;
      seen.delete(key);
    }
  }

  return {
    /** True when `key` is new (and now remembered); false when it was seen within the memory. */
    remember(key: string): boolean {
      const at = now();
      forgetOld(at);
      if (seen.has(key)) return false;
      seen.set(key, at + options.ttlMs);
      if (seen.size > options.capacity) forgetOld(at);
      return true;
    },
    /** Forgets `key`, so that a retry of its callback is handled (the first attempt could not be). */
    forget(key: string): void {
      seen.delete(key);
    },
    get size(): number {
      return seen.size;
    },
  };
}
