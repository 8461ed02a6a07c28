/*
 * The real bot process (`node --import tsx src/main.ts`) with the real telegraf client, against the fake
 * Bot API on 127.0.0.1. The database is prepared once by the admin CLI (demo data, invites) and copied
 * for each scenario; the process runs on the real clock, so the assertions hold on any date. The bot
 * loads the demo organisation with its quiet hours moved away from now (see demo-org.ts). Its reminder
 * job runs too: on a reminder day a reminder may reach the section head in the middle of a scenario (it
 * starts with its own sentence, so the dialogue's questions are still told apart), or be in flight when
 * the bot is killed (test/app/restart-after-crash.test.ts shows that case on a fixed clock).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { translator } from '../../src/core/i18n.js';
import { createFakeBotApi, type FakeBotApi } from '../helpers/fake-bot-api.js';
import {
  type Spawned,
  cli,
  copyDataDir,
  freePort,
  invite,
  removeTemporaryFolders,
  startBot,
  stopAll,
  temporaryFolder,
} from '../helpers/processes.js';
import { currentDemoPeriod, writeDemoOrgAwayFromQuietHours } from '../helpers/demo-org.js';

const t = translator('zh-CN');
const STRANGER = 910_009;
const DIRECTOR = 910_001;
const WANG = 910_002;
const LI = 910_003;
const REPLY_MS = 30_000;

let template: string;
let orgFile: string;
let codes: { director: string; wang: string };

beforeAll(async () => {
  const folder = await temporaryFolder('template');
  template = path.join(folder, 'data');
  orgFile = await writeDemoOrgAwayFromQuietHours(folder);
  await cli(template, 'demo-data');
  codes = { director: await invite(template, 'director'), wang: await invite(template, 'wang') };
}, 120_000);

afterAll(async () => {
  await stopAll();
  await removeTemporaryFolders();
});

/** One person's side of the chat: send a text, get every reply up to the one matching `until`. */
function chatWith(fake: FakeBotApi, userId: number) {
  return async (text: string, until: string | RegExp): Promise<string[]> => {
    const from = fake.sent.length;
    fake.userSays(userId, text);
    const mine = (index: number) => index >= from && fake.sent[index]?.chat_id === userId;
    const matches = (reply = '') => (typeof until === 'string' ? reply.includes(until) : until.test(reply));
    await fake.waitForSent((call) => mine(fake.sent.indexOf(call)) && matches(call.text ?? call.caption), REPLY_MS);
    return fake.sent.filter((_, index) => mine(index)).map((call) => call.text ?? call.caption ?? '');
  };
}

/** The dialogue's question `n` of 4, on a line of its own (a turn's replies arrive joined in one message). */
const asking = (n: number) => new RegExp(`(^|\\n)\\(${n}/4\\) `);

function botEnv(fake: FakeBotApi, dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, ORG_FILE: orgFile, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url };
}

