import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readFiguresCsv } from '../../src/app/io/figures-csv.js';
import { newInvite } from '../helpers/invites.js';
import { NOV_25, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * The chat seen from outside, through an in-memory channel: who may talk to the bot, what directors and
 * staff are told, in which language. Reporting is in chat-reporting.test.ts, restarts and failures in
 * chat-resilience.test.ts. The clock stands at 2026-11-25 10:00 (Asia/Shanghai).
 */

const REFUSAL =
  '您好，这里是报数助手。您还没有绑定账号，暂时无法使用。请向办公室索取邀请码，然后发送“绑定 邀请码”（Telegram 可发送 /start 邀请码）。';
const HOURS = 3_600_000;

describeEachDatabase('chat: access, questions and languages', (ctx) => {
  const chat = useChat(ctx);

  describe('strangers and binding', () => {
    it('tells a stranger only that they are not bound, whatever they ask, and sends no file', async () => {
      const { channel } = await chat.start();
      const { prisma } = ctx.db();
      const questions = ['技改完成率', '2020年技改完成率', '谁还没报', '总体进度', '/export', '/report', '5G站点 本月新增12个', '王明', 'help'];
      for (const question of questions) {
        expect(texts(await channel.say('9000001', question)), question).toEqual([REFUSAL]);
      }
      // 办公室 is where invites come from, so the refusal names it; no other section, person or indicator.
      const names = [
        ...(await prisma.member.findMany()).map((member) => member.name),
        ...(await prisma.section.findMany({ where: { key: { not: 'office' } } })).map((section) => section.name),
        ...(await prisma.indicator.findMany()).map((indicator) => indicator.name),
      ];
      for (const name of names) expect(REFUSAL).not.toContain(name);
      expect(REFUSAL).not.toMatch(/\d/);
      expect(channel.sent.every((message) => message.file === undefined)).toBe(true);
    });

    it('binds a Telegram account by /start CODE and welcomes the member by name with what to ask', async () => {
      const { code } = await newInvite(ctx.deps(NOV_25), { member: 'chen', actor: 'admin' });
      const { channel } = await chat.start();
      const [welcome, help] = texts(await channel.say('9000002', `/start ${code}`));
      // Greeted once, by the help that follows, not twice.
      expect(welcome).toBe('绑定成功！');
      expect(help).toMatch(/^陈静您好，我是报数助手。可以这样问我：/);
      expect(help).toContain('/report');
      expect(await ctx.db().prisma.chatIdentity.findUnique({ where: { identity: 'telegram:9000002' }, include: { member: true } }))
        .toMatchObject({ source: 'invite', member: { key: 'chen' } });
      expect(texts(await channel.say('9000002', '/start'))).not.toContain(REFUSAL);
    });

    it('binds a WeChat account by 绑定 CODE', async () => {
      const { code } = await newInvite(ctx.deps(NOV_25), { member: 'zhao', actor: 'admin' });
      const { channel } = await chat.start({ channels: ['wechat'] });
      expect(texts(await channel.say('wxid_zhao', `绑定 ${code}`)).slice(0, 2).join('\n')).toMatch(/^绑定成功！\n赵敏您好，我是报数助手。/);
      expect(texts(await channel.say('wxid_zhao', '谁还没报'))[0]).toContain('中小企业局');
    });

    it('refuses a used, an expired and an unknown code, and the sender stays a stranger', async () => {
      const used = await newInvite(ctx.deps(NOV_25), { member: 'liu', actor: 'admin' });
      const expired = await newInvite(ctx.deps(new Date(NOV_25.getTime() - 73 * HOURS)), { member: 'liu', actor: 'admin' });
      const { channel } = await chat.start();
      await channel.say('9000003', `/start ${used.code}`);

      expect(texts(await channel.say('9000004', `/start ${used.code}`))).toEqual(['该邀请码已被使用。如需重新绑定，请向办公室索取新的邀请码。']);
      expect(texts(await channel.say('9000004', `绑定 ${expired.code}`))).toEqual(['邀请码已过期。请向办公室索取新的邀请码。']);
      expect(texts(await channel.say('9000004', '/start ZZZZ2222'))).toEqual(['邀请码无效。请核对后重新发送，或向办公室索取新的邀请码。']);
      expect(texts(await channel.say('9000004', '技改完成率'))).toEqual([REFUSAL]);
    });
  });

  describe('groups', () => {
    it('ignores group talk that does not mention the bot, from members and strangers alike', async () => {
      const { channel } = await chat.start();
      expect(await channel.say('director', '技改完成率', { group: '-100777' })).toEqual([]);
      expect(await channel.say('9000005', '有人吗', { group: '-100777' })).toEqual([]);
      expect(channel.sent).toEqual([]);
    });

    it('answers a mention in a group only with the private-chat notice, never with a figure', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('director', '2020年技改完成率', { group: '-100777', mentioned: true }))).toEqual([
        '为保护各股室数据，报数和查询请私聊我。',
      ]);
      expect(texts(await channel.say('wang', '/report', { group: '-100777', mentioned: true }))).toEqual(['为保护各股室数据，报数和查询请私聊我。']);
    });
  });

  describe("directors' questions", () => {
    it('answers 2020年技改完成率 with exactly the seed’s 81% line', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('director', '2020年技改完成率'))).toEqual([
        '工业技改投资：1–12月累计 2.43 亿元，完成年度目标 3 亿元的 81%，序时进度 100%，落后 19 个百分点；同比增长 34.1%。',
      ]);
    });

    it('answers this year’s completion against 序时进度, and a month named in the question for that month', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('director', '技改投资完成情况'))).toEqual([
        '工业技改投资：1–10月累计 2.05 亿元，完成年度目标 3 亿元的 68.33%，序时进度 83.33%，落后 15 个百分点。',
      ]);
      expect(texts(await channel.say('director', '9月工业投资'))).toEqual([
        '工业投资：1–9月累计 15.10 亿元，完成年度目标 21 亿元的 71.9%，序时进度 75%，落后 3.1 个百分点。',
      ]);
      // A month before the year's first figure: none up to it, and the month that has one (not "none this year").
      expect(texts(await channel.say('director', '9月技改完成率'))).toEqual(['工业技改投资：2026年截至9月尚无数据（2026年10月已有数据）。']);
    });

    it('lists every indicator with a target for 总体进度, behind schedule first', async () => {
      const { channel } = await chat.start();
      const [overview] = texts(await channel.say('director', '总体进度'));
      const lines = overview!.split('\n');
      expect(lines[0]).toBe('乐昌市工业和信息化局 2026年目标任务完成情况（数据截至10月；2026年11月已报送 0/6 个股室）');
      expect(lines.slice(1, 3)).toEqual([
        '工业技改投资：1–10月累计 2.05 亿元，完成年度目标 3 亿元的 68.33%，序时进度 83.33%，落后 15 个百分点。',
        '工业投资：1–10月累计 18.20 亿元，完成年度目标 21 亿元的 86.67%，序时进度 83.33%，领先 3.34 个百分点。',
      ]);
      // Seven with a 2026 target, then one line naming the eight without.
      expect(lines).toHaveLength(1 + 7 + 1);
      expect(lines.at(-1)).toMatch(/^另有 8 项指标2026年未设目标：规上工业总产值、/);
      expect(texts(await channel.say('director', '/progress'))).toEqual([overview]);
    });

    it('names the sections and people who have not reported for 谁还没报', async () => {
      const { channel } = await chat.start();
      const [missing] = texts(await channel.say('director', '谁还没报'));
      expect(missing).toMatch(/^2026年11月 未报送情况（截止 11月30日）：\n/);
      expect(missing).toContain('运行监测股：规上工业总产值、规上工业增加值、工业投资、新增规上企业\n　负责人：王明、周婷');
      expect(missing).toContain('科技计划股：新增研发机构、R&D经费占GDP比重\n　负责人：刘洋、黄磊');
      // October, whose deadline has passed, still owed by all but 运行监测股: said after, not forgotten.
      expect(missing).toContain('\n此外，2026年10月 还有未报（截止 10月30日，已逾期）：\n产业技术与工业节能股：');
      expect(missing?.split('此外')[1]).not.toContain('运行监测股');
      // A month not open yet: nobody owes it, whoever is named.
      const notYet = '2027年3月 的报送还没开始（现在报送的是 2026年11月），还没有谁欠报。';
      expect(texts(await channel.say('director', '2027年3月谁还没报'))).toEqual([notYet]);
      expect(texts(await channel.say('director', '2027年3月李华报了没有'))).toEqual([notYet]);
      // A year not begun, no month named: its first month, not this one.
      expect(texts(await channel.say('director', '2027年谁还没报'))).toEqual(['2027年1月 的报送还没开始（现在报送的是 2026年11月），还没有谁欠报。']);
    });

    it('answers whether one person, section or indicator has reported, for 李华报了没有 and the like', async () => {
      const { channel } = await chat.start();
      const ask = async (text: string) => texts(await channel.say('director', text));
      // October's figure still missing, past its deadline, follows on a line of its own.
      const techOwed =
        '产业技术与工业节能股（李华）：2026年11月还差 2 项未报——工业技改投资、清洁生产审核企业；截止11月30日。\n' +
        '　此外，2026年10月还差 1 项未报——清洁生产审核企业；截止10月30日，已逾期。';
      const monitoringOwed = '运行监测股（王明、周婷）：2026年11月还差 4 项未报——规上工业总产值、规上工业增加值、工业投资、新增规上企业；截止11月30日。';
      expect(await ask('李华报了没有')).toEqual([techOwed]);
      // In English, by the keys of the organisation file (names are Chinese); a key inside a word is no key.
      expect(await ask('has li reported?')).toEqual([techOwed]);
      expect(await ask('Has Monitoring reported')).toEqual([monitoringOwed]);
      expect((await ask('has the delivery team reported'))[0]).toMatch(/^2026年11月 未报送情况/);
      expect(await ask('技改报没报')).toEqual([techOwed]);
      expect(await ask('运行监测股报了吗')).toEqual([monitoringOwed]);
      expect(await ask('10月运行监测股报了吗')).toEqual(['运行监测股（王明、周婷）：2026年10月的 4 项已报齐。']);
      // A section the organisation has not (an old name, a slip): said so, with the one meant if it is near.
      const sections = '办公室、运行监测股、产业技术与工业节能股、无线电与数字信息化和安全生产股、高新技术发展与产学研股、科技计划股、中小企业局、人事股';
      expect(await ask('请问运输管理股报了吗')).toEqual([`没有叫“运输管理股”的股室。现有股室：${sections}。`]);
      expect(await ask('运行检测股11月报了没有')).toEqual([`没有叫“运行检测股”的股室，是不是“运行监测股”？现有股室：${sections}。`]);
      // A name that grew (产业技术股, now 产业技术与工业节能股): the one section that holds it.
      expect((await ask('产业技术股报了吗'))[0]).toMatch(/^没有叫“产业技术股”的股室，是不是“产业技术与工业节能股”？/);
      // The sections in general are no section's name.
      expect((await ask('各股室报了吗'))[0]).toMatch(/^2026年11月 未报送情况/);
      expect((await ask('哪个股室还没报'))[0]).toMatch(/^2026年11月 未报送情况/);
      expect((await ask('还差哪些股室没报'))[0]).toMatch(/^2026年11月 未报送情况/);
      expect(await ask('王股长和刘洋交了没')).toEqual([
        `${monitoringOwed}\n科技计划股（刘洋、黄磊）：2026年11月还差 2 项未报——新增研发机构、R&D经费占GDP比重；截止11月30日。\n` +
          '　此外，2026年10月还差 2 项未报——新增研发机构、R&D经费占GDP比重；截止10月30日，已逾期。',
      ]);
      // Someone who reports nothing (the director himself): the whole list, as for 谁还没报.
      expect((await ask('林志强报了没有'))[0]).toMatch(/^2026年11月 未报送情况（截止 11月30日）：\n运行监测股：/);
      // A reporter hears about their own section only, whoever they name.
      expect(texts(await channel.say('zhao', '李华报了没有'))[0]).not.toContain('产业技术与工业节能股');
    });

    it('offers a short choice list for an ambiguous question and answers the number picked, or the name', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('director', '投资'))).toEqual(['您问的是哪一项？\n1. 工业投资\n2. 工业技改投资\n请回复序号。']);
      expect(texts(await channel.say('director', '1'))).toEqual([
        '工业投资：1–10月累计 18.20 亿元，完成年度目标 21 亿元的 86.67%，序时进度 83.33%，领先 3.34 个百分点。',
      ]);
      // Answered by name rather than number, the question's month stays.
      expect(texts(await channel.say('director', '9月投资'))[0]).toMatch(/^您问的是哪一项？/);
      // 15.10 of 21 is 71.9%, against 9/12 = 75%.
      expect(texts(await channel.say('director', '工业投资'))).toEqual([
        '工业投资：1–9月累计 15.10 亿元，完成年度目标 21 亿元的 71.9%，序时进度 75%，落后 3.1 个百分点。',
      ]);
    });

    it('answers a question it does not understand with examples of what can be asked', async () => {
      const { channel } = await chat.start();
      const [reply] = texts(await channel.say('director', '今天天气怎么样'));
      expect(reply).toMatch(/^没太明白您的意思。可以这样问我：\n/);
      expect(reply).toContain('“总体进度”或 /progress');
      expect(reply).toContain('“谁还没报”或 /missing');
      // A reporter's one-line example is one of their own indicators, in its unit.
      const [own] = texts(await channel.say('zhao', 'help'));
      expect(own).toContain('也可直接发“指标 数值”，如“企业授信 2.5亿”');
      const [sites] = texts(await channel.say('zhang', 'help'));
      expect(sites).toContain('如“5G基站建设 12个”');
      // The examples name real periods: last year, and the month before the one reported now (2026-11).
      expect(reply).toMatch(/“2025年[^”]+”“10月[^”]+”：完成情况与序时进度/);
      expect(own).toContain('/report 2026-10 更正以往月份');
    });

    it('sends the year’s figures as CSV when asked for CSV, one figure a row, readable by the import', async () => {
      const { channel } = await chat.start();
      for (const ask of ['导出csv', '/export csv']) {
        const [sent] = await channel.say('director', ask);
        expect(sent?.file?.name).toBe('乐昌市工业和信息化局-2026.csv');
        const count = Number(/（(\d+) 条）/.exec(sent?.text ?? '')?.[1]);
        expect(sent?.text).toBe(`2026年全部数据（${count} 条），CSV 格式：每行一个数字，指标以 key 标识，时间为本单位时区时间（带时差，如 +08:00）；可用 npm run cli -- import 导回。`);
        const rows = readFiguresCsv(Buffer.from(sent!.file!.content).toString('utf8'));
        expect(rows.ok && rows.value.length).toBe(count);
        expect(count).toBeGreaterThan(0);
      }
    });

    it('sends the year’s completion workbook on /export: completion, monthly figures, figures and revisions', async () => {
      const { channel } = await chat.start();
      const [sent] = await channel.say('director', '/export');
      expect(sent?.text).toMatch(/^2026年主要指标完成情况表（\d+ 条数据），含“完成情况”“月度数据”“数据”“修订记录”四张表。$/);
      expect(sent?.file?.name).toBe('乐昌市工业和信息化局-2026.xlsx');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(sent!.file!.content as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['完成情况', '月度数据', '数据', '修订记录']);
      const figures = JSON.stringify(workbook.getWorksheet('数据')!.getSheetValues());
      // The indicator by its name, not its key.
      expect(figures).toContain('"工业技改投资","2026-10",2.05,"亿元"');
      expect(figures).not.toContain('tech_upgrade_investment');
      const summary = workbook.getWorksheet('完成情况')!.getSheetValues() as unknown[][];
      const investment = summary.find((row) => row?.[2] === '工业投资');
      // No., name, unit, section, target, basis, year to date, completion, 序时进度, gap (points, signed), status.
      expect(investment?.slice(1, 12)).toEqual([3, '工业投资', '亿元', '运行监测股', 21, '1-10月累计', 18.2, 86.67, 83.33, 3.34, '领先']);
    });
  });

  describe('what staff may see', () => {
    it('keeps another section’s figures from a staff member, and the director sees them', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('zhou', '技改完成率'))).toEqual(['您只能查看本股室的指标。']);
      expect(texts(await channel.say('zhou', '工业投资完成情况'))[0]).toMatch(/^工业投资：1–10月累计 18.20 亿元/);
      expect(texts(await channel.say('director', '技改完成率'))[0]).toMatch(/^工业技改投资：1–10月累计 2.05 亿元/);
    });

    it('neither names another section’s indicator in a choice list nor lists it in 总体进度 or 谁还没报', async () => {
      const { channel } = await chat.start();
      const replies = [
        ...texts(await channel.say('zhou', '投资')),
        ...texts(await channel.say('zhou', '总体进度')),
        ...texts(await channel.say('zhou', '谁还没报')),
      ];
      expect(replies[0]).toMatch(/^工业投资：/);
      for (const other of ['技改', '产业技术', '科技计划', '黄磊', '5G']) expect(replies.join('\n')).not.toContain(other);
      // Its header counts the section's own figures, not the bureau's sections it does not speak for.
      expect(replies[1]?.split('\n')[0]).toBe('运行监测股 2026年目标任务完成情况（数据截至10月；2026年11月本股室已报 0/4 项）');
    });

    it('exports only for directors and the office', async () => {
      const { channel } = await chat.start();
      expect(await channel.say('zhou', '/export')).toEqual([{ chat: 'telegram:zhou', text: '导出全年数据仅限局领导和办公室。' }]);
    });
  });

  describe('English', () => {
    it('speaks English to a member whose locale is en', async () => {
      const { channel } = await chat.start();
      expect(texts(await channel.say('huang', 'what is our R&D share'))).toEqual([
        'R&D expenditure as a share of GDP: no figures for 2026 yet (latest figures: December 2020); November 2026 not reported yet (Science and Technology Planning Section: 刘洋, 黄磊, due 30 November).',
      ]);
      expect(texts(await channel.say('huang', "what's our tech-upgrade completion"))[0]).not.toMatch(/[\u4e00-\u9fff]{2}/);
      const [opening, question] = texts(await channel.say('huang', '/report'));
      expect(opening).toBe(
        'Hello 黄磊! Please report the figures for November 2026 (deadline 30 November): 2 items. Just reply with the number; a unit is fine.',
      );
      expect(question).toBe('(1/2) New R&D institutions, added in November (institutions)?');
      expect(texts(await channel.say('huang', 'cancel'))[0]).not.toMatch(/[\u4e00-\u9fff]/);
    });
  });
});
