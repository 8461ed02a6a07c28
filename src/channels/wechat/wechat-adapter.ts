import { FileBox } from 'file-box';
import { pino } from 'pino';
import { ScanStatus, WechatyBuilder, type Contact, type Room, type Wechaty, type WechatyOptions } from 'wechaty';
import type { Logger } from '../../logger.js';
import { createSendPacer } from '../../app/send-pacer.js';
import { ChannelError } from '../../app/channel-errors.js';
import type { ChannelAdapter, MessageHandler, OutgoingFile } from '../../app/port.js';
import { parseChat, toIncomingMessage } from './incoming.js';
import { printLoginQrcode, qrcodeImageUrl } from './login-qrcode.js';
import { createOrderedDelivery } from './ordered-delivery.js';

/**
 * How many times a message to a contact or group the account does not seem to know is tried before it
 * fails for good. The outbox waits 1000·2^attempts ms after each failed attempt (2, 4, 8, 16, 32, 64 s),
 * so the seven attempts span about two minutes (126 s, a little more at the dispatcher's sweep interval).
 */
export const UNKNOWN_CHAT_ATTEMPTS = 7;

/** A wechaty puppet instance (tests: `new PuppetMock({ mocker })`). */
export type WechatPuppet = Wechaty['puppet'];

/** Settings of the WeChat adapter. */
export interface WechatAdapterOptions {
  /** A puppet's npm name (`wechaty-puppet-wechat4u`, `wechaty-puppet-service` …) or a puppet instance. */
  puppet: string | WechatPuppet;
  /** Passed to a puppet given by name, e.g. `{ token }` for wechaty-puppet-service. */
  puppetOptions?: { token?: string; endpoint?: string } & Record<string, unknown>;
  /** The channel's name and the prefix of its identities; `wechat` unless several accounts run. */
  name?: string;
  /** Where wechaty keeps the login session (`<session>.memory-card.json`), so a restart may skip the scan. */
  session?: string;
  /** At least this long between any two messages the account sends (the per-chat pace is the outbox's). */
  minSendIntervalMs?: number;
  /** Shows a login QR code to the operator; prints it on the terminal unless replaced (tests). */
  showQrcode?: (qrcode: string) => void | Promise<void>;
  logger?: Logger;
}

/** The WeChat channel adapter, which also tells whether it is logged in and the QR code waiting for a scan. */
export type WechatAdapter = ChannelAdapter & {
  /** The URL of the login QR code while one waits to be scanned. */
  qrcodeUrl(): string | undefined;
  /** Logged in: until then its messages wait in the outbox, untried. */
  canSend(): boolean;
};

/**
 * Builds the WeChat adapter on wechaty. While the account is logged out (before the first scan, after a
 * logout, while the puppet restarts) sends fail with a passing ChannelError, so the outbox keeps the
 * messages and retries them once it is logged in again.
 */
