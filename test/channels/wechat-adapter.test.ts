/*
 * What the WeChat adapter does beyond the channel contract: login by QR code, logouts and puppet restarts,
 * refusals the outbox must tell apart, pacing, shutdown. Real wechaty on wechaty-puppet-mock.
 */
import { FileBox } from 'file-box';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { types } from 'wechaty';
import { ChannelError } from '../../src/app/channel-errors.js';
import type { IncomingMessage } from '../../src/app/port.js';
import { renderQrcodeForTerminal } from '../../src/channels/wechat/login-qrcode.js';
import { UNKNOWN_CHAT_ATTEMPTS, type WechatAdapter, createWechatAdapter } from '../../src/channels/wechat/wechat-adapter.js';
import { createLogSink } from '../helpers/chat.js';
import { type Collector, createCollector } from './collector.js';
import { type MockWechat, createMockWechat } from './wechat-mock.js';

const LOGIN_QRCODE = 'https://login.weixin.qq.com/l/4bCdE_fG-h==';

/** Resolves with the error `promise` rejects with; fails when it resolves. */
async function refusal(promise: Promise<unknown>): Promise<ChannelError> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  expect(outcome).toBeInstanceOf(ChannelError);
  return outcome as ChannelError;
}

function openHandles(): number {
  const kinds = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'];
  return process.getActiveResourcesInfo().filter((resource) => kinds.includes(resource)).length;
}

