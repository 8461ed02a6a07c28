import type { Db } from '../db/database.js';

const DAY_MS = 86_400_000;

/** How long the bot remembers what it has done, for redeliveries and for reminders' once-only keys. */
export const RETENTION = {
  /** Platforms redeliver within hours (Telegram keeps updates 24 h): a week is ample. */
  processedMessagesDays: 7,
  /** Finished outbox rows; reminders' steps are over within weeks, so their dedupe keys can go after this. */
  finishedOutboxDays: 90,
};

/** Forgets processed message ids and finished outbox rows older than RETENTION; returns what went. */
export async function pruneHistory(deps: { prisma: Db; now: () => Date }): Promise<{ messages: number; outbox: number }> {
  const now = deps.now().getTime();
  const messages = await deps.prisma.processedMessage.deleteMany({
    where: { processedAt: { lt: new Date(now - RETENTION.processedMessagesDays * DAY_MS) } },
  });
  const outbox = await deps.prisma.outboxMessage.deleteMany({
    where: {
      status: { in: ['sent', 'failed', 'expired', 'cancelled'] },
      createdAt: { lt: new Date(now - RETENTION.finishedOutboxDays * DAY_MS) },
    },
  });
  return { messages: messages.count, outbox: outbox.count };
}
