import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/app/port.js';
import { createMessageRunner } from '../../src/app/chat/runner.js';

/*
 * The one place incoming order is kept: each chat's messages are handled one at a time in the order they
 * were handed over, whatever the adapter's batching; other chats run alongside and never wait for them.
 */

const message = (chat: string, text: string): IncomingMessage => ({
  channel: 'test', messageId: `${chat}:${text}`, from: chat, chat, isGroup: false, mentioned: false, text, receivedAt: new Date(0),
});

const ticks = (count: number) => (async () => {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
})();

describe('the message runner', () => {
  it("handles one chat's messages one at a time, in order, though early ones take longest", async () => {
    const events: string[] = [];
    const runner = createMessageRunner(async (m) => {
      events.push(`start ${m.text}`);
      await ticks(12 - Number(m.text));
      events.push(`end ${m.text}`);
    }, {});
    const texts = Array.from({ length: 10 }, (_, i) => String(i + 1));
    await Promise.all(texts.map((text) => runner.submit(message('a', text))));
    expect(events).toEqual(texts.flatMap((text) => [`start ${text}`, `end ${text}`]));
  });

  it('lets another chat through while one chat waits', async () => {
    const done: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const runner = createMessageRunner(async (m) => {
      if (m.chat === 'slow') await held;
      done.push(m.chat);
    }, {});
    const slow = runner.submit(message('slow', '1'));
    await runner.submit(message('fast', '1'));
    expect(done).toEqual(['fast']);
    release();
    await slow;
    expect(done).toEqual(['fast', 'slow']);
  });

  it('answers a failure through onError and goes on with the chat', async () => {
    const apologised: string[] = [];
    const handled: string[] = [];
    const runner = createMessageRunner(
      async (m) => {
        if (m.text === 'bad') throw new Error('boom');
        handled.push(m.text);
      },
      { onError: async (m) => void apologised.push(m.text) },
    );
    const outcomes = await Promise.all([runner.submit(message('a', 'bad')), runner.submit(message('a', 'good'))]);
    await Promise.all(outcomes.map((outcome) => outcome?.replied));
    expect([apologised, handled]).toEqual([['bad'], ['good']]);
    await runner.idle();
  });
});
