import { describe, expect, it } from 'vitest';
import { createOutageGuard } from '../../src/app/chat/outage.js';
import type { IncomingMessage } from '../../src/app/port.js';

const message = (chat: string, text: string): IncomingMessage => ({
  channel: 'telegram', messageId: `${chat}:${text}`, from: chat, chat, isGroup: false, mentioned: false, text, receivedAt: new Date(0),
});
const down = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('the outage guard', () => {
  it('keeps messages while the database is down, tells each chat once, and handles them in order once it is back', async () => {
    let up = false;
    const handled: string[] = [];
    const told: string[] = [];
    const guard = createOutageGuard({
      retryMs: 10,
      handle: async (m) => {
        if (!up) throw down();
        handled.push(m.messageId);
      },
      notify: async (m) => void told.push(m.chat),
    });
    for (const [chat, text] of [['a', '1'], ['b', '1'], ['a', '2'], ['a', '3']] as const) await (await guard.handle(message(chat, text))).replied;
    expect(told).toEqual(['a', 'b']);
    expect(guard.waiting()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toEqual([]);

    up = true;
    await guard.idle();
    expect(handled).toEqual(['a:1', 'b:1', 'a:2', 'a:3']);
    // Back to normal: the next message is handled at once, nobody told anything.
    await guard.handle(message('a', '4'));
    expect(handled.at(-1)).toBe('a:4');
    expect(told).toEqual(['a', 'b']);
    guard.stop();
  });

  it('lets any other failure through to the runner’s error boundary', async () => {
    const guard = createOutageGuard({ handle: async () => Promise.reject(new Error('a bug')), notify: async () => {} });
    await expect(guard.handle(message('a', '1'))).rejects.toThrow('a bug');
    expect(guard.waiting()).toBe(0);
    guard.stop();
  });
});
