import { ChannelError, RateLimitError } from '../../app/channel-errors.js';

/*
 * WeCom's error codes (全局错误码) in the outbox's vocabulary. Only errcode counts: WeCom says its errmsg
 * may change. A code that no retry of the same send can cure fails the message; a setting the operator
 * must fix (secret, trusted IP, the app's visibility) is retried, so that nothing is lost meanwhile.
 */

/** The access token was refused: expired (42001), invalid (40014) or missing (41001). Fetched anew, once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([42001, 40014, 41001]);

/** Too many calls (45009 per minute, 45033 at once, 45011): WeCom blocks a minute-limit for 60 s. */
const RATE_LIMIT_ERRCODES: ReadonlySet<number> = new Set([45009, 45011, 45033]);
const RATE_LIMIT_WAIT_MS = 60_000;

/** This recipient cannot be reached: not a member (40003, 60111, 40031) or outside the app's visible range (81013). */
const RECIPIENT_ERRCODES: ReadonlySet<number> = new Set([40003, 40031, 60111, 81013]);

/** This message cannot be sent as it is: empty, too large, of a wrong type or format. */
const MESSAGE_ERRCODES: ReadonlySet<number> = new Set([40004, 40005, 40006, 40008, 40035, 40058, 44001, 44004, 45002]);

/** What the operator must fix in the admin console or the settings; the log says which. */
const SETTING_HINTS: ReadonlyMap<number, string> = new Map([
  [40001, 'WECOM_SECRET is not the app’s Secret'],
  [40013, 'WECOM_CORP_ID is not the enterprise’s CorpID'],
  [40056, 'WECOM_AGENT_ID is not the app’s AgentId'],
  [60020, 'this server’s IP address is not among the app’s trusted IPs (企业可信IP)'],
  [48002, 'the app may not call this API'],
  [60011, 'the member is outside the app’s visible range (可见范围)'],
  [301002, 'the app may not act on this member'],
]);

/** How many times a send WeCom refuses with a code not listed here is tried before it fails for good. */
export const UNKNOWN_ERROR_ATTEMPTS = 10;

/** An error WeCom answered with: its errcode and errmsg. */
export interface WecomReply {
  errcode: number;
  errmsg: string;
}

/** Maps WeCom's answer to a failed call onto the outbox's decisions: wait, retry, or give up on this message. */
export function translateWecomError(channel: string, reply: WecomReply, context: string): ChannelError {
  const hint = SETTING_HINTS.get(reply.errcode);
  const message = `${context} failed: ${reply.errcode} ${reply.errmsg}${hint ? ` (${hint})` : ''}`;
  if (RATE_LIMIT_ERRCODES.has(reply.errcode)) return new RateLimitError(channel, message, { retryAfterMs: RATE_LIMIT_WAIT_MS });
  if (RECIPIENT_ERRCODES.has(reply.errcode) || MESSAGE_ERRCODES.has(reply.errcode)) return new ChannelError(channel, message, { permanent: true });
  // -1 (system busy), an expired token refused twice, a setting the operator is fixing: retried with backoff.
  if (reply.errcode === -1 || hint || TOKEN_ERRCODES.has(reply.errcode)) return new ChannelError(channel, message, { permanent: false });
  // A code this table does not know is retried for about half an hour (the outbox's backoff), then given up.
  return new ChannelError(channel, message, { permanent: false, giveUpAfter: UNKNOWN_ERROR_ATTEMPTS });
}
