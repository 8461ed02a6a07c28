import { describe, expect, it } from 'vitest';
import { periodLabel } from '../../src/core/render.js';
import { translator } from '../../src/core/i18n.js';
import { missingReport } from '../../src/app/missing-report.js';
import { reportData, unreported } from '../../src/app/reports/report-data.js';
import { NOV_25, texts, useChat } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { decodePng, docxParagraphs } from '../helpers/documents.js';

/*
 * The documents in chat: /通报 sends the period's bulletin as a file, 看图 the completion chart as a picture,
 * to directors and administrators only. The clock stands at 2026-11-25 10:00 (Asia/Shanghai).
 */

describeEachDatabase('chat: the bulletin and the chart', (ctx) => {
  const chat = useChat(ctx);

  it('sends this period\'s bulletin as a .docx on /通报, listing who has not reported yet', async () => {
    const { channel } = await chat.start();
    const [sent] = await channel.say('director', '/通报');
    expect(sent?.file?.name).toBe('乐昌市工业和信息化局2026年11月主要指标完成情况通报.docx');
    expect(sent?.text).toBe('乐昌市工业和信息化局2026年11月主要指标完成情况通报');
    const text = (await docxParagraphs(sent!.file!.content)).join('\n');
    expect(text).toContain(`四、${periodLabel(translator('zh-CN'), { year: 2026, month: 11 })}数据报送情况`);
    const missing = await missingReport(ctx.deps(NOV_25), { year: 2026, month: 11 });
    for (const section of missing.sections) expect(text).toContain(`${section.section.name}未报送：`);
    // October, the month before, still owes figures: said under it, as 谁还没报 says it.
    const october = await missingReport(ctx.deps(NOV_25), { year: 2026, month: 10 });
    expect(october.sections.length).toBeGreaterThan(0);
    const paragraphs = text.split('\n');
    const from = paragraphs.indexOf('此外，2026年10月数据仍有未报送：');
    expect(from).toBeGreaterThan(paragraphs.findIndex((line) => line.startsWith('四、')));
    expect(paragraphs.slice(from + 1, from + 1 + october.sections.length).map((line) => line.split('未报送：')[0])).toEqual(
      october.sections.map((section) => section.section.name),
    );
  });

  it('sends a named month\'s bulletin, with its figures', async () => {
    const { channel } = await chat.start();
    const [sent] = await channel.say('director', '10月通报');
    expect(sent?.file?.name).toBe('乐昌市工业和信息化局2026年10月主要指标完成情况通报.docx');
    const text = (await docxParagraphs(sent!.file!.content)).join('\n');
    expect(text).toContain('1-10月我市完成工业投资18.20亿元，完成韶关下达年度目标任务（21亿元）的86.67%。序时进度83.33%，领先3.34个百分点。');
  });

  it('sends no bulletin for a month whose reporting has not started, saying so', async () => {
    const { channel } = await chat.start();
    expect(texts(await channel.say('director', '/通报 2026-12'))).toEqual(['2026年12月 的报送还没开始（现在报送的是 2026年11月），还不能出这个月的通报。']);
  });

  it('sends the year\'s self-evaluation draft as a .docx when asked for it (今年的自评报告, 2020年自评)', async () => {
    const { channel } = await chat.start();
    const [sent] = await channel.say('director', '今年的自评报告');
    expect(sent?.file?.name).toMatch(/2026.*\.docx$/);
    expect((await docxParagraphs(sent!.file!.content)).join('\n')).toContain('工业投资');
    const [past] = await channel.say('director', '2020年自评');
    expect(past?.file?.name).toMatch(/2020.*\.docx$/);
  });

  it('answers 看图 with the completion chart as a PNG', async () => {
    const { channel } = await chat.start();
    const [sent] = await channel.say('director', '看图');
    expect(sent?.file?.name).toBe('乐昌市工业和信息化局2026年10月完成率与序时进度.png');
    const png = decodePng(sent!.file!.content);
    expect([png.width, png.height]).toEqual([1000, 560]);
    expect(png.inked()).toBeGreaterThan(5000);
    // Under the caption, the targets it could not draw for want of a figure, each named.
    const [caption, note] = sent!.text!.split('\n');
    expect(caption).toBe('乐昌市工业和信息化局2026年1-10月指标完成率与序时进度（柱为完成率，横线为序时进度）');
    const missing = unreported((await reportData(ctx.deps(NOV_25), { year: 2026, month: 10 })).items);
    expect(missing.length).toBeGreaterThan(0);
    expect(note).toBe(`另有${missing.length}项有年度目标的指标尚未报送，未画入图中：${missing.map((item) => item.indicator.name).join('、')}。`);
  });

  it('says in words that a year without figures has no chart, instead of sending an empty one', async () => {
    const { channel } = await chat.start();
    expect(await channel.say('director', '2025年看图')).toEqual([
      { chat: 'telegram:director', text: '2025年有年度目标的指标还没有数据，暂无可画的图。可以问“总体进度”看各项情况。' },
    ]);
  });

  it('offers both in a director\'s help, and neither in a section member\'s', async () => {
    const { channel } = await chat.start();
    expect(texts(await channel.say('director', '帮助'))[0]).toContain(
      '“通报”或 /通报：本期指标完成情况通报（Word 文件）；“自评报告”：年度绩效自评报告初稿（Word 文件）；“看图”：完成率与序时进度图',
    );
    expect(texts(await channel.say('zhou', '帮助'))[0]).not.toContain('通报');
  });

  it('shows a one-line report with one of the member\'s own indicators, and none to whom the file gives none', async () => {
    const { channel } = await chat.start();
    const own = texts(await channel.say('wang', '帮助'))[0]!;
    expect(own).toMatch(/也可直接发“指标 数值”，如“规上工业总产值 2\.5亿”$/);
    // The overview, of the member's section, is offered too.
    expect(own).toContain('· “总体进度”或 /progress：本股室各项指标，落后的排在前面');
    // The office's administrator reports nothing: no reporting line, no other bureau's example.
    const help = texts(await channel.say('admin', '帮助'))[0]!;
    expect(help).not.toContain('/report');
    expect(help).not.toContain('5G');
    expect(texts(await channel.say('admin', '/report'))).toEqual(['您名下暂时没有需要报送的指标（各项指标由哪个股室报送，在组织文件中设定）。']);
  });

  it('gives neither to a section member', async () => {
    const { channel } = await chat.start();
    for (const request of ['/通报', '看图', '自评报告']) {
      expect(await channel.say('zhou', request)).toEqual([{ chat: 'telegram:zhou', text: '通报、自评报告和图表仅向局领导和管理员提供。' }]);
    }
  });

  describe('in English', () => {
    it('sends the bulletin on /bulletin to an English-speaking director', async () => {
      await ctx.db().prisma.member.update({ where: { key: 'deputy' }, data: { locale: 'en' } });
      const { channel } = await chat.start();
      const [sent] = await channel.say('deputy', '/bulletin 2026-10');
      // Named as the reader reads the bureau: its English name (the file's name_en).
      expect(sent?.file?.name).toBe('Lechang Bureau of Industry and Information Technology-2026-10-bulletin.docx');
      const paragraphs = await docxParagraphs(sent!.file!.content);
      expect(paragraphs[0]).toBe('Lechang Bureau of Industry and Information Technology: progress bulletin on the main indicators, October 2026');
    });
  });
});
