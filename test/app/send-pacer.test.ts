import { describe, expect, it } from 'vitest';
import { type SendPacer, type SendPriority, TELEGRAM_PACE, WECOM_PACE, createSendPacer } from '../../src/app/send-pacer.js';

/*
 * Telegram's limits (about 30 messages a second in all, one a second per chat) on a fake clock. Sleeping
 * moves the clock only once every callback waiting on a microtask has run, so the moment a test records
 * for a send is the moment the limiter let it go.
 */

function createFakeTime() {
  let now = 0;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  let driving = false;
  // Once nothing else is left to run, time jumps to the earliest timer, as if the process had slept.
  const drive = () => {
    if (driving) return;
    driving = true;
    setImmediate(() => {
      driving = false;
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (!next) return;
      now = Math.max(now, next.at);
      next.resolve();
      if (timers.length > 0) drive();
    });
  };
  return {
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: now + ms, resolve });
        drive();
      }),
  };
}

/** Acquires a turn for every chat in `chats` at once; the moments each was let go, in order. */
async function sendAll(chats: string[], time = createFakeTime(), pacer: SendPacer = createSendPacer(TELEGRAM_PACE, time), priority: SendPriority = 'bulk') {
  const sends: Array<{ chat: string; at: number }> = [];
  await Promise.all(
    chats.map((chat) =>
      pacer.run(chat, priority, async (slot) => {
        await slot();
        sends.push({ chat, at: time.now() });
      }),
    ),
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

describe('the send pacer', () => {
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
    const limiter = createSendPacer(TELEGRAM_PACE, time);
    const others = Array.from({ length: 10_000 }, (_, i) => `telegram:${i}`);
    const sends = await sendAll([...others, 'telegram:director'], time, limiter);
    const again = await sendAll(['telegram:director'], time, limiter);
    expect(again[0]!.at - sends.at(-1)!.at).toBeGreaterThanOrEqual(1000);
  });

  it('holds a chat for the configured interval', async () => {
    const time = createFakeTime();
    const sends = await sendAll(['wechat:a', 'wechat:a', 'wechat:a'], time, createSendPacer({ perSecond: 5, chatIntervalMs: 3000 }, time));
    expect(sends.map((send) => send.at)).toEqual([0, 3000, 6000]);
  });

  it('lets a reply out at the next free slot while a round of 300 reminders waits', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const round = sendAll(Array.from({ length: 300 }, (_, i) => `telegram:${i}`), time, pacer, 'bulk');
    // A person writes a second into the round; their answer goes out with the next slot, not after the round.
    await time.sleep(1000);
    const [reply] = await sendAll(['telegram:wang'], time, pacer, 'reply');
    expect(reply!.at).toBeLessThanOrEqual(2000);
    expect((await round).at(-1)!.at).toBeGreaterThanOrEqual(9000);
  });

  it('lets a reply overtake its own chat\'s reminder that still waits for a slot', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const round = sendAll([...Array.from({ length: 60 }, (_, i) => `telegram:${i}`), 'telegram:wang'], time, pacer, 'bulk');
    const [reply] = await sendAll(['telegram:wang'], time, pacer, 'reply');
    const reminder = (await round).find((send) => send.chat === 'telegram:wang')!;
    // The first 30 reminders took the first second; the reply takes the next slot, ahead of 30 others
    // and of the person's own reminder, which follows a chat interval later.
    expect(reply!.at).toBe(1000);
    expect(reminder.at).toBe(2000);
  });

  it('holds nobody else while one chat waits out its interval', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer({ perSecond: 30, chatIntervalMs: 5000 }, time);
    const sends = await sendAll(['wechat:a', 'wechat:a', 'wechat:b', 'wechat:c'], time, pacer, 'reply');
    expect(sends).toEqual([
      { chat: 'wechat:a', at: 0 },
      { chat: 'wechat:b', at: 0 },
      { chat: 'wechat:c', at: 0 },
      { chat: 'wechat:a', at: 5000 },
    ]);
  });

  it('keeps the account-wide interval between any two messages, replies first', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer({ perSecond: 1, chatIntervalMs: 5000, minIntervalMs: 3000 }, time);
    const round = sendAll(['wechat:a', 'wechat:b', 'wechat:c'], time, pacer, 'bulk');
    const reply = sendAll(['wechat:d'], time, pacer, 'reply');
    const all = [...(await round), ...(await reply)].sort((a, b) => a.at - b.at);
    expect(all.map((send) => [send.chat, send.at])).toEqual([
      ['wechat:a', 0],
      ['wechat:d', 3000],
      ['wechat:b', 6000],
      ['wechat:c', 9000],
    ]);
  });

  it('runs one send at a time per chat, in order, even with no pace at all', async () => {
    const pacer = createSendPacer({ perSecond: Number.POSITIVE_INFINITY, chatIntervalMs: 0 });
    const order: string[] = [];
    const slow = (label: string, ms: number) => pacer.run('chat', 'reply', async (slot) => {
      await slot();
      order.push(`${label} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${label} end`);
    });
    await Promise.all([slow('first', 20), slow('second', 1)]);
    expect(order).toEqual(['first start', 'first end', 'second start', 'second end']);
  });
});

