import { pino } from 'pino';
import type { Logger } from '../../logger.js';
import type { HttpRoutes } from '../../http-server.js';
import { WECOM_PACE } from '../../app/send-pacer.js';
import { ChannelError, RateLimitError } from '../../app/channel-errors.js';
import type { ChannelAdapter, MessageHandler, OutgoingFile } from '../../app/port.js';
import { createWecomApi } from './api-client.js';
import { createCallbackHandler } from './callback.js';
import { parseMemberChat } from './incoming.js';
import { createMemberBudget } from './member-budget.js';
import { WECOM_TEXT_LENGTH, splitUtf8 } from './split-text.js';

/** The callback path the bot serves unless WECOM_CALLBACK_PATH says otherwise. */
export const WECOM_CALLBACK_PATH = '/wecom/callback';

/** Settings of the WeCom adapter: the self-built app's (自建应用) CorpID, AgentId, Secret and callback keys. */
export interface WecomAdapterOptions {
  corpId: string;
  agentId: number;
  secret: string;
  /** The callback's Token (接收消息 → Token). */
  token: string;
  /** The callback's EncodingAESKey, 43 characters. */
  aesKey: string;
  /** The API's base URL up to and including `/cgi-bin` (政务微信's, or a local fake in tests). */
  apiRoot?: string;
  callbackPath?: string;
  /** The bot's HTTP server, where the callback path is served. */
  routes: HttpRoutes;
  /** The channel's name and the prefix of its identities; `wecom` unless several apps run. */
  name?: string;
  logger?: Logger;
  now?: () => number;
  /** How long a callback's answer waits for the message to be handled (WeCom's limit is 5 s). */
  ackWithinMs?: number;
}

/**
 * Builds the WeCom adapter for a self-built app: messages come in by the app's callback URL on the bot's
 * HTTP server, replies go out by the app's message API. Every conversation is one member's.
 */
export function createWecomAdapter(options: WecomAdapterOptions): ChannelAdapter {
  const channel = options.name ?? 'wecom';
  const log = (options.logger ?? pino({ enabled: false })).child({ channel });
  const path = options.callbackPath ?? WECOM_CALLBACK_PATH;
  const now = options.now ?? Date.now;
  const api = createWecomApi({ ...options, channel, logger: log, now });
  const budget = createMemberBudget(WECOM_PACE.chatLimits ?? [], now);
  let unregister: (() => void) | undefined;
  let callback: ReturnType<typeof createCallbackHandler> | undefined;

  /** The member a chat names, once the parts to send them fit in WeCom's limits for that member. */
  function recipient(chat: string, parts: number): string {
    const userId = parseMemberChat(channel, chat);
    if (!userId) throw new ChannelError(channel, `not a WeCom member: ${chat}`, { permanent: true });
    const decision = budget.take(userId, parts);
    if (!decision.ok) {
      throw new RateLimitError(channel, `${parts} more messages to ${chat} would go beyond WeCom's limits for one member`, {
        retryAfterMs: decision.retryAfterMs,
      });
    }
    return userId;
  }

  return {
    name: channel,
    // Joined replies stay within one message's 2,048 bytes; a longer single reply is sent in parts.
    maxTextLength: WECOM_TEXT_LENGTH,

    async start(onMessage: MessageHandler) {
      callback = createCallbackHandler({ ...options, channel, onMessage, logger: log, now });
      unregister = options.routes.route(path, callback.handle);
      log.info({ path, corpId: options.corpId, agentId: options.agentId }, 'wecom callback ready');
      // Tells the operator at once whether the Secret works; sends fetch the token again if it does not.
      await api.accessToken().catch((err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'wecom access token could not be fetched; sending will retry');
      });
    },

    async stop() {
      unregister?.();
      unregister = undefined;
      await callback?.settled();
    },

    async sendText(chat, text) {
      const parts = splitUtf8(text);
      const userId = recipient(chat, parts.length);
      for (const part of parts) await api.sendText(userId, part);
    },

    async sendFile(chat: string, file: OutgoingFile) {
      // A WeCom file message carries no caption: it goes first, as its own text, once the file is uploaded.
      const captions = file.caption ? splitUtf8(file.caption) : [];
      const userId = recipient(chat, captions.length + 1);
      const mediaId = await api.uploadFile(file.name, file.content);
      for (const part of captions) await api.sendText(userId, part);
      await api.sendFile(userId, mediaId);
    },
  };
}
