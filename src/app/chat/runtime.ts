import type { ChannelAdapter } from '../port.js';
import { createMessageRunner } from './runner.js';
import { translator } from '../../core/i18n.js';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { createDispatcher } from '../dispatcher.js';
import { releaseAbandonedClaims } from '../outbox.js';
import { createOrgCache } from '../org-cache.js';
import { createReminderGate } from '../reminders/gate.js';
import { type SendPace, createSendPacer } from '../send-pacer.js';
import { createChatService } from './handle-message.js';
import { createOutageGuard } from './outage.js';
import { memberByIdentity } from './member.js';

export interface ChatRuntimeOptions {
  prisma: Db;
  adapters: ChannelAdapter[];
  now: () => Date;
  logger?: Logger;
  /** How often the outbox is swept for messages to retry; 0 disables the sweep (tests flush by hand). */
  sweepIntervalMs?: number;
  /** Sending pace per channel name; a channel without one is paced only one message at a time per chat. */
  paces?: Record<string, SendPace>;
  /**
   * No other process can be sending from this database (the embedded one): messages a stopped process
   * left claimed are then released at start, instead of holding back their chats until the lease ends.
   */
  soleSender?: boolean;
  /** The web dashboard's sign-in address for a link token, when the dashboard is served. */
  dashboardLink?: (token: string) => string;
  /** How soon messages kept while the database was unreachable are tried again (then backing off); 2 s. */
  outageRetryMs?: number;
}

/**
 * Connects the chat channels to the chat service: messages in (ordered per chat, with an error boundary
 * that apologises and leaves the dialogue where it was), replies out through the outbox.
 */
export async function startChatRuntime(options: ChatRuntimeOptions) {
  const { prisma, now, logger } = options;
  const adapters = new Map(options.adapters.map((adapter) => [adapter.name, adapter]));
  const pacers = new Map(Object.entries(options.paces ?? {}).map(([channel, pace]) => [channel, createSendPacer(pace)] as const));
  if (options.soleSender) await releaseAbandonedClaims(prisma, now(), logger);
  // One organisation in memory for the chat and the reminder gate.
  const orgCache = createOrgCache();
  const dispatcher = createDispatcher({ prisma, adapters, now, logger, pacers, gate: createReminderGate(prisma, orgCache) });
  const textLimits = new Map(options.adapters.flatMap((adapter) => (adapter.maxTextLength ? [[adapter.name, adapter.maxTextLength] as const] : [])));
  const service = createChatService({ prisma, now, dispatcher, logger, textLimits, orgCache, dashboardLink: options.dashboardLink });
  // The database unreachable: the person hears so at once, without it, and the message waits for it.
  const outage = createOutageGuard({
    handle: service.handle,
    retryMs: options.outageRetryMs,
    logger,
    notify: async (message) => {
      const locale = orgCache.latest()?.member(message.from)?.locale ?? 'zh-CN';
      await adapters.get(message.channel)?.sendText(message.chat, translator(locale)('outage.answer_later'));
    },
  });
  const runner = createMessageRunner(outage.handle, {
    logger,
    onError: async (message) => {
      // The apology must go out even when the database is what failed: then it is in Chinese.
      const member = await memberByIdentity(prisma, message.from).catch(() => undefined);
      await adapters.get(message.channel)?.sendText(message.chat, translator(member?.locale ?? 'zh-CN')('chat.error'));
    },
  });
  for (const adapter of options.adapters) {
    await adapter.start((message) => runner.submit(message));
    logger?.info({ channel: adapter.name }, 'channel started');
  }
  await dispatcher.flush();
  const sweepMs = options.sweepIntervalMs ?? 5_000;
  const sweep = sweepMs > 0 ? setInterval(() => void dispatcher.flush(), sweepMs) : undefined;
  sweep?.unref();

  return {
    dispatcher,
    /** Resolves when every message received so far has been handled and its replies sent. */
    async idle(): Promise<void> {
      await runner.idle();
      await outage.idle();
      await dispatcher.flush();
    },
    async stop(): Promise<void> {
      if (sweep) clearInterval(sweep);
      outage.stop();
      if (outage.waiting() > 0) logger?.warn({ messages: outage.waiting() }, 'stopped with messages still waiting for the database; they are not answered');
      for (const adapter of options.adapters) await adapter.stop();
      await runner.idle();
      await dispatcher.flush();
    },
  };
}
