import { expect, it } from 'vitest';
import { texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * Which firms a count is (新增规上企业是哪几家) and who reported a figure (技改是谁报的): the indicator's figures
 * of the year month by month, each with its reporter and the note typed with it. The suite's figures of
 * September and October 2026 came in by import; 王明 reports November's in chat.
 */
describeEachDatabase('chat: which firms, who reported', (ctx) => {
  const chat = useChat(ctx);

  it('lists the year month by month with who reported each figure and its note', async () => {
    const { channel } = await chat.start();
    await channel.say('wang', '新增规上企业 本月新增3家 博昇乐、创睿极光、金丰');
    await channel.say('wang', '确认');
    expect(texts(await channel.say('director', '新增规上企业是哪几家'))).toEqual([
      [
        '新增规上企业（运行监测股）2026年各月报送情况：',
        '· 9月：新增 1 家（批量导入）',
        '· 10月：新增 2 家（批量导入）',
        '· 11月：新增 3 家（王明）备注：博昇乐、创睿极光、金丰',
      ].join('\n'),
    ]);
    // A month named: that month's alone; a month without a figure says so.
    expect(texts(await channel.say('director', '11月新增规上企业名单'))).toEqual([
      ['新增规上企业（运行监测股）2026年11月报送情况：', '· 11月：新增 3 家（王明）备注：博昇乐、创睿极光、金丰'].join('\n'),
    ]);
    expect(texts(await channel.say('director', '8月新增规上企业名单'))).toEqual(['新增规上企业2026年8月还没有报送数据。']);
  });

  it('shows a section member only their own section', async () => {
    const { channel } = await chat.start();
    expect(texts(await channel.say('li', '新增规上企业是哪几家'))[0]).toMatch(/只能查看/);
  });
});
