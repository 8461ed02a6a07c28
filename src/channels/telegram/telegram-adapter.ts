import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { pino } from 'pino';
import { Telegraf, TelegramError, type Telegram } from 'telegraf';
import { message } from 'telegraf/filters';
import type { UserFromGetMe } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import { ChannelError, RateLimitError } from '../../app/channel-errors.js';
import type { ChannelAdapter, MessageHandler, OutgoingFile } from '../../app/port.js';
import { toIncomingMessage } from './incoming.js';
import { TELEGRAM_TEXT_LIMIT, splitText } from './split-text.js';

/** Where Telegram delivers updates in webhook mode; `url` is the public address Telegram calls. */
export interface TelegramWebhookOptions {
  url: string;
  /** Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token`; 1–256 of `A-Z a-z 0-9 _ -`. */
  secret: string;
  port: number;
  host?: string;
  /** The path this server answers on; defaults to the path of `url`. */
  path?: string;
}

/** Settings of the Telegram adapter; without `webhook` it long-polls. */
export interface TelegramAdapterOptions {
  token: string;
  /** A self-hosted Bot API server, or a local fake in tests. */
  apiRoot?: string;
  webhook?: TelegramWebhookOptions;
  logger?: Logger;
}

/** The Telegram channel adapter, which also tells the bot's username once started (for deep links). */
export type TelegramAdapter = ChannelAdapter & { botUsername(): string | undefined };

const CHANNEL = 'telegram';

/** Builds the Telegram adapter on telegraf, by long polling or, with `webhook`, an HTTP server of its own. */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const log = (options.logger ?? pino({ enabled: false })).child({ channel: CHANNEL });
  const bot = new Telegraf(options.token, options.apiRoot ? { telegram: { apiRoot: options.apiRoot } } : {});
  let me: UserFromGetMe | undefined;
  let polling: Promise<void> | undefined;
  let server: Server | undefined;

  bot.catch((err, ctx) => {
    log.error({ err, updateId: ctx.update.update_id }, 'telegram update handler failed');
  });

  async function startPolling(): Promise<void> {
    // launch() resolves only when polling ends, and its onLaunch callback fires before polling exists
    // (telegraf#2003), so "started" is the first getUpdates: from then on bot.stop() can stop it.
    const firstPoll = onFirstCall(bot.telegram, 'getUpdates');
    const launched = bot.launch();
    await Promise.race([firstPoll, launched]);
    polling = launched.catch((err: unknown) => log.error({ err }, 'telegram polling stopped'));
    log.info({ bot: me?.username }, 'telegram long polling started');
  }

  async function startWebhook(webhook: TelegramWebhookOptions): Promise<void> {
    const path = webhook.path ?? new URL(webhook.url).pathname;
    // Refuses (403) any request whose method, path or secret header does not match, before parsing it.
    const callback = bot.webhookCallback(path, { secretToken: webhook.secret });
    const listening = createServer((req, res) => {
      callback(req, res).catch((err: unknown) => {
        log.error({ err }, 'telegram webhook request failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    listening.listen(webhook.port, webhook.host);
    await once(listening, 'listening');
    try {
      await bot.telegram.setWebhook(webhook.url, { secret_token: webhook.secret });
    } catch (err) {
      listening.close();
      throw err;
    }
    server = listening;
    log.info({ bot: me?.username, path }, 'telegram webhook started');
  }

  async function send(chat: string, what: string, call: (chatId: number) => Promise<unknown>): Promise<void> {
    const chatId = parseChatId(chat);
    try {
      await call(chatId);
    } catch (err) {
      throw translateError(err, `${what} to ${chat}`);
    }
  }

  return {
    name: CHANNEL,
    maxTextLength: TELEGRAM_TEXT_LIMIT,

    botUsername: () => me?.username,

    async start(onMessage: MessageHandler) {
      me = await bot.telegram.getMe();
      bot.botInfo = me;
      bot.on(message('text'), async (ctx) => {
        const incoming = toIncomingMessage(ctx.message, ctx.botInfo);
        // Handed over as telegraf meets them (a polled batch in update order), so the runner keeps each
        // chat's order. Awaited until handled, not until replied: the batch's offset is confirmed only
        // once every message of it is safely in the database, and never waits for a chat's pacing.
        if (incoming) await onMessage(incoming);
      });
      await (options.webhook ? startWebhook(options.webhook) : startPolling());
    },

    async stop() {
      if (polling) {
        bot.stop('adapter stopped');
        // Resolves once the in-flight handlers finished and the offset was confirmed to Telegram.
        await polling;
        polling = undefined;
      }
      if (server) {
        // The webhook stays registered: other replicas behind the same URL keep receiving updates.
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve, reject) => closing.close((err) => (err ? reject(err) : resolve())));
      }
    },

    async sendText(chat, text) {
      for (const chunk of splitText(text)) {
        await send(chat, 'sendMessage', (chatId) => bot.telegram.sendMessage(chatId, chunk));
      }
    },

    async sendFile(chat: string, file: OutgoingFile) {
      await send(chat, 'sendDocument', (chatId) =>
        bot.telegram.sendDocument(
          chatId,
          { source: file.content, filename: file.name },
          file.caption ? { caption: file.caption } : {},
        ),
      );
    },
  };
}

function parseChatId(chat: string): number {
  const match = /^telegram:(-?\d+)$/.exec(chat);
  if (!match?.[1]) throw new ChannelError(CHANNEL, `not a Telegram chat: ${chat}`, { permanent: true });
  return Number(match[1]);
}

/** Maps telegraf's errors onto the outbox's vocabulary: wait, retry, or give up on this chat. */
export function translateError(err: unknown, context: string): ChannelError {
  if (!(err instanceof TelegramError)) {
    return new ChannelError(CHANNEL, `${context} failed: ${String(err)}`, { permanent: false, cause: err });
  }
  const message = `${context} failed: ${err.code} ${err.description}`;
  if (err.code === 429) {
    const retryAfterMs = (err.parameters?.retry_after ?? 1) * 1000;
    return new RateLimitError(CHANNEL, message, { retryAfterMs, cause: err });
  }
  // 400 (chat not found, bad request) and 403 (blocked, kicked) fail the same way on every retry.
  const permanent = err.code === 400 || err.code === 403;
  return new ChannelError(CHANNEL, message, { permanent, cause: err });
}

/** Resolves when `telegram` first calls `method`, observed by wrapping its callApi. */
function onFirstCall(telegram: Telegram, method: string): Promise<void> {
  return new Promise((resolve) => {
    const callApi = telegram.callApi.bind(telegram);
    telegram.callApi = ((name: string, ...rest: unknown[]) => {
      if (name === method) resolve();
      return (callApi as (...args: unknown[]) => unknown)(name, ...rest);
    }) as Telegram['callApi'];
  });
}
