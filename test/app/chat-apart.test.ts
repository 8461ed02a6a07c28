import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import type { Database } from '../../src/db/database.js';
import { FIGURES_2026, NOV_25, type StartedChat, bind, createLogSink, seedFigures, startChat, storedFigure, texts } from '../helpers/chat.js';
import { demoDatabase } from '../helpers/databases.js';

/*
 * On the embedded database a reporter's turn is decided outside any transaction (one statement reads, one
 * writes only if nothing changed meanwhile), so that turns of different people overlap instead of queuing
 * for its one connection. What a turn does must not change: each message handled once, nothing lost when
 * two messages of one person or two people's figures cross, the dialogue's answers and the figures the
 * same as through a transaction. The log says when a turn went through a transaction after all, and why.
 */

const MONITORING = ['industrial_output_value', 'industrial_added_value', 'industrial_investment', 'new_above_scale_firms'];

describe('chat on the embedded database: turns decided outside a transaction', () => {
  let database: Database;
  let deps: AppDeps;
  let chat: StartedChat;
  const log = createLogSink();
  const inTransaction = () => log.lines.filter((line) => line.msg === 'turn handled in a transaction');
  const apart = () => log.lines.filter((line) => line.msg === 'turn decided outside a transaction');

  beforeAll(async () => {
    ({ database, deps } = await demoDatabase(NOV_25));
    await seedFigures(deps, FIGURES_2026);
    for (const key of ['wang', 'zhou', 'li', 'zhang']) await bind(database.prisma, `telegram:${key}`, key);
    await bind(database.prisma, 'wechat:zhang', 'zhang');
    chat = await startChat(database.prisma, { now: () => NOV_25, channels: ['telegram', 'wechat'], logger: log.logger });
    // The process's first turn reads the organisation into memory, in a transaction; the turns below find it there.
    await chat.channel.say('zhou', '你好');
    log.lines.length = 0;
  });
  afterAll(async () => {
    await chat.runtime.stop();
    await database.close();
  });

  const conversationVersion = async (memberKey: string) =>
    (await database.prisma.member.findUniqueOrThrow({ where: { key: memberKey }, include: { conversation: true } })).conversation?.version;

  it('takes a whole report, from a first message to 确认, without a transaction, and stores it as one would', async () => {
    const telegram = chat.channels.get('telegram')!;
    expect(await conversationVersion('li')).toBeUndefined();
    expect(texts(await telegram.say('li', '/report'))[0]).toMatch(/^李股长您好！/);
    expect(texts(await telegram.say('li', '2.3亿'))[0]).toMatch(/^\(2\/2\)/);
    expect(texts(await telegram.say('li', '3家 博昇乐、创睿极光、金丰'))[0]).toMatch(/^请核对 2026年11月 数据/);
    const confirmed = texts(await telegram.say('li', '确认'));
    expect(confirmed[0]).toBe('已提交 2026年11月 数据 2 项。');
    // The closing lines are computed from the figures as they stand with this report's.
    expect(confirmed.join('\n')).toContain('工业技改投资：1–11月累计 2.30 亿元');

    expect(inTransaction()).toEqual([]);
    expect(apart()).toHaveLength(4);
    expect(await conversationVersion('li')).toBe(4);
    expect(await storedFigure(database.prisma, 'tech_upgrade_investment', '2026-11')).toEqual({
      value: '2.3',
      revisions: [{ value: '2.3', channel: 'telegram', note: null, reason: null }],
    });
    expect((await storedFigure(database.prisma, 'clean_production_audits', '2026-11'))?.revisions[0]?.note).toBe('博昇乐、创睿极光、金丰');
    const audit = await database.prisma.auditLog.findMany({ where: { action: 'figures.submit', actor: 'li', subject: '2026-11' } });
    expect(audit).toHaveLength(1);
    // Every reply was written and sent; none is left pending.
    expect(await database.prisma.outboxMessage.count({ where: { chat: 'telegram:li', status: { not: 'sent' } } })).toBe(0);
  });

  it('handles a message delivered twice once, whether the copies come one after the other or at once', async () => {
    const telegram = chat.channels.get('telegram')!;
    const version = await conversationVersion('zhou');
    const first = await telegram.say('zhou', '技改完成率', { messageId: 'telegram:zhou:1' });
    expect(texts(first)).not.toEqual([]);
    expect(await telegram.say('zhou', '技改完成率', { messageId: 'telegram:zhou:1' })).toEqual([]);
    const replies = telegram.textsTo('zhou').length;
    await Promise.all([
      telegram.say('zhou', '谁还没报', { messageId: 'telegram:zhou:2' }),
      telegram.say('zhou', '谁还没报', { messageId: 'telegram:zhou:2' }),
    ]);
    expect(telegram.textsTo('zhou')).toHaveLength(replies + 1);
    expect(await conversationVersion('zhou')).toBe((version ?? 0) + 2);
  });

  it('takes two messages of one person from two chats at once one after the other: the second sees the first', async () => {
    const [telegram, wechat] = [chat.channels.get('telegram')!, chat.channels.get('wechat')!];
    await telegram.say('zhang', '/report');
    const before = await conversationVersion('zhang');
    const skipped = inTransaction().length;
    // Both read the conversation at the same version; the first to write wins, the other is handled again.
    // Twelve is a plausible answer to each of the section's questions, whichever is taken first (written two
    // ways: the same text twice at once would be one message sent twice, not two answers).
    const [one, two] = await Promise.all([telegram.say('zhang', '12'), wechat.say('zhang', '12个')]);
    expect([...texts(one), ...texts(two)].filter((text) => text.startsWith('(2/3)'))).toHaveLength(1);
    expect([...texts(one), ...texts(two)].filter((text) => text.startsWith('(3/3)'))).toHaveLength(1);
    expect(await conversationVersion('zhang')).toBe(before! + 2);
    expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(['changed meanwhile']);
    await telegram.say('zhang', '取消');
  });

  it('stores a figure once when two people of a section confirm it at once, telling the second what is in', async () => {
    const telegram = chat.channels.get('telegram')!;
    for (const key of ['wang', 'zhou']) {
      await telegram.say(key, '/report');
      for (const answer of ['45', '11', '20', '1']) await telegram.say(key, answer);
    }
    const skipped = inTransaction().length;
    const [wang, zhou] = await Promise.all([telegram.say('wang', '确认'), telegram.say('zhou', '确认')]);
    const replies = [texts(wang).join('\n'), texts(zhou).join('\n')];
    expect(replies.filter((text) => text.startsWith('已提交 2026年11月 数据 4 项。'))).toHaveLength(1);
    expect(replies.filter((text) => text.includes('已由他人报送为'))).toHaveLength(1);
    expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(['changed meanwhile']);
    for (const key of MONITORING) {
      const figure = await storedFigure(database.prisma, key, '2026-11');
      expect(figure?.revisions).toHaveLength(1);
    }
    expect(await database.prisma.auditLog.count({ where: { action: 'figures.submit', subject: '2026-11', actor: { in: ['wang', 'zhou'] } } })).toBe(1);
  });

  it('goes through a transaction for what needs one, saying why: a director’s question, a correction', async () => {
    const telegram = chat.channels.get('telegram')!;
    await bind(database.prisma, 'telegram:director', 'director');
    // The binding changed the organisation: the next turn reads it again.
    const skipped = inTransaction().length;
    expect(texts(await telegram.say('director', '技改完成率'))[0]).toContain('工业技改投资');
    expect(texts(await telegram.say('li', '/report 2026-10'))[0]).not.toBe('');
    expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(expect.arrayContaining(['needs the database']));
  });
});
