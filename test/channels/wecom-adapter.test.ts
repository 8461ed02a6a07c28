import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHttpServer, createHttpServer } from '../../src/http-server.js';
import { ChannelError, RateLimitError } from '../../src/app/channel-errors.js';
import type { ChannelAdapter, IncomingMessage } from '../../src/app/port.js';
import { WECOM_CALLBACK_PATH, createWecomAdapter } from '../../src/channels/wecom/wecom-adapter.js';
import { createCollector } from './collector.js';
import { createLogSink } from '../helpers/chat.js';
import { type FakeWecom, createFakeWecom } from '../helpers/fake-wecom.js';
import { wecomEncrypt, wecomSignature } from '../helpers/wecom-crypto.js';

/*
 * The WeCom adapter's callback (what is refused, what is handed over, and when WeCom is answered) and
 * its sending (the shared access token, WeCom's error codes, long texts, files), against the fake WeCom.
 */

let fake: FakeWecom;
let http: BotHttpServer;
let adapter: ChannelAdapter;
let sink: ReturnType<typeof createLogSink>;
let inbox: ReturnType<typeof createCollector<IncomingMessage>>;
/** What the handler does before a message counts as handled (a test may make it slow). */
let handling: (message: IncomingMessage) => Promise<void>;
let clock: number;

async function startAdapter(options: { ackWithinMs?: number; expiresInS?: number; shiftedClock?: boolean } = {}) {
  clock = Date.now();
  const now = options.shiftedClock ? () => clock : Date.now;
  fake = await createFakeWecom({ now, expiresInS: options.expiresInS });
  http = createHttpServer({ port: 0, host: '127.0.0.1' });
  sink = createLogSink();
  const { corpId, agentId, secret, token, aesKey, apiRoot } = fake;
  adapter = createWecomAdapter({ corpId, agentId, secret, token, aesKey, apiRoot, routes: http, logger: sink.logger, now, ackWithinMs: options.ackWithinMs });
  inbox = createCollector<IncomingMessage>('messages handed over');
  handling = async () => {};
  await adapter.start(async (message) => {
    await handling(message);
    inbox.push(message);
  });
  const { port } = await http.listen();
  fake.connect(`http://127.0.0.1:${port}${WECOM_CALLBACK_PATH}`);
}

const refusals = () => sink.lines.filter((line) => line.msg === 'wecom callback refused').map((line) => line.reason);

afterEach(async () => {
  await adapter.stop();
  await http.close();
  await fake.close();
});

describe('the WeCom callback', () => {
  beforeEach(() => startAdapter());

  it('answers the URL verification with the decrypted echostr', async () => {
    const answer = await fake.verifyUrl();
    expect(answer).toMatchObject({ status: 200, body: answer.echo });
  });

  it('hands a text over as the member wrote it, with its 64-bit MsgId intact', async () => {
    const delivery = fake.userSays('WangMing', '  工业投资 19.6亿  ');
    expect(await delivery.answered).toEqual({ status: 200, body: '' });
    const [message] = await inbox.waitFor(1);
    expect(message).toMatchObject({ channel: 'wecom', from: 'wecom:WangMing', chat: 'wecom:WangMing', isGroup: false, text: '工业投资 19.6亿' });
    expect(message?.messageId).toMatch(/^wecom:7300000000000000\d{3}$/);
  });

  it('refuses a forged signature, a stale timestamp, an oversized or malformed body and another key, and hands nothing over', async () => {
    const genuine = fake.userSays('WangMing', '确认').request;
    await inbox.waitFor(1);
    const forged = { ...genuine, query: { ...genuine.query, msg_signature: '0'.repeat(40) } };
    const stale = fake.sealed('<xml/>', Math.floor(Date.now() / 1000) - 3600);
    const huge = { query: genuine.query, body: `<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>` };
    const notXml = fake.sealed('this is not xml');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const otherKey = wecomEncrypt('A'.repeat(43), '<xml/>', fake.corpId);
    const signedOtherKey = {
      query: { msg_signature: wecomSignature(fake.token, timestamp, '1', otherKey), timestamp, nonce: '1' },
      body: `<xml><Encrypt><![CDATA[${otherKey}]]></Encrypt></xml>`,
    };
    const answers = await Promise.all([forged, stale, huge, notXml, signedOtherKey].map((call) => fake.post(call)));
    expect(answers.map((answer) => answer.status)).toEqual([403, 403, 413, 400, 400]);
    expect(await fake.post({ query: {}, body: '' })).toMatchObject({ status: 400 });
    expect(refusals()).toEqual(['bad_signature', 'stale_timestamp', 'too_large', 'malformed', 'cannot_decrypt', 'missing_parameters']);
    expect(inbox.items).toHaveLength(1);
  });

  it('acknowledges a retried or replayed callback without handing it over again', async () => {
    const delivery = fake.userSays('WangMing', '确认');
    await delivery.answered;
    expect(await delivery.redeliver()).toEqual({ status: 200, body: '' });
    expect(await fake.post(delivery.request)).toEqual({ status: 200, body: '' });
    await fake.userSays('WangMing', '下一条').answered;
    expect(inbox.items.map((message) => message.text)).toEqual(['确认', '下一条']);
    expect(sink.lines.filter((line) => line.msg === 'wecom callback received before; acknowledged, not handled again')).toHaveLength(2);
  });

  it('hands over opening the app as a request for help, once a day, a picture as unreadable, and ignores other events', async () => {
    await fake.userEntersApp('WangMing').answered;
    await fake.event('WangMing', 'LOCATION').answered;
    await fake.userSendsNonText('WangMing', 'voice').answered;
    const [entered, voice] = await inbox.waitFor(2);
    expect(entered).toMatchObject({ text: '/help', from: 'wecom:WangMing' });
    expect(entered?.messageId).toMatch(/^wecom:enter_agent:WangMing:\d{4}-\d{2}-\d{2}$/);
    expect(voice).toMatchObject({ text: '', kind: 'unsupported' });
    expect(inbox.items).toHaveLength(2);
  });

  it('ignores a callback for another app of the enterprise', async () => {
    const xml = `<xml><ToUserName><![CDATA[${fake.corpId}]]></ToUserName><FromUserName><![CDATA[WangMing]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId><AgentID>999</AgentID></xml>`;
    expect(await fake.post(fake.sealed(xml))).toEqual({ status: 200, body: '' });
    await fake.userSays('WangMing', '下一条').answered;
    expect(inbox.items.map((message) => message.text)).toEqual(['下一条']);
  });
});

