import type { Message, UserFromGetMe } from 'telegraf/types';
import type { IncomingMessage } from '../../app/port.js';

/** Turns a Telegram text message into the port's shape; undefined for messages no person sent. */
export function toIncomingMessage(message: Message.TextMessage, bot: UserFromGetMe): IncomingMessage | undefined {
  const from = message.from;
  // Anonymous group admins and channels post without a person behind them; other bots are not users.
  if (from === undefined || from.is_bot) return undefined;
  const { text, mentioned } = stripBotMentions(message, bot.username);
  const repliedToBot = message.reply_to_message?.from?.id === bot.id;
  return {
    channel: 'telegram',
    // Message ids never repeat within a chat, whereas update ids restart at random after a quiet week.
    messageId: `telegram:${message.chat.id}:${message.message_id}`,
    from: `telegram:${from.id}`,
    chat: `telegram:${message.chat.id}`,
    isGroup: message.chat.type === 'group' || message.chat.type === 'supergroup',
    mentioned: mentioned || repliedToBot,
    text,
    displayName: [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username,
    receivedAt: new Date(message.date * 1000),
  };
}

/** Removes `@bot` mentions and the `@bot` suffix of `/command@bot`, using Telegram's own entities. */
export function stripBotMentions(
  message: Pick<Message.TextMessage, 'text' | 'entities'>,
  botUsername: string,
): { text: string; mentioned: boolean } {
  const handle = `@${botUsername}`.toLowerCase();
  const cuts: Array<{ start: number; end: number }> = [];
  for (const entity of message.entities ?? []) {
    const end = entity.offset + entity.length;
    const value = message.text.slice(entity.offset, end).toLowerCase();
    if (entity.type === 'mention' && value === handle) cuts.push({ start: entity.offset, end });
    if (entity.type === 'bot_command' && value.endsWith(handle)) cuts.push({ start: end - handle.length, end });
  }
  if (cuts.length === 0) return { text: message.text.trim(), mentioned: false };
  let text = message.text;
  // Entity offsets are UTF-16 code units, as are JS string indices; cutting from the end keeps them valid.
  for (const cut of cuts.sort((a, b) => b.start - a.start)) text = text.slice(0, cut.start) + text.slice(cut.end);
  return { text: text.replace(/[^\S\n]{2,}/g, ' ').trim(), mentioned: true };
}
