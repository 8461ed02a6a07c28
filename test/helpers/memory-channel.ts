import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, IncomingMessage, MessageHandler, OutgoingFile } from '../../src/app/port.js';

/*
 * An in-memory chat platform for tests: people "say" things, the bot's answers are recorded. It speaks the
 * channel port exactly as a real adapter does, so what a test sees is what a person would see.
 */

/** What the bot sent: a text, or a file with its caption as `text`. */
export interface SentMessage {
  chat: string;
  text?: string;
  file?: OutgoingFile;
}

export interface SayOptions {
  /** Platform message id; a fresh one unless given (give the same id twice to test a redelivery). */
  messageId?: string;
  /** A group chat id (local, like `from`): the message is then a group message. */
  group?: string;
  /** In a group: whether the bot was @-mentioned. */
  mentioned?: boolean;
  /** `unsupported`: a picture or a voice message rather than text. */
  kind?: IncomingMessage['kind'];
}

export interface MemoryChannel extends ChannelAdapter {
  /** Everything the bot sent on this channel, in order. */
  readonly sent: SentMessage[];
  /**
   * Delivers a message from `from` (a local user id; the identity is `<channel>:<from>`) and resolves when
   * the bot has handled it, with what it sent to that chat meanwhile.
   */
  say(from: string, text: string, options?: SayOptions): Promise<SentMessage[]>;
  /** The next `count` sends (texts or files) throw `error`, as a platform that is down would. */
  failNextSends(count: number, error?: Error): void;
  /** The texts sent to the private chat of `from` so far. */
  textsTo(from: string): string[];
}

/** A new in-memory channel called `name` ('telegram', 'wechat' …). */
export function createMemoryChannel(name = 'telegram'): MemoryChannel {
  const sent: SentMessage[] = [];
  const failures: Error[] = [];
  let handler: MessageHandler | undefined;
  const identity = (local: string) => `${name}:${local}`;

  const failIfScripted = () => {
    const failure = failures.shift();
    if (failure) throw failure;
  };

  return {
    name,
    sent,
    async start(onMessage) {
      handler = onMessage;
    },
    async stop() {
      handler = undefined;
    },
    async sendText(chat, text) {
      failIfScripted();
      sent.push({ chat, text });
    },
    async sendFile(chat, file) {
      failIfScripted();
      sent.push({ chat, text: file.caption, file });
    },
    async say(from, text, options = {}) {
      if (!handler) throw new Error(`the ${name} channel is not started`);
      const chat = identity(options.group ?? from);
      const message: IncomingMessage = {
        channel: name,
        messageId: options.messageId ?? `${name}:${randomUUID()}`,
        from: identity(from),
        chat,
        isGroup: options.group !== undefined,
        mentioned: options.mentioned ?? false,
        text,
        ...(options.kind ? { kind: options.kind } : {}),
        receivedAt: new Date(),
      };
      const before = sent.length;
      const outcome = await handler(message);
      await outcome?.replied;
      return sent.slice(before).filter((message) => message.chat === chat);
    },
    failNextSends(count, error = new Error('network down')) {
      for (let i = 0; i < count; i += 1) failures.push(error);
    },
    textsTo(from) {
      return sent.filter((message) => message.chat === identity(from)).flatMap((message) => (message.text === undefined ? [] : [message.text]));
    },
  };
}