describe('the answer to a WeCom callback', () => {
  it('waits until the message is handled, but no longer than WeCom can wait', async () => {
    await startAdapter({ ackWithinMs: 300 });
    let release = () => {};
    handling = () => new Promise<void>((resolve) => (release = resolve));
    const started = Date.now();
    expect(await fake.userSays('WangMing', '慢').answered).toEqual({ status: 200, body: '' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(inbox.items).toHaveLength(0);
    release();
    await inbox.waitFor(1);
  });
});

describe('sending on WeCom', () => {
  it('shares one access token among concurrent sends, and fetches it again before it expires', async () => {
    await startAdapter({ expiresInS: 7200, shiftedClock: true });
    expect(fake.tokenRequests).toBe(1); // at start, to tell the operator whether the Secret works
    fake.addMember('WangMing');
    await Promise.all(Array.from({ length: 5 }, (_, i) => adapter.sendText('wecom:WangMing', `第${i + 1}条`)));
    expect(fake.tokenRequests).toBe(1);
    clock += (7200 - 299) * 1000; // within five minutes of expiry
    await adapter.sendText('wecom:WangMing', '第6条');
    expect(fake.tokenRequests).toBe(2);
    expect(fake.sent.map((message) => message.content).sort()).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条', '第6条']);
  });

  it('fetches a new token once when WeCom ends it early, and fails the send (to be retried) when that is refused too', async () => {
    await startAdapter();
    fake.addMember('WangMing');
    fake.endTokens();
    await adapter.sendText('wecom:WangMing', '你好');
    expect(fake.tokenRequests).toBe(2);
    fake.failNext('message/send', { errcode: 42001, errmsg: 'access_token expired' });
    fake.failNext('message/send', { errcode: 42001, errmsg: 'access_token expired' });
    const error = await adapter.sendText('wecom:WangMing', '再见').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ permanent: false });
    expect(fake.sent.map((message) => message.content)).toEqual(['你好']);
  });

  it("maps WeCom's error codes onto retry, wait and give up", async () => {
    await startAdapter();
    fake.addMember('WangMing');
    const outcome = async (errcode: number) => {
      fake.failNext('message/send', { errcode, errmsg: `error ${errcode}` });
      const error = await adapter.sendText('wecom:WangMing', 'x').catch((err: unknown) => err as ChannelError);
      return error instanceof RateLimitError
        ? `wait ${error.retryAfterMs}`
        : error instanceof ChannelError
          ? error.permanent
            ? 'give up'
            : `retry${error.giveUpAfter ? ` ${error.giveUpAfter} times` : ''}`
          : 'sent';
    };
    expect(await outcome(45009)).toBe('wait 60000');
    expect(await outcome(81013)).toBe('give up');
    expect(await outcome(-1)).toBe('retry');
    expect(await outcome(60020)).toBe('retry');
    expect(await outcome(99999)).toBe('retry 10 times');
    expect(await adapter.sendText('wecom:Stranger', 'x').catch((err: ChannelError) => err.permanent)).toBe(true);
    expect(await adapter.sendText('telegram:1', 'x').catch((err: ChannelError) => err.permanent)).toBe(true);
  });

  it('sends a text longer than 2,048 bytes in parts that each fit, at line breaks', async () => {
    await startAdapter();
    fake.addMember('WangMing');
    const line = '工业投资：1–11月累计 19.60 亿元，完成年度目标 21 亿元的 93.33%，序时进度 91.67%。';
    const text = Array(40).fill(line).join('\n');
    await adapter.sendText('wecom:WangMing', text);
    expect(fake.sent.length).toBeGreaterThan(1);
    expect(fake.sent.every((message) => Buffer.byteLength(message.content ?? '') <= 2048 && !message.cut)).toBe(true);
    expect(fake.sent.map((message) => message.content).join('\n')).toBe(text);
  });

  it('refuses (to be retried later) parts that would go beyond 30 messages a minute to one member, before sending any', async () => {
    await startAdapter();
    fake.addMember('WangMing');
    for (let i = 0; i < 29; i += 1) await adapter.sendText('wecom:WangMing', `${i}`);
    const twoParts = `${'一'.repeat(600)}\n${'二'.repeat(600)}`;
    const error = await adapter.sendText('wecom:WangMing', twoParts).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(55_000);
    await adapter.sendText('wecom:WangMing', 'the 30th');
    expect([fake.sent.length, fake.dropped.length]).toEqual([30, 0]);
  });
});
