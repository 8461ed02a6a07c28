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

/** From this many messages queued at once, the outbox's statistics are refreshed (`afterRound`). */
export const ROUND_ANALYZE_THRESHOLD = 100;

/**
 * After a reminder round queued `queued` messages on the embedded database: the outbox's planner
 * statistics refreshed, so that the sweeps' claims walk the round by the right index. The embedded
 * database has no autovacuum worker to do it; with stale statistics each claim of a 3,000-reminder round
 * took 40–80 ms of the one connection instead of 5–15. A PostgreSQL server is left to its autovacuum:
 * analysed at once there, the round's replies waited longer (BENCHMARKS.md).
 */
export async function afterRound(prisma: Db, queued: number): Promise<boolean> {
  if (queued < ROUND_ANALYZE_THRESHOLD) return false;
  await prisma.$executeRawUnsafe('ANALYZE outbox_message');
  return true;
}

/**
 * The embedded database's nightly upkeep, what a server's autovacuum does by itself: the space of rows
 * deleted or updated since (finished outbox rows, every turn's conversation) made reusable, so the folder
 * stops growing with use, and every table's planner statistics refreshed. It holds the one connection
 * while it runs (well under a second for a bureau's year of figures), so it runs at night
 * (`startReminderScheduler`). Returns how long it took, in ms.
 */
export async function vacuumEmbedded(prisma: Db): Promise<number> {
  const started = performance.now();
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE)');
  return Math.round(performance.now() - started);
}
