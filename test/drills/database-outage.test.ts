import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { translator } from '../../src/core/i18n.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { FIGURES_2026, NOV_25, bind, createLogSink, seedFigures, texts } from '../helpers/chat.js';
import { withDemoFigures } from '../helpers/databases.js';
import { type DbProxy, createDbProxy } from '../helpers/db-proxy.js';
import { type MemoryChannel, createMemoryChannel } from '../helpers/memory-channel.js';
import { SERVER_URL, createScratchDatabase, serverMissing, serverProblem, serverRequired } from '../helpers/postgres-server.js';
import { describe } from 'vitest';

/*
 * Drill: PostgreSQL unreachable under load, then back (docs/architecture.md, When the database is down).
 * The bot reaches the server through a proxy the test cuts — every connection dropped, the port refusing
 * new ones, as a stopped server does — for DRILL_OUTAGE_MS (2 s in `npm test`, 30 s in `npm run drills`), while
 * seven people keep writing. Each is told at once, without the database, to try later; the same running
 * bot answers every message of the outage afterwards, in order, and loses none.
 */

const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 2_000);
const zh = translator('zh-CN');
const en = translator('en');
const PEOPLE = ['wang', 'li', 'zhang', 'chen', 'liu', 'zhao', 'director', 'huang'];

const suite = serverProblem === undefined || serverRequired ? describe : describe.skip;

suite('drill: PostgreSQL unreachable under load, and back [PostgreSQL]', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: DbProxy;
  let direct: Database;
  let bot: Database;
  let channel: MemoryChannel;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  const log = createLogSink();

  beforeAll(async () => {
    if (serverProblem !== undefined) throw serverMissing();
    scratch = await createScratchDatabase();
    direct = await openDatabase({ url: scratch.url, dataDir: '' });
    const deps = { prisma: direct.prisma, now: () => new Date(NOV_25) };
    await withDemoFigures(deps);
    await seedFigures(deps, FIGURES_2026);
    for (const key of PEOPLE) await bind(direct.prisma, `telegram:${key}`, key);
    const server = new URL(SERVER_URL);
    proxy = await createDbProxy(server.hostname, Number(server.port || 5432));
    bot = await openDatabase({ url: proxy.url(scratch.url), dataDir: '' });
    channel = createMemoryChannel('telegram');
    runtime = await startChatRuntime({ prisma: bot.prisma, adapters: [channel], now: () => NOV_25, sweepIntervalMs: 0, outageRetryMs: 200, logger: log.logger });
  }, 60_000);

  afterAll(async () => {
    await runtime?.stop();
    await bot?.close();
    await proxy?.close();
    await direct?.close();
    await scratch?.drop();
  });

  it(`tells everyone at once to try later, then answers every message of a ${OUTAGE_MS / 1000} s outage, in order`, async () => {
    expect(texts(await channel.say('wang', '/report'))).toHaveLength(2);
    expect(texts(await channel.say('huang', 'help'))[0]).toMatch(/^Hello/);

    await proxy.cut();
    const during: Array<[string, string]> = [
      ['wang', '41亿'], ['director', '2020年工业投资完成率'], ['li', '/report'], ['wang', '11亿'], ['zhang', '谁没报'],
      ['chen', '/report'], ['liu', '总体进度'], ['huang', 'help'], ['zhao', '/report'], ['wang', '19亿'], ['li', '2.3亿'],
    ];
    const told = new Map<string, string[]>();
    for (const [who, text] of during) {
      const sent = texts(await channel.say(who, text));
      told.set(who, [...(told.get(who) ?? []), ...sent]);
    }
    // One "try later" per person, at once, in their language; nothing else while the database is away.
    for (const [who, sent] of told) {
      expect(sent, who).toEqual([who === 'huang' ? en('outage.answer_later') : zh('outage.answer_later')]);
    }
    const before = channel.sent.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await proxy.restore();
    await runtime.idle();

    // Afterwards, by the same running bot: every message answered, each person's in the order sent.
    const after = channel.sent.slice(before);
    const to = (who: string) => after.filter((message) => message.chat === `telegram:${who}`).map((message) => message.text ?? '').join('\n');
    expect(to('wang')).toMatch(/\(2\/4\)[^]*\(3\/4\)[^]*\(4\/4\)/);
    expect(to('director')).toContain('119.76%');
    expect(to('li')).toMatch(/\(1\/2\)[^]*\(2\/2\)/);
    for (const who of ['zhang', 'chen', 'liu', 'zhao', 'huang']) expect(to(who), who).not.toBe('');
    expect(to('huang')).toMatch(/^Hello/);
    expect(after.map((message) => message.text)).not.toContain(zh('chat.error'));
    expect(channel.sent.map((message) => message.text)).not.toContain(zh('chat.error'));

    // Nothing lost, nothing twice: wang's three answers each moved the dialogue once.
    const wang = await direct.prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(wang.conversation?.version).toBe(4);
    expect(wang.conversation?.state).toMatchObject({ dialogue: { answers: { industrial_output_value: { value: '41' }, industrial_added_value: { value: '11' }, industrial_investment: { value: '19' } } } });
    expect(await direct.prisma.processedMessage.count()).toBe(2 + during.length);
    expect(await direct.prisma.outboxMessage.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(log.lines.filter((line) => line.msg === 'message handling failed')).toEqual([]);
  }, OUTAGE_MS + 120_000);
});
