import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import { loadOrgFile } from '../../src/app/startup.js';
import type { ChannelAdapter, MessageHandler } from '../../src/app/port.js';
import { openDatabase } from '../../src/db/database.js';

/*
 * Found by the end-to-end Telegram test that kills the bot in the middle of a report: on a reminder day,
 * the reminder to the section head was claimed and waiting for its turn in the chat when the process died.
 * The new process then kept every reply to that person behind the dead process's claim — a minute of
 * silence. On the embedded database only one process can run, so whatever a process finds claimed at
 * start was claimed by one that died: it is released at once. Reproduced here on a fixed clock, with a
 * real embedded database folder opened twice, as two processes would.
 */

/** 2026-11-25 10:00 in Asia/Shanghai: the "3 working days before the deadline" reminder is due. */
const T0 = new Date('2026-11-25T02:00:00Z');
const WANG = 'telegram:880001';

/** A channel that records what is sent; `hangOn` makes the first matching send never return (the kill). */
function createChannel(hangOn?: (chat: string) => boolean) {
  const sent: Array<{ chat: string; text: string }> = [];
  let deliver: MessageHandler = async () => {};
  let hung: () => void = () => {};
  const hanging = new Promise<void>((resolve) => (hung = resolve));
  let counter = 0;
  const adapter: ChannelAdapter = {
    name: 'telegram',
    start: async (onMessage) => void (deliver = onMessage),
    stop: async () => {},
    async sendText(chat, text) {
      if (hangOn?.(chat)) {
        hung();
        await new Promise<never>(() => {});
      }
      sent.push({ chat, text });
    },
  };
  const say = async (text: string, at: Date) => {
    const outcome = await deliver({ channel: 'telegram', messageId: `m${(counter += 1)}`, from: WANG, chat: WANG, isGroup: false, mentioned: false, text, receivedAt: at });
    await outcome?.replied;
  };
  return { adapter, sent, say, hanging };
}

describe('a restart after a crash while a reminder was being sent', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'baoshu-restart-'));
    const database = await openDatabase({ dataDir });
    const deps = { prisma: database.prisma, now: () => T0 };
    const loaded = await loadOrgFile(deps, {}, 'test');
    if (!loaded.ok) throw new Error('the demo organisation does not load');
    const wang = await database.prisma.member.findFirstOrThrow({ where: { key: 'wang' } });
    await database.prisma.chatIdentity.create({ data: { identity: WANG, memberId: wang.id, source: 'test' } });
    await enqueueDueReminders({ prisma: database.prisma, now: () => T0 });

    // The first process claims Wang's reminder and dies while the platform call is under way.
    const killed = createChannel((chat) => chat === WANG);
    const dispatcher = createDispatcher({ prisma: database.prisma, adapters: new Map([['telegram', killed.adapter]]), now: () => T0 });
    void dispatcher.flush();
    await killed.hanging;
    await database.close();
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends the interrupted reminder again and answers the person at once, in order', async () => {
    const now = () => new Date(T0.getTime() + 5_000);
    const database = await openDatabase({ dataDir });
    try {
      const channel = createChannel();
      const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel.adapter], now, sweepIntervalMs: 0, soleSender: true });
      await channel.say('/report', now());
      await runtime.stop();
      const toWang = channel.sent.filter((message) => message.chat === WANG).map((message) => message.text);
      expect(toWang[0]).toMatch(/^提醒/);
      expect(toWang.join('\n')).toContain('(1/4) 规上工业总产值');
      expect(await database.prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('leaves a claim alone where other processes may be sending (a PostgreSQL server)', async () => {
    const now = () => new Date(T0.getTime() + 5_000);
    const database = await openDatabase({ dataDir });
    try {
      const channel = createChannel();
      const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [channel.adapter], now, sweepIntervalMs: 0, soleSender: false });
      await runtime.stop();
      expect(channel.sent.filter((message) => message.chat === WANG)).toEqual([]);
      const claimed = await database.prisma.outboxMessage.findFirstOrThrow({ where: { chat: WANG } });
      expect(claimed.status).toBe('pending');
      expect(claimed.claimedBy).not.toBeNull();
    } finally {
      await database.close();
    }
  });
});