/** The most messages to one chat within any `spanMs`. */
function busiestSpan(sends: Array<{ at: number }>, spanMs: number): number {
  const times = sends.map((send) => send.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= spanMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('the send pacer with per-chat limits (WeCom: 30 a minute and 1,000 an hour to one member)', () => {
  it('lets 30 messages to a member out at once, the 31st a minute after the first', async () => {
    const time = createFakeTime();
    const sends = await sendAll(Array(40).fill('wecom:wang'), time, createSendPacer(WECOM_PACE, time));
    expect(sends.filter((send) => send.at === 0)).toHaveLength(30);
    expect(sends.slice(30).map((send) => send.at)).toEqual(Array(10).fill(60_000));
  });

  it('never sends one member more than 30 in a minute nor 1,000 in an hour, and others are not held', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(WECOM_PACE, time);
    const [wang, li] = await Promise.all([sendAll(Array(1100).fill('wecom:wang'), time, pacer), sendAll(Array(3).fill('wecom:li'), time, pacer)]);
    expect(busiestSpan(wang, 60_000)).toBe(30);
    expect(busiestSpan(wang, 3_600_000)).toBe(1000);
    expect(wang[1000]!.at).toBe(3_600_000);
    expect(li.map((send) => send.at)).toEqual([0, 0, 0]);
  });

  it("puts a member's reply ahead of their reminders that wait for the minute to pass", async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(WECOM_PACE, time);
    const round = sendAll(Array(35).fill('wecom:wang'), time, pacer, 'bulk');
    await time.sleep(1000);
    const [reply] = await sendAll(['wecom:wang'], time, pacer, 'reply');
    const reminders = await round;
    expect(reply!.at).toBe(60_000);
    expect(reminders.slice(30).every((send) => send.at >= 60_000)).toBe(true);
    expect(busiestSpan([...reminders, reply!], 60_000)).toBe(30);
  });

  it('counts a message when it is sent, not when its job began: uneven work before the send never bunches sends', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const sends: Array<{ chat: string; at: number }> = [];
    // Each job first looks at the database for 0–2.9 s (as a reminder's gate may, behind other work).
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        pacer.run(`telegram:${i}`, 'bulk', async (slot) => {
          await time.sleep((i * 37) % 3000);
          await slot();
          sends.push({ chat: `telegram:${i}`, at: time.now() });
        }),
      ),
    );
    expect(sends).toHaveLength(300);
    expect(busiestSecond(sends)).toBeLessThanOrEqual(30);
  });

  it('takes no slot for a job that decides not to send', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const sends: Array<{ chat: string; at: number }> = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        pacer.run(`telegram:${i}`, 'bulk', async (slot) => {
          if (i % 2 === 1) return; // cancelled: the figures came in meanwhile
          await slot();
          sends.push({ chat: `telegram:${i}`, at: time.now() });
        }),
      ),
    );
    expect(sends.map((send) => send.at)).toEqual(Array(30).fill(0));
  });

  it('keeps a send that was still under way in the window until it is done, so a stall never bunches sends', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const granted: number[] = [];
    // The first 30 sends take 1.5 s to be written (the process stalled right after their slots were given).
    const first = Array.from({ length: 30 }, (_, i) =>
      pacer.run(`telegram:a${i}`, 'bulk', async (slot) => {
        await slot();
        granted.push(time.now());
        await time.sleep(1500);
      }),
    );
    const second = Array.from({ length: 30 }, (_, i) =>
      pacer.run(`telegram:b${i}`, 'bulk', async (slot) => {
        await slot();
        granted.push(time.now());
      }),
    );
    await Promise.all([...first, ...second]);
    // They reached the platform at 1.5 s: the next 30 may follow a second after that, not at 1 s.
    expect(granted.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(Math.min(...granted.slice(30))).toBeGreaterThanOrEqual(2500);
  });
});
