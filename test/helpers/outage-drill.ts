import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { translator } from '../../src/core/i18n.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { FIGURES_2026, NOV_25, bind, createLogSink, seedFigures, texts } from './chat.js';
import { withDemoFigures } from './databases.js';
import { type MemoryChannel, createMemoryChannel } from './memory-channel.js';

/*
 * The database-outage drill (docs/drills.md), whatever takes the database away. It goes while five people's
 * turns are under way, and stays away for DRILL_OUTAGE_MS (2 s in `npm test`, 30 s in `npm run drills`)
 * while six more messages come. Everyone whose message cannot be handled is told once, at once, without
 * the database, to try later; the same running bot answers every message afterwards, each chat's in
 * order, and loses none, applies none twice — however the turns under way fell (before the cut, in it).
 */

const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 2_000);
const zh = translator('zh-CN');
const en = translator('en');
const PEOPLE = ['wang', 'li', 'zhang', 'chen', 'liu', 'zhao', 'director', 'huang'];

/** A database the drill can take away and give back. */
export interface OutageTarget {
  /** The database, reached directly: seeding before, checking after. */
  url: string;
  /** The same database as the bot reaches it (through a proxy, or `url` itself). */
  botUrl: string;
  /** Takes the database away: open connections dropped, new ones refused. */
  cut(): Promise<void>;
  /** Gives it back, at the same address. */
  restore(): Promise<void>;
  /** Removes whatever `open` made, even after a failure. */
  close(): Promise<void>;
}

/** Registers the drill's hooks and test inside the caller's `describe`, on the database `open` makes. */
export function outageDrill(open: () => Promise<OutageTarget>): void {
  let target: OutageTarget | undefined;
  let direct: Database;
  let bot: Database;
  let channel: MemoryChannel;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  const log = createLogSink();

  beforeAll(async () => {
    target = await open();
    direct = await openDatabase({ url: target.url, dataDir: '' });
    const deps = { prisma: direct.prisma, now: () => new Date(NOV_25) };
    await withDemoFigures(deps);
    await seedFigures(deps, FIGURES_2026);
    for (const key of PEOPLE) await bind(direct.prisma, `telegram:${key}`, key);
    bot = await openDatabase({ url: target.botUrl, dataDir: '' });
    channel = createMemoryChannel('telegram');
    runtime = await startChatRuntime({ prisma: bot.prisma, adapters: [channel], now: () => NOV_25, sweepIntervalMs: 0, outageRetryMs: 200, logger: log.logger });
  }, 60_000);

  afterAll(async () => {
    try {
      await runtime?.stop();
      await bot?.close();
      await direct?.close();
    } finally {
      await target?.close();
    }
  });

  it(`tells everyone at once to try later, then answers every message of a ${OUTAGE_MS / 1000} s outage, in order`, async () => {
    expect(texts(await channel.say('wang', '/report'))).toHaveLength(2);
    expect(texts(await channel.say('huang', 'help'))[0]).toMatch(/^Hello/);
    const start = channel.sent.length;

    // Under load: the database goes while five people's turns are on their way, whichever way each falls.
    const cutting = target!.cut();
    const meanwhile: Array<[string, string]> = [['wang', '41亿'], ['director', '2020年工业投资完成率'], ['li', '/report'], ['zhang', '谁没报'], ['chen', '/report']];
    await Promise.all(meanwhile.map(([who, text]) => channel.say(who, text)));
    await cutting;
    // Then, the database surely away, six more messages, three of them in chats that may be kept already.
    const during: Array<[string, string]> = [['liu', '总体进度'], ['huang', 'help'], ['zhao', '/report'], ['wang', '11亿'], ['wang', '19亿'], ['li', '2.3亿']];
    for (const [who, text] of during) await channel.say(who, text);
    const duringOutage = channel.sent.slice(start);

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await target!.restore();
    await runtime.idle();

    // Told at once and once: everyone who wrote while it was surely away, in their language; nobody twice.
    const later = (who: string) => (who === 'huang' ? en('outage.answer_later') : zh('outage.answer_later'));
    const told = (who: string) => channel.sent.filter((message) => message.chat === `telegram:${who}` && message.text === later(who)).length;
    for (const [who] of during) expect(duringOutage.filter((message) => message.chat === `telegram:${who}`).map((message) => message.text), who).toContain(later(who));
    for (const [who] of during) expect(told(who), who).toBe(1);
    for (const [who] of meanwhile) expect(told(who), who).toBeLessThanOrEqual(1);

    // By the same running bot: every message answered, each person's in the order sent.
    const to = (who: string) =>
      channel.sent
        .slice(start)
        .filter((message) => message.chat === `telegram:${who}` && message.text !== later(who))
        .map((message) => message.text ?? '')
        .join('\n');
    expect(to('wang')).toMatch(/\(2\/4\)[^]*\(3\/4\)[^]*\(4\/4\)/);
    expect(to('director')).toContain('119.76%');
    expect(to('li')).toMatch(/\(1\/2\)[^]*\(2\/2\)/);
    for (const who of ['zhang', 'chen', 'liu', 'zhao', 'huang']) expect(to(who), who).not.toBe('');
    expect(to('huang')).toMatch(/^Hello/);
    expect(channel.sent.map((message) => message.text)).not.toContain(zh('chat.error'));

    // Nothing lost, nothing twice: wang's three answers each moved the dialogue once.
    const wang = await direct.prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(wang.conversation?.version).toBe(4);
    expect(wang.conversation?.state).toMatchObject({ dialogue: { answers: { industrial_output_value: { value: '41' }, industrial_added_value: { value: '11' }, industrial_investment: { value: '19' } } } });
    expect(await direct.prisma.processedMessage.count()).toBe(2 + meanwhile.length + during.length);
    expect(await direct.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(log.lines.filter((line) => line.msg === 'message handling failed')).toEqual([]);
  }, OUTAGE_MS + 120_000);
}
