import { types, type Contact, type Message, type Room } from 'wechaty';
import type { IncomingMessage } from '../../app/port.js';

/*
 * How WeChat ids become the port's namespaced strings. A person is `wechat:<contact id>` and so is their
 * private chat with the bot; a group is `wechat:room:<room id>`. (`wechat` is the adapter's name.)
 */

/** The identity of a contact, which is also the chat that reaches them privately. */
export function contactChat(channel: string, contactId: string): string {
  return `${channel}:${contactId}`;
}

/** The chat of a WeChat group (room). */
export function roomChat(channel: string, roomId: string): string {
  return `${channel}:room:${roomId}`;
}

/** What a chat string names, or undefined when it is not one of this channel's chats. */
export function parseChat(channel: string, chat: string): { kind: 'contact' | 'room'; id: string } | undefined {
  const roomPrefix = `${channel}:room:`;
  if (chat.startsWith(roomPrefix) && chat.length > roomPrefix.length) return { kind: 'room', id: chat.slice(roomPrefix.length) };
  const prefix = `${channel}:`;
  if (chat.startsWith(prefix) && chat.length > prefix.length) return { kind: 'contact', id: chat.slice(prefix.length) };
  return undefined;
}

/**
 * Turns a wechaty message into the port's shape; undefined for what no person wrote to the bot: the bot's
 * own messages (WeChat echoes every message the account sends), anything but text, official accounts.
 */
export async function toIncomingMessage(message: Message, channel: string, self: Contact): Promise<IncomingMessage | undefined> {
  if (message.self() || message.type() !== types.Message.Text) return undefined;
  const talker = message.talker();
  if (talker.type() === types.Contact.Official) return undefined;
  const room = message.room();
  const mentioned = room ? await message.mentionSelf() : false;
  // Phones put U+2005 after an @-mention; to the core it is a space like any other.
  const written = message.text().replace(/\u2005/g, ' ');
  const text = room && mentioned ? await stripOwnMention(written, room, self) : written.trim();
  return {
    channel,
    // Puppets re-emit a message with the same id (after a reconnect, a session restore), so it is stable.
    messageId: `${channel}:${message.id}`,
    from: contactChat(channel, talker.id),
    chat: room ? roomChat(channel, room.id) : contactChat(channel, talker.id),
    isGroup: room !== undefined,
    mentioned,
    text,
    displayName: talker.name() || undefined,
    receivedAt: message.date(),
  };
}

/**
 * Removes `@<the bot's name in this group>` followed by WeChat's mention separator (U+2005 from phones, a
 * space from PCs, both spaces by now) or the end. Unlike wechaty's `mentionText()`, other people's
 * @-mentions stay.
 */
async function stripOwnMention(text: string, room: Room, self: Contact): Promise<string> {
  const alias = await room.alias(self).catch(() => undefined);
  let stripped = text;
  for (const name of new Set([alias, self.name()])) {
    if (!name) continue;
    stripped = stripped.replace(new RegExp(`@${escapeRegExp(name)}(?: |$)`, 'g'), ' ');
  }
  return stripped.replace(/[^\S\n]{2,}/g, ' ').trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
