import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database, Db } from '../../src/db/database.js';
import { type StartedChat, bind, startChat, texts } from '../helpers/chat.js';
import { withDemoOrganisation } from '../helpers/databases.js';
import type { MemoryChannel } from '../helpers/memory-channel.js';
import { describeOnPostgres } from '../helpers/postgres.js';

/*
 * Several processes behind a load balancer (Telegram webhook mode) on one PostgreSQL database: two chat
 * runtimes, each with its own connection pool, get one member's messages alternately and at once. The
 * conversation's row lock must make them take turns: no answer lost, none applied twice, never two
 * messages of one dialogue interleaved. No 2026 figures are stored, so every answer below is plausible
 * for every question, whichever order the two processes take them in.
 */

const NOW = new Date('2026-11-25T02:00:00Z');
const REPORTERS = ['wang', 'zhou', 'li', 'zhang', 'chen', 'liu', 'zhao'];

/** The figures of a section for 2026-11 (values as stored), sorted. */
async function storedValues(prisma: Db, sectionKey: string): Promise<string[]> {
  const rows = await prisma.submission.findMany({ where: { year: 2026, month: 11, indicator: { section: { key: sectionKey } } } });
  return rows.map((row) => row.value.toString()).sort();
}

async function conversationVersion(prisma: Db, memberKey: string): Promise<number | undefined> {
  return (await prisma.member.findUniqueOrThrow({ where: { key: memberKey }, include: { conversation: true } })).conversation?.version;
}

/** Every text the member received, on whichever process's channel (by process, not in time order). */
function received(channels: MemoryChannel[], memberKey: string): string[] {
  return channels.flatMap((channel) => channel.textsTo(memberKey));
}

