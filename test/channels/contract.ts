/*
 * The one contract every chat channel adapter keeps, whatever the platform: run by contract.test.ts
 * against Telegram (real telegraf, fake Bot API), WeChat (real wechaty, wechaty-puppet-mock) and WeCom
 * (the real callback and API client, a fake WeCom server).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, IncomingMessage } from '../../src/app/port.js';
import { type Collector, createCollector } from './collector.js';

/** What a person or a group saw the bot send: a text, or a file (with its caption, where the platform has one). */
export interface Received {
  text?: string;
  file?: { name: string; content: Buffer };
}

/** A message a person sent, which the platform can deliver again. */
export interface Delivery {
  redeliver(): void;
}

/** A person on the platform, writing to the bot the platform's way. */
export interface ContractUser {
  says(text: string): Delivery;
  /** Writes in the harness's one group; `mention` addresses the bot as the platform does. (Platforms with groups.) */
  saysInGroup?(text: string, options: { mention: boolean }): Delivery;
  /** Everything the bot sent to this person's private chat, once `done` holds for it. */
  receivedUntil(done: (items: Received[]) => boolean): Promise<Received[]>;
}

/** A started platform around one adapter; made fresh for every test. */
export interface ChannelHarness {
  adapter: ChannelAdapter;
  /** Whatever the platform needs after `adapter.start` before people can write (a login). */
  ready?(): Promise<void>;
  /** A new person, distinct from every other. */
  user(name: string): ContractUser;
  /** Everything the bot sent to the group, once `done` holds for it. (Platforms with groups.) */
  groupReceivedUntil?(done: (items: Received[]) => boolean): Promise<Received[]>;
  /** The platform delivers, in `user`'s private chat, a message the bot's own account sent. */
  echoOwnMessage(user: ContractUser, text: string): void;
  teardown(): Promise<void>;
}

/** What sets a platform apart, where the contract allows it. */
export interface ContractOptions {
  /** The bot sits in group chats (true unless said: a WeCom self-built app only ever talks with one member). */
  groups?: boolean;
  /**
   * The adapter itself knows a redelivery (WeCom's retry of a callback, by MsgId) and does not hand it
   * over again; otherwise it hands it over with the same messageId and the core answers it once.
   */
  dropsRedeliveries?: boolean;
}

const hasText = (text: string) => (items: Received[]) => items.some((item) => item.text === text);

