/*
 * The bot on WeChat end to end: the real chat runtime and outbox on a real database, the WeChat adapter on
 * real wechaty with wechaty-puppet-mock, people who bind, report and ask the way they would on a phone.
 * Then `npm start` with WECHATY_PUPPET set, as an operator runs it.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { newInvite } from '../helpers/invites.js';
import { enqueueMessages } from '../../src/app/outbox.js';
import { createWechatAdapter } from '../../src/channels/wechat/wechat-adapter.js';
import { translator } from '../../src/core/i18n.js';
import { type MockPerson, type MockWechat, createMockWechat } from '../channels/wechat-mock.js';
import { NOV_25, createClock, storedFigure } from '../helpers/chat.js';
import { describeEachDatabase, withDemoFigures } from '../helpers/databases.js';
import { cleanEnv, removeTemporaryFolders, spawnProcess, startBot, stopAll, temporaryFolder } from '../helpers/processes.js';

const t = translator('zh-CN');
const REPLY_MS = 10_000;
/** The dialogue's question `n` of 4 (王明's section, 运行监测股, owns four indicators). */
const asking = (n: number) => new RegExp(`(^|\\n)\\(${n}/4\\) `);

/** One person's side of the private chat: say `text`, get every reply up to the one matching `until`. */
function chatWith(person: MockPerson) {
  return async (text: string, until: string | RegExp): Promise<string[]> => {
    const from = person.inbox.items.length;
    person.says(text);
    const matches = (reply = '') => (typeof until === 'string' ? reply.includes(until) : until.test(reply));
    const items = await person.inbox.waitUntil((all) => all.slice(from).some((item) => matches(item.text)), REPLY_MS);
    return items.slice(from).map((item) => item.text ?? `[file ${item.file?.name}]`);
  };
}

