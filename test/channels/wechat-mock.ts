/*
 * A WeChat world on wechaty-puppet-mock: the bot's own account, people who write to it privately or in
 * groups, and what each of them receives. The adapter under test runs real wechaty on `puppet`.
 */
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { type Collector, createCollector } from './collector.js';
import type { Received } from './contract.js';

type ContactMock = mock.ContactMock;
type RoomMock = mock.RoomMock;
type MessageMock = mock.MessageMock;

export interface MockPerson {
  contact: ContactMock;
  /** The person's identity and private chat as the adapter names them. */
  identity: string;
  /** What the bot sent to the private chat with this person. */
  inbox: Collector<Received>;
  /** Writes to the bot privately; returns the message id (for a redelivery). */
  says(text: string): string;
  /** Writes in `group`; with `mention`, @-mentions the bot as a phone does (name, then U+2005). */
  saysIn(group: MockGroup, text: string, options?: { mention?: boolean }): string;
}

export interface MockGroup {
  room: RoomMock;
  chat: string;
  /** What the bot sent to the group. */
  inbox: Collector<Received>;
}

export interface MockWechat {
  puppet: PuppetMock;
  mocker: mock.Mocker;
  /** The bot's own account. */
  account: ContactMock;
  /** The account logs in (as after a scan); wechaty's login event follows on a later tick. */
  login(): void;
  logout(reason?: string): Promise<void>;
  person(name: string): MockPerson;
  group(topic: string, members: MockPerson[]): MockGroup;
  /** The puppet announces an earlier message again, as after a reconnect. */
  redeliver(messageId: string): void;
  /** The puppet shows a login QR code. */
  scan(qrcode: string): void;
}

/** A new mock WeChat whose bot account is called `botName` (`channel` prefixes the identities). */
export function createMockWechat(options: { botName?: string; channel?: string } = {}): MockWechat {
  const channel = options.channel ?? 'wechat';
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const botName = options.botName ?? '报数助手';
  const account = mocker.createContact({ name: botName });

  /** Records, in order, what the bot sends where `emitter` hears it (a person's private chat, a room). */
  function inboxOn(emitter: ContactMock | RoomMock, inRoom: boolean): Collector<Received> {
    const inbox = createCollector<Received>('messages from the bot');
    let order: Promise<void> = Promise.resolve();
    const listener = (message: MessageMock) => {
      // A person hears their own messages too; a private chat's listener also hears the room's.
      if (message.talker().id !== account.id || (message.room() !== undefined) !== inRoom) return;
      const reading = read(message);
      order = order.then(async () => inbox.push(await reading));
    };
    (emitter as unknown as { on(event: 'message', listener: (message: MessageMock) => void): void }).on('message', listener);
    return inbox;
  }

  async function read(message: MessageMock): Promise<Received> {
    const text = message.text();
    if (text !== undefined) return { text };
    const box = await puppet.messageFile(message.id);
    return { file: { name: box.name, content: await box.toBuffer() } };
  }

  const lastMessageId = () => [...mocker.cacheMessagePayload.keys()].at(-1) ?? '';

  return {
    puppet,
    mocker,
    account,
    login: () => mocker.login(account),
    logout: (reason = 'test') => puppet.logout(reason),
    person(name) {
      const contact = mocker.createContact({ name });
      return {
        contact,
        identity: `${channel}:${contact.id}`,
        inbox: inboxOn(contact, false),
        says(text) {
          contact.say(text).to(account);
          return lastMessageId();
        },
        saysIn(group, text, { mention = false } = {}) {
          contact.say(mention ? `@${botName}\u2005${text}` : text, mention ? [account] : []).to(group.room);
          return lastMessageId();
        },
      };
    },
    group(topic, members) {
      const room = mocker.createRoom({ topic, memberIdList: [account.id, ...members.map((m) => m.contact.id)] });
      return { room, chat: `${channel}:room:${room.id}`, inbox: inboxOn(room, true) };
    },
    redeliver: (messageId) => void puppet.emit('message', { messageId }),
    scan: (qrcode) => mocker.scan(qrcode),
  };
}
