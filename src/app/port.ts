/*
 * The one small port every chat platform is adapted to (docs/architecture.md, Layers). The core sees only
 * these shapes; identities are namespaced strings (`telegram:123`, `wechat:wxid_abc`).
 */

/** One message from a person, whatever the platform. */
export interface IncomingMessage {
  channel: string;
  /** Platform-unique and stable across redelivery, so a message delivered twice is handled once. */
  messageId: string;
  /** Who sent it: `telegram:<user id>`. */
  from: string;
  /** Where to answer: a private chat or a group, `telegram:<chat id>`. */
  chat: string;
  isGroup: boolean;
  /** In a group: whether the bot was @-mentioned. */
  mentioned: boolean;
  text: string;
  /**
   * `unsupported`: something the bot cannot read (a picture, a voice message, a file): `text` is empty and
   * the bot answers that it reads text only. Text when absent.
   */
  kind?: 'text' | 'unsupported';
  /** The sender's display name, for logs only. */
  displayName?: string;
  receivedAt: Date;
}

/** A file to send (an export workbook). */
export interface OutgoingFile {
  name: string;
  content: Buffer;
  caption?: string;
}

/** What became of a message handed to the bot. */
export interface MessageOutcome {
  /**
   * Resolves when the bot's replies have gone out (or were rescheduled by the outbox). The handler itself
   * resolves as soon as the message is handled and its replies are safely in the outbox, so a platform's
   * acknowledgement (Telegram's next offset) never waits for another chat's pacing.
   */
  replied: Promise<void>;
}

/** Takes one message; resolves once it is handled (with its outcome, when the handler tells one). */
export type MessageHandler = (message: IncomingMessage) => Promise<MessageOutcome | void>;

/** A chat platform adapter. Optional abilities are optional methods; the core degrades without them. */
export interface ChannelAdapter {
  readonly name: string;
  /** The longest text one platform message holds; a turn's replies are joined into one while they fit. */
  readonly maxTextLength?: number;
  start(onMessage: MessageHandler): Promise<void>;
  stop(): Promise<void>;
  sendText(chat: string, text: string): Promise<void>;
  sendFile?(chat: string, file: OutgoingFile): Promise<void>;
  /** Whether it can send at all now (WeChat: logged in); while it cannot, its messages wait untried. */
  canSend?(): boolean;
}
