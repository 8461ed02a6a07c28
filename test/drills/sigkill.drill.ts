import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeBotApi, type FakeBotApi } from '../helpers/fake-bot-api.js';
import { currentDemoPeriod, writeDemoOrgAwayFromQuietHours } from '../helpers/demo-org.js';
import {
  type Spawned,
  cleanEnv,
  cli,
  copyDataDir,
  invite,
  removeTemporaryFolders,
  spawnProcess,
  startBot,
  stopAll,
  temporaryFolder,
} from '../helpers/processes.js';
import { openDatabase } from '../../src/db/database.js';
import { type OutgoingMessage, enqueueMessages } from '../../src/app/outbox.js';

/*
 * Drill (`npm run drills`, a few minutes): the real bot process on the embedded database, Telegram by long
 * polling against the fake Bot API, killed with SIGKILL 20 times at random moments while a section head
 * files a month's report and then corrects it — while a message is being handled, its reply sent or
 * marked, the next poll made, or the bot is still starting. Each time it is started again on the same
 * data. Every message ends answered, every figure stored once per submission (no revision lost or
 * doubled), and no reply goes out more than twice (at least once: a reply the platform had taken when the
 * kill fell before the outbox marked it is sent again). Then a round of 500 reminders, killed half-way.
 */

const WANG = 930_002;
const REPLY_MS = 90_000;
const KILLS = 20;

// A fixed seed: the kill moments differ from message to message but are the same on every run.
let seed = 20261127;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

describe('drill: SIGKILL at 20 random points of a dialogue', () => {
  let fake: FakeBotApi;
  let dataDir: string;
  let env: Record<string, string>;
  let code: string;
  let bot: Spawned;

  beforeAll(async () => {
    const folder = await temporaryFolder('sigkill');
    const template = path.join(folder, 'data');
    const orgFile = await writeDemoOrgAwayFromQuietHours(folder);
    await cli(template, 'demo-data');
    code = await invite(template, 'wang');
    dataDir = await copyDataDir(template);
    fake = await createFakeBotApi();
    env = { DATA_DIR: dataDir, ORG_FILE: orgFile, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url, TELEGRAM_CHAT_INTERVAL_MS: '200' };
  }, 180_000);

  afterAll(async () => {
    await stopAll();
    await fake?.close();
    await removeTemporaryFolders();
  });

  it('loses no message and applies none twice', async () => {
    const period = currentDemoPeriod();
    const messages: Array<[text: string, reply: RegExp]> = [
      [`/start ${code}`, /绑定成功/],
      ['/report', /(?:^|\n\n)\(1\/4\) /],
      ['19.6亿', /(?:^|\n\n)\(2\/4\) /],
      ['两千三百万', /(?:^|\n\n)\(3\/4\) /],
      ['196000万', /(?:^|\n\n)\(4\/4\) /],
      ['3家', /回复“确认”提交/],
      ['确认', /已提交/],
      [`/report ${period.year}-${String(period.month).padStart(2, '0')}`, /(?:^|\n\n)\(1\/4\) .*当前 19\.60/],
      ['19.8亿', /(?:^|\n\n)\(2\/4\) /],
      ['跳过', /(?:^|\n\n)\(3\/4\) /],
      ['19.7亿', /(?:^|\n\n)\(4\/4\) /],
      ['4家', /回复“确认”提交/],
      ['确认', /请简要说明更正原因/],
      ['补报一家企业', /已更正/],
    ];
    // 20 kills over 14 messages: two for each of the first six, one for each of the rest.
    const killsFor = (index: number) => (index < 6 ? 2 : 1);
    expect(messages.reduce((sum, _, index) => sum + killsFor(index), 0)).toBe(KILLS);

    bot = await startBot(env);
    let kills = 0;
    for (const [index, [text, reply]] of messages.entries()) {
      const from = fake.sent.length;
      fake.userSays(WANG, text);
      for (let k = 0; k < killsFor(index); k += 1) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 700)));
        await bot.stop('SIGKILL');
        kills += 1;
        bot = await startBot(env);
      }
      await fake.waitForSent((call) => fake.sent.indexOf(call) >= from && call.chat_id === WANG && reply.test(call.text ?? ''), REPLY_MS);
    }
    expect(kills).toBe(KILLS);
    await bot.stop('SIGTERM');

    // Every figure once per submission: the report, then the correction of two of them.
    const database = await openDatabase({ dataDir });
    try {
      const rows = await database.prisma.submission.findMany({
        where: { year: period.year, month: period.month, indicator: { section: { key: 'monitoring' } } },
        include: { indicator: true, revisions: { orderBy: { revision: 'asc' } } },
      });
      const stored = Object.fromEntries(rows.map((row) => [row.indicator.key, row.revisions.map((revision) => revision.value.toFixed())]));
      expect(stored).toEqual({
        industrial_output_value: ['19.6', '19.8'],
        industrial_added_value: ['0.23'],
        industrial_investment: ['19.6', '19.7'],
        new_above_scale_firms: ['3', '4'],
      });
      expect(await database.prisma.outboxMessage.count({ where: { status: { not: 'sent' }, kind: 'reply' } })).toBe(0);
    } finally {
      await database.close();
    }

    // No reply more than twice; repeats only where a kill fell between the send and its mark.
    const counts = new Map<string, number>();
    for (const call of fake.sent.filter((c) => c.chat_id === WANG)) counts.set(call.text ?? '', (counts.get(call.text ?? '') ?? 0) + 1);
    const repeated = [...counts].filter(([, count]) => count > 1);
    expect(repeated.every(([, count]) => count === 2)).toBe(true);
    expect(repeated.length).toBeLessThanOrEqual(KILLS);
    console.info(`SIGKILL drill: ${KILLS} kills, ${repeated.length} replies sent twice`);
  }, 900_000);
});

