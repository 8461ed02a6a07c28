import type { IncomingMessage, MessageHandler, MessageOutcome } from '../port.js';
import { isDatabaseUnreachable } from '../../db/persistence-errors.js';
import type { Logger } from '../../logger.js';

export interface OutageGuardOptions {
  /** The chat service's handler, which needs the database. */
  handle: MessageHandler;
  /** Tells the person, without the database, that the bot will answer later (the adapter, directly). */
  notify(message: IncomingMessage): Promise<void>;
  /** How long to wait before trying the kept messages again; doubled after each failed try, up to 10 s. */
  retryMs?: number;
  logger?: Logger;
}

const NOTHING_SENT: MessageOutcome = { replied: Promise.resolve() };
const MAX_RETRY_MS = 10_000;

/**
 * Keeps the messages that arrive while the database cannot be reached (docs/architecture.md, When the
 * database is down): the person is told at once, once per chat, that the bot will answer later; the
 * message is kept in memory, in arrival order, with every later message of its chat behind it, and handled
 * as soon as the database answers again, by a retry that backs off while it does not. Handling stays
 * idempotent (a message that did commit before the connection dropped is recognised by its id).
 */
export function createOutageGuard(options: OutageGuardOptions) {
  const kept: IncomingMessage[] = [];
  const keptChats = new Set<string>();
  let retryMs = options.retryMs ?? 2_000;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  let stopped = false;

  function keep(message: IncomingMessage): MessageOutcome {
    const first = !keptChats.has(message.chat);
    kept.push(message);
    keptChats.add(message.chat);
    schedule();
    if (!first) return NOTHING_SENT;
    const replied = options.notify(message).catch((error: unknown) => {
      options.logger?.error({ err: error, chat: message.chat }, 'could not tell the user the bot will answer later');
    });
    return { replied };
  }

  function schedule(): void {
    if (timer || draining || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      draining = drain().then((done) => {
        draining = undefined;
        if (!done) schedule();
      });
    }, retryMs);
    timer.unref();
  }

  /** Handles the kept messages in order; stops (false) at the first that still cannot reach the database. */
  async function drain(): Promise<boolean> {
    while (kept.length > 0 && !stopped) {
      const message = kept[0]!;
      try {
        // Its replies go out through the outbox as any message's do; the drain does not wait for them.
        await options.handle(message);
      } catch (error) {
        if (isDatabaseUnreachable(error)) {
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
          return false;
        }
        options.logger?.error({ err: error, messageId: message.messageId }, 'a message kept during an outage failed');
      }
      kept.shift();
      if (!kept.some((other) => other.chat === message.chat)) keptChats.delete(message.chat);
    }
    retryMs = options.retryMs ?? 2_000;
    options.logger?.info('the database answers again; every message kept meanwhile is handled');
    return true;
  }

  return {
    async handle(message: IncomingMessage): Promise<MessageOutcome> {
      // Behind a kept message of the same chat: kept too, so that the chat's order holds.
      if (keptChats.has(message.chat)) return keep(message);
      try {
        return (await options.handle(message)) ?? NOTHING_SENT;
      } catch (error) {
        if (!isDatabaseUnreachable(error)) throw error;
        options.logger?.warn({ err: error, messageId: message.messageId, chat: message.chat }, 'database unreachable; message kept for later');
        return keep(message);
      }
    },
    /** How many messages wait for the database. */
    waiting: () => kept.length,
    /** Resolves when no message waits any more (tests). */
    async idle(): Promise<void> {
      while (kept.length > 0 || draining) {
        if (draining) await draining;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
