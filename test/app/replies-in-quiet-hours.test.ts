import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import { loadOrgFile } from '../../src/app/startup.js';
import type { ChannelAdapter, MessageHandler } from '../../src/app/port.js';
import { type Database, openDatabase } from '../../src/db/database.js';

/*
 * Found by the end-to-end Telegram tests, which run on the real clock: at night a section head who
 * talks to the bot on a reminder day got no answer at all. Reproduced here on a fixed clock.
 */

/** 2026-11-26 01:00 in Asia/Shanghai: quiet hours, and the "3 working days before the deadline" step is due. */
const NIGHT = new Date('2026-11-25T17:00:00Z');

/** A channel that records what the bot sends and lets the test speak as one person. */
function createRecordingChannel() {
  const sent: Array<{ chat: string; text: string }> = [];
  let deliver: MessageHandler = async () => {};
  let counter = 0;
  const adapter: ChannelAdapter = {
    name: 'telegram',
    start: async (onMessage) => void (deliver = onMessage),
    stop: async () => {},
    sendText: async (chat, text) => void sent.push({ chat, text }),
  };
  const say = async (from: string, text: string) =>
    (await deliver({
      channel: 'telegram',
      messageId: `${from}:${(counter += 1)}`,
      from,
      chat: from,
      isGroup: false,
      mentioned: false,
      text,
      receivedAt: NIGHT,
    }))?.replied;
  return { adapter, sent, say };
}

describe('replies during quiet hours', () => {
  let database: Database;

  beforeEach(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    const deps = { prisma: database.prisma, now: () => NIGHT };
    const loaded = await loadOrgFile(deps, {}, 'test');
    if (!loaded.ok) throw new Error('the demo organisation does not load');
    const wang = await database.prisma.member.findFirstOrThrow({ where: { key: 'wang' } });
    await database.prisma.chatIdentity.create({ data: { identity: 'telegram:880001', memberId: wang.id, source: 'test' } });
  });

  afterEach(async () => {
    await database.close();
  });

  it('holds a reminder due at night for the morning', async () => {
    const ids = await enqueueDueReminders({ prisma: database.prisma, now: () => NIGHT });
    const held = await database.prisma.outboxMessage.findMany({ where: { id: { in: ids }, chat: 'telegram:880001' } });
    expect(held).toHaveLength(1);
    expect(held[0]?.notBefore.getTime()).toBeGreaterThan(NIGHT.getTime());
  });

  it('answers a person at night even when a reminder for them waits for the morning', async () => {
    const now = () => NIGHT;
    await enqueueDueReminders({ prisma: database.prisma, now });
    const channel = createRecordingChannel();
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel.adapter], now, sweepIntervalMs: 0 });
    await channel.say('telegram:880001', '/report');
    await runtime.stop();
    expect(channel.sent.map((message) => message.text).join('\n')).toContain('(1/4) 规上工业总产值');
  });

  it('answers at night when no reminder is waiting', async () => {
    const now = () => NIGHT;
    const channel = createRecordingChannel();
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel.adapter], now, sweepIntervalMs: 0 });
    await channel.say('telegram:880001', '/report');
    await runtime.stop();
    expect(channel.sent.map((message) => message.text).join('\n')).toContain('(1/4) 规上工业总产值');
  });
});