/** Registers the contract's tests for one channel; `makeHarness` builds a fresh platform per test. */
export function runChannelContract(name: string, makeHarness: () => Promise<ChannelHarness>, options: ContractOptions = {}): void {
  describe(`the ${name} channel adapter keeps the channel contract`, () => {
    let harness: ChannelHarness;
    let inbox: Collector<IncomingMessage>;
    /** What the handler does with each message before it counts as received (a test may slow it down). */
    let behaviour: (message: IncomingMessage) => Promise<void>;

    beforeEach(async () => {
      harness = await makeHarness();
      inbox = createCollector<IncomingMessage>('messages handed over');
      behaviour = async () => {};
      await harness.adapter.start(async (message) => {
        await behaviour(message);
        inbox.push(message);
      });
      await harness.ready?.();
    });

    afterEach(async () => {
      await harness.adapter.stop();
      await harness.teardown();
    });

    it('names the sender so that a reply to them reaches them, and only them', async () => {
      const [wang, li] = [harness.user('王明'), harness.user('李华')];
      wang.says('你好');
      li.says('你好');
      const [fromWang, fromLi] = await inbox.waitFor(2);
      expect(fromWang).toMatchObject({ channel: harness.adapter.name, text: '你好', isGroup: false, mentioned: false });
      expect(fromWang?.from.startsWith(`${harness.adapter.name}:`)).toBe(true);
      expect(fromWang?.chat).toBe(fromWang?.from);
      expect(fromLi?.from).not.toBe(fromWang?.from);

      await harness.adapter.sendText(fromWang!.from, '王股长您好');
      await harness.adapter.sendText(fromLi!.from, '李股长您好');
      expect(await wang.receivedUntil(hasText('王股长您好'))).toEqual([{ text: '王股长您好' }]);
      expect(await li.receivedUntil(hasText('李股长您好'))).toEqual([{ text: '李股长您好' }]);
    });

    it("ignores the messages the bot's own account sends", async () => {
      const wang = harness.user('王明');
      harness.echoOwnMessage(wang, '这是报数助手自己发出的消息');
      wang.says('第一条');
      await inbox.waitFor(1);
      // Anything handed over for the echo would have come before this, the platform's next message.
      wang.says('第二条');
      await inbox.waitFor(2);
      expect(inbox.items.map((message) => message.text)).toEqual(['第一条', '第二条']);
    });

    it('carries Chinese text in and out unchanged', async () => {
      const wang = harness.user('王明');
      const said = '工业投资 19.6亿，两千三百万；备注：博昇乐、创睿极光';
      wang.says(said);
      const [message] = await inbox.waitFor(1);
      expect(message?.text).toBe(said);
      const reply = '已收到 ✅\n1. 工业投资 19.60 亿元\n2. 规上工业增加值 0.23 亿元（较上月 +9.5%）';
      await harness.adapter.sendText(message!.chat, reply);
      expect(await wang.receivedUntil(hasText(reply))).toEqual([{ text: reply }]);
    });

    it('sends a file whose name and bytes arrive intact, with its caption', async () => {
      const wang = harness.user('王明');
      wang.says('/export');
      const [message] = await inbox.waitFor(1);
      const content = Buffer.concat([Buffer.from('PK\x03\x04\r\n'), Buffer.from(Array.from({ length: 256 }, (_, byte) => byte))]);
      const file = { name: '乐昌市工业和信息化局-2020.xlsx', content, caption: '2020年数据（120 条）' };
      expect(harness.adapter.sendFile).toBeDefined();
      await harness.adapter.sendFile!(message!.chat, file);
      const received = await wang.receivedUntil((items) => items.some((item) => item.file) && items.some((item) => item.text === file.caption));
      const sent = received.find((item) => item.file)?.file;
      expect(sent?.name).toBe(file.name);
      expect(sent?.content.equals(content)).toBe(true);
    });

    it('hands one chat its messages over in the order they were written', async () => {
      const events: string[] = [];
      behaviour = async (message) => {
        events.push(`start ${message.text}`);
        // Handlers take uneven time, as database work does: early ones the longest.
        for (let turn = 0; turn < 12 - Number(message.text); turn++) await new Promise((resolve) => setImmediate(resolve));
        events.push(`end ${message.text}`);
      };
      const wang = harness.user('王明');
      const texts = Array.from({ length: 10 }, (_, i) => String(i + 1));
      for (const text of texts) wang.says(text);
      const messages = await inbox.waitFor(10);
      expect(messages.map((message) => message.text).sort()).toEqual([...texts].sort());
      // Handed over in order; the chat runner, not the adapter, then handles them one at a time.
      expect(events.filter((event) => event.startsWith('start'))).toEqual(texts.map((text) => `start ${text}`));
    });

    it('hands a redelivered message over so that it is handled once: again with the same messageId, or not at all', async () => {
      const wang = harness.user('王明');
      const delivery = wang.says('确认');
      await inbox.waitFor(1);
      delivery.redeliver();
      if (options.dropsRedeliveries) {
        // Known to the adapter: not handed over again, and the next message comes as usual.
        wang.says('下一条');
        const [first, next] = await inbox.waitFor(2);
        expect([first?.text, next?.text]).toEqual(['确认', '下一条']);
        expect(next?.messageId).not.toBe(first?.messageId);
        return;
      }
      const [first, second] = await inbox.waitFor(2);
      expect(second?.messageId).toBe(first?.messageId);
      expect(second?.text).toBe('确认');
    });

    it.skipIf(options.groups === false)('flags group messages, marks the ones that @-mention the bot and strips the mention', async () => {
      const wang = harness.user('王明');
      if (!wang.saysInGroup || !harness.groupReceivedUntil) throw new Error('a platform with groups lets people write in them');
      wang.saysInGroup('技改完成率', { mention: true });
      wang.saysInGroup('大家好', { mention: false });
      const [mentioned, chatter] = await inbox.waitFor(2);
      expect([mentioned, chatter].map((m) => [m?.text, m?.isGroup, m?.mentioned])).toEqual([
        ['技改完成率', true, true],
        ['大家好', true, false],
      ]);
      expect(chatter?.chat).toBe(mentioned?.chat);
      expect(mentioned?.chat).not.toBe(mentioned?.from);

      wang.says('私聊');
      const [, , privately] = await inbox.waitFor(3);
      expect(privately?.from).toBe(mentioned?.from);
      await harness.adapter.sendText(mentioned!.chat, '为保护各股室数据，报数和查询请私聊我。');
      await harness.groupReceivedUntil(hasText('为保护各股室数据，报数和查询请私聊我。'));
    });
  });
}
