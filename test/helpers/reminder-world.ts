import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { enqueueDueReminders } from '../../src/app/reminders/enqueue.js';
import { loadOrgFile } from '../../src/app/startup.js';
import { dec } from '../../src/core/decimal.js';
import type { Period } from '../../src/core/period.js';
import type { Db } from '../../src/db/database.js';
import { type MemoryChannel, createMemoryChannel } from './memory-channel.js';
import { local } from './reminder-timeline.js';

/*
 * The demo bureau with everyone on Telegram (`telegram:<member key>`), a clock the test sets, and one
 * running bot: its chat service, its outbox dispatcher, and the reminder job's tick — what node-cron
 * calls every minute — called by hand.
 */

export const NOVEMBER_2026: Period = { year: 2026, month: 11 };

/** Every member of the demo organisation (src/app/demo/demo-org.yaml). */
export const EVERYONE = ['director', 'deputy', 'admin', 'wang', 'li', 'zhang', 'chen', 'liu', 'zhao', 'zhou', 'huang'];

/** A clock the test moves by setting it. */
export function createManualClock(start: Date) {
  let at = start;
  return {
    now: () => new Date(at),
    set(next: Date) {
      at = next;
    },
  };
}

export type ManualClock = ReturnType<typeof createManualClock>;

/** Loads the demo organisation (a no-op when loaded) and binds every member's chat; indicator ids by key. */
export async function setUpDemoBureau(prisma: Db, at: Date): Promise<Map<string, number>> {
  const loaded = await loadOrgFile({ prisma, now: () => at }, {}, 'test');
  if (!loaded.ok) throw new Error(`the demo organisation does not load: ${JSON.stringify(loaded.error)}`);
  return bindEveryone(prisma, at);
}

/** Binds every member of the loaded organisation to `telegram:<member key>`; indicator ids by key. */
export async function bindEveryone(prisma: Db, at: Date): Promise<Map<string, number>> {
  for (const member of await prisma.member.findMany({ select: { id: true, key: true } })) {
    const identity = `telegram:${member.key}`;
    // Bound by invite, so that loading an organisation file again keeps the binding.
    await prisma.chatIdentity.upsert({ where: { identity }, create: { identity, memberId: member.id, source: 'invite', boundAt: at }, update: {} });
  }
  const indicators = await prisma.indicator.findMany({ select: { key: true, id: true } });
  return new Map(indicators.map((indicator) => [indicator.key, indicator.id]));
}

/** Forgets every figure, conversation and message: the bureau as on the first day of reporting. */
export async function forgetReporting(prisma: Db): Promise<void> {
  await prisma.outboxMessage.deleteMany();
  await prisma.conversation.deleteMany();
  await prisma.processedMessage.deleteMany();
  await prisma.submissionRevision.deleteMany();
  await prisma.submission.deleteMany();
}

/** A section submits `keys` for `period` (value 1 each), as the confirmed dialogue would, in one transaction. */
export async function submit(prisma: Db, indicatorIds: Map<string, number>, keys: string[], at: Date, period = NOVEMBER_2026): Promise<void> {
  await prisma.$transaction(async (tx) => {
    for (const key of keys) {
      const indicatorId = indicatorIds.get(key);
      if (indicatorId === undefined) throw new Error(`no indicator ${key}`);
      await recordFigure(tx, { indicatorId, period, value: dec(1), channel: 'telegram', at });
    }
  });
}

/**
 * One running bot on `prisma` with an in-memory Telegram; `tick` is one run of the reminder job. With
 * `sendLatencyMs` each send takes that long, as over the network, so that two bots' sends overlap.
 */
export async function startBot(prisma: Db, clock: ManualClock, options: { sendLatencyMs?: number } = {}) {
  const channel: MemoryChannel = createMemoryChannel('telegram');
  const latency = options.sendLatencyMs;
  if (latency) {
    const deliver = channel.sendText.bind(channel);
    channel.sendText = async (chat, text) => {
      await new Promise((resolve) => setTimeout(resolve, latency));
      await deliver(chat, text);
    };
  }
  const runtime = await startChatRuntime({ prisma, adapters: [channel], now: clock.now, sweepIntervalMs: 0 });
  return {
    channel,
    runtime,
    /** Queues what is due now, then sends what is due; resolves with the ids queued. */
    async tick(): Promise<bigint[]> {
      const queued = await enqueueDueReminders({ prisma, now: clock.now });
      await runtime.dispatcher.flush();
      return queued;
    },
    stop: () => runtime.stop(),
  };
}

/** The reminders each member was sent, in order, as 'Fri 2026-11-20 09:00 open' (sent time, step). */
export async function remindersSent(prisma: Db): Promise<Record<string, string[]>> {
  const rows = await prisma.outboxMessage.findMany({
    where: { dedupeKey: { startsWith: 'reminder:' }, status: 'sent' },
    orderBy: { id: 'asc' },
    select: { dedupeKey: true, sentAt: true },
  });
  const byMember: Record<string, string[]> = {};
  for (const row of rows) {
    const [, , step = '', member = ''] = (row.dedupeKey ?? '').split(':');
    (byMember[member] ??= []).push(`${row.sentAt ? local(row.sentAt) : 'unsent'} ${step}`);
  }
  return byMember;
}

/**
 * Per chat, the texts the channels delivered and the texts of the outbox rows marked sent, each sorted:
 * equal when every sent row reached the platform exactly once (daily 催报 share a text, so rows are counted).
 */
export async function deliveriesAndSentRows(prisma: Db, ...channels: MemoryChannel[]) {
  const group = (items: Array<{ chat: string; text: string }>) => {
    const byChat: Record<string, string[]> = {};
    for (const item of items) (byChat[item.chat] ??= []).push(item.text);
    for (const texts of Object.values(byChat)) texts.sort();
    return byChat;
  };
  const rows = await prisma.outboxMessage.findMany({ where: { status: 'sent' }, select: { chat: true, text: true } });
  return {
    delivered: group(channels.flatMap((channel) => channel.sent).map((message) => ({ chat: message.chat, text: message.text ?? '' }))),
    sentRows: group(rows),
  };
}
