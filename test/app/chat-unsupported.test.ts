import { expect, it } from 'vitest';
import { translator } from '../../src/core/i18n.js';
import { bind, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What the bot says to something it cannot read (a picture, a voice message, a file: WeCom hands them over
 * as `unsupported`), on the demo bureau at 2026-11-25 10:00.
 */

const t = translator('zh-CN');

describeEachDatabase('chat: messages that are not text', (ctx) => {
  const chat = useChat(ctx);

  it('tells a member it reads text only, and the dialogue waits at the same question', async () => {
    const { channel } = await chat.start({ channels: ['wecom'] });
    await bind(ctx.db().prisma, 'wecom:wang', 'wang');
    expect(texts(await channel.say('wang', '/report')).join('\n')).toContain('(1/4) 规上工业总产值');
    expect(texts(await channel.say('wang', '', { kind: 'unsupported' }))).toEqual([t('chat.text_only')]);
    expect(texts(await channel.say('wang', '41.2亿')).join('\n')).toContain('(2/4) 规上工业增加值');
  });

  it('gives a stranger the same refusal as for text, and answers a redelivered picture once', async () => {
    const { channel } = await chat.start({ channels: ['wecom'] });
    expect(texts(await channel.say('stranger', '', { kind: 'unsupported', messageId: 'wecom:1' }))).toEqual([t('chat.stranger')]);
    expect(await channel.say('stranger', '', { kind: 'unsupported', messageId: 'wecom:1' })).toEqual([]);
  });
});