describe('drill: SIGKILL during a 500-reminder round', () => {
  let fake: FakeBotApi;

  afterAll(async () => {
    await stopAll();
    await fake?.close();
    await removeTemporaryFolders();
  });

  it('delivers every reminder after the restart, none lost, none more than twice, each person’s in order', async () => {
    const folder = await temporaryFolder('sigkill-round');
    const dataDir = path.join(folder, 'data');
    const orgFile = await writeDemoOrgAwayFromQuietHours(folder);
    await cli(dataDir, 'load', orgFile);
    // 500 reminders to 100 people, five each (the key is no reminder step's: the gate sends it as written).
    const messages: OutgoingMessage[] = Array.from({ length: 500 }, (_, i) => ({
      channel: 'telegram',
      chat: `telegram:${940_000 + (i % 100)}`,
      kind: 'reminder.overdue',
      dedupeKey: `drill-round:${i + 1}`,
      text: `催报 #${i + 1}`,
    }));
    const setup = await openDatabase({ dataDir });
    await setup.prisma.$transaction((tx) => enqueueMessages(tx, messages, new Date()));
    await setup.close();

    fake = await createFakeBotApi();
    const env = {
      DATA_DIR: dataDir, ORG_FILE: orgFile, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_MAX_PER_SECOND: '100', TELEGRAM_CHAT_INTERVAL_MS: '50',
    };
    // The round starts with the bot (its first sweep, before it says it is running): killed at the 200th send.
    const first = spawnProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], cleanEnv({ LOG_LEVEL: 'debug', ...env }));
    await fake.waitForSent(() => fake.sent.length >= 200, 120_000);
    await first.stop('SIGKILL');
    const atKill = fake.sent.length;
    expect(atKill).toBeLessThan(messages.length);
    const bot = await startBot(env);
    const distinct = () => new Set(fake.sent.map((call) => call.text)).size;
    await fake.waitForSent(() => distinct() >= messages.length, 180_000);
    await bot.stop('SIGTERM');

    const times = new Map<string, number>();
    for (const call of fake.sent) times.set(call.text ?? '', (times.get(call.text ?? '') ?? 0) + 1);
    expect(messages.filter((message) => !times.has(message.text))).toEqual([]);
    const twice = [...times].filter(([, count]) => count > 1);
    expect(twice.every(([, count]) => count === 2)).toBe(true);
    // Only what was in flight at the kill can go twice: at most one per chat.
    expect(twice.length).toBeLessThanOrEqual(100);
    for (let person = 0; person < 100; person += 1) {
      const firsts = [...new Set(fake.sent.filter((call) => call.chat_id === 940_000 + person).map((call) => Number((call.text ?? '').slice(4))))];
      expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    }
    const database = await openDatabase({ dataDir });
    try {
      expect(await database.prisma.outboxMessage.count({ where: { dedupeKey: { startsWith: 'drill-round:' }, status: 'sent' } })).toBe(messages.length);
    } finally {
      await database.close();
    }
    console.info(`SIGKILL round drill: killed after ${atKill} of 500 sends, ${twice.length} sent twice`);
  }, 600_000);
});