// First in the file, so that no earlier test's timers are still running when the baseline is counted.
describe('the WeChat adapter, starting and stopping', () => {
  it('stops promptly and leaves no timers or sockets behind', async () => {
    const before = openHandles();
    const wechat = createMockWechat();
    const adapter = createWechatAdapter({ puppet: wechat.puppet, showQrcode: () => {} });
    const inbox = createCollector<IncomingMessage>();
    await adapter.start(async (message) => inbox.push(message));
    wechat.login();
    wechat.person('王明').says('你好');
    await inbox.waitFor(1);
    const started = performance.now();
    await adapter.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    // wechaty runs its stop callbacks on setImmediate: let them run before counting.
    for (let turn = 0; turn < 100 && openHandles() > before; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(openHandles()).toBe(before);
  });

  it('loads a puppet by its npm name, as WECHATY_PUPPET names it', async () => {
    const adapter = createWechatAdapter({ puppet: 'wechaty-puppet-mock', showQrcode: () => {} });
    await adapter.start(async () => {});
    expect(adapter.canSend()).toBe(false);
    await adapter.stop();
  });

  it('says which puppet could not be loaded', async () => {
    const adapter = createWechatAdapter({ puppet: 'wechaty-puppet-not-installed', showQrcode: () => {} });
    await expect(adapter.start(async () => {})).rejects.toThrow(/cannot load the WeChat puppet wechaty-puppet-not-installed/);
    await adapter.stop();
  });
});

describe('the WeChat adapter', () => {
  let wechat: MockWechat;
  let adapter: WechatAdapter;
  let inbox: Collector<IncomingMessage>;
  let log: ReturnType<typeof createLogSink>;
  let shown: string[];

  beforeEach(async () => {
    wechat = createMockWechat();
    log = createLogSink();
    shown = [];
    adapter = createWechatAdapter({ puppet: wechat.puppet, logger: log.logger, showQrcode: (qrcode) => void shown.push(qrcode) });
    inbox = createCollector<IncomingMessage>('messages handed over');
    await adapter.start(async (message) => inbox.push(message));
  });

  afterEach(async () => {
    await adapter.stop();
  });

  const logged = (msg: string) => log.lines.filter((line) => line.msg === msg);
  const waitForLog = (msg: string) => vi.waitFor(() => expect(logged(msg).map((line) => line.msg)).toContain(msg), { timeout: 2000 });

  it('shows the login QR code to the operator and logs its URL until the account is logged in', async () => {
    wechat.scan(LOGIN_QRCODE);
    await waitForLog('scan the QR code with the WeChat account to log in');
    const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(LOGIN_QRCODE)}`;
    expect(shown).toEqual([LOGIN_QRCODE]);
    expect(logged('scan the QR code with the WeChat account to log in')[0]).toMatchObject({ url, status: 'Waiting' });
    expect(adapter.qrcodeUrl()).toBe(url);

    wechat.login();
    await waitForLog('wechat logged in');
    expect(logged('wechat logged in')[0]).toMatchObject({ user: '报数助手', id: wechat.account.id });
    expect(adapter.qrcodeUrl()).toBeUndefined();
    expect(adapter.canSend()).toBe(true);
  });

  it('draws a login QR code with block characters for the terminal', async () => {
    const art = await renderQrcodeForTerminal(LOGIN_QRCODE);
    expect(art?.split('\n').length).toBeGreaterThan(10);
    expect(art).toMatch(/[▀▄█]/);
  });

  it('logs a logout, and refuses sends while logged out with an error the outbox retries', async () => {
    const wang = wechat.person('王明');
    expect((await refusal(adapter.sendText(wang.identity, '提醒'))).permanent).toBe(false);

    wechat.login();
    await adapter.sendText(wang.identity, '第一条');
    await wechat.logout('kicked out by the phone');
    await waitForLog('wechat logged out; replies wait in the outbox until it logs in again');
    expect(logged('wechat logged out; replies wait in the outbox until it logs in again')[0]).toMatchObject({ reason: 'kicked out by the phone' });
    const whileOut = await refusal(adapter.sendFile!(wang.identity, { name: 'a.xlsx', content: Buffer.from('x') }));
    expect(whileOut.permanent).toBe(false);

    wechat.login();
    await adapter.sendText(wang.identity, '第二条');
    expect(await wang.inbox.waitFor(2)).toEqual([{ text: '第一条' }, { text: '第二条' }]);
  });

  it('retries a contact or group this account does not know a bounded number of times, and gives up at once on chats of other channels', async () => {
    wechat.login();
    const outcomes = await Promise.all([
      refusal(adapter.sendText('wechat:wxid_nobody', '您好')),
      refusal(adapter.sendText('wechat:room:nowhere@chatroom', '您好')),
      refusal(adapter.sendText('telegram:880001', '您好')),
    ]);
    // wechaty cannot tell an unknown id from a lookup that failed on the way: not permanent, but bounded.
    expect(outcomes.map((error) => [error.permanent, error.giveUpAfter])).toEqual([
      [false, UNKNOWN_CHAT_ATTEMPTS],
      [false, UNKNOWN_CHAT_ATTEMPTS],
      [true, undefined],
    ]);
    expect(outcomes[0]?.message).toContain('does not know wechat:wxid_nobody');
  });

  it('hands over text only: pictures, files and official accounts are not for the bot', async () => {
    wechat.login();
    const wang = wechat.person('王明');
    const newsletter = wechat.mocker.createContact({ name: '乐昌发布', type: types.Contact.Official });
    wang.contact.say(FileBox.fromBase64(Buffer.from('jpeg').toString('base64'), '报表.jpg')).to(wechat.account);
    newsletter.say('今日要闻').to(wechat.account);
    wang.says('工业投资 19.6亿');
    await inbox.waitFor(1);
    wang.says('确认');
    const messages = await inbox.waitFor(2);
    expect(messages.map((message) => message.text)).toEqual(['工业投资 19.6亿', '确认']);
    expect(messages[0]).toMatchObject({ from: wang.identity, displayName: '王明' });
  });

  it("keeps other people's @-mentions when it strips its own", async () => {
    wechat.login();
    const wang = wechat.person('王明');
    const group = wechat.group('报数群', [wang]);
    wang.saysIn(group, '@李华\u2005的数据报了吗', { mention: true });
    const [message] = await inbox.waitFor(1);
    expect(message).toMatchObject({ text: '@李华 的数据报了吗', mentioned: true, chat: group.chat });
  });

  it('does not let a message it cannot read hold back the ones after it', async () => {
    wechat.login();
    wechat.redeliver('a-message-the-puppet-never-had');
    wechat.person('王明').says('你好');
    expect((await inbox.waitFor(1)).map((message) => message.text)).toEqual(['你好']);
  });

  it('leaves at least minSendIntervalMs between two messages of the account, whatever the chat', async () => {
    await adapter.stop();
    const world = createMockWechat();
    adapter = createWechatAdapter({ puppet: world.puppet, minSendIntervalMs: 150, showQrcode: () => {} });
    await adapter.start(async () => {});
    world.login();
    const [wang, li] = [world.person('王明'), world.person('李华')];
    // The mock puppet delivers as it sends, so a send's return is its arrival.
    const arrivals: number[] = [];
    for (const [person, text] of [[wang, '1'], [li, '2'], [wang, '3']] as const) {
      await adapter.sendText(person.identity, text);
      arrivals.push(performance.now());
    }
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    expect(gaps).toHaveLength(2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(140);
  });
});
