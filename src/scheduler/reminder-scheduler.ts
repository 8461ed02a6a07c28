import cron from 'node-cron';
import { enqueueDueBulletins } from '../app/bulletin-push.js';
import { afterRound, pruneHistory, vacuumEmbedded } from '../app/housekeeping.js';
import { enqueueDueReminders } from '../app/reminders/enqueue.js';
import type { Dispatcher } from '../app/dispatcher.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';

export interface ReminderSchedulerOptions {
  prisma: Db;
  now: () => Date;
  dispatcher: Dispatcher;
  timeZone: string;
  logger?: Logger;
  /** When to look for due reminders; every minute by default. */
  expression?: string;
  /**
   * The embedded database, which runs no autovacuum: the outbox's statistics are refreshed after a round,
   * and the whole database is vacuumed and analysed every night.
   */
  embedded?: boolean;
  /** When the embedded database's nightly upkeep runs, in the organisation's time zone; 03:17 by default. */
  upkeepExpression?: string;
}

/** A quiet moment: nobody reports at 3 a.m., and no reminder is sent in quiet hours. */
export const UPKEEP_CRON = '17 3 * * *';

/**
 * The reminder job (one error boundary per run): on every tick, what is due is written to the outbox
 * once and the outbox is flushed. A tick at start catches up after downtime; the planner makes the
 * catch-up the current step only, and the dedupe keys make a repeated tick harmless.
 */
export function startReminderScheduler(options: ReminderSchedulerOptions) {
  const { logger } = options;

  async function tick(): Promise<void> {
    try {
      const ids = await enqueueDueReminders({ prisma: options.prisma, now: options.now });
      if (ids.length > 0) logger?.info({ reminders: ids.length }, 'reminders queued');
      if (options.embedded) await afterRound(options.prisma, ids.length);
      await queueBulletins();
      await options.dispatcher.flush();
      const pruned = await pruneHistory({ prisma: options.prisma, now: options.now });
      if (pruned.messages + pruned.outbox > 0) logger?.info(pruned, 'old message ids and outbox rows forgotten');
    } catch (error) {
      logger?.error({ err: error }, 'reminder run failed; the next tick tries again');
    }
  }

  // Its own boundary: a bulletin that cannot be made must not hold back the reminders' sending.
  async function queueBulletins(): Promise<void> {
    try {
      const ids = await enqueueDueBulletins({ prisma: options.prisma, now: options.now });
      if (ids.length > 0) logger?.info({ bulletins: ids.length }, 'bulletins queued for the directors');
    } catch (error) {
      logger?.error({ err: error }, 'bulletin run failed; the next tick tries again');
    }
  }

  async function runUpkeep(): Promise<void> {
    try {
      const ms = await vacuumEmbedded(options.prisma);
      logger?.info({ ms }, 'embedded database vacuumed and analysed');
    } catch (error) {
      logger?.error({ err: error }, 'nightly database upkeep failed; it runs again tomorrow night');
    }
  }

  // Runs under way, so that stopping waits for them: a run cut off by the database closing under it logs
  // errors for nothing (its transactions would only roll back).
  const underWay = new Set<Promise<void>>();
  const tracked = (run: () => Promise<void>) => (): Promise<void> => {
    const running = run();
    underWay.add(running);
    void running.finally(() => underWay.delete(running));
    return running;
  };

  const trackedTick = tracked(tick);
  const trackedUpkeep = tracked(runUpkeep);
  const task = cron.schedule(options.expression ?? '* * * * *', trackedTick, {
    timezone: options.timeZone,
    name: 'reminders',
    // A round outlasts the minute: the next tick is skipped, as intended (a debug line, not a warning).
    noOverlap: true,
    logger: cronLogger(logger),
  });
  const upkeep = options.embedded
    ? cron.schedule(options.upkeepExpression ?? UPKEEP_CRON, trackedUpkeep, {
        timezone: options.timeZone,
        name: 'upkeep',
        noOverlap: true,
        logger: cronLogger(logger),
      })
    : undefined;
  void trackedTick();

  return {
    tick: trackedTick,
    /** The nightly upkeep, at once. */
    runUpkeep: trackedUpkeep,
    /** Stops the schedule, then waits for the runs under way (the one at start among them). */
    async stop(): Promise<void> {
      for (const job of upkeep ? [task, upkeep] : [task]) {
        await job.stop();
        await job.destroy();
      }
      await Promise.all([...underWay]);
    },
  };
}

/** node-cron's own messages, in the bot's log instead of on the console. */
function cronLogger(logger: Logger | undefined) {
  const cron = logger?.child({ component: 'node-cron' });
  return {
    info: (message: string) => cron?.info(message),
    debug: (message: string | Error) => cron?.debug(String(message)),
    warn: (message: string) => (/overlap/.test(message) ? cron?.debug(message) : cron?.warn(message)),
    error: (message: string | Error, err?: Error) => cron?.error({ err: err ?? message }, String(message)),
  };
}
