import { expect, it } from 'vitest';
import { texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * A section head whose month is all in, with the month before still missing a figure past its deadline:
 * `/report` names that month and how to file it, as the reminders and the directors' 谁还没报 chase it.
 * 李华 owns 工业技改投资 (October filed) and 清洁生产审核企业 (October not).
 */
describeEachDatabase('chat: a month before still missing figures', (ctx) => {
  const chat = useChat(ctx);

  it('is named, with /report of that month, once this month is all reported', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('li', text));
    await say('/report');
    await say('2.3亿');
    await say('5家');
    expect((await say('确认'))[0]).toBe('已提交 2026年11月 数据 2 项。');
    expect(await say('/report')).toEqual([
      '2026年11月 的 2 项数据都已报送，谢谢！2026年10月 还有 1 项没有报送（截止 10月30日，已逾期），发送 /report 2026-10 补报。如需更正，请发送 /report 2026-11。',
    ]);
    // Filed late, the reminder is gone.
    await say('/report 2026-10');
    await say('1家');
    await say('确认');
    expect(await say('/report')).toEqual(['2026年11月 的 2 项数据都已报送，谢谢！如需更正，请发送 /report 2026-11。']);
  });

  it('opens the month\'s correction when told so in words (更正, 技改11月数据报错了), once the month is all in', async () => {
    const { channel } = await chat.start();
    const say = async (text: string) => texts(await channel.say('li', text));
    for (const words of ['更正', '技改11月数据报错了，应该是2.75亿']) {
      const [opening, question] = await say(words);
      expect(opening, words).toMatch(/^李股长您好！现在更正 2026年11月 数据/);
      expect(question, words).toMatch(/^\(1\/2\) 工业技改投资 .*当前 2\.30/);
      await say('取消');
    }
  });
});
