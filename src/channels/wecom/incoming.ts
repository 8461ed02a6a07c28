import type { IncomingMessage } from '../../app/port.js';

/*
 * What a decrypted WeCom callback is to the bot. A member of the enterprise is `wecom:<userid>` (what the
 * organisation file's `identities` takes), and so is their conversation with the app: a self-built app
 * talks with one member at a time, it is in no group.
 */

/** Handed to the bot: a text, the 进入应用 event (as a request for help), or something it cannot read. */
export interface CallbackMessage {
  kind: 'message';
  /** What a retry of the same callback repeats (MsgId; for an event, FromUserName + CreateTime + Event). */
  key: string;
  message: IncomingMessage;
}

/** Acknowledged and dropped: an event the bot has no use for, or a callback for another app. */
export interface IgnoredCallback {
  kind: 'ignored';
  key: string;
  what: string;
}

/** What a callback is to the bot. */
export type Callback = CallbackMessage | IgnoredCallback;

/** What a member opening the app sends on their behalf: the same as asking for help. */
export const ENTER_AGENT_TEXT = '/help';

/** The identity (and chat) of a member's userid. */
export function memberChat(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}

/** The userid of one of this channel's chats, or undefined when it is not one. */
export function parseMemberChat(channel: string, chat: string): string | undefined {
  const prefix = `${channel}:`;
  const userId = chat.startsWith(prefix) ? chat.slice(prefix.length) : '';
  // WeCom userids are 1–64 letters, digits, and _ - . @ (an email-like account).
  return /^[\w.@-]{1,64}$/.test(userId) ? userId : undefined;
}

/**
 * Reads the fields of a decrypted callback; undefined when they are not a callback at all (no sender,
 * no time, no type). `agentId` is this app's: a callback for another app is ignored.
 */
export function readCallback(fields: Record<string, string>, channel: string, agentId: number): Callback | undefined {
  const { FromUserName: from, CreateTime: createTime, MsgType: type, MsgId: msgId, AgentID: agent } = fields;
  if (!from || !type || !createTime || !/^\d{1,12}$/.test(createTime)) return undefined;
  if (msgId !== undefined && !/^\d{1,20}$/.test(msgId)) return undefined;
  const event = type === 'event' ? (fields.Event ?? '') : undefined;
  const key = msgId ?? `${from}:${createTime}:${event ?? type}`;
  if (agent !== undefined && agent.trim() !== String(agentId)) return { kind: 'ignored', key, what: `a callback for app ${agent}` };

  const base = {
    channel,
    from: memberChat(channel, from),
    chat: memberChat(channel, from),
    isGroup: false,
    mentioned: false,
    receivedAt: new Date(Number(createTime) * 1000),
  };
  if (type === 'event') {
    if (event !== 'enter_agent') return { kind: 'ignored', key, what: `the ${event} event` };
    // Greeted once a day at most (China's day): opening the app many times a day is no reason to say it again.
    const messageId = `${channel}:enter_agent:${from}:${chinaDay(Number(createTime))}`;
    return { kind: 'message', key, message: { ...base, messageId, text: ENTER_AGENT_TEXT } };
  }
  if (!msgId) return { kind: 'ignored', key, what: `a ${type} without MsgId` };
  const messageId = `${channel}:${msgId}`;
  if (type === 'text') return { kind: 'message', key, message: { ...base, messageId, text: (fields.Content ?? '').trim() } };
  // A picture, a voice message, a video, a location, a link, a file: answered with "text only".
  return { kind: 'message', key, message: { ...base, messageId, text: '', kind: 'unsupported' } };
}

/** The calendar day in China (UTC+8, no summer time) of a Unix time in seconds, as YYYY-MM-DD. */
function chinaDay(unixSeconds: number): string {
  return new Date((unixSeconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}
