import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import type { Database } from '../../src/db/database.js';
import { FIGURES_2026, NOV_25, type StartedChat, bind, createLogSink, seedFigures, startChat, storedFigure, texts } from '../helpers/chat.js';
import { describeEachDatabase, withDemoFigures } from '../helpers/databases.js';

/*
 * A reporter's turn is decided outside any transaction (one statement reads, one writes only if nothing
 * changed meanwhile): on the embedded database, so that turns of different people overlap instead of
 * queuing for its one connection; on a server, so that a turn holds no connection nor lock while it
 * decides. What a turn does must not change: each message handled once, nothing lost when two messages
 * of one person or two people's figures cross (on a server truly at once, in two connections), the
 * dialogue's answers and the figures the same as through a transaction. The log says when a turn went
 * through a transaction after all, and why.
 */

const MONITORING = ['industrial_output_value', 'industrial_added_value', 'industrial_investment', 'new_above_scale_firms'];

describeEachDatabase('chat: turns decided outside a transaction', (ctx) => {
  let database: Database;
  let deps: AppDeps;
  let chat: StartedChat;
  const log = createLogSink();
  const inTransaction = () => log.lines.filter((line) => line.msg === 'turn handled in a transaction');
  const apart = () => log.lines.filter((line) => line.msg === 'turn decided outside a transaction');
  const decidedAgain = () => log.lines.filter((line) => line.msg === 'held conversation out of date; turn decided again');

  beforeAll(async () => {
    database = ctx.db();
    deps = ctx.deps(NOV_25);
    await withDemoFigures(deps);
    await seedFigures(deps, FIGURES_2026);
    for (const key of ['wang', 'zhou', 'li', 'zhang', 'liu', 'huang']) await bind(database.prisma, `telegram:${key}`, key);
    await bind(database.prisma, 'wechat:zhang', 'zhang');
    chat = await startChat(database.prisma, { now: () => NOV_25, channels: ['telegram', 'wechat'], logger: log.logger });
    // The process's first turn reads the organisation into memory, in a transaction; the turns below find it there.
    await chat.channel.say('zhou', '你好');
    log.lines.length = 0;
  });
  afterAll(async () => {
    await chat.runtime.stop();
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
    // The first turn reads the conversation; the others decide from it as the turn before left it, held.
    expect(apart().map((line) => line.held)).toEqual([false, true, true, true]);
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

  for (const held of [true, false]) {
    it(`takes two messages of one person from two chats at once one after the other: the second sees the first (${held ? 'the conversation held from the last turn' : 'read'})`, async () => {
      const [telegram, wechat] = [chat.channels.get('telegram')!, chat.channels.get('wechat')!];
      await telegram.say('zhang', '/report');
      // A question in the middle of the report needs the database: its turn goes through a transaction,
      // after which the process no longer holds the conversation, and the next turns read it.
      if (!held) expect(texts(await telegram.say('zhang', '谁还没报'))[0]).not.toBe('');
      const before = await conversationVersion('zhang');
      const [skipped, skippedAgain] = [inTransaction().length, decidedAgain().length];
      // Both decide from the conversation at the same version; the first to write wins, the other is decided
      // again (held) or handled in a transaction (read), seeing the first. Twelve is a plausible answer to each
      // of the section's questions, whichever is taken first (written two ways: the same text twice at once
      // would be one message sent twice, not two answers).
      const [one, two] = await Promise.all([telegram.say('zhang', '12'), wechat.say('zhang', '12个')]);
      expect([...texts(one), ...texts(two)].filter((text) => text.startsWith('(2/3)'))).toHaveLength(1);
      expect([...texts(one), ...texts(two)].filter((text) => text.startsWith('(3/3)'))).toHaveLength(1);
      expect(await conversationVersion('zhang')).toBe(before! + 2);
      expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(held ? [] : ['changed meanwhile']);
      expect(decidedAgain().slice(skippedAgain)).toHaveLength(held ? 1 : 0);
      await telegram.say('zhang', '取消');
    });
  }

  it('decides again when a figure the held conversation read was changed by someone else meanwhile', async () => {
    const telegram = chat.channels.get('telegram')!;
    const october = async (value: string) => {
      const { id } = await database.prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_output_value' } });
      await database.prisma.submission.update({ where: { indicatorId_year_month: { indicatorId: id, year: 2026, month: 10 } }, data: { value } });
    };
    expect(texts(await telegram.say('wang', '/report')).join('\n')).toContain('上月 40.00');
    const skippedAgain = decidedAgain().length;
    // Another process corrects October's output value above the answer to come: the answer is then a fall.
    await october('46');
    try {
      expect(texts(await telegram.say('wang', '45'))[0]).toContain('46');
      expect(decidedAgain().slice(skippedAgain)).toHaveLength(1);
    } finally {
      await october('40');
      await telegram.say('wang', '取消');
    }
  });

  for (const held of [true, false]) {
    it.runIf(ctx.kind === 'postgres')(
      `on a server, decides a turn again when another one holding the conversation commits while its write waits (${held ? 'held' : 'read'})`,
      async () => {
        const telegram = chat.channels.get('telegram')!;
        await telegram.say('zhang', '/report');
        if (!held) await telegram.say('zhang', '谁还没报');
        const before = (await conversationVersion('zhang'))!;
        const { id } = await database.prisma.member.findUniqueOrThrow({ where: { key: 'zhang' } });
        const [skipped, skippedAgain] = [inTransaction().length, decidedAgain().length];
        const asked = () => telegram.textsTo('zhang').filter((text) => text.startsWith('(2/3)')).length;
        const askedBefore = asked();
        // Another process's turn of the same member, under way: it holds the conversation's row until it commits.
        const other = new pg.Client({ connectionString: ctx.url() });
        await other.connect();
        try {
          await other.query('BEGIN');
          await other.query('UPDATE conversation SET version = version + 1 WHERE member_id = $1', [id]);
          const answered = telegram.say('zhang', '12');
          // The turn has read and decided; its write waits for the row.
          for (let waited = 0; ; waited += 1) {
            const { rows } = await other.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            if (rows[0]!.n > 0) break;
            if (waited > 500) throw new Error('the turn never waited for the conversation');
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          await other.query('COMMIT');
          expect(texts(await answered)[0]).toMatch(/^\(2\/3\)/);
        } finally {
          await other.end();
        }
        // The other's turn is kept, and this one counted after it, written once: decided again on the conversation
        // read now (held), or by a transaction that saw it (read).
        expect(await conversationVersion('zhang')).toBe(before + 2);
        expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(held ? [] : ['changed meanwhile']);
        expect(decidedAgain().slice(skippedAgain)).toHaveLength(held ? 1 : 0);
        expect(asked()).toBe(askedBefore + 1);
        await telegram.say('zhang', '取消');
      },
    );
  }

  // Two sections of two reporters each: the figures of one month can be confirmed at once only once.
  const crossings = [
    { held: true, people: ['liu', 'huang'], answers: ['1', '0.6'], keys: ['new_rd_institutions', 'rd_share_of_gdp'] },
    { held: false, people: ['wang', 'zhou'], answers: ['45', '11', '20', '1'], keys: MONITORING },
  ];
  for (const { held, people, answers, keys } of crossings) {
    it(`stores a figure once when two people of a section confirm it at once, telling the second what is in (${held ? 'held' : 'read'})`, async () => {
      const telegram = chat.channels.get('telegram')!;
      for (const key of people) {
        await telegram.say(key, '/report');
        for (const answer of answers) await telegram.say(key, answer);
        // A turn through a transaction: the process no longer holds the conversation (see above).
        if (!held) await telegram.say(key, '谁还没报');
      }
      const [skipped, skippedAgain] = [inTransaction().length, decidedAgain().length];
      const replies = (await Promise.all(people.map((key) => telegram.say(key, '确认')))).map((sent) => texts(sent).join('\n'));
      expect(replies.filter((text) => /^(已提交 2026年11月 数据|Submitted)/.test(text))).toHaveLength(1);
      expect(replies.filter((text) => /已由他人报送为|reported meanwhile as/.test(text))).toHaveLength(1);
      expect(inTransaction().slice(skipped).map((line) => line.reason)).toEqual(held ? [] : ['changed meanwhile']);
      expect(decidedAgain().slice(skippedAgain)).toHaveLength(held ? 1 : 0);
      for (const key of keys) {
        const figure = await storedFigure(database.prisma, key, '2026-11');
        expect(figure?.revisions).toHaveLength(1);
      }
      expect(await database.prisma.auditLog.count({ where: { action: 'figures.submit', subject: '2026-11', actor: { in: people } } })).toBe(1);
    });
  }

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
