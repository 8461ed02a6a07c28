import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { NOV_25, bind, createClock, createLogSink, storedFigure, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * What survives: the dialogue lives in the database, so a new process, another channel, a redelivered
 * message or a failure in the middle neither loses an answer nor applies one twice (docs/product.md,
 * Reporting; docs/architecture.md, The life of one message). Two processes at once are in
 * chat-concurrency.test.ts.
 */

const APOLOGY = '抱歉，处理您的消息时出了点问题，已记录。请稍后再试；您已填写的内容不会丢失。';

/** Makes every write to `table` matching `when` (SQL on NEW) fail, as a full disk would; returns the undo. */
async function failWrites(prisma: Db, table: string, when: string): Promise<() => Promise<void>> {
  const name = `test_fail_${table}`;
  await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'injected failure: no space left on device'; END $$`);
  await prisma.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${name}()`);
  return async () => {
    await prisma.$executeRawUnsafe(`DROP TRIGGER ${name} ON ${table}`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION ${name}()`);
  };
}

async function conversationVersion(prisma: Db, memberKey: string): Promise<number | undefined> {
  const member = await prisma.member.findUniqueOrThrow({ where: { key: memberKey }, include: { conversation: true } });
  return member.conversation?.version;
}

describeEachDatabase('chat: state that survives', (ctx) => {
  const chat = useChat(ctx);

  it('resumes at the same question, earlier answers kept, when a new process starts on the same database', async () => {
    const first = await chat.start();
    await first.channel.say('zhang', '/report');
    expect(texts(await first.channel.say('zhang', '12个'))).toEqual(['(2/3) 4G基站改造 11月新增（个）？']);
    await first.runtime.stop();
    await expect(first.channel.say('zhang', '35个')).rejects.toThrow('not started');

    const second = await chat.start();
    expect(texts(await second.channel.say('zhang', '35个'))).toEqual(['(3/3) 20户以上自然村光网覆盖 1–11月累计（个）？']);
    expect(texts(await second.channel.say('zhang', '98'))[0]).toBe(
      '请核对 2026年11月 数据：\n1. 5G基站建设 12 个\n2. 4G基站改造 35 个\n3. 20户以上自然村光网覆盖 98 个',
    );
    expect(texts(await second.channel.say('zhang', '确认'))[0]).toBe('已提交 2026年11月 数据 3 项。');
    expect(await storedFigure(ctx.db().prisma, 'new_5g_sites', '2026-11')).toMatchObject({ value: '12' });
    // The stopped process sent nothing more after its last reply.
    expect(first.channel.sent).toHaveLength(3);
  });

  it('goes on with a report on WeChat that was begun on Telegram, answering where the member last wrote', async () => {
    await bind(ctx.db().prisma, 'wechat:wxid_chen', 'chen');
    const { channels } = await chat.start({ channels: ['telegram', 'wechat'] });
    const [telegram, wechat] = [channels.get('telegram')!, channels.get('wechat')!];

    expect(texts(await telegram.say('chen', '/report'))[1]).toBe('(1/2) 新增高新技术企业 11月新增（家）？');
    expect(await wechat.say('wxid_chen', '两家')).toEqual([{ chat: 'wechat:wxid_chen', text: '(2/2) 科技型中小企业入库 11月新增（家）？' }]);
    expect(texts(await wechat.say('wxid_chen', '3家'))[0]).toBe('请核对 2026年11月 数据：\n1. 新增高新技术企业 2 家\n2. 科技型中小企业入库 3 家');
    expect(texts(await wechat.say('wxid_chen', '确认'))[0]).toBe('已提交 2026年11月 数据 2 项。');
    expect(telegram.sent).toHaveLength(2);
    expect(await storedFigure(ctx.db().prisma, 'new_high_tech_firms', '2026-11')).toEqual({
      value: '2',
      revisions: [{ value: '2', channel: 'wechat', note: null, reason: null }],
    });
  });

  it('handles a message delivered twice once: one reply, one step of the dialogue, one revision', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    await channel.say('liu', '/report');
    expect(texts(await channel.say('liu', '1家', { messageId: 'telegram:liu:2' }))).toEqual(['(2/2) R&D经费占GDP比重 截至11月（%）？']);
    expect(await channel.say('liu', '1家', { messageId: 'telegram:liu:2' })).toEqual([]);
    expect(texts(await channel.say('liu', '0.55%'))[0]).toContain('1. 新增研发机构 1 家\n2. R&D经费占GDP比重 0.55%');
    expect(texts(await channel.say('liu', '确认', { messageId: 'telegram:liu:4' }))[0]).toBe('已提交 2026年11月 数据 2 项。');
    expect(await channel.say('liu', '确认', { messageId: 'telegram:liu:4' })).toEqual([]);

    expect(await conversationVersion(prisma, 'liu')).toBe(4);
    expect(await storedFigure(prisma, 'rd_share_of_gdp', '2026-11')).toMatchObject({ value: '0.55', revisions: [{ value: '0.55' }] });
  });

  it('sends a reply whose send failed on a later flush, holding the chat’s later replies back until it has gone out', async () => {
    const clock = createClock(NOV_25);
    const { runtime, channel } = await chat.start({ now: clock.now });
    channel.failNextSends(1);

    expect(await channel.say('wang', '/report')).toEqual([]);
    expect(await channel.say('wang', '40.5亿')).toEqual([]);
    const pending = await ctx.db().prisma.outboxMessage.findMany({ where: { chat: 'telegram:wang', status: 'pending' }, orderBy: { id: 'asc' } });
    expect(pending.map((row) => row.lastError)).toEqual(['network down', null, null]);

    clock.advance(60_000);
    await runtime.dispatcher.flush();
    expect(channel.textsTo('wang')).toEqual([
      '王股长您好！请报送 2026年11月 数据（截止 11月30日），共 4 项。直接回复数字即可，可带单位。',
      '(1/4) 规上工业总产值 1–11月累计（亿元）？上月 40.00',
      '(2/4) 规上工业增加值 1–11月累计（亿元）？上月 10.50',
    ]);
    expect(await ctx.db().prisma.outboxMessage.count({ where: { chat: 'telegram:wang', status: { not: 'sent' } } })).toBe(0);
    await channel.say('wang', '取消');
  });

  it('apologises when handling a message fails, logs it with the message, and leaves the dialogue where it was', async () => {
    const { lines, logger } = createLogSink();
    const { channel } = await chat.start({ logger });
    const { prisma } = ctx.db();
    await channel.say('zhao', '/report');
    await channel.say('zhao', '22.5亿');
    expect(texts(await channel.say('zhao', '13.76亿'))[0]).toBe('请核对 2026年11月 数据：\n1. 企业授信 22.50 亿元\n2. 贷款发放 13.76 亿元');

    const repair = await failWrites(prisma, 'audit_log', "NEW.actor = 'zhao'");
    try {
      expect(texts(await channel.say('zhao', '确认', { messageId: 'telegram:zhao:4' }))).toEqual([APOLOGY]);
    } finally {
      await repair();
    }
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'message handling failed', messageId: 'telegram:zhao:4', chat: 'telegram:zhao' }));
    expect(await storedFigure(prisma, 'sme_credit_granted', '2026-11')).toBeUndefined();

    // The summary is still waiting for 确认, and the same 确认 (sent again by the person) now goes through.
    expect(texts(await channel.say('zhao', '确认'))[0]).toBe('已提交 2026年11月 数据 2 项。');
    expect(await storedFigure(prisma, 'sme_credit_granted', '2026-11')).toMatchObject({ value: '22.5', revisions: [{}] });
  });

  it('apologises in the member’s own language', async () => {
    const { channel } = await chat.start();
    const { prisma } = ctx.db();
    const huang = await prisma.member.findUniqueOrThrow({ where: { key: 'huang' } });
    const repair = await failWrites(prisma, 'conversation', `NEW.member_id = ${huang.id}`);
    try {
      expect(texts(await channel.say('huang', 'help'))).toEqual([
        'Sorry, something went wrong with your message; it has been logged. Please try again shortly — nothing you entered is lost.',
      ]);
    } finally {
      await repair();
    }
    expect(texts(await channel.say('huang', 'help'))[0]).toMatch(/^Hello/);
  });
});
