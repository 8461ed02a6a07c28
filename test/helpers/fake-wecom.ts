/*
 * A fake WeCom (企业微信) for one self-built app, on 127.0.0.1: its server API (gettoken, message/send,
 * media/upload under /cgi-bin) and its side of the callback, which it signs and encrypts as WeCom does
 * (wecom-crypto.ts). WeCom's rules that matter to the bot are kept: a token expires and can be ended
 * early (42001), an unknown member is refused (81013), a text beyond 2,048 bytes is cut, and messages to
 * one member beyond 30 a minute or 1,000 an hour are dropped without an error. A member's callbacks are
 * posted one after another, each once the previous one was answered.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseMultipart } from './multipart.js';
import { randomAesKey, wecomDecrypt, wecomEncrypt, wecomSignature } from './wecom-crypto.js';

/** A message the app sent, as the fake understood it. */
export interface WecomSent {
  touser: string;
  msgtype: 'text' | 'file';
  content?: string;
  file?: { name: string; bytes: Buffer };
  /** The text was longer than 2,048 bytes and WeCom cut it. */
  cut?: boolean;
}

/** One callback request, exactly as posted (so it can be posted again byte for byte). */
export interface CallbackRequest {
  query: Record<string, string>;
  body: string;
}

/** What the bot answered to a callback. */
export interface CallbackAnswer {
  status: number;
  body: string;
}

/** A callback the fake posted: its answer, and a way to post it again as WeCom's retry does. */
export interface Delivery {
  request: CallbackRequest;
  answered: Promise<CallbackAnswer>;
  redeliver(): Promise<CallbackAnswer>;
}

