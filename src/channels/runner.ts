import type { Logger } from '../logger.js';
import type { IncomingMessage } from './port.js';

/**
 * Runs one handler per incoming message with the guarantees every channel needs: one chat's messages in
 * arrival order, different chats in parallel, and an error boundary that logs and lets the next message
 * through. `idle()` resolves when everything received so far has been handled.
 */
export function createMessageRunner(
  handle: (message: IncomingMessage) => Promise<void>,
  options: { logger?: Logger; onError?: (message: IncomingMessage, error: unknown) => Promise<void> },
) {
  const tails = new Map<string, Promise<void>>();

  const runOne = async (message: IncomingMessage) => {
    try {
      await handle(message);
    } catch (error) {
      options.logger?.error(
        { err: error, channel: message.channel, chat: message.chat, messageId: message.messageId },
        'message handling failed',
      );
      await options.onError?.(message, error).catch((secondary: unknown) => {
        options.logger?.error({ err: secondary }, 'could not tell the user about the failure');
      });
    }
  };

  return {
    /** Queues a message behind its chat's earlier ones; resolves when it has been handled. */
    submit(message: IncomingMessage): Promise<void> {
      const previous = tails.get(message.chat) ?? Promise.resolve();
      const next = previous.then(() => runOne(message));
      tails.set(message.chat, next);
      void next.then(() => {
        if (tails.get(message.chat) === next) tails.delete(message.chat);
      });
      return next;
    },
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
