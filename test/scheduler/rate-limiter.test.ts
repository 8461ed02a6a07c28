import { describe, expect, it } from 'vitest';
import { TELEGRAM_RATE, createRateLimiter } from '../../src/scheduler/rate-limiter.js';

/*
 * Telegram's limits (about 30 messages a second in all, one a second per chat) on a fake clock. Sleeping
 * moves the clock only once every callback waiting on a microtask has run, so the moment a test records
 * for a send is the moment the limiter let it go.
 */

function createFakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          now += ms;
          resolve();
        }),
      ),
  };
}

/** Acquires a turn for every chat in `chats` at once; the moments each was let go, in order. */
async function sendAll(chats: string[], time = createFakeTime(), limiter = createRateLimiter(TELEGRAM_RATE, time)) {
  const sends: Array<{ chat: string; at: number }> = [];
  await Promise.all(
    chats.map(async (chat) => {
      await limiter.acquire(chat);
      sends.push({ chat, at: time.now() });
    }),
  );
  return sends;
}

/** The most messages let go within any one second. */
function busiestSecond(sends: Array<{ at: number }>): number {
  const times = sends.map((send) => send.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= 1000) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** The shortest gap between two messages to one chat. */
function shortestChatGap(sends: Array<{ chat: string; at: number }>): number {
  const last = new Map<string, number>();
  let shortest = Number.POSITIVE_INFINITY;
  for (const send of sends) {
    const previous = last.get(send.chat);
    if (previous !== undefined) shortest = Math.min(shortest, send.at - previous);
    last.set(send.chat, send.at);
  }
  return shortest;
}

describe('the rate limiter', () => {
  it('never lets more than 30 messages out in a second, nor two to one chat within a second', async () => {
    // 300 reminders to 100 chats, three each, all wanting out at once; and a burst of 10 to one chat.
    const chats = [...Array.from({ length: 300 }, (_, i) => `telegram:${i % 100}`), ...Array(10).fill('telegram:director')];
    const sends = await sendAll(chats);
    expect(sends).toHaveLength(310);
    expect(busiestSecond(sends)).toBe(30);
    expect(shortestChatGap(sends)).toBeGreaterThanOrEqual(1000);
  });

  it('goes as fast as allowed: 90 chats take three bursts of 30, a second apart', async () => {
    const sends = await sendAll(Array.from({ length: 90 }, (_, i) => `telegram:${i}`));
    const perMoment = new Map<number, number>();
    for (const send of sends) perMoment.set(send.at, (perMoment.get(send.at) ?? 0) + 1);
    expect([...perMoment]).toEqual([
      [0, 30],
      [1000, 30],
      [2000, 30],
    ]);
  });

  it('keeps one chat to one message a second when ten thousand other chats were written to', async () => {
    const time = createFakeTime();
    const limiter = createRateLimiter(TELEGRAM_RATE, time);
    const others = Array.from({ length: 10_000 }, (_, i) => `telegram:${i}`);
    const sends = await sendAll([...others, 'telegram:director'], time, limiter);
    const again = await sendAll(['telegram:director'], time, limiter);
    expect(again[0]!.at - sends.at(-1)!.at).toBeGreaterThanOrEqual(1000);
  });

  it('holds a chat for the configured interval', async () => {
    const time = createFakeTime();
    const sends = await sendAll(['wechat:a', 'wechat:a', 'wechat:a'], time, createRateLimiter({ perSecond: 5, chatIntervalMs: 3000 }, time));
    expect(sends.map((send) => send.at)).toEqual([0, 3000, 6000]);
  });
});
