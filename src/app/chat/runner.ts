import type { Logger } from '../../logger.js';
import type { IncomingMessage, MessageHandler, MessageOutcome } from '../port.js';

/** Runs work for one key after the previous work for that key settled; other keys run alongside. */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(work);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => tails.get(key) === tail && tails.delete(key));
      return result;
    },
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

const NOTHING_SENT: MessageOutcome = { replied: Promise.resolve() };

/**
 * Runs one handler per incoming message with the guarantees every channel needs: one chat's messages in
 * arrival order (the one place incoming order is kept; adapters hand messages over as they arrive),
 * different chats in parallel, and an error boundary that logs and lets the next message through.
 * `idle()` resolves when everything received so far has been handled.
 */
export function createMessageRunner(
  handle: MessageHandler,
  options: { logger?: Logger; onError?: (message: IncomingMessage, error: unknown) => Promise<void> },
) {
  const queue = createKeyedQueue();

  const runOne = async (message: IncomingMessage): Promise<MessageOutcome> => {
    try {
      return (await handle(message)) ?? NOTHING_SENT;
    } catch (error) {
      options.logger?.error(
        { err: error, channel: message.channel, chat: message.chat, messageId: message.messageId },
        'message handling failed',
      );
      const apologised = (options.onError?.(message, error) ?? Promise.resolve()).catch((secondary: unknown) => {
        options.logger?.error({ err: secondary }, 'could not tell the user about the failure');
      });
      return { replied: apologised };
    }
  };

  return {
    /** Queues a message behind its chat's earlier ones; resolves when it has been handled. */
    submit(message: IncomingMessage): Promise<MessageOutcome> {
      return queue.run(message.chat, () => runOne(message)).catch(() => NOTHING_SENT);
    },
    idle: () => queue.idle(),
  };
}
