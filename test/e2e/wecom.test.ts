/*
 * The real bot process (`node --import tsx src/main.ts`) with WeCom configured, against a fake WeCom on
 * 127.0.0.1 that calls the bot's callback URL as WeCom does (signed, encrypted) and serves the app's API.
 * The bot's clock stands at Wednesday 25 November 2026, 10:00 in Shanghai (a preloaded shifted clock, the
 * fake reading the same one), so the test holds on any date: November's window is open and that
 * morning's reminder, three working days before the deadline, is due when the bot starts. 王明 is bound
 * in the organisation file (`identities: ["wecom:WangMing"]`), the director by an invite.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG_FILE } from '../../src/app/demo-data.js';
import { translator } from '../../src/core/i18n.js';
import { type FakeWecom, type WecomSent, createFakeWecom } from '../helpers/fake-wecom.js';
import { type Spawned, cli, freePort, invite, removeTemporaryFolders, startBot, stopAll, temporaryFolder } from '../helpers/processes.js';
import { writeClockPreload } from '../helpers/shifted-clock.js';

const t = translator('zh-CN');
const REPLY_MS = 20_000;
const WANG = 'WangMing';
const DIRECTOR = 'LinZhiQiang';
/** The dialogue's question `n` of 4, on a line of its own. */
const asking = (n: number) => new RegExp(`(^|\\n)\\(${n}/4\\) `);

let fake: FakeWecom;
let bot: Spawned;
let port: number;
let directorCode: string;

/** The demo organisation with 王明's WeCom account listed, as an administrator would write it. */
async function writeOrgFile(dir: string): Promise<string> {
  const demo = await readFile(DEMO_ORG_FILE, 'utf8');
  const text = demo.replace('section: monitoring }', `section: monitoring, identities: ["wecom:${WANG}"] }`);
  if (text === demo) throw new Error('the demo organisation file has no line for 王明');
  const file = path.join(dir, 'bureau.yaml');
  await writeFile(file, text);
  return file;
}

/** The texts `userId` received since `from` (a file counts as its name). */
const textsTo = (userId: string, from = 0) =>
  fake.sent.slice(from).flatMap((message) => (message.touser === userId ? [message.content ?? `[file ${message.file?.name}]`] : []));

/** One member's side: say `text`, get every reply up to the one matching `until`. */
function chatAs(userId: string) {
  return async (text: string, until: string | RegExp): Promise<string[]> => {
    const from = fake.sent.length;
    const matches = (reply: string) => (typeof until === 'string' ? reply.includes(until) : until.test(reply));
    fake.userSays(userId, text);
    await fake.waitForSent(() => textsTo(userId, from).some(matches), REPLY_MS);
    return textsTo(userId, from);
  };
}

beforeAll(async () => {
  const folder = await temporaryFolder('wecom');
  const dataDir = path.join(folder, 'data');
  await cli(dataDir, 'demo-data');
  directorCode = await invite(dataDir, 'director');
  const clock = await writeClockPreload(folder, new Date('2026-11-25T10:00:00+08:00'));
  fake = await createFakeWecom({ now: clock.now });
  fake.addMember(WANG);
  port = await freePort();
  fake.connect(`http://127.0.0.1:${port}/wecom/callback`);
  const { corpId, agentId, secret, token, aesKey, apiRoot } = fake;
  const env = {
    DATA_DIR: dataDir,
    ORG_FILE: await writeOrgFile(folder),
    WECOM_CORP_ID: corpId,
    WECOM_AGENT_ID: String(agentId),
    WECOM_SECRET: secret,
    WECOM_TOKEN: token,
    WECOM_AES_KEY: aesKey,
    WECOM_API_ROOT: apiRoot,
    HTTP_PORT: String(port),
  };
  bot = await startBot(env, { preload: [clock.file] });
}, 120_000);

afterAll(async () => {
  await stopAll();
  await fake?.close();
  await removeTemporaryFolders();
});