describe('the bot on Telegram, by long polling', () => {
  let fake: FakeBotApi;
  let bot: Spawned;
  let dataDir: string;
  let directorBound: Promise<string[]> | undefined;
  /** Binds the director's Telegram account once, whichever test needs it first. */
  const bindDirector = () => (directorBound ??= chatWith(fake, DIRECTOR)(`/start ${codes.director}`, '绑定成功'));

  beforeAll(async () => {
    fake = await createFakeBotApi();
    dataDir = await copyDataDir(template);
    bot = await startBot(botEnv(fake, dataDir));
  }, 120_000);

  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('logs the bot username on start', () => {
    expect(bot.logs().some((line) => line.bot === fake.botUsername)).toBe(true);
  });

  it('refuses a stranger and tells them no figure, name or section', async () => {
    const replies = await chatWith(fake, STRANGER)('2020年技改完成率', t('chat.stranger'));
    expect(replies).toEqual([t('chat.stranger')]);
  });

  it('binds the director by /start CODE', async () => {
    const replies = await bindDirector();
    expect(replies[0]?.startsWith(t('chat.bind_welcome', { name: '林志强' }))).toBe(true);
  });

  it('binds a section head by an invite the admin CLI makes while the bot runs on the embedded database', async () => {
    // The bot holds the database: the command runs in the bot, through its socket in DATA_DIR.
    const code = await invite(dataDir, 'li');
    const replies = await chatWith(fake, LI)(`/start ${code}`, '绑定成功');
    expect(replies[0]?.startsWith(t('chat.bind_welcome', { name: '李华' }))).toBe(true);
    expect(bot.logs().some((line) => line.msg === 'admin command run for npm run cli' && line.exit === 0)).toBe(true);
  });

  it("answers the director's questions about 2020 with the seed's completion rates", async () => {
    await bindDirector();
    const director = chatWith(fake, DIRECTOR);
    const techUpgrade = await director('2020年技改完成率', '工业技改投资');
    expect(techUpgrade.at(-1)).toMatch(/^工业技改投资：1–12月累计 2\.43 亿元，完成年度目标 3 亿元的 81%/);
    const investment = await director('2020年工业投资', '工业投资');
    expect(investment.at(-1)).toMatch(/^工业投资：1–12月累计 25\.15 亿元，完成年度目标 21 亿元的 119\.76%/);
  });

  it('sends /export 2020 as the 完成情况表 workbook: summary, monthly figures, figures and history', async () => {
    await bindDirector();
    const from = fake.sent.length;
    fake.userSays(DIRECTOR, '/export 2020');
    const call = await fake.waitForSent(
      (c) => fake.sent.indexOf(c) >= from && c.chat_id === DIRECTOR && c.method === 'sendDocument',
      REPLY_MS,
    );
    expect(call.document?.filename).toMatch(/2020\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(call.document?.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['完成情况', '月度数据', '数据', '修订记录']);
    expect(workbook.getWorksheet('数据')?.actualRowCount).toBeGreaterThan(100);
  });

  it('takes a whole monthly report from a section head, re-asking once, until it is confirmed', async () => {
    const wang = chatWith(fake, WANG);
    await wang(`/start ${codes.wang}`, '绑定成功');
    const period = currentDemoPeriod();
    expect((await wang('/report', asking(1))).join('\n')).toContain(`(1/4) 规上工业总产值 ${period.span}（亿元）？`);
    await wang('19.6亿', asking(2));
    const reasked = await wang('-1', asking(2));
    expect(reasked.at(-1)).toContain('规上工业增加值不能是负数');
    await wang('两千三百万', asking(3));
    await wang('196000万', asking(4));
    const review = (await wang('3家 博昇乐、创睿极光、金丰', '回复“确认”提交')).join('\n');
    expect(review).toContain('1. 规上工业总产值 19.60 亿元');
    expect(review).toContain('2. 规上工业增加值 0.23 亿元');
    expect(review).toContain('3. 工业投资 19.60 亿元');
    expect(review).toContain('4. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    const done = (await wang('确认', '工业投资：')).join('\n');
    expect(done).toContain(`已提交 ${period.label} 数据 4 项。`);
    expect(done).toMatch(/完成年度目标 21 亿元的 [\d.]+%，序时进度 [\d.]+%/);
  });

  it('answers a redelivered update once', async () => {
    await bindDirector();
    const from = fake.sent.length;
    const update = fake.userSays(DIRECTOR, '2020年工业投资');
    await fake.waitForSent((c) => fake.sent.indexOf(c) >= from && c.chat_id === DIRECTOR, REPLY_MS);
    fake.redeliver(update);
    const messageId = `telegram:${DIRECTOR}:${update.message.message_id}`;
    await bot.waitForLog((line) => line.msg === 'duplicate delivery ignored' && line.messageId === messageId);
    // A later message is answered, and nothing else came in between.
    await chatWith(fake, DIRECTOR)('2020年技改完成率', '工业技改投资');
    const answers = fake.sent.slice(from).filter((c) => c.chat_id === DIRECTOR).map((c) => c.text ?? '');
    expect(answers.filter((text) => text.includes('119.76%'))).toHaveLength(1);
  });
});

describe('the bot on Telegram, killed in the middle of a report', () => {
  let fake: FakeBotApi;

  beforeEach(async () => {
    fake = await createFakeBotApi();
  });

  afterEach(async () => {
    await stopAll();
    await fake.close();
  });

  it('resumes at the same question with the earlier answers kept, in a new process on the same data', async () => {
    const dataDir = await copyDataDir(template);
    const first = await startBot(botEnv(fake, dataDir));
    const wang = chatWith(fake, WANG);
    await wang(`/start ${codes.wang}`, '绑定成功');
    await wang('/report', asking(1));
    await wang('19.6亿', asking(2));
    const answer = fake.userSays(WANG, '两千三百万');
    await fake.waitForSent((c) => c.chat_id === WANG && asking(3).test(c.text ?? ''), REPLY_MS);
    // telegraf asks for later updates only once this one was handled, and the outbox marks the reply sent
    // just after it went out: the kill falls between two answers of the report, not inside one. (A kill
    // between "sent" and "marked" would send that reply again after the restart: at least once.)
    await vi.waitFor(() => expect(fake.calls.some((c) => c.method === 'getUpdates' && Number(c.payload.offset) > answer.update_id)).toBe(true), {
      timeout: REPLY_MS,
    });
    const marked = () => first.logs().flatMap((line) => (line.msg === 'sent messages marked' ? (line.ids as string[]) : [])).length;
    await vi.waitFor(() => expect(marked()).toBe(fake.sent.length), { timeout: REPLY_MS });

    await first.stop('SIGKILL');
    // The dead process's lock is still there: the new one must take it over.
    expect(existsSync(path.join(dataDir, 'pglite.lock'))).toBe(true);
    await startBot(botEnv(fake, dataDir));

    await wang('196000万', asking(4));
    const review = (await wang('3家', '回复“确认”提交')).join('\n');
    expect(review).toContain('1. 规上工业总产值 19.60 亿元');
    expect(review).toContain('2. 规上工业增加值 0.23 亿元');
    expect(review).toContain('3. 工业投资 19.60 亿元');
    expect((await wang('确认', '已提交')).join('\n')).toContain(`已提交 ${currentDemoPeriod().label} 数据 4 项。`);
    // Every question was asked once: nothing was asked twice across the restart. A question opens a reply
    // or follows another reply of the turn after a blank line; a reminder that repeats it (its own sentence,
    // then the question on the next line) is not an answer.
    const asked = fake.sent.filter((c) => c.chat_id === WANG).flatMap((c) => (c.text ?? '').match(/(?<=^|\n\n)\(\d\/4\)/g) ?? []);
    expect(asked).toEqual(['(1/4)', '(2/4)', '(3/4)', '(4/4)']);
  });
});

describe('the bot on Telegram, by webhook', () => {
  const secret = 'e2e-webhook_secret-42';
  let fake: FakeBotApi;
  let bot: Spawned;
  let port: number;

  beforeAll(async () => {
    fake = await createFakeBotApi();
    port = await freePort();
    bot = await startBot({
      ...botEnv(fake, await copyDataDir(template)),
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
    });
  }, 120_000);

  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('registers its webhook with the secret', () => {
    const setWebhook = fake.calls.find((call) => call.method === 'setWebhook');
    expect(setWebhook?.payload).toMatchObject({ url: `http://127.0.0.1:${port}/tg`, secret_token: secret });
    expect(fake.calls.some((call) => call.method === 'getUpdates')).toBe(false);
  });

  it('answers an update Telegram posts with the right secret', async () => {
    await chatWith(fake, DIRECTOR)(`/start ${codes.director}`, '绑定成功');
    const replies = await chatWith(fake, DIRECTOR)('2020年工业投资', '工业投资');
    expect(replies.at(-1)).toContain('119.76%');
    await vi.waitFor(() => expect(fake.webhookDeliveries.map((d) => d.status)).toEqual([200, 200]));
  });

  it('refuses an update with a wrong or missing secret and does not answer it', async () => {
    const from = { id: STRANGER, is_bot: false, first_name: '伪造' };
    const chat = { id: STRANGER, type: 'private' as const, first_name: '伪造' };
    const forged = { update_id: 1, message: { message_id: 1, date: 1, chat, from, text: '2020年工业投资' } };
    expect([401, 403]).toContain(await fake.postToWebhook(forged, { secret: 'wrong' }));
    expect([401, 403]).toContain(await fake.postToWebhook(forged, {}));
    // The next genuine message from the same person is the first one answered.
    await chatWith(fake, STRANGER)('你好', t('chat.stranger'));
    expect(fake.sent.filter((call) => call.chat_id === STRANGER)).toHaveLength(1);
  });
});
