/*
 * The one small port every chat platform is adapted to (STYLE.md). The core sees only these shapes;
 * identities are namespaced strings (`telegram:123`, `wechat:wxid_abc`).
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

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** A chat platform adapter. Optional abilities are optional methods; the core degrades without them. */
export interface ChannelAdapter {
  readonly name: string;
  start(onMessage: MessageHandler): Promise<void>;
  stop(): Promise<void>;
  sendText(chat: string, text: string): Promise<void>;
  sendFile?(chat: string, file: OutgoingFile): Promise<void>;
  /** Whether it can send at all now (WeChat: logged in); while it cannot, its messages wait untried. */
  canSend?(): boolean;
}