describe('npm start with WeCom', () => {
  it('serves the callback on HTTP_PORT and passes the URL verification of the admin console', async () => {
    expect(bot.logs().find((line) => line.msg === 'running')?.channels).toEqual(['wecom']);
    expect(bot.logs().some((line) => line.msg === 'http server listening' && line.port === port)).toBe(true);
    const verification = await fake.verifyUrl();
    expect(verification).toMatchObject({ status: 200, body: verification.echo });
  });

  it('reminds 王明, bound in the organisation file, of the figures due, asking the first', async () => {
    await fake.waitForSent((sent) => sent.some((message) => message.touser === WANG), REPLY_MS);
    const [reminder] = textsTo(WANG);
    expect(reminder).toMatch(/^提醒：2026年11月 数据将于 11月30日 截止，还差 4 项/);
    expect(reminder).toContain('(1/4) 规上工业总产值 1–11月累计（亿元）？');
  });

  it('takes the whole report from 王明 until it is confirmed', async () => {
    const wang = chatAs(WANG);
    await wang('19.6亿', asking(2));
    await wang('两千三百万', asking(3));
    await wang('196000万', asking(4));
    const review = (await wang('3家 博昇乐、创睿极光、金丰', '回复“确认”提交')).join('\n');
    expect(review).toContain('2. 规上工业增加值 0.23 亿元');
    expect(review).toContain('4. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    expect((await wang('确认', '已提交')).join('\n')).toContain('已提交 2026年11月 数据 4 项。');
  });

  it('refuses a stranger, binds the director by 绑定 CODE and answers his question', async () => {
    expect(await chatAs('Stranger')('2020年技改完成率', t('chat.stranger'))).toEqual([t('chat.stranger')]);
    const director = chatAs(DIRECTOR);
    expect((await director(`绑定 ${directorCode}`, '绑定成功'))[0]).toMatch(/^绑定成功！(?:\n\n)?林志强您好/);
    const answer = await director('2020年技改完成率', '工业技改投资');
    expect(answer.at(-1)).toMatch(/^工业技改投资：1–12月累计 2\.43 亿元，完成年度目标 3 亿元的 81%/);
  });

  it('goes on sending when WeCom ends the access token early, fetching one new token', async () => {
    const before = fake.tokenRequests;
    fake.endTokens();
    const answer = await chatAs(DIRECTOR)('2020年工业投资', '工业投资');
    expect(answer.at(-1)).toContain('119.76%');
    expect(fake.tokenRequests).toBe(before + 1);
    await bot.waitForLog((line) => line.msg === 'wecom refused the access token; fetching a new one' && line.errcode === 42001);
  });

  it('sends /export 2020 as a workbook file after its caption', async () => {
    const from = fake.sent.length;
    fake.userSays(DIRECTOR, '/export 2020');
    const sent = await fake.waitForSent((all) => all.slice(from).some((message) => message.touser === DIRECTOR && message.file), REPLY_MS);
    const file = sent.slice(from).find((message: WecomSent) => message.file)?.file;
    expect(file?.name).toBe('乐昌市工业和信息化局-2020.xlsx');
    expect(textsTo(DIRECTOR, from)[0]).toMatch(/^2020年主要指标完成情况表（\d+ 条数据）/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file?.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['完成情况', '月度数据', '数据', '修订记录']);
  });

  it('acknowledges a replayed callback and answers it no second time', async () => {
    const from = fake.sent.length;
    const delivery = fake.userSays(DIRECTOR, '2020年工业投资');
    await fake.waitForSent(() => textsTo(DIRECTOR, from).some((text) => text.includes('119.76%')), REPLY_MS);
    expect(await fake.post(delivery.request)).toEqual({ status: 200, body: '' });
    await chatAs(DIRECTOR)('2020年技改完成率', '工业技改投资');
    expect(textsTo(DIRECTOR, from).filter((text) => text.includes('119.76%'))).toHaveLength(1);
    await bot.waitForLog((line) => line.msg === 'wecom callback received before; acknowledged, not handled again');
  });

  it('refuses a forged and a stale callback, logs them, and answers nothing', async () => {
    const plain = `<xml><ToUserName><![CDATA[${fake.corpId}]]></ToUserName><FromUserName><![CDATA[Forger]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[2020年工业投资]]></Content><MsgId>42</MsgId><AgentID>${fake.agentId}</AgentID></xml>`;
    const genuine = fake.sealed(plain);
    const forged = { ...genuine, query: { ...genuine.query, msg_signature: 'f'.repeat(40) } };
    const stale = fake.sealed(plain, Number(genuine.query.timestamp) - 3600);
    expect((await fake.post(forged)).status).toBe(403);
    expect((await fake.post(stale)).status).toBe(403);
    for (const reason of ['bad_signature', 'stale_timestamp']) await bot.waitForLog((line) => line.msg === 'wecom callback refused' && line.reason === reason);
    await chatAs('Stranger')('你好', t('chat.stranger'));
    expect(fake.sent.filter((message) => message.touser === 'Forger')).toEqual([]);
  });

  it('tells a member it reads text only, and greets one who opens the app', async () => {
    const from = fake.sent.length;
    fake.userSendsNonText(DIRECTOR, 'image');
    await fake.waitForSent(() => textsTo(DIRECTOR, from).includes(t('chat.text_only')), REPLY_MS);
    fake.userEntersApp(DIRECTOR);
    await fake.waitForSent(() => textsTo(DIRECTOR, from).some((text) => text.startsWith('林志强您好，我是报数助手。')), REPLY_MS);
  });

  it('never went beyond WeCom’s limits for one member, cut a text or failed a send, and stops cleanly', async () => {
    await bot.stop();
    expect(await bot.exited).toBe(0);
    expect(fake.dropped).toEqual([]);
    expect(fake.sent.filter((message) => message.cut)).toEqual([]);
    // Nothing failed (pino's level 50 is error) and nothing had to be tried again.
    expect(bot.logs().filter((line) => line.msg === 'send failed; will retry' || Number(line.level) >= 50)).toEqual([]);
  });
});
