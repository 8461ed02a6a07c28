/*
 * The channel contract (contract.ts), run against every adapter on its real client library: telegraf
 * against the fake Bot API on 127.0.0.1, wechaty on wechaty-puppet-mock, and the WeCom adapter on the
 * bot's HTTP server against a fake WeCom on 127.0.0.1.
 */
import type { Update } from 'telegraf/types';
import { createHttpServer } from '../../src/http-server.js';
import { createTelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import { WECOM_CALLBACK_PATH, createWecomAdapter } from '../../src/channels/wecom/wecom-adapter.js';
import { createWechatAdapter } from '../../src/channels/wechat/wechat-adapter.js';
import { createFakeBotApi, type SentCall } from '../helpers/fake-bot-api.js';
import { type WecomSent, createFakeWecom } from '../helpers/fake-wecom.js';
import { type ChannelHarness, type ContractUser, type Received, runChannelContract } from './contract.js';
import { type MockPerson, createMockWechat } from './wechat-mock.js';

runChannelContract('Telegram', async () => {
  const fake = await createFakeBotApi();
  const group = { id: -1001234567890, type: 'supergroup' as const };
  const botUser = { id: fake.botId, is_bot: true, first_name: '报数助手', username: fake.botUsername };
  const ids = new Map<ContractUser, number>();
  let nextUserId = 880_001;
  let nextEchoId = 1_000_000;

  const toReceived = (call: SentCall): Received =>
    call.method === 'sendDocument'
      ? { file: { name: call.document?.filename ?? '', content: call.document?.bytes ?? Buffer.alloc(0) }, text: call.caption }
      : { text: call.text };
  /** What went to `chatId`, once `done` holds for it (the fake wakes the check on every send). */
  const receivedIn = async (chatId: number, done: (items: Received[]) => boolean) => {
    const mine = () => fake.sent.filter((call) => call.chat_id === chatId).map(toReceived);
    await fake.waitForSent(() => done(mine()), 3000);
    return mine();
  };

  const harness: ChannelHarness = {
    adapter: createTelegramAdapter({ token: fake.token, apiRoot: fake.url }),
    user(name) {
      const id = nextUserId++;
      const user: ContractUser = {
        says(text) {
          const update = fake.userSays(id, text, { firstName: name });
          return { redeliver: () => fake.redeliver(update) };
        },
        saysInGroup(text, { mention }) {
          const update = fake.userSays(id, mention ? `@${fake.botUsername} ${text}` : text, { chat: group, firstName: name });
          return { redeliver: () => fake.redeliver(update) };
        },
        receivedUntil: (done) => receivedIn(id, done),
      };
      ids.set(user, id);
      return user;
    },
    groupReceivedUntil: (done) => receivedIn(group.id, done),
    echoOwnMessage(user, text) {
      const chat = { id: ids.get(user) ?? 0, type: 'private', first_name: '王明' };
      const message = { message_id: nextEchoId, from: botUser, chat, date: Math.floor(Date.now() / 1000), text };
      fake.pushUpdate({ update_id: nextEchoId++, message } as Update.MessageUpdate);
    },
    teardown: () => fake.close(),
  };
  return harness;
});

runChannelContract('WeChat', async () => {
  const wechat = createMockWechat();
  const group = wechat.group('报数群', []);
  const people = new Map<ContractUser, MockPerson>();
  const adapter = createWechatAdapter({ puppet: wechat.puppet, showQrcode: () => {} });

  const harness: ChannelHarness = {
    adapter,
    async ready() {
      wechat.login();
      if (!adapter.canSend()) throw new Error('the mock account did not log in');
    },
    user(name) {
      const person = wechat.person(name);
      const user: ContractUser = {
        says(text) {
          const id = person.says(text);
          return { redeliver: () => wechat.redeliver(id) };
        },
        saysInGroup(text, { mention }) {
          const id = person.saysIn(group, text, { mention });
          return { redeliver: () => wechat.redeliver(id) };
        },
        receivedUntil: (done) => person.inbox.waitUntil(done),
      };
      people.set(user, person);
      return user;
    },
    groupReceivedUntil: (done) => group.inbox.waitUntil(done),
    echoOwnMessage(user, text) {
      // What the puppet does for every message the account sends, from this program or from the phone.
      const person = people.get(user);
      if (person) wechat.account.say(text).to(person.contact);
    },
    teardown: async () => {},
  };
  return harness;
});

runChannelContract(
  'WeCom',
  async () => {
    const fake = await createFakeWecom();
    const http = createHttpServer({ port: 0, host: '127.0.0.1' });
    const { corpId, agentId, secret, token, aesKey, apiRoot } = fake;
    const adapter = createWecomAdapter({ corpId, agentId, secret, token, aesKey, apiRoot, routes: http });
    const { port } = await http.listen();
    fake.connect(`http://127.0.0.1:${port}${WECOM_CALLBACK_PATH}`);
    const userIds = new Map<ContractUser, string>();
    let nextUser = 1;

    const toReceived = (message: WecomSent): Received =>
      message.file ? { file: { name: message.file.name, content: message.file.bytes } } : { text: message.content };
    const receivedBy = async (userId: string, done: (items: Received[]) => boolean) => {
      const mine = () => fake.sent.filter((message) => message.touser === userId).map(toReceived);
      await fake.waitForSent(() => done(mine()), 3000);
      return mine();
    };

    const harness: ChannelHarness = {
      adapter,
      user() {
        const userId = `member${nextUser++}`;
        fake.addMember(userId);
        const user: ContractUser = {
          says(text) {
            const delivery = fake.userSays(userId, text);
            return { redeliver: () => void delivery.redeliver() };
          },
          receivedUntil: (done) => receivedBy(userId, done),
        };
        userIds.set(user, userId);
        return user;
      },
      echoOwnMessage(user) {
        // WeCom never calls back with the app's own messages. What it does post in a member's name that no
        // person wrote is an event, such as the location report when the member opens the app.
        void fake.event(userIds.get(user) ?? '', 'LOCATION').answered;
      },
      teardown: async () => {
        await http.close();
        await fake.close();
      },
    };
    return harness;
  },
  { groups: false, dropsRedeliveries: true },
);