describeEachDatabase('the bot on WeChat', (ctx) => {
  const clock = createClock(NOV_25);
  let wechat: MockWechat;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  let codes: { director: string; wang: string };
  let director: MockPerson;
  let directorBound: Promise<string[]> | undefined;
  /** Binds the director's WeChat once, whichever test needs it first. */
  const bindDirector = () => (directorBound ??= chatWith(director)(`绑定 ${codes.director}`, '绑定成功'));

  beforeAll(async () => {
    const deps = { prisma: ctx.db().prisma, now: clock.now };
    await withDemoFigures(deps);
    codes = {
      director: (await newInvite(deps, { member: 'director', actor: 'test' })).code,
      wang: (await newInvite(deps, { member: 'wang', actor: 'test' })).code,
    };
    wechat = createMockWechat();
    const adapter = createWechatAdapter({ puppet: wechat.puppet, showQrcode: () => {} });
    runtime = await startChatRuntime({ prisma: ctx.db().prisma, adapters: [adapter], now: clock.now, sweepIntervalMs: 0 });
    wechat.login();
    director = wechat.person('林志强');
  });

  afterAll(async () => {
    await runtime?.stop();
  });

  it('refuses a stranger and tells them no figure, name or section', async () => {
    const replies = await chatWith(wechat.person('陌生人'))('2020年技改完成率', t('chat.stranger'));
    expect(replies).toEqual([t('chat.stranger')]);
  });

  it('binds a section head by 绑定 CODE, takes a whole monthly report and stores the figures', async () => {
    const wang = chatWith(wechat.person('王明'));
    const bound = await wang(`绑定 ${codes.wang}`, '绑定成功');
    expect(bound[0]?.startsWith(t('chat.bind_welcome', { name: '王明' }))).toBe(true);

    expect((await wang('报送', asking(1))).join('\n')).toContain('(1/4) 规上工业总产值 1–11月累计（亿元）？');
    await wang('19.6亿', asking(2));
    const reasked = await wang('-1', asking(2));
    expect(reasked.at(-1)).toContain('规上工业增加值不能是负数');
    await wang('两千三百万', asking(3));
    await wang('196000万', asking(4));
    const review = (await wang('3家 博昇乐、创睿极光、金丰', '回复“确认”提交')).join('\n');
    expect(review).toContain('2. 规上工业增加值 0.23 亿元');
    expect(review).toContain('4. 新增规上企业 3 家（备注：博昇乐、创睿极光、金丰）');
    const done = (await wang('确认', '工业投资：')).join('\n');
    expect(done).toContain('已提交 2026年11月 数据 4 项。');

    const prisma = ctx.db().prisma;
    expect((await storedFigure(prisma, 'industrial_added_value', '2026-11'))?.value).toBe('0.23');
    const investment = await storedFigure(prisma, 'industrial_investment', '2026-11');
    expect(Number(investment?.value)).toBe(19.6);
    expect(investment?.revisions.map((revision) => revision.channel)).toEqual(['wechat']);
    expect((await storedFigure(prisma, 'new_above_scale_firms', '2026-11'))?.revisions[0]?.note).toBe('博昇乐、创睿极光、金丰');
  });

  it("answers the director's 2020年技改完成率 with the seed's 81%", async () => {
    await bindDirector();
    const replies = await chatWith(director)('2020年技改完成率', '工业技改投资');
    expect(replies.at(-1)).toMatch(/^工业技改投资：1–12月累计 2\.43 亿元，完成年度目标 3 亿元的 81%/);
  });

  it('sends /export 2020 as the 完成情况表 workbook file: summary, monthly figures, figures and history', async () => {
    await bindDirector();
    const from = director.inbox.items.length;
    director.says('/export 2020');
    const items = await director.inbox.waitUntil((all) => all.slice(from).some((item) => item.file), REPLY_MS);
    const file = items.slice(from).find((item) => item.file)?.file;
    expect(file?.name).toBe('乐昌市工业和信息化局-2020.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file?.content as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['完成情况', '月度数据', '数据', '修订记录']);
  });

  it('answers an @-mention in a group with the private-chat notice only, and no figure', async () => {
    await bindDirector();
    const group = wechat.group('工信局工作群', [director]);
    const privately = director.inbox.items.length;
    director.saysIn(group, '大家好');
    director.saysIn(group, '2020年技改完成率', { mention: true });
    await group.inbox.waitFor(1, REPLY_MS);
    await runtime.idle();
    expect(group.inbox.items).toEqual([{ text: t('chat.group_private_only') }]);
    expect(director.inbox.items.length).toBe(privately);
  });

  it('keeps a message queued while the account is logged out and sends it after the next login', async () => {
    const zhou = wechat.person('周婷');
    const prisma = ctx.db().prisma;
    await wechat.logout('phone went offline');
    const queued = { channel: 'wechat', chat: zhou.identity, kind: 'reminder', text: '请报送 2026年11月 数据' };
    await prisma.$transaction((tx) => enqueueMessages(tx, [queued], clock.now()));
    await runtime.dispatcher.flush();
    const waiting = await prisma.outboxMessage.findFirstOrThrow({ where: { chat: zhou.identity } });
    // Not even tried while logged out: a long logout uses up none of its attempts.
    expect([waiting.status, waiting.attempts, waiting.lastError]).toEqual(['pending', 0, null]);

    wechat.login();
    clock.advance(10 * 60_000);
    await runtime.dispatcher.flush();
    expect(await zhou.inbox.waitFor(1)).toEqual([{ text: '请报送 2026年11月 数据' }]);
  });
});

describe('npm start with WECHATY_PUPPET', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = path.join(await temporaryFolder('wechat'), 'data');
  });

  afterAll(async () => {
    await stopAll();
    await removeTemporaryFolders();
  });

  it('starts the WeChat channel on the named puppet, waits for a login, and stops cleanly', async () => {
    const bot = await startBot({ DATA_DIR: dataDir, WECHATY_PUPPET: 'wechaty-puppet-mock' });
    expect(bot.logs().find((line) => line.msg === 'running')?.channels).toEqual(['wechat']);
    expect(bot.logs().some((line) => line.msg === 'wechat started; waiting for the account to log in')).toBe(true);
    await bot.stop();
    expect(await bot.exited).toBe(0);
  });

  it('refuses to start when the puppet is not installed, naming it', async () => {
    const env = cleanEnv({ DATA_DIR: dataDir, WECHATY_PUPPET: 'wechaty-puppet-not-installed' });
    const bot = spawnProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], env);
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toContain('cannot load the WeChat puppet wechaty-puppet-not-installed');
  });
});
