import { describe, expect, it } from 'vitest';
import { type SendPacer, type SendPriority, TELEGRAM_PACE, WECOM_PACE, createSendPacer } from '../../src/app/send-pacer.js';

/*
 * Telegram's limits (about 30 messages a second in all, one a second per chat) on a fake clock. Sleeping
 * moves the clock only once every callback waiting on a microtask has run, so the moment a test records
 * for a send is the moment the limiter let it go.
 */

function createFakeTime() {
  let now = 0;
  let stallMs = 0;
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
      now = Math.max(now, next.at + stallMs);
      stallMs = 0;
      next.resolve();
      if (timers.length > 0) drive();
    });
  };
  return {
    now: () => now,
    /** The next timer fires `ms` late, as when the event loop is held by other work. */
    stall: (ms: number) => void (stallMs = ms),
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

// Bulk goes at fractional moments (a thirtieth of a second apart): a second is a second give or take the
// last bit of a double.
const SECOND = 1000 - 1e-6;

/** The most messages let go within any one second. */
function busiestSecond(sends: Array<{ at: number }>): number {
  const times = sends.map((send) => send.at).sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= SECOND) start += 1;
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
    expect(busiestSecond(sends)).toBeLessThanOrEqual(30);
    expect(shortestChatGap(sends)).toBeGreaterThanOrEqual(1000);
  });

  it('sends a round evenly at the full rate: 90 chats one every thirtieth of a second, not in bursts of 30', async () => {
    const sends = await sendAll(Array.from({ length: 90 }, (_, i) => `telegram:${i}`));
    const gaps = sends.slice(1).map((send, i) => send.at - sends[i]!.at);
    expect(gaps.every((gap) => Math.abs(gap - 1000 / 30) < 1e-6)).toBe(true);
    expect(sends.at(-1)!.at).toBeCloseTo((89 * 1000) / 30, 6);
    expect(busiestSecond(sends)).toBe(30);
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
    expect(reply!.at).toBeLessThanOrEqual(1000 + 1000 / 30);
    expect((await round).at(-1)!.at).toBeGreaterThanOrEqual(9000);
  });

  it('makes up for a stall within the window: the round keeps its rate, never more than 30 in a second', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const round = sendAll(Array.from({ length: 150 }, (_, i) => `telegram:${i}`), time, pacer, 'bulk');
    await time.sleep(2010);
    // The event loop is held for half a second: some fifteen slots go by unused.
    time.stall(500);
    const sends = await round;
    expect(busiestSecond(sends)).toBeLessThanOrEqual(30);
    // 150 at 30 a second end at 4.97 s had nothing stalled; made up for, they still end within a slot of it.
    expect(sends.at(-1)!.at).toBeLessThanOrEqual((149 * 1000) / 30 + 1000 / 30);
  });

  it('keeps every reply within one slot of its asking throughout a round, and the round at the full rate', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const round = sendAll(Array.from({ length: 600 }, (_, i) => `telegram:${i}`), time, pacer, 'bulk');
    // People write at uneven moments all through the round's 20 seconds, some of them together.
    const waits: number[] = [];
    for (const [person, moment] of [17, 480, 1003, 1004, 2990, 5555, 9001, 9001, 9002, 14_321, 19_000].entries()) {
      await time.sleep(moment - time.now());
      const asked = time.now();
      const [reply] = await sendAll([`telegram:person-${person}`], time, pacer, 'reply');
      waits.push(reply!.at - asked);
    }
    const reminders = await round;
    expect(Math.max(...waits)).toBeLessThanOrEqual(1000 / 30 + 1e-6);
    expect(busiestSecond([...reminders])).toBeLessThanOrEqual(30);
    // 600 at 30 a second is 20 s; the replies took eleven of the slots.
    expect(reminders.at(-1)!.at).toBeLessThanOrEqual(20_000 + 11 * (1000 / 30));
  });

  it('begins a reply at once while every reminder job is busy before its slot (a slow gate)', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    // Forty reminders each look at the database for two seconds before they send.
    const round = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pacer.run(`telegram:${i}`, 'bulk', async (slot) => {
          await time.sleep(2000);
          await slot();
        }),
      ),
    );
    await time.sleep(100);
    const [reply] = await sendAll(['telegram:wang'], time, pacer, 'reply');
    expect(reply!.at).toBe(100);
    await round;
  });

  it('lets a reply overtake its own chat\'s reminder that still waits for a slot', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    const round = sendAll([...Array.from({ length: 60 }, (_, i) => `telegram:${i}`), 'telegram:wang'], time, pacer, 'bulk');
    const [reply] = await sendAll(['telegram:wang'], time, pacer, 'reply');
    const reminder = (await round).find((send) => send.chat === 'telegram:wang')!;
    // The reply takes the next slot, ahead of the 60 reminders still waiting and of the person's own,
    // which follows at its turn in the round, the 61st of one every thirtieth of a second (and never
    // within a chat interval of the reply).
    expect(reply!.at).toBe(0);
    expect(reminder.at).toBeGreaterThanOrEqual(2000);
    expect(reminder.at).toBeLessThan(2000 + 1000 / 30);
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

  it('sends bulk with no pace at all, every chat at once', async () => {
    const time = createFakeTime();
    const sends = await sendAll(Array.from({ length: 100 }, (_, i) => `terminal:${i}`), time, createSendPacer({ perSecond: Number.POSITIVE_INFINITY, chatIntervalMs: 0 }, time));
    expect(sends.map((send) => send.at)).toEqual(Array(100).fill(0));
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
  it('lets 30 replies to a member out at once, the 31st a minute after the first', async () => {
    const time = createFakeTime();
    const sends = await sendAll(Array(40).fill('wecom:wang'), time, createSendPacer(WECOM_PACE, time), 'reply');
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
    // Bulk goes one every hundredth of a second (WeCom's 100 a second): li's three are among the first.
    expect(Math.max(...li.map((send) => send.at))).toBeLessThanOrEqual(50);
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
    // The thirty sent go in one second, as thirty would had nobody been cancelled.
    expect(sends).toHaveLength(30);
    expect(sends.at(-1)!.at).toBeLessThan(1000);
  });

  it('keeps a send that was still under way in the window until it is done, so a stall never bunches sends', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer(TELEGRAM_PACE, time);
    // Each send reaches the platform at some moment between its slot and its end.
    const sends: Array<{ granted: number; done: number }> = [];
    // The first 30 sends take 1.5 s to be written (the process stalled right after their slots were given).
    const job = (stallMs: number) => async (slot: () => Promise<void>) => {
      await slot();
      const granted = time.now();
      if (stallMs > 0) await time.sleep(stallMs);
      sends.push({ granted, done: time.now() });
    };
    const first = Array.from({ length: 30 }, (_, i) => pacer.run(`telegram:a${i}`, 'bulk', job(1500)));
    const second = Array.from({ length: 30 }, (_, i) => pacer.run(`telegram:b${i}`, 'bulk', job(0)));
    await Promise.all([...first, ...second]);
    expect(sends).toHaveLength(60);
    // However the platform saw them, no second held more than 30: at most 30 sends overlap any second.
    const moments = sends.flatMap((send) => [send.granted, send.done]);
    const overlapping = (from: number) => sends.filter((send) => send.granted < from + SECOND && send.done >= from).length;
    expect(Math.max(...moments.map(overlapping))).toBeLessThanOrEqual(30);
  });

  it('frees the window as sends finish, in whatever order they finish', async () => {
    const time = createFakeTime();
    const pacer = createSendPacer({ perSecond: 3, chatIntervalMs: 0 }, time);
    const sent: Record<string, number> = {};
    const job = (chat: string, busyMs = 0) =>
      pacer.run(chat, 'reply', async (slot) => {
        await slot();
        sent[chat] = time.now();
        if (busyMs > 0) await time.sleep(busyMs);
      });
    // The first send is still being written for 5 s; the two after it are done at once.
    await Promise.all([job('slow', 5000), job('b'), job('c'), job('d'), job('e'), job('f')]);
    // b and c leave the window a second after they were done, though the one ahead of them has not: two
    // more go then, and the third once those two have had their second.
    expect(sent).toEqual({ slow: 0, b: 0, c: 0, d: 1000, e: 1000, f: 2000 });
  });
});
