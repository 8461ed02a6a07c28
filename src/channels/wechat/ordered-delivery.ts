import type { IncomingMessage, MessageHandler } from '../../app/port.js';

/** How long one message's payload may take to load before it is given up (so it cannot block the rest). */
const LOAD_TIMEOUT_MS = 60_000;

export interface OrderedDeliveryOptions {
  /** Loads and translates one message; undefined for messages not meant for the bot. */
  load: (messageId: string) => Promise<IncomingMessage | undefined>;
  handle: MessageHandler;
  onLoadError: (messageId: string, error: unknown) => void;
  onHandleError: (message: IncomingMessage, error: unknown) => void;
  loadTimeoutMs?: number;
}

/**
 * Hands messages over in the order the puppet announced them, whatever order their payloads load in:
 * wechaty emits `message` only after an async payload fetch, so two quick messages can overtake each
 * other (wechaty/wechaty#2100). Payloads load in parallel and are handed over in arrival order; the
 * handler (the chat runner) keeps each chat's messages in that order from there.
 */
export function createOrderedDelivery(options: OrderedDeliveryOptions) {
  const timeoutMs = options.loadTimeoutMs ?? LOAD_TIMEOUT_MS;
  const handling = new Set<Promise<void>>();
  let arrivals: Promise<void> = Promise.resolve();

  function handOver(message: IncomingMessage): void {
    const handled = options.handle(message).then(
      () => undefined,
      (error: unknown) => options.onHandleError(message, error),
    );
    handling.add(handled);
    void handled.then(() => handling.delete(handled));
  }

  async function loadWithin(messageId: string): Promise<IncomingMessage | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no payload within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([options.load(messageId), timeout]);
    } catch (error) {
      options.onLoadError(messageId, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** Called synchronously from the puppet's `message` event, so calls come in arrival order. */
    push(messageId: string): void {
      const loading = loadWithin(messageId);
      arrivals = arrivals.then(async () => {
        const message = await loading;
        if (message) handOver(message);
      });
    },
    /** Resolves when every message pushed so far has been loaded and handled. */
    async settled(): Promise<void> {
      await arrivals;
      while (handling.size > 0) await Promise.all([...handling]);
    },
  };
}
