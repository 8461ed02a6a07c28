import type { ChannelAdapter, IncomingMessage, MessageHandler, MessageOutcome } from '../src/app/port.js';

/**
 * A channel for the benches that run the chat runtime in their own process: it sends nowhere, and `say`
 * hands a message to the runtime and resolves with its outcome once the message is handled (its
 * `replied` once the replies are out).
 */
export function silentChannel(
  name: string,
  options: { maxTextLength?: number } = {},
): ChannelAdapter & { say(message: IncomingMessage): Promise<MessageOutcome | void> } {
  let handler: MessageHandler | undefined;
  return {
    name,
    ...(options.maxTextLength ? { maxTextLength: options.maxTextLength } : {}),
    async start(onMessage) {
      handler = onMessage;
    },
    async stop() {},
    async sendText() {},
    async sendFile() {},
    say(message) {
      if (!handler) throw new Error('the channel was not started');
      return handler(message);
    },
  };
}
