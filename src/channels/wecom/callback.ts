import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import type { Logger } from '../../logger.js';
import { answerEmpty, readBody } from '../../http-server.js';
import type { MessageHandler } from '../../app/port.js';
import { parseCallbackXml } from './callback-xml.js';
import { openEnvelope, signatureMatches } from './envelope.js';
import { readCallback } from './incoming.js';
import { createReplayMemory } from './replay-memory.js';

/*
 * The app's callback URL (接收消息服务器): WeCom's URL verification (GET) and its encrypted messages (POST).
 * A request is refused, logged and changes nothing unless it is signed with the Token, fresh, small,
 * well-formed and encrypted for this enterprise; a retry or replay of a callback already received is
 * acknowledged and dropped. WeCom waits 5 s for an answer, else it tries again (three times in all).
 */

/** Settings of the callback: the app's keys, the handler messages go to, and the limits it keeps. */
export interface CallbackOptions {
  channel: string;
  corpId: string;
  agentId: number;
  token: string;
  aesKey: string;
  onMessage: MessageHandler;
  logger: Logger;
  now?: () => number;
  /** A callback is a few kilobytes; anything larger is refused unread. */
  maxBodyBytes?: number;
  /** How far a callback's timestamp may be from the server's clock (either way). */
  maxClockSkewMs?: number;
  /** How long the answer waits for the message to be safely handled before WeCom is answered anyway. */
  ackWithinMs?: number;
}

/** Why a request was refused; logged as `reason`. */
export type Refusal =
  | 'missing_parameters'
  | 'stale_timestamp'
  | 'too_large'
  | 'malformed'
  | 'bad_signature'
  | 'cannot_decrypt'
  | 'method_not_allowed';

const STATUS: Record<Refusal, number> = {
  missing_parameters: 400,
  stale_timestamp: 403,
  too_large: 413,
  malformed: 400,
  bad_signature: 403,
  cannot_decrypt: 400,
  method_not_allowed: 405,
};

/** Builds the callback's request handler; `settled` resolves when every message it handed over is handled. */
export function createCallbackHandler(options: CallbackOptions) {
  const now = options.now ?? Date.now;
  const maxSkewMs = options.maxClockSkewMs ?? 300_000;
  const ackWithinMs = options.ackWithinMs ?? 3_000;
  const log = options.logger;
  // Remembered for as long as a replayed request's timestamp would still be accepted, and then some.
  const memory = createReplayMemory({ capacity: 10_000, ttlMs: 2 * maxSkewMs, now });
  const handing = new Set<Promise<unknown>>();

  function refuse(req: HttpRequest, res: ServerResponse, reason: Refusal, detail?: string): void {
    log.warn({ reason, detail, method: req.method, ip: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] }, 'wecom callback refused');
    answerEmpty(res, STATUS[reason], { closeConnection: reason === 'too_large' });
  }

  /** The signed query parameters, or the refusal when they are missing or stale. */
  function signedQuery(url: URL): { signature: string; timestamp: string; nonce: string } | Refusal {
    const signature = url.searchParams.get('msg_signature') ?? '';
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const nonce = url.searchParams.get('nonce') ?? '';
    if (!signature || !nonce || !/^\d{1,12}$/.test(timestamp)) return 'missing_parameters';
    if (Math.abs(now() - Number(timestamp) * 1000) > maxSkewMs) return 'stale_timestamp';
    return { signature, timestamp, nonce };
  }

  async function verifyUrl(req: HttpRequest, res: ServerResponse, url: URL): Promise<void> {
    const query = signedQuery(url);
    // echostr is base64: a '+' that reached us unencoded was read as a space.
    const echostr = (url.searchParams.get('echostr') ?? '').replace(/ /g, '+');
    if (typeof query === 'string' || !echostr) return refuse(req, res, typeof query === 'string' ? query : 'missing_parameters');
    if (!signatureMatches(options.token, query.timestamp, query.nonce, echostr, query.signature)) return refuse(req, res, 'bad_signature');
    const plain = openEnvelope(options.aesKey, options.corpId, echostr);
    if (plain === undefined) return refuse(req, res, 'cannot_decrypt', 'is WECOM_AES_KEY the app’s EncodingAESKey?');
    log.info('wecom callback URL verified');
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(plain);
  }

  async function receive(req: HttpRequest, res: ServerResponse, url: URL): Promise<void> {
    const query = signedQuery(url);
    if (typeof query === 'string') return refuse(req, res, query);
    const read = await readBody(req, options.maxBodyBytes ?? 64 * 1024);
    if (!read.ok) return read.reason === 'too_large' ? refuse(req, res, 'too_large') : void res.destroy();
    const encrypted = parseCallbackXml(read.body.toString('utf8'))?.Encrypt;
    if (!encrypted) return refuse(req, res, 'malformed', 'no Encrypt element');
    if (!signatureMatches(options.token, query.timestamp, query.nonce, encrypted, query.signature)) return refuse(req, res, 'bad_signature');
    const plain = openEnvelope(options.aesKey, options.corpId, encrypted);
    if (plain === undefined) return refuse(req, res, 'cannot_decrypt', 'is WECOM_AES_KEY the app’s EncodingAESKey?');
    const fields = parseCallbackXml(plain);
    const callback = fields && readCallback(fields, options.channel, options.agentId);
    if (!callback) return refuse(req, res, 'malformed', 'not a WeCom message');
    if (!memory.remember(callback.key)) {
      log.info({ key: callback.key }, 'wecom callback received before; acknowledged, not handled again');
      return answerEmpty(res, 200);
    }
    if (callback.kind === 'ignored') {
      log.debug({ key: callback.key, what: callback.what }, 'wecom callback ignored');
      return answerEmpty(res, 200);
    }
    // Handed over at once, in arrival order; WeCom is answered once the message is safely handled, so a
    // crash before that leaves WeCom to try again, or after ackWithinMs at the latest (its limit is 5 s).
    const handed = options.onMessage(callback.message);
    handing.add(handed);
    const failed = handed.then(
      () => false,
      (err: unknown) => {
        log.error({ err, messageId: callback.message.messageId }, 'wecom message handler failed');
        memory.forget(callback.key);
        return true;
      },
    );
    void failed.finally(() => handing.delete(handed));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ackWithinMs)));
    const outcome = await Promise.race([failed, late]);
    clearTimeout(timer);
    // A failure known in time is answered as one: WeCom tries again.
    answerEmpty(res, outcome ? 500 : 200);
  }

  return {
    /** The request handler for the callback path (GET: URL verification; POST: a message). */
    async handle(req: HttpRequest, res: ServerResponse, url: URL): Promise<void> {
      if (req.method === 'GET') return verifyUrl(req, res, url);
      if (req.method === 'POST') return receive(req, res, url);
      refuse(req, res, 'method_not_allowed');
    },
    /** Resolves when every message handed over so far has been handled. */
    async settled(): Promise<void> {
      while (handing.size > 0) await Promise.allSettled([...handing]);
    },
  };
}
