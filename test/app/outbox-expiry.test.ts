import { expect, it } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.js';
import { enqueueMessages } from '../../src/app/outbox.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createMemoryChannel } from '../helpers/memory-channel.js';

describeEachDatabase('a reminder that could not go out in time', (ctx) => {
  it('is dropped as expired once its step is over, never sent late; a reply without expiry still goes', async () => {
    const prisma = ctx.db().prisma;
    let time = new Date('2026-11-27T01:00:00Z').getTime();
    const now = () => new Date(time);
    const ids = await prisma.$transaction((tx) =>
      enqueueMessages(
        tx,
        [
          {
            channel: 'wechat',
            chat: 'wechat:wang',
            kind: 'reminder.before_deadline',
            dedupeKey: 'reminder:2026-11:before-1:wang:expiry-test',
            text: '提醒：2026年11月 数据将于 11月30日 截止',
            expiresAt: new Date('2026-11-30T01:00:00Z'),
          },
          { channel: 'wechat', chat: 'wechat:zhou', kind: 'reply', text: '好的' },
        ],
        now(),
      ),
    );
    const channel = createMemoryChannel('wechat');
    // The account is logged out all weekend: every send fails, as a transient error.
    channel.failNextSends(2);
    const dispatcher = createDispatcher({ prisma, adapters: new Map([['wechat', channel]]), now });
    await dispatcher.flush(ids);
    expect(channel.sent).toEqual([]);

    time = new Date('2026-11-30T02:00:00Z').getTime(); // back on Monday, after the reminder's step
    await dispatcher.flush();
    expect(channel.sent.map((message) => message.chat)).toEqual(['wechat:zhou']);
    const reminder = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(reminder.status).toBe('expired');
  });
});