describeOnPostgres('chat: two processes on one database', (pg) => {
  let one: Database;
  let two: Database;
  let processes: StartedChat[] = [];

  beforeAll(async () => {
    [one, two] = [await pg.open(), await pg.open()];
    await withDemoOrganisation({ prisma: one.prisma, now: () => NOW });
    for (const key of [...REPORTERS, 'director']) await bind(one.prisma, `telegram:${key}`, key);
    processes = [await startChat(one.prisma, { now: () => NOW }), await startChat(two.prisma, { now: () => NOW })];
  });
  // Registered after the helper's, so it runs before the databases close.
  afterAll(async () => {
    for (const bot of processes) await bot.runtime.stop();
  });

  it('takes one member’s answers fired at both processes at once one after the other, losing none', async () => {
    const [a, b] = processes.map((bot) => bot.channel) as [MemoryChannel, MemoryChannel];
    await a.say('wang', '/report');
    // Four answers at once, alternately to the two processes; each process keeps a chat's order, not the pair's.
    // All the same figure: whichever comes second (增加值) must not exceed the first (总产值), the demo file's
    // check; the conversation's version below counts each answer taken once. Written four ways: the same text
    // again at once would be one message sent twice, not the next question's answer.
    await Promise.all([a.say('wang', '12'), b.say('wang', '12亿'), a.say('wang', '12.0'), b.say('wang', '12.00')]);
    const replies = received([a, b], 'wang');
    expect(replies.filter((text) => text.startsWith('(2/4)'))).toHaveLength(1);
    expect(replies.filter((text) => text.startsWith('(3/4)'))).toHaveLength(1);
    expect(replies.filter((text) => text.startsWith('(4/4)'))).toHaveLength(1);
    expect(replies.filter((text) => text.startsWith('请核对 2026年11月 数据'))).toHaveLength(1);

    expect(texts(await b.say('wang', '确认'))[0]).toBe('已提交 2026年11月 数据 4 项。');
    expect(await storedValues(one.prisma, 'monitoring')).toEqual(['12', '12', '12', '12']);
    expect(await conversationVersion(two.prisma, 'wang')).toBe(1 + 4 + 1);
  });

  it('lets many members report at the same moment through both processes, each dialogue on its own', async () => {
    const scripts: Record<string, { section: string; answers: string[] }> = {
      li: { section: 'industry_tech', answers: ['2', '3'] },
      zhang: { section: 'radio_digital', answers: ['12', '35', '98'] },
      chen: { section: 'high_tech', answers: ['2', '3'] },
      liu: { section: 'sci_plan', answers: ['1', '0.55'] },
      zhao: { section: 'sme_bureau', answers: ['22.5', '13.76'] },
    };
    const channels = processes.map((bot) => bot.channel);
    // Each member's messages alternate between the processes; all members at once.
    await Promise.all(
      Object.entries(scripts).map(async ([member, { answers }]) => {
        const messages = ['/report', ...answers, '确认'];
        for (const [i, text] of messages.entries()) await channels[i % 2]!.say(member, text);
      }),
    );
    for (const [member, { section, answers }] of Object.entries(scripts)) {
      expect(received(channels, member), member).toContain(`已提交 2026年11月 数据 ${answers.length} 项。`);
      expect(await storedValues(one.prisma, section), member).toEqual([...answers].sort());
      expect(await conversationVersion(one.prisma, member), member).toBe(answers.length + 2);
    }
  });

  it('keeps the first of two figures confirmed at the same moment by one section, and tells the other', async () => {
    const december = () => new Date('2026-12-24T02:00:00Z');
    const [a, b] = [await startChat(one.prisma, { now: december }), await startChat(two.prisma, { now: december })];
    try {
      await a.channel.say('wang', '工业投资 25亿');
      await b.channel.say('zhou', '工业投资 26亿');
      const [wang, zhou] = await Promise.all([a.channel.say('wang', '确认'), b.channel.say('zhou', '确认')]);
      const submission = await one.prisma.submission.findFirstOrThrow({
        where: { year: 2026, month: 12, indicator: { key: 'industrial_investment' } },
        include: { revisions: { include: { member: true } } },
      });
      // Nothing is overwritten without a correction: one revision, and the other person is told whose stands.
      expect(submission.revisions).toHaveLength(1);
      const winner = submission.revisions[0]!.member?.key;
      const loser = winner === 'wang' ? zhou : wang;
      expect(texts(loser).join('\n')).toContain('已由他人报送为');
      expect(texts(loser).join('\n')).toContain('/report 2026-12');
    } finally {
      await a.runtime.stop();
      await b.runtime.stop();
    }
  });

  it('reads the dialogue’s figures again when another process changed the conversation while this turn waited for it', async () => {
    const december = () => new Date('2026-12-24T02:00:00Z');
    const bot = await startChat(one.prisma, { now: december });
    try {
      // Liu's conversation exists, and the process knows the organisation: the next turn reads ahead.
      await bot.channel.say('liu', '你好');
      const member = await one.prisma.member.findUniqueOrThrow({ where: { key: 'liu' } });
      const indicators = await one.prisma.indicator.findMany({ where: { section: { key: 'sci_plan' }, active: true } });
      expect(indicators.length).toBeGreaterThan(0);
      // Another process's turn of Liu's: it holds the conversation, stores the month's figures, then commits.
      let holding: () => void = () => {};
      const held = new Promise<void>((resolve) => (holding = resolve));
      let release: () => void = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const other = two.prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT version FROM conversation WHERE member_id = ${member.id} FOR UPDATE`;
          for (const indicator of indicators) await tx.submission.create({ data: { indicatorId: indicator.id, year: 2026, month: 12, value: 1 } });
          await tx.$executeRaw`UPDATE conversation SET version = version + 1 WHERE member_id = ${member.id}`;
          holding();
          await released;
        },
        { timeout: 30_000 },
      );
      await held;
      const turn = bot.channel.say('liu', '/report');
      // The turn's first statement waits for the conversation: its snapshot is from before the other commits.
      const waiting = async () =>
        (
          await one.prisma.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
        )[0]?.n;
      await expect.poll(waiting, { timeout: 10_000 }).toBe(1);
      release();
      await other;
      // Told everything is in, not asked for the first figure as if nothing were stored.
      expect(texts(await turn).join('\n')).toContain(`2026年12月 的 ${indicators.length} 项数据都已报送`);
    } finally {
      await bot.runtime.stop();
    }
  });

  it('handles a message that reaches both processes at once only once', async () => {
    const [a, b] = processes.map((bot) => bot.channel) as [MemoryChannel, MemoryChannel];
    const twice = { messageId: 'telegram:director:4242' };
    const [first, second] = await Promise.all([a.say('director', '谁还没报', twice), b.say('director', '谁还没报', twice)]);
    expect([...first, ...second]).toHaveLength(1);
    expect(await conversationVersion(one.prisma, 'director')).toBe(1);
  });
});
