import type { Logger } from '../../logger.js';
import { ChannelError } from '../../app/channel-errors.js';
import { TOKEN_ERRCODES, type WecomReply, translateWecomError } from './errors.js';

/*
 * The calls the app makes to WeCom's server API: gettoken, message/send and media/upload. One access
 * token for every sender in the process: fetched once, shared by concurrent calls, fetched again a few
 * minutes before it expires, and once more when WeCom refuses it (WeCom may end a token early).
 */

/** WeCom's API for 企业微信; 政务微信 and tests give their own root. */
export const WECOM_API_ROOT = 'https://qyapi.weixin.qq.com/cgi-bin';

/** Settings of the API client: the app's credentials, and where WeCom's API is. */
export interface WecomApiOptions {
  /** The API's base URL up to and including `/cgi-bin`. */
  apiRoot?: string;
  corpId: string;
  secret: string;
  agentId: number;
  channel: string;
  logger: Logger;
  now?: () => number;
  /** The token is fetched anew this long before it expires. */
  refreshBeforeMs?: number;
  timeoutMs?: number;
}

type Reply = WecomReply & Record<string, unknown>;

/** Builds the API client; nothing is fetched until the first call. */
export function createWecomApi(options: WecomApiOptions) {
  const root = (options.apiRoot ?? WECOM_API_ROOT).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
  const { channel, logger: log } = options;
  let cached: { token: string; expiresAt: number } | undefined;
  let fetching: Promise<string> | undefined;

  async function request(what: string, url: string, init: RequestInit): Promise<Reply> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new ChannelError(channel, `${what} failed: ${err instanceof Error ? err.message : String(err)}${cause ? ` (${cause})` : ''}`, {
        permanent: false,
        cause: err,
      });
    }
    const body: unknown = await response.json().catch(() => undefined);
    const reply = body as Partial<Reply> | undefined;
    if (!response.ok || typeof reply?.errcode !== 'number') {
      throw new ChannelError(channel, `${what} failed: HTTP ${response.status}, not a WeCom answer`, { permanent: false });
    }
    return { ...reply, errcode: reply.errcode, errmsg: String(reply.errmsg ?? '') };
  }

  async function fetchToken(): Promise<string> {
    const query = new URLSearchParams({ corpid: options.corpId, corpsecret: options.secret });
    const reply = await request('gettoken', `${root}/gettoken?${query}`, { method: 'GET' });
    if (reply.errcode !== 0 || typeof reply.access_token !== 'string') throw translateWecomError(channel, reply, 'gettoken');
    const expiresInS = Number(reply.expires_in) > 0 ? Number(reply.expires_in) : 7200;
    cached = { token: reply.access_token, expiresAt: now() + expiresInS * 1000 };
    log.info({ expiresInS }, 'wecom access token fetched');
    return reply.access_token;
  }

  /** The current token; concurrent callers share one fetch. */
  function accessToken(): Promise<string> {
    if (cached && cached.expiresAt - refreshBeforeMs > now()) return Promise.resolve(cached.token);
    fetching ??= fetchToken().finally(() => {
      fetching = undefined;
    });
    return fetching;
  }

  /** Calls `path` with the token; a token WeCom refuses is dropped, fetched anew and the call made once more. */
  async function call(what: string, path: string, init: () => RequestInit): Promise<Reply> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await accessToken();
      const separator = path.includes('?') ? '&' : '?';
      const reply = await request(what, `${root}${path}${separator}access_token=${encodeURIComponent(token)}`, init());
      if (reply.errcode === 0) return reply;
      if (attempt === 1 && TOKEN_ERRCODES.has(reply.errcode)) {
        if (cached?.token === token) cached = undefined;
        log.info({ errcode: reply.errcode, errmsg: reply.errmsg }, 'wecom refused the access token; fetching a new one');
        continue;
      }
      throw translateWecomError(channel, reply, what);
    }
  }

  async function send(what: string, userId: string, message: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ touser: userId, agentid: options.agentId, ...message });
    const reply = await call(what, '/message/send', () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    // Sent to nobody: WeCom answers 0 and names the recipient it could not reach.
    if (typeof reply.invaliduser === 'string' && reply.invaliduser !== '') {
      throw new ChannelError(channel, `${what} to ${userId} failed: not a member the app can reach (${reply.invaliduser})`, { permanent: true });
    }
  }

  return {
    /** Makes sure a token can be had (at start: the log says at once whether the Secret works). */
    accessToken,
    /** Sends a text (at most 2,048 bytes of UTF-8) to a member. */
    sendText: (userId: string, content: string) => send('message/send text', userId, { msgtype: 'text', text: { content } }),
    /** Sends an uploaded file to a member. */
    sendFile: (userId: string, mediaId: string) => send('message/send file', userId, { msgtype: 'file', file: { media_id: mediaId } }),
    /** Uploads a file as temporary media (kept 3 days by WeCom); resolves with its media_id. */
    async uploadFile(name: string, content: Buffer): Promise<string> {
      const reply = await call('media/upload', '/media/upload?type=file', () => {
        const form = new FormData();
        form.append('media', new Blob([content]), name);
        return { method: 'POST', body: form };
      });
      if (typeof reply.media_id !== 'string') throw new ChannelError(channel, 'media/upload failed: no media_id in the answer', { permanent: false });
      return reply.media_id;
    },
  };
}

/** The WeCom API client, as `createWecomApi` builds it. */
export type WecomApi = ReturnType<typeof createWecomApi>;