export function createWechatAdapter(options: WechatAdapterOptions): WechatAdapter {
  const channel = options.name ?? 'wechat';
  const log = (options.logger ?? pino({ enabled: false })).child({ channel });
  const showQrcode = options.showQrcode ?? printLoginQrcode;
  const wechatyOptions = {
    puppet: options.puppet,
    ...(typeof options.puppet === 'string' && options.puppetOptions ? { puppetOptions: options.puppetOptions } : {}),
    ...(options.session ? { name: options.session } : {}),
  } as WechatyOptions;
  const bot = WechatyBuilder.build(wechatyOptions);
  // The outbox paces the account already (replies first); this keeps the interval for any other caller.
  const pace = options.minSendIntervalMs
    ? createSendPacer({ perSecond: Number.POSITIVE_INFINITY, chatIntervalMs: 0, minIntervalMs: options.minSendIntervalMs })
    : undefined;
  let qrcodeUrl: string | undefined;
  let handler: MessageHandler | undefined;
  let listening = false;
  let stopped = false;

  const delivery = createOrderedDelivery({
    load: async (messageId) => {
      if (!bot.isLoggedIn) {
        // Without a login nobody can tell the bot's own messages apart.
        log.debug({ messageId }, 'wechat message ignored while logged out');
        return undefined;
      }
      const message = await bot.Message.find({ id: messageId });
      return message ? toIncomingMessage(message, channel, bot.currentUser) : undefined;
    },
    handle: (message) => (handler ? handler(message) : Promise.resolve()),
    onLoadError: (messageId, err) => log.error({ err, messageId }, 'wechat message could not be read'),
    onHandleError: (message, err) => log.error({ err, messageId: message.messageId, chat: message.chat }, 'wechat message handler failed'),
  });

  // Without an `error` listener wechaty's EventEmitter would throw its errors at whoever emitted them.
  bot.on('error', (err) => log.error({ err }, 'wechaty reported an error'));
  bot.on('scan', (qrcode, status) => {
    if ((status === ScanStatus.Waiting || status === ScanStatus.Timeout) && qrcode) {
      qrcodeUrl = qrcodeImageUrl(qrcode);
      log.info({ url: qrcodeUrl, status: ScanStatus[status] }, 'scan the QR code with the WeChat account to log in');
      void (async () => showQrcode(qrcode))().catch((err: unknown) => log.warn({ err }, 'could not show the QR code'));
    } else {
      log.info({ status: ScanStatus[status] }, 'wechat login QR code status');
    }
  });
  bot.on('login', (user) => {
    qrcodeUrl = undefined;
    log.info({ user: user.name(), id: user.id }, 'wechat logged in');
  });
  bot.on('logout', (user, reason) => {
    log.warn({ user: user.name(), id: user.id, reason }, 'wechat logged out; replies wait in the outbox until it logs in again');
  });

  function onPuppetMessage(payload: { messageId: string }): void {
    if (!stopped && handler) delivery.push(payload.messageId);
  }

  function onPuppetReset(payload: { data?: string }): void {
    log.warn({ reason: payload.data }, 'wechat puppet restarting');
  }

  async function conversation(chat: string): Promise<Contact | Room> {
    const target = parseChat(channel, chat);
    if (!target) throw new ChannelError(channel, `not a WeChat chat: ${chat}`, { permanent: true });
    if (!bot.isLoggedIn) throw new ChannelError(channel, `WeChat is not logged in; ${chat} must wait`, { permanent: false });
    const found = target.kind === 'room' ? await bot.Room.find({ id: target.id }) : await bot.Contact.find({ id: target.id });
    // A logout in the middle of the lookup is not the contact's fault.
    if (!bot.isLoggedIn) throw new ChannelError(channel, `WeChat logged out while looking up ${chat}`, { permanent: false });
    // wechaty's find() answers undefined for an unknown id and for any failed lookup alike (a network blip,
    // a puppet service hiccup, contacts still syncing after a login): retried a while before giving up.
    if (!found) {
      throw new ChannelError(channel, `this WeChat account does not know ${chat}`, { permanent: false, giveUpAfter: UNKNOWN_CHAT_ATTEMPTS });
    }
    return found;
  }

  async function say(chat: string, what: string, sayable: string | FileBox): Promise<void> {
    const target = await conversation(chat);
    try {
      await (pace ? pace.run(chat, 'reply', async (slot) => (await slot(), target.say(sayable))) : target.say(sayable));
    } catch (err) {
      throw new ChannelError(channel, `${what} to ${chat} failed: ${err instanceof Error ? err.message : String(err)}`, {
        permanent: false,
        cause: err,
      });
    }
  }

  return {
    name: channel,
    // A text of a few thousand characters is accepted, but a long one is folded away in the chat window.
    maxTextLength: 2000,
    qrcodeUrl: () => qrcodeUrl,
    canSend: () => bot.isLoggedIn,

    async start(onMessage) {
      handler = onMessage;
      try {
        // init() resolves the puppet (importing a named one), so its events can be heard before it starts.
        await bot.init();
      } catch (err) {
        const name = typeof options.puppet === 'string' ? options.puppet : 'the given puppet';
        throw new Error(`cannot load the WeChat puppet ${name} (is it installed?): ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
      // The puppet's own event keeps arrival order; wechaty's `message` event does not (see ordered-delivery).
      bot.puppet.on('message', onPuppetMessage);
      bot.puppet.on('reset', onPuppetReset);
      listening = true;
      await bot.start();
      log.info({ puppet: bot.puppet.name() }, 'wechat started; waiting for the account to log in');
    },

    async stop() {
      if (stopped || !listening) return;
      stopped = true;
      bot.puppet.off('message', onPuppetMessage);
      bot.puppet.off('reset', onPuppetReset);
      await bot.stop();
      await delivery.settled();
      handler = undefined;
    },

    async sendText(chat, text) {
      await say(chat, 'text', text);
    },

    async sendFile(chat: string, file: OutgoingFile) {
      // WeChat files carry no caption: it goes first, as its own message.
      if (file.caption) await say(chat, 'caption', file.caption);
      // Base64, not fromBuffer: a buffer FileBox cannot be serialised (huan/file-box#25), which some puppets need.
      await say(chat, 'file', FileBox.fromBase64(file.content.toString('base64'), file.name));
    },
  };
}
