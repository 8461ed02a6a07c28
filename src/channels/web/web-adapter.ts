import { randomUUID } from 'node:crypto';
import { ChannelError } from '../../app/channel-errors.js';
import type { ChannelAdapter, MessageHandler } from '../../app/port.js';

/** One line of a simulator chat: what the member typed, or what the bot answered. */
export interface WebChatEntry {
  seq: number;
  from: 'member' | 'bot';
  text: string;
}

export type WebChannel = ChannelAdapter & {
  /** Hands `text` to the bot as the message of `web:<memberKey>`; resolves once its replies are out. */
  say(memberKey: string, text: string): Promise<void>;
  /** The chat's entries after `after` (a `seq`; 0 for all). */
  entries(memberKey: string, after: number): WebChatEntry[];
};

/** Entries kept per chat: the simulator shows a conversation, not an archive. */
const KEPT = 200;

/**
 * The `web` channel: the dashboard's simulator, where an administrator chats as any member. Each member's
 * chat is `web:<member key>`; what the bot sends to it is kept in memory for the page to fetch. A reply
 * the outbox retries on another replica is not seen here; the simulator is for trying the bot out.
 */
export function createWebChannel(): WebChannel {
  const chats = new Map<string, WebChatEntry[]>();
  const session = randomUUID().slice(0, 8);
  let seq = 0;
  let handler: MessageHandler | undefined;

  const append = (chat: string, from: WebChatEntry['from'], text: string) => {
    const list = chats.get(chat) ?? [];
    seq += 1;
    list.push({ seq, from, text });
    if (list.length > KEPT) list.splice(0, list.length - KEPT);
    chats.set(chat, list);
    return seq;
  };

  return {
    name: 'web',
    async start(onMessage) {
      handler = onMessage;
    },
    async stop() {
      handler = undefined;
    },
    async say(memberKey, text) {
      if (!handler) throw new Error('the web channel is not started');
      const identity = `web:${memberKey}`;
      const id = append(identity, 'member', text);
      const outcome = await handler({
        channel: 'web',
        messageId: `web:${session}:${id}`,
        from: identity,
        chat: identity,
        isGroup: false,
        mentioned: false,
        text,
        receivedAt: new Date(),
      });
      await outcome?.replied;
    },
    entries(memberKey, after) {
      return (chats.get(`web:${memberKey}`) ?? []).filter((entry) => entry.seq > after);
    },
    async sendText(chat, text) {
      if (!chat.startsWith('web:')) throw new ChannelError('web', `not a web chat: ${chat}`, { permanent: true });
      append(chat, 'bot', text);
    },
    async sendFile(chat, file) {
      append(chat, 'bot', `${file.caption ? `${file.caption}\n` : ''}📎 ${file.name}`);
    },
  };
}