type Api = 'gettoken' | 'message/send' | 'media/upload';
type Json = Record<string, unknown>;

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Starts a fake WeCom; `now` is its clock (the bot's, when a test shifts the bot's). */
export async function createFakeWecom(options: { now?: () => number; expiresInS?: number } = {}) {
  const now = options.now ?? Date.now;
  const app = {
    corpId: `ww${randomBytes(8).toString('hex')}`,
    agentId: 1000002,
    secret: randomBytes(24).toString('base64url'),
    token: randomBytes(12).toString('hex'),
    aesKey: randomAesKey(),
  };
  const tokens = new Map<string, { expiresAt: number; ended: boolean }>();
  const members = new Set<string>();
  const sent: WecomSent[] = [];
  const dropped: WecomSent[] = [];
  const sentTimes = new Map<string, number[]>();
  const uploads = new Map<string, { name: string; bytes: Buffer }>();
  const failures = new Map<Api, Json[]>();
  const listeners = new Set<() => void>();
  const queues = new Map<string, Promise<unknown>>();
  let callbackUrl: string | undefined;
  let tokenRequests = 0;
  let nextMsgId = 7_300_000_000_000_000_001n;

  function tokenProblem(token: string | null): Json | undefined {
    const known = token ? tokens.get(token) : undefined;
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    if (!known) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (known.ended || known.expiresAt <= now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  function deliver(message: WecomSent): void {
    const times = (sentTimes.get(message.touser) ?? []).filter((at) => at > now() - HOUR);
    const overLimit = times.filter((at) => at > now() - MINUTE).length >= 30 || times.length >= 1000;
    if (overLimit) {
      dropped.push(message);
      return;
    }
    sentTimes.set(message.touser, [...times, now()]);
    sent.push(message);
    for (const listener of [...listeners]) listener();
  }

  function send(body: Json): Json {
    if (body.agentid !== app.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
    const touser = String(body.touser ?? '');
    if (!members.has(touser)) return { errcode: 81013, errmsg: 'user & party & tag all invalid', invaliduser: touser };
    if (body.msgtype === 'text') {
      const bytes = Buffer.from(String((body.text as Json | undefined)?.content ?? ''), 'utf8');
      if (bytes.length === 0) return { errcode: 44004, errmsg: 'empty content' };
      const cut = bytes.length > 2048;
      deliver({ touser, msgtype: 'text', content: bytes.subarray(0, 2048).toString('utf8'), ...(cut ? { cut } : {}) });
    } else if (body.msgtype === 'file') {
      const file = uploads.get(String((body.file as Json | undefined)?.media_id));
      if (!file) return { errcode: 40007, errmsg: 'invalid media_id' };
      deliver({ touser, msgtype: 'file', file });
    } else {
      return { errcode: 40008, errmsg: 'invalid message type' };
    }
    return { errcode: 0, errmsg: 'ok', msgid: randomBytes(16).toString('hex') };
  }

  function answer(api: Api, url: URL, req: IncomingMessage, body: Buffer): Json {
    const scripted = failures.get(api)?.shift();
    if (api === 'gettoken') {
      tokenRequests += 1;
      if (scripted) return scripted;
      if (url.searchParams.get('corpid') !== app.corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
      if (url.searchParams.get('corpsecret') !== app.secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = randomBytes(32).toString('base64url');
      const expiresInS = options.expiresInS ?? 7200;
      tokens.set(token, { expiresAt: now() + expiresInS * 1000, ended: false });
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: expiresInS };
    }
    const problem = tokenProblem(url.searchParams.get('access_token'));
    if (problem) return problem;
    if (scripted) return scripted;
    if (api === 'message/send') return send(JSON.parse(body.toString('utf8')) as Json);
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(String(req.headers['content-type']));
    const media = parseMultipart(body, boundary?.[1] ?? boundary?.[2] ?? '').media;
    if (url.searchParams.get('type') !== 'file' || typeof media !== 'object') return { errcode: 40005, errmsg: 'invalid type' };
    const mediaId = `media-${randomBytes(8).toString('hex')}`;
    uploads.set(mediaId, { name: media.filename, bytes: media.bytes });
    return { errcode: 0, errmsg: 'ok', type: 'file', media_id: mediaId, created_at: String(Math.floor(now() / 1000)) };
  }

  const server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const api = url.pathname.replace(/^\/cgi-bin\//, '') as Api;
      if (!['gettoken', 'message/send', 'media/upload'].includes(api)) return replyJson(res, 404, { errcode: 404, errmsg: 'not found' });
      replyJson(res, 200, answer(api, url, req, body));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin`;

  /** A callback's timestamp (now, unless given) and a fresh nonce. */
  function stamp(at = Math.floor(now() / 1000)): { timestamp: string; nonce: string } {
    return { timestamp: String(at), nonce: String(randomBytes(4).readUInt32BE()) };
  }

  /** Signs and encrypts `xml` as WeCom posts a callback. */
  function sealed(xml: string, at?: number): CallbackRequest {
    const encrypted = wecomEncrypt(app.aesKey, xml, app.corpId);
    const { timestamp, nonce } = stamp(at);
    const body = `<xml><ToUserName><![CDATA[${app.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${app.agentId}]]></AgentID></xml>`;
    return { query: { msg_signature: wecomSignature(app.token, timestamp, nonce, encrypted), timestamp, nonce }, body };
  }

  /** Posts one member's callbacks one after another, as a member's messages reach the app in order. */
  function inTurn(userId: string, post: () => Promise<CallbackAnswer>): Promise<CallbackAnswer> {
    const answered = (queues.get(userId) ?? Promise.resolve()).then(post);
    queues.set(userId, answered.catch(() => undefined));
    return answered;
  }

  /** A member's callback of `fields` (besides ToUserName, FromUserName, CreateTime, AgentID). */
  function callback(userId: string, fields: Record<string, string>): Delivery {
    members.add(userId);
    const createTime = String(Math.floor(now() / 1000));
    const inner = Object.entries(fields).map(([name, value]) => (/^\d+$/.test(value) ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`));
    const xml = `<xml><ToUserName><![CDATA[${app.corpId}]]></ToUserName><FromUserName><![CDATA[${userId}]]></FromUserName><CreateTime>${createTime}</CreateTime>${inner.join('')}<AgentID>${app.agentId}</AgentID></xml>`;
    const sealedRequest = sealed(xml);
    const post = () => postCallback(sealedRequest);
    return { request: sealedRequest, answered: inTurn(userId, post), redeliver: () => inTurn(userId, post) };
  }

  function postCallback(call: CallbackRequest, method: 'GET' | 'POST' = 'POST'): Promise<CallbackAnswer> {
    if (!callbackUrl) throw new Error('no callback URL is set: call connect(url) first');
    const url = new URL(callbackUrl);
    for (const [name, value] of Object.entries(call.query)) url.searchParams.set(name, value);
    return httpRequest(url, method, method === 'POST' ? call.body : undefined);
  }

  return {
    ...app,
    apiRoot,
    /** What the app sent, in order, and what WeCom dropped for the per-member limits. */
    sent,
    dropped,
    get tokenRequests() {
      return tokenRequests;
    },
    /** Where WeCom posts callbacks (the URL the administrator enters in the admin console). */
    connect(url: string): void {
      callbackUrl = url;
    },
    /** Makes `userId` a member of the enterprise the app can write to. */
    addMember(userId: string): void {
      members.add(userId);
    },
    userSays: (userId: string, text: string) => callback(userId, { MsgType: 'text', Content: text, MsgId: String(nextMsgId++) }),
    /** A picture (or `type`: voice, video, location, link, file), which the bot cannot read. */
    userSendsNonText: (userId: string, type = 'image') => callback(userId, { MsgType: type, PicUrl: 'https://wework.qpic.cn/x', MediaId: 'm1', MsgId: String(nextMsgId++) }),
    userEntersApp: (userId: string) => callback(userId, { MsgType: 'event', Event: 'enter_agent', EventKey: '' }),
    /** An event WeCom reports in a member's name that no person wrote (LOCATION, click, view …). */
    event: (userId: string, event: string) => callback(userId, { MsgType: 'event', Event: event, Latitude: '24.98', Longitude: '113.35', Precision: '30' }),
    /** WeCom's URL verification, as when the administrator saves the callback settings. */
    async verifyUrl(): Promise<CallbackAnswer & { echo: string }> {
      const echo = String(randomBytes(8).readBigUInt64BE());
      const { timestamp, nonce } = stamp();
      const echostr = wecomEncrypt(app.aesKey, echo, app.corpId);
      const query = { msg_signature: wecomSignature(app.token, timestamp, nonce, echostr), timestamp, nonce, echostr };
      return { ...(await postCallback({ query, body: '' }, 'GET')), echo };
    },
    /** Posts any request to the callback URL (forged, stale, oversized …). */
    post: (call: CallbackRequest, method: 'GET' | 'POST' = 'POST') => postCallback(call, method),
    /** Signs and encrypts a callback of any plaintext, at any time. */
    sealed,
    /** Decrypts what WeCom encrypted (to check what it would send). */
    open: (encrypted: string) => wecomDecrypt(app.aesKey, encrypted),
    /** Ends the current tokens early, as WeCom may: the next calls with them answer 42001. */
    endTokens(): void {
      for (const token of tokens.values()) token.ended = true;
    },
    /** Makes the next call of `api` answer `reply` (an errcode and errmsg). */
    failNext(api: Api, reply: { errcode: number; errmsg: string } & Json): void {
      failures.set(api, [...(failures.get(api) ?? []), reply]);
    },
    /** Resolves once `done(sent)` holds, checked on every message sent. */
    waitForSent(done: (all: WecomSent[]) => boolean, timeoutMs = 5000): Promise<WecomSent[]> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(sent)) return;
          cleanup();
          resolve([...sent]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`not sent within ${timeoutMs} ms; sent: ${describe(sent)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close(): Promise<void> {
      await Promise.allSettled([...queues.values()]);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The fake's handle, as `createFakeWecom` returns it. */
export type FakeWecom = Awaited<ReturnType<typeof createFakeWecom>>;

function describe(sent: WecomSent[]): string {
  return JSON.stringify(sent.map((s) => ({ ...s, file: s.file && `${s.file.name} (${s.file.bytes.length} bytes)` }))).slice(0, 3000);
}

function replyJson(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function httpRequest(url: URL, method: string, body: string | undefined): Promise<CallbackAnswer> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) };
    // agent: false: no keep-alive socket outlives a test.
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
