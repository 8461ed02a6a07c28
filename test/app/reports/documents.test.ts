import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/app/deps.js';
import { importFigures } from '../../../src/app/import-figures.js';
import { readFiguresXlsx } from '../../../src/app/io/figures-xlsx.js';
import { missingReport } from '../../../src/app/missing-report.js';
import { progressReport } from '../../../src/app/progress-report.js';
import { recordFigure } from '../../../src/app/record-figure.js';
import { buildAnnualReport } from '../../../src/app/reports/annual-report.js';
import { buildBulletin } from '../../../src/app/reports/bulletin.js';
import { weOf } from '../../../src/app/reports/sentences.js';
import { translator } from '../../../src/core/i18n.js';
import { buildWorkbook } from '../../../src/app/reports/workbook.js';
import { zonedParts } from '../../../src/core/calendar.js';
import { Decimal, dec } from '../../../src/core/decimal.js';
import { completionRate, formatFigure, formatGrowth, formatPercent, formatPoints, yearOnYearGrowth } from '../../../src/core/progress.js';
import type { Database } from '../../../src/db/database.js';
import { seedFigures } from '../../helpers/chat.js';
import { demoDatabase as openDemoDatabase } from '../../helpers/databases.js';
import { decodePng, docxMedia, docxParagraphXml, docxParagraphs, docxPart } from '../../helpers/documents.js';

/*
 * The documents directors take away, read back as a reader's program would: the workbook with exceljs,
 * the .docx files unpacked and their text checked against the progress the database gives, the chart
 * decoded. The demo data is the seed report's 2020 series; the clock stands at 2026-11-27 18:38 Beijing.
 */

const NOW = new Date('2026-11-27T10:38:29.510Z');

const demoDatabase = () => openDemoDatabase(NOW);

describe('documents from the demo data', () => {
  let database: Database;
  let deps: AppDeps;
  beforeAll(async () => {
    ({ database, deps } = await demoDatabase());
  });
  afterAll(async () => {
    await database.close();
  });

  describe('the annual self-evaluation draft', () => {
    it('writes the seed report\'s own sentences for 2020, every figure computed from the stored series', async () => {
      const text = (await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }))).join('\n');
      expect(text).toContain('1-12月我市完成工业投资25.15亿元，同比增长33.7%，完成韶关下达年度目标任务（21亿元）的119.76%。');
      expect(text).toContain('1-12月我市完成工业技改投资2.43亿元，同比增长34.1%，完成年度目标任务（3亿元）的81%。');
      expect(text).toContain('截至12月R&D经费占GDP比重为0.50%，完成年度目标任务（0.66%）的75.76%。');
      expect(text).toContain('1-12月我市完成规上工业总产值47.57亿元，同比增长15.1%。');
    });

    it('gives every indicator with a 2020 figure its year-to-date and completion, as the progress report computes them', async () => {
      const text = (await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }))).join('\n');
      const report = await progressReport(deps, { year: 2020 });
      for (const item of report.items) {
        if (item.ytd === undefined) continue;
        expect(text).toContain(`${item.indicator.name}${item.indicator.kind === 'level' ? '为' : ''}${formatFigure(item.ytd, item.indicator.decimals)}`);
        if (item.rate) expect(text).toContain(`的${formatPercent(item.rate)}%`);
      }
    });

    it('follows the seed\'s outline and marks what the bot cannot know as places to fill in', async () => {
      const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }));
      const headings = ['一、部门基本情况', '二、机构情况', '三、人员情况', '四、年度总体工作和重点工作任务完成情况', '五、主要工作措施',
        '六、部门整体支出绩效目标', '七、部门整体支出情况', '八、绩效自评情况', '（一）预算执行情况', '（三）自评结论', '九、存在问题及改进意见'];
      const positions = headings.map((heading) => paragraphs.indexOf(heading));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // Budget execution and the self-assessed score are to be filled in, right under their headings.
      expect(paragraphs[paragraphs.indexOf('（一）预算执行情况') + 1]).toBe('（待填写：预算执行情况）');
      expect(paragraphs[paragraphs.indexOf('（三）自评结论') + 1]).toBe('（待填写：自评结论和自评得分）');
      // Part 四 by responsible section, in the organisation file's order.
      expect(paragraphs.filter((line) => /^（[一二三四五六]）.+负责指标完成情况$/.test(line)).slice(0, 2))
        .toEqual(['（一）运行监测股负责指标完成情况', '（二）产业技术与工业节能股负责指标完成情况']);
      // The sections come from the organisation, the shortfalls from the data.
      expect(paragraphs).toContain('乐昌市工业和信息化局内设8个机构，分别是办公室、运行监测股、产业技术与工业节能股、无线电与数字信息化和安全生产股、高新技术发展与产学研股、科技计划股、中小企业局、人事股。');
      expect(paragraphs).toContain('工业技改投资完成年度目标任务的81%，未完成3亿元的目标。');
      expect(paragraphs.join('\n')).not.toContain('工业投资完成年度目标任务');
    });

    it('names the sections by their English names for an English reader', async () => {
      const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2020, locale: 'en' }));
      expect(paragraphs).toContain(
        'Lechang Bureau of Industry and Information Technology has 8 sections: General Office, Economic Operation Monitoring Section, Industrial Technology and Energy Conservation Section, ' +
          'Radio, Digital Information and Work Safety Section, High-Tech Development and Industry-University-Research Section, ' +
          'Science and Technology Planning Section, SME Bureau, Personnel Section.',
      );
      expect(paragraphs.filter((line) => /^\(\d+\) Indicators of /.test(line)).slice(0, 2)).toEqual([
        '(1) Indicators of Economic Operation Monitoring Section',
        '(2) Indicators of Industrial Technology and Energy Conservation Section',
      ]);
      // The summary table's section column too: no section is named in Chinese.
      expect(paragraphs).toContain('Science and Technology Planning Section');
      expect(paragraphs.join('\n')).not.toMatch(/办公室|运行监测股|产业技术与工业节能股|科技计划股|中小企业局/);
    });

    it('counts in each indicator’s own English unit (unit_en), in sentences and in the table', async () => {
      const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2020, locale: 'en' }));
      // Inside its sentence the name starts in lower case (it opens the table's row).
      const rd = paragraphs.find((line) => line.includes('new R&D institutions in our') && line.includes('target'));
      expect(rd).toMatch(/new R&D institutions[^.]* 5 institutions/);
      expect(rd).not.toMatch(/\bfirms?\b/);
      // The summary table's unit cell follows the sentences.
      expect(paragraphs[paragraphs.indexOf('New R&D institutions') + 1]).toBe('institutions');
    });
  });

  describe('the monthly bulletin', () => {
    it('writes a paragraph per indicator in the seed\'s phrasing with its 序时进度, and lists who is behind with their section', async () => {
      const paragraphs = await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 10 } }));
      expect(paragraphs[0]).toBe('乐昌市工业和信息化局2020年10月主要指标完成情况通报');
      // Dated in its 落款, under the text, not under the title.
      expect(paragraphs[1]).not.toBe('2026年11月27日');
      expect(paragraphs).toContain('1-10月我市完成工业技改投资2.05亿元，同比增长34.1%，完成年度目标任务（3亿元）的68.33%。序时进度83.33%，落后15个百分点。');
      const report = await progressReport(deps, { year: 2020, month: 10 });
      const behind = report.items.filter((item) => item.gap?.status === 'behind');
      expect(behind.length).toBeGreaterThan(1);
      const lines = behind.map((item) =>
        `${item.indicator.name}：完成率${formatPercent(item.rate!)}%，落后序时进度${formatPoints(item.gap!.points)}个百分点（责任股室：${
          (item.indicator as { section?: { name: string } }).section?.name}）。`);
      const at = lines.map((line) => paragraphs.indexOf(line));
      expect(at.every((index) => index > 0)).toBe(true);
      // Largest gap first.
      const byGap = [...behind].sort((a, b) => b.gap!.points.comparedTo(a.gap!.points)).map((item) => lines[behind.indexOf(item)]);
      expect(byGap.map((line) => paragraphs.indexOf(line!))).toEqual([...at].sort((a, b) => a - b));
      expect(paragraphs.some((line) => line.startsWith('工业投资：完成率'))).toBe(false);
      expect(paragraphs).toContain('各股室均已报送2020年10月数据。');
    });

    it('writes a level (a share) against its target, not 序时进度, and names it in 三 while it is short', async () => {
      const paragraphs = await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 10 } }));
      expect(paragraphs).toContain('截至10月R&D经费占GDP比重为0.49%，完成年度目标任务（0.66%）的74.24%。距年度目标尚差0.17个百分点。');
      expect(paragraphs).toContain('R&D经费占GDP比重（水平类指标，不比序时进度）：截至10月为0.49%，距年度目标（0.66%）尚差0.17个百分点（责任股室：科技计划股）。');
      expect(paragraphs.some((line) => line.startsWith('R&D经费占GDP比重：完成率'))).toBe(false);
    });

    it('embeds the completion chart as a PNG that decodes, with ink on it', async () => {
      const media = [...(await docxMedia(await buildBulletin(deps, { period: { year: 2020, month: 10 } }))).values()];
      expect(media).toHaveLength(1);
      const png = decodePng(media[0]!);
      expect([png.width, png.height]).toEqual([1000, 560]);
      expect(png.inked()).toBeGreaterThan(1000 * 560 * 0.02);
    });

    it('names the sections that have not reported the period, with their indicators and people', async () => {
      await seedFigures(deps, ['industrial_investment,2026-10,18.20']);
      const period = { year: 2026, month: 10 };
      const text = (await docxParagraphs(await buildBulletin(deps, { period }))).join('\n');
      const missing = await missingReport(deps, period);
      expect(missing.sections.length).toBeGreaterThan(0);
      for (const section of missing.sections) {
        const line = text.split('\n').find((paragraph) => paragraph.startsWith(`${section.section.name}未报送：`));
        expect(line, section.section.name).toBeDefined();
        for (const indicator of section.indicators) expect(line).toContain(indicator.name);
        for (const person of section.people) expect(line).toContain(person.name);
      }
      expect(text).toContain('运行监测股未报送：规上工业总产值、规上工业增加值、新增规上企业（');
      expect(text).toContain('1-10月我市完成工业投资18.20亿元，完成韶关下达年度目标任务（21亿元）的86.67%。');
    });

    it('reads in English for an English reader', async () => {
      const paragraphs = await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 10 }, locale: 'en' }));
      expect(paragraphs[0]).toBe('Lechang Bureau of Industry and Information Technology: progress bulletin on the main indicators, October 2020');
      // A level (a share) is measured against its target, not against time elapsed.
      expect(paragraphs).toContain(
        'R&D expenditure as a share of GDP (a level, not measured against time elapsed): as of October 0.49%, 0.17 percentage points short of the year\'s target of 0.66% (responsible: Science and Technology Planning Section).',
      );
      expect(paragraphs).toContain('As of October, the R&D expenditure as a share of GDP was 0.49%, 74.24% of the year\'s target (0.66%). That is 0.17 percentage points short of the year\'s target.');
      expect(paragraphs).toContain('In January–October, industrial investment in our city reached 1.911 billion yuan, up 27% year on year, 91% of the year\'s target (2.1 billion yuan, set by 韶关下达). Time elapsed 83.33%, 7.67 points ahead.');
    });
  });

  describe('the layout of an official document (GB/T 9704-2012)', () => {
    let bulletin: Buffer;
    let draft: Buffer;
    let english: Buffer;
    beforeAll(async () => {
      [bulletin, draft, english] = await Promise.all([
        buildBulletin(deps, { period: { year: 2020, month: 10 } }),
        buildAnnualReport(deps, { year: 2020 }),
        buildAnnualReport(deps, { year: 2020, locale: 'en' }),
      ]);
    });
    /** The value of `name` on the first `element` of `xml` (undefined when there is none). */
    const attr = (xml: string, element: string, name: string) =>
      new RegExp(`<${element}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1];
    const paragraph = async (content: Buffer, text: string) => {
      const found = (await docxParagraphXml(content)).find((candidate) => candidate.text === text);
      if (!found) throw new Error(`no paragraph ${text}`);
      return found.xml;
    };
    const twipsToMm = (twips: string | undefined) => Math.round((Number(twips) / 1440) * 25.4 * 10) / 10;

    it('ends the bulletin with its 落款: a blank line, the bureau 2 characters in from the right, the date under it 2 characters further in', async () => {
      const paragraphs = await docxParagraphXml(bulletin);
      const at = paragraphs.findIndex((candidate) => candidate.text === '乐昌市工业和信息化局');
      expect(at).toBeGreaterThan(0);
      expect(paragraphs.slice(at - 1, at + 3).map((candidate) => candidate.text)).toEqual([
        '', '乐昌市工业和信息化局', '2026年11月27日', expect.stringMatching(/^本通报由报数助手/),
      ]);
      const [name, date] = [paragraphs[at]!.xml, paragraphs[at + 1]!.xml];
      for (const xml of [name, date]) expect(attr(xml, 'w:jc', 'w:val')).toBe('right');
      // 10 characters of name, 7 of date (a digit is half a character): the date 3 in, its first character 2 to
      // the right of the name's, which is 2 in (a character of 3号 is 320 twips).
      expect([attr(name, 'w:ind', 'w:right'), attr(date, 'w:ind', 'w:right')]).toEqual(['640', '960']);
    });

    it('is A4 with the standard\'s margins, a 156 × 225 mm text block holding 22 lines of 28 characters', async () => {
      for (const content of [bulletin, draft, english]) {
        const section = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(await docxPart(content, 'word/document.xml'))![0];
        expect([attr(section, 'w:pgSz', 'w:w'), attr(section, 'w:pgSz', 'w:h')]).toEqual(['11906', '16838']);
        const margin = (side: string) => twipsToMm(attr(section, 'w:pgMar', `w:${side}`));
        expect(['top', 'bottom', 'left', 'right'].map(margin)).toEqual([37, 35, 28, 26]);
        expect(210 - margin('left') - margin('right')).toBe(156);
        expect(297 - margin('top') - margin('bottom')).toBe(225);
        // 22 lines of the grid's pitch fit the block and 23 do not; 28 characters of 16 pt less charSpace fit a line.
        const height = 16838 - Number(attr(section, 'w:pgMar', 'w:top')) - Number(attr(section, 'w:pgMar', 'w:bottom'));
        const pitch = Number(attr(section, 'w:docGrid', 'w:linePitch'));
        expect(Math.floor(height / pitch)).toBe(22);
        const width = (11906 - Number(attr(section, 'w:pgMar', 'w:left')) - Number(attr(section, 'w:pgMar', 'w:right'))) / 20;
        expect(Math.floor(width / (16 + Number(attr(section, 'w:docGrid', 'w:charSpace')) / 4096))).toBe(28);
      }
    });

    it('sets the title in 2号 方正小标宋简体, centred and not bold; body text in 3号 仿宋_GB2312, two characters in, on exact 28.95 pt lines', async () => {
      const title = await paragraph(bulletin, '乐昌市工业和信息化局2020年10月主要指标完成情况通报');
      expect(attr(title, 'w:rFonts', 'w:eastAsia')).toBe('方正小标宋简体');
      expect(attr(title, 'w:rFonts', 'w:ascii')).toBe('Times New Roman');
      expect(attr(title, 'w:sz', 'w:val')).toBe('44');
      expect(attr(title, 'w:jc', 'w:val')).toBe('center');
      expect(title).not.toMatch(/<w:b\/>|<w:b w:val="(true|1)"\/>/);
      const body = await paragraph(bulletin, '1-10月我市完成工业技改投资2.05亿元，同比增长34.1%，完成年度目标任务（3亿元）的68.33%。序时进度83.33%，落后15个百分点。');
      expect(attr(body, 'w:rFonts', 'w:eastAsia')).toBe('仿宋_GB2312');
      expect(attr(body, 'w:rFonts', 'w:hAnsi')).toBe('Times New Roman');
      expect(attr(body, 'w:sz', 'w:val')).toBe('32');
      expect([attr(body, 'w:ind', 'w:firstLineChars'), attr(body, 'w:ind', 'w:firstLine')]).toEqual(['200', '640']);
      expect([attr(body, 'w:spacing', 'w:line'), attr(body, 'w:spacing', 'w:lineRule')]).toEqual(['579', 'exact']);
      // What a reader types into the document is 3号 仿宋 too.
      const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(await docxPart(bulletin, 'word/styles.xml'))![0];
      expect([attr(defaults, 'w:rFonts', 'w:eastAsia'), attr(defaults, 'w:sz', 'w:val')]).toEqual(['仿宋_GB2312', '32']);
    });

    it('sets 一、 headings in 黑体 and （一） headings in 楷体_GB2312, indented like body text, with outline levels and no Word heading style', async () => {
      for (const [content, text] of [[bulletin, '一、主要指标完成情况'], [draft, '八、绩效自评情况']] as const) {
        const first = await paragraph(content, text);
        expect(attr(first, 'w:rFonts', 'w:eastAsia')).toBe('黑体');
        expect(attr(first, 'w:outlineLvl', 'w:val')).toBe('0');
      }
      const second = await paragraph(draft, '（一）预算执行情况');
      expect(attr(second, 'w:rFonts', 'w:eastAsia')).toBe('楷体_GB2312');
      expect(attr(second, 'w:outlineLvl', 'w:val')).toBe('1');
      for (const heading of [await paragraph(draft, '一、部门基本情况'), second]) {
        expect(attr(heading, 'w:sz', 'w:val')).toBe('32');
        expect(attr(heading, 'w:ind', 'w:firstLineChars')).toBe('200');
        expect(heading).not.toContain('<w:pStyle');
        expect(heading).not.toContain('<w:color');
        expect(heading).not.toMatch(/<w:b\/>/);
      }
    });

    it('numbers the pages "— 1 —" in 4号 宋体, odd pages right and even pages left, one character in', async () => {
      for (const content of [bulletin, draft]) {
        expect(await docxPart(content, 'word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
        const document = await docxPart(content, 'word/document.xml');
        const rels = await docxPart(content, 'word/_rels/document.xml.rels');
        const footer = async (type: string) => {
          const id = new RegExp(`<w:footerReference w:type="${type}" r:id="([^"]+)"`).exec(document)?.[1];
          const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(rels);
          return docxPart(content, `word/${target?.[1] ?? target?.[2]}`);
        };
        for (const [type, side, indent] of [['default', 'right', 'w:right'], ['even', 'left', 'w:left']] as const) {
          const xml = await footer(type);
          expect(attr(xml, 'w:jc', 'w:val'), type).toBe(side);
          expect(attr(xml, 'w:ind', indent), type).toBe('280');
          expect(xml).toMatch(/<w:t[^>]*>— <\/w:t>[\s\S]*<w:instrText[^>]*>PAGE<\/w:instrText>[\s\S]*<w:t[^>]*> —<\/w:t>/);
          expect([attr(xml, 'w:rFonts', 'w:ascii'), attr(xml, 'w:rFonts', 'w:eastAsia'), attr(xml, 'w:sz', 'w:val')]).toEqual(['宋体', '宋体', '28']);
        }
      }
    });

    it('sets the draft\'s table as wide as the text, its header row bold, in 小四 仿宋', async () => {
      const document = await docxPart(draft, 'word/document.xml');
      const tableXml = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(document)![0];
      expect([attr(tableXml, 'w:tblW', 'w:type'), attr(tableXml, 'w:tblW', 'w:w')]).toEqual(['pct', '5000']);
      const [header, row] = [...tableXml.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((match) => match[0]);
      expect(header).toContain('<w:tblHeader/>');
      expect(header!.match(/<w:b\/>/g)).toHaveLength(7);
      expect(row).not.toMatch(/<w:b\/>/);
      expect([attr(row!, 'w:rFonts', 'w:eastAsia'), attr(row!, 'w:sz', 'w:val')]).toEqual(['仿宋_GB2312', '24']);
    });

    it('fits the chart within the 156 mm text block', async () => {
      const document = await docxPart(bulletin, 'word/document.xml');
      const width = Number(attr(document, 'wp:extent', 'cx'));
      expect(width).toBeGreaterThan(0);
      expect(width).toBeLessThanOrEqual(156 * 36000);
    });

    it('sets an English document in Times New Roman, keeping the layout', async () => {
      const paragraphs = await docxParagraphXml(english);
      const title = paragraphs.find((candidate) => candidate.text === "Self-evaluation of the department's overall spending performance")!.xml;
      expect([attr(title, 'w:rFonts', 'w:ascii'), attr(title, 'w:sz', 'w:val')]).toEqual(['Times New Roman', '44']);
      const fonts = paragraphs.flatMap((candidate) => [...candidate.xml.matchAll(/<w:rFonts ([^>]*)\/>/g)].map((match) => match[1]!));
      expect(fonts.length).toBeGreaterThan(50);
      // Latin text in Times New Roman everywhere; none of the Chinese documents' fonts (宋体 only for the Chinese names it holds).
      for (const font of fonts) {
        expect(font).toContain('w:ascii="Times New Roman"');
        expect(font).not.toMatch(/仿宋|黑体|楷体|小标宋/);
      }
      const heading = paragraphs.find((candidate) => candidate.text === '1. The department')!.xml;
      expect([attr(heading, 'w:outlineLvl', 'w:val'), attr(heading, 'w:sz', 'w:val')]).toEqual(['0', '32']);
    });
  });

  describe('the workbook', () => {
    let workbook: ExcelJS.Workbook;
    let content: Buffer;
    beforeAll(async () => {
      content = await buildWorkbook(deps, { year: 2020 });
      workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
    });

    it('is a 完成情况表 with a title and a 数据截至 line, then the monthly figures, the figures and their history', () => {
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['完成情况', '月度数据', '数据', '修订记录']);
      const sheet = workbook.getWorksheet('完成情况')!;
      expect(sheet.getCell('A1').value).toBe('乐昌市工业和信息化局2020年主要指标完成情况表');
      // When it was made as a reader writes a date, at Beijing time (18:38 is 10:38 UTC).
      expect(sheet.getCell('A2').value).toBe('数据截至：2020年12月　　制表时间：2026年11月27日 18:38（北京时间）');
      // The rates' and growth's cells show their own % (General"%"): the headers do not repeat it.
      expect(sheet.getRow(3).values).toEqual([undefined, '序号', '指标名称', '单位', '责任股室', '年度目标', '统计口径', '完成数', '完成率',
        '序时进度', '较序时进度（百分点）', '进度', '上年同期', '同比增长', '备注']);
    });

    it('gives each indicator its section, target, figure, completion, 序时进度, gap and growth as numbers, as computed', async () => {
      const sheet = workbook.getWorksheet('完成情况')!;
      const report = await progressReport(deps, { year: 2020 });
      const round = (value: Decimal | undefined, places: number) =>
        value === undefined ? null : Number(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places));
      report.items.forEach((item, index) => {
        const row = sheet.getRow(4 + index);
        const cell = (column: number) => row.getCell(column).value ?? null;
        expect(cell(2)).toBe(item.indicator.name);
        expect(cell(5)).toBe(round(item.target, item.indicator.decimals));
        expect(cell(7)).toBe(round(item.ytd, item.indicator.decimals));
        expect(cell(8)).toBe(round(item.rate, 2));
        expect(cell(13)).toBe(round(item.yoy, 1));
        if (item.gap) expect(Math.abs(cell(10) as number)).toBe(round(item.gap.points, 2));
      });
      const investment = sheet.getRow(4 + report.items.findIndex((item) => item.indicator.key === 'industrial_investment'));
      expect(investment.values).toEqual([undefined, 3, '工业投资', '亿元', '运行监测股', 21, '1-12月累计', 25.15, 119.76, 100, 19.76, '领先', 18.81, 33.7]);
      expect(investment.getCell(7).numFmt).toBe('#,##0.00');
      const upgrade = sheet.getRow(4 + report.items.findIndex((item) => item.indicator.key === 'tech_upgrade_investment'));
      // Last year's 1.812 is shown with the indicator's two decimals, as the chat and the dashboard show it.
      expect([upgrade.getCell(10).value, upgrade.getCell(11).value, upgrade.getCell(12).value]).toEqual([-19, '落后', 1.81]);
      // -19, as the chat writes 落后 19 个百分点, never -19.00.
      expect(upgrade.getCell(10).numFmt).toBe('+General;-General;0');
      expect(upgrade.getCell(12).numFmt).toBe('#,##0.00');
      const firms = sheet.getRow(4 + report.items.findIndex((item) => item.indicator.key === 'new_above_scale_firms'));
      expect(firms.getCell(6).value).toBe('1-12月新增合计');
    });

    it('prints the completion sheet landscape, one page wide, and shows rates as the product writes them (81%, 119.76%)', () => {
      const sheet = workbook.getWorksheet('完成情况')!;
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      const row = (name: string) => sheet.getRows(4, sheet.rowCount - 3)!.find((candidate) => candidate.getCell(2).value === name)!;
      // Numbers still (a director sorts them), rounded to two places; General drops trailing zeros, "%" is text.
      expect([row('工业技改投资').getCell(8).value, row('工业技改投资').getCell(9).value, row('工业投资').getCell(8).value]).toEqual([81, 100, 119.76]);
      for (const column of [8, 9]) expect(row('工业技改投资').getCell(column).numFmt).toBe('General"%"');
    });

    it('prints both tables on A4 with their header on every page, every cell ruled, long text wrapped within its cell', () => {
      for (const name of ['完成情况', '月度数据']) {
        const sheet = workbook.getWorksheet(name)!;
        expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3' });
        for (const cell of [sheet.getRow(3).getCell(1), sheet.getRow(4).getCell(2), sheet.getRow(sheet.rowCount).getCell(3)]) {
          expect(cell.border).toMatchObject({ top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } });
        }
      }
      const summary = workbook.getWorksheet('完成情况')!;
      const rows = summary.getRows(4, summary.rowCount - 3)!;
      // 10 centred in its column, not right against 5G基站建设; 备注 and names wrap, never spill past the page.
      const tenth = rows.find((row) => row.getCell(1).value === 10)!;
      expect(tenth.getCell(1).alignment).toMatchObject({ horizontal: 'center' });
      for (const column of [2, 4, 14]) expect(tenth.getCell(column).alignment).toMatchObject({ wrapText: true });
    });

    it('shows growth as the product writes it, one decimal at most and with % (33.7%, 27%), never 27.0', async () => {
      const sheet = workbook.getWorksheet('完成情况')!;
      const row = (of: ExcelJS.Worksheet, name: string) => of.getRows(4, of.rowCount - 3)!.find((candidate) => candidate.getCell(2).value === name)!;
      expect(row(sheet, '工业投资').getCell(13).value).toBe(33.7);
      expect(row(sheet, '工业投资').getCell(13).numFmt).toBe('General"%"');
      // Through October 2020 工业投资 grew 27%, as the bulletin says: the number 27, shown by General without a ".0".
      const october = new ExcelJS.Workbook();
      await october.xlsx.load((await buildWorkbook(deps, { year: 2020, month: 10 })) as unknown as ArrayBuffer);
      const cell = row(october.getWorksheet('完成情况')!, '工业投资').getCell(13);
      expect([cell.value, cell.numFmt]).toEqual([27, 'General"%"']);
    });

    it('measures a level (a share) against its target only: no 序时进度, 未达目标 and why in 备注', () => {
      const sheet = workbook.getWorksheet('完成情况')!;
      const row = sheet.getRows(4, sheet.rowCount - 3)!.find((candidate) => candidate.getCell(2).value === 'R&D经费占GDP比重')!;
      expect([row.getCell(8).value, row.getCell(9).value, row.getCell(10).value, row.getCell(11).value]).toEqual([75.76, null, null, '未达目标']);
      expect(row.getCell(14).value).toBe('水平类指标，按期末值比年度目标，不比序时进度；距目标尚差0.16个百分点');
    });

    it('names the bureau and each indicator’s section in English in an English workbook, and when it was made as English writes a date', async () => {
      const english = new ExcelJS.Workbook();
      await english.xlsx.load((await buildWorkbook(deps, { year: 2020, locale: 'en' })) as unknown as ArrayBuffer);
      const sheet = english.worksheets[0]!;
      // The bureau by its English name (the file's name_en), as the Chinese workbook names it in Chinese.
      expect(String(sheet.getCell('A1').value)).toMatch(/^Lechang Bureau of Industry and Information Technology/);
      expect(sheet.getCell('A2').value).toBe('Data through December 2020    Made 27 November 2026, 18:38 (Beijing time)');
      expect([8, 9, 13].map((column) => sheet.getRow(3).getCell(column).value)).toEqual(['Completion', 'Time elapsed', 'Year on year']);
      const report = await progressReport(deps, { year: 2020 });
      const row = (key: string) => sheet.getRow(4 + report.items.findIndex((item) => item.indicator.key === key));
      expect(row('industrial_investment').getCell(4).value).toBe('Economic Operation Monitoring Section');
      expect(row('rd_share_of_gdp').getCell(4).value).toBe('Science and Technology Planning Section');
    });

    it('writes the English figures sheet\'s units in English under lowercase headers, and it re-imports as all unchanged', async () => {
      const content = await buildWorkbook(deps, { year: 2020, locale: 'en' });
      const english = new ExcelJS.Workbook();
      await english.xlsx.load(content as unknown as ArrayBuffer);
      const sheet = english.getWorksheet('Figures')!;
      expect(sheet.getRow(1).values).toEqual([undefined, 'indicator', 'period', 'value', 'unit', 'note', 'basis', 'reported by', 'reported at (Beijing time)']);
      const units = new Map(sheet.getRows(2, sheet.rowCount - 1)!.map((row) => [row.getCell(1).value, row.getCell(4).value]));
      expect(units.get('Industrial investment')).toBe('hundred million yuan');
      expect(units.get('New R&D institutions')).toBe('institutions');
      expect([...units.values()].some((unit) => /[\u4e00-\u9fff]/.test(String(unit)))).toBe(false);
      const rows = await readFiguresXlsx(content);
      if (!rows.ok) throw new Error(JSON.stringify(rows.error));
      expect(await importFigures(deps, rows.value, { channel: 'import', actor: 'test', reason: 're-import', source: 'workbook', dryRun: true }))
        .toMatchObject({ ok: true, value: { count: 180, created: 0, revised: 0, unchanged: 180 } });
    });

    it('labels the month\'s and the cumulative figures, one reported and the other derived', () => {
      const rows = (workbook.getWorksheet('月度数据')!.getSheetValues() as unknown[][]).filter(Boolean);
      const series = (name: string, label: string) => rows.find((row) => row[1] === name && row[3] === label)!.slice(4, 16) as number[];
      const sum = (values: number[]) => values.reduce((total, value) => total.plus(value), dec(0));
      // 新增: the month's new firms as reported, summing to the year's 11.
      expect(sum(series('新增规上企业', '当月')).toNumber()).toBe(series('新增规上企业', '1月至当月累计')[11]);
      expect(series('新增规上企业', '1月至当月累计')[11]).toBe(11);
      // 累计: the months' differences add up to the December total as reported.
      expect(sum(series('工业投资', '当月')).toNumber()).toBe(25.15);
      expect(series('工业投资', '1月至当月累计')[11]).toBe(25.15);
      expect(rows.find((row) => row[1] === 'R&D经费占GDP比重')?.[3]).toBe('月末值');
    });

    it('names indicators and reporters as people read them, at Beijing time, and re-imports as all unchanged', async () => {
      const sheet = workbook.getWorksheet('数据')!;
      expect(sheet.getRow(1).values).toEqual([undefined, '指标', '期间', '数值', '单位', '备注', '口径', '报送人', '报送时间（北京时间）']);
      const values = JSON.stringify(sheet.getSheetValues());
      const keys = (await deps.prisma.indicator.findMany({ select: { key: true } })).map((row) => row.key);
      for (const key of keys) expect(values).not.toContain(`"${key}"`);
      const revision = await deps.prisma.submissionRevision.findFirstOrThrow({ orderBy: { id: 'asc' } });
      const local = zonedParts(revision.createdAt, 'Asia/Shanghai');
      const pad = (n: number) => String(n).padStart(2, '0');
      const first = sheet.getRow(2);
      expect([1, 2, 3, 4, 6, 7].map((column) => first.getCell(column).value)).toEqual(['规上工业总产值', '2020-01', 2.85, '亿元', '1月至当月累计', '示例数据']);
      expect(first.getCell(3).numFmt).toBe('#,##0.00');
      expect(first.getCell(8).value).toBe(`${local.date.year}-${pad(local.date.month)}-${pad(local.date.day)} ${pad(local.hour)}:${pad(local.minute)}`);

      const rows = await readFiguresXlsx(content);
      if (!rows.ok) throw new Error(JSON.stringify(rows.error));
      const before = await deps.prisma.submissionRevision.count();
      expect(await importFigures(deps, rows.value, { channel: 'import', actor: 'test', reason: 're-import', source: 'workbook' }))
        .toEqual({ ok: true, value: { count: 180, created: 0, revised: 0, unchanged: 180, changes: [], added: [], notesOnly: 0, queried: [], unmarked: [], dryRun: false } });
      expect(await deps.prisma.submissionRevision.count()).toBe(before);
    });

    it('gives no 更正原因 to a first version, and stores the demo\'s reason in Chinese', async () => {
      const rows = (workbook.getWorksheet('修订记录')!.getSheetValues() as unknown[][]).filter(Boolean).slice(1);
      expect(rows.length).toBeGreaterThan(100);
      expect(rows.filter((row) => row[3] === 1).every((row) => (row[9] ?? '') === '')).toBe(true);
      const first = await deps.prisma.submissionRevision.findFirstOrThrow({ where: { revision: 1 }, orderBy: { id: 'asc' } });
      expect(first.reason).toBe('载入示例数据');
    });
  });
});

describe('documents after a correction', () => {
  let database: Database;
  let deps: AppDeps;
  beforeAll(async () => {
    ({ database, deps } = await demoDatabase());
  });
  afterAll(async () => {
    await database.close();
  });

  it('follow the figures: a corrected December changes the draft, and the history shows who corrected it and why', async () => {
    const indicator = await deps.prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_investment' } });
    const wang = await deps.prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
    await deps.prisma.$transaction((tx) =>
      recordFigure(tx, { indicatorId: indicator.id, period: { year: 2020, month: 12 }, value: dec('26'), memberId: wang.id, channel: 'wecom', reason: '补录一个项目', at: NOW }),
    );
    const text = (await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }))).join('\n');
    expect(text).toContain(`1-12月我市完成工业投资26.00亿元，同比增长${formatGrowth(yearOnYearGrowth(dec('26'), dec('18.81'))!)}%，完成韶关下达年度目标任务（21亿元）的${formatPercent(completionRate(dec('26'), dec('21'))!)}%。`);
    expect(text).not.toContain('25.15亿元');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(deps, { year: 2020 })) as unknown as ArrayBuffer);
    const history = (workbook.getWorksheet('修订记录')!.getSheetValues() as unknown[][])
      .filter((row) => row?.[1] === '工业投资' && row[2] === '2020-12');
    // A first version corrects nothing: no 更正原因 (the import stores its own reason; it is not shown).
    expect(history.map((row) => row.slice(3, 10))).toEqual([
      [1, 25.15, '亿元', '示例数据', '示例数据', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), ''],
      [2, 26, '亿元', '王明', '企业微信', '2026-11-27 18:38', '补录一个项目'],
    ]);
  });
});

describe('a share against last year', () => {
  let database: Database;
  let deps: AppDeps;
  beforeAll(async () => {
    ({ database, deps } = await demoDatabase());
    const share = await deps.prisma.indicator.findUniqueOrThrow({ where: { key: 'rd_share_of_gdp' } });
    await deps.prisma.$transaction((tx) =>
      recordFigure(tx, { indicatorId: share.id, period: { year: 2019, month: 12 }, value: dec('0.58'), channel: 'test', at: NOW }),
    );
  });
  afterAll(async () => {
    await database.close();
  });

  it('is said in percentage points in the draft, its table and the workbook, never as the growth of a percentage', async () => {
    const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }));
    const text = paragraphs.join('\n');
    expect(text).toContain('截至12月R&D经费占GDP比重为0.50%，同比下降0.08个百分点，完成年度目标任务（0.66%）的75.76%。');
    expect(text).toContain('-0.08个百分点');
    expect(text).not.toMatch(/R&D经费占GDP比重为0.50%，同比(增长|下降)[\d.]+%/);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(deps, { year: 2020 })) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('完成情况')!;
    const row = sheet.getRows(4, sheet.rowCount)!.find((candidate) => candidate.getCell(2).value === 'R&D经费占GDP比重')!;
    expect([row.getCell(12).value, row.getCell(13).value]).toEqual([0.58, -0.08]);
    expect(row.getCell(13).numFmt).toBe('+General"个百分点";-General"个百分点";0"个百分点"');
  });

  it('marks a figure kept despite a query (待核实) in the summary and on its month', async () => {
    const investment = await deps.prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_investment' } });
    await deps.prisma.submission.update({ where: { indicatorId_year_month: { indicatorId: investment.id, year: 2020, month: 12 } }, data: { queried: true } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(deps, { year: 2020 })) as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('完成情况')!;
    const rows = summary.getRows(4, summary.rowCount - 3)!;
    const marked = rows.filter((row) => row.getCell(14).value === '含待核实数字').map((row) => row.getCell(2).value);
    expect(marked).toEqual(['工业投资']);
    const monthly = workbook.getWorksheet('月度数据')!;
    const cumulative = monthly.getRows(5, monthly.rowCount - 4)!.find((row) => row.getCell(1).value === '工业投资' && row.getCell(3).value === '1月至当月累计')!;
    expect(cumulative.getCell(15).note).toMatch(/^待核实/);
    expect(cumulative.getCell(14).note).toBeUndefined();
    // The bulletin and the draft say it after the figure, as the chat does.
    const bulletin = (await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 12 } }))).join('\n');
    expect(bulletin).toContain('1-12月我市完成工业投资25.15亿元（待核实），同比增长33.7%');
    const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }));
    expect(paragraphs.join('\n')).toContain('工业投资25.15亿元（待核实）');
    // Its table's row too: name, unit, section, target, the figure marked.
    const row = paragraphs.indexOf('工业投资', paragraphs.indexOf('乐昌市工业和信息化局2020年主要指标完成情况表'));
    expect(paragraphs.slice(row, row + 5)).toEqual(['工业投资', '亿元', '运行监测股', '21', '25.15（待核实）']);
  });
});

describe('the bulletin of a month not all in yet', () => {
  it('says that an indicator without the month is measured at its latest month, not only that 序时进度 is 100%', async () => {
    const { database, deps } = await demoDatabase();
    try {
      const investment = await deps.prisma.indicator.findUniqueOrThrow({ where: { key: 'industrial_investment' } });
      const december = { indicatorId: investment.id, year: 2020, month: 12 };
      await deps.prisma.submissionRevision.deleteMany({ where: { submission: december } });
      await deps.prisma.submission.deleteMany({ where: december });
      const text = (await docxParagraphs(await buildBulletin(deps, { period: { year: 2020, month: 12 } }))).join('\n');
      expect(text).toContain('本月序时进度为100%；本月数据尚未报齐的指标，按已报送的最新月份及该月序时进度计算。');
      expect(text).toMatch(/1-11月我市完成工业投资[\d.]+亿元.*序时进度91\.67%/);
    } finally {
      await database.close();
    }
  });
});

describe('how the documents name the bureau’s own area', () => {
  const zh = translator('zh-CN');
  it.each([
    ['乐昌市工业和信息化局', '我市', 'our city'],
    ['仁化县工业和信息化局', '我县', 'our county'],
    ['韶关市曲江区工业和信息化局', '我区', 'our district'],
    ['广东省工业和信息化厅', '我省', 'our province'],
    ['延边朝鲜族自治州科技局', '我州', 'our prefecture'],
    ['工业和信息化局', '我局', 'our bureau'],
  ])('%s: %s', (organisation, chinese, english) => {
    expect(weOf(zh, organisation)).toBe(chinese);
    expect(weOf(translator('en'), organisation)).toBe(english);
  });
});

describe('the self-evaluation draft of a year not yet complete', () => {
  it('is not taken for the whole year in December while some figures are still November\'s', async () => {
    // 28 December 2026, December's deadline not reached: 工业投资 has December in, 工业技改投资 only November.
    const { database, deps } = await openDemoDatabase(new Date('2026-12-28T02:00:00Z'));
    try {
      await seedFigures(deps, ['industrial_investment,2026-12,22', 'tech_upgrade_investment,2026-11,2.5']);
      const text = (await docxParagraphs(await buildAnnualReport(deps, { year: 2026 }))).join('\n');
      expect(text).toContain('全年数据尚未报齐，各项完成情况均为截至12月已报送的最新数');
      expect(text).toMatch(/截至12月（全年数据尚未报齐），2026年有年度目标的\d+项指标中，1项已完成或超额完成年度任务/);
      expect(text).toContain('工业技改投资截至11月完成年度目标任务的83.33%，距3亿元的目标尚有差距。');
    } finally {
      await database.close();
    }
  });


  it('says every result as of the last month reported, concluding nothing of the year', async () => {
    const { database, deps } = await demoDatabase();
    try {
      // 2026 through October: 工业技改投资 2.05 of 3 (68.33%), 工业投资 22 of 21 (already met); 光网覆盖 only
      // through July, 98 of 343 (28.57%).
      await seedFigures(deps, ['tech_upgrade_investment,2026-10,2.05', 'industrial_investment,2026-10,22', 'village_fibre_coverage,2026-07,98']);
      const text = (await docxParagraphs(await buildAnnualReport(deps, { year: 2026 }))).join('\n');
      expect(text).toContain('本稿为报数助手根据2026年1-10月报送数据生成的初稿，全年数据尚未报齐');
      expect(text).toMatch(/截至10月（全年数据尚未报齐），2026年有年度目标的\d+项指标中，1项已完成或超额完成年度任务，\d+项尚未完成/);
      expect(text).toContain('工业技改投资截至10月完成年度目标任务的68.33%，距3亿元的目标尚有差距。');
      // Dated by the month its own figure reaches, not the draft's latest.
      expect(text).toContain('20户以上自然村光网覆盖截至7月完成年度目标任务的28.57%，距343个的目标尚有差距。');
      expect(text).not.toMatch(/项未完成（|未完成[\d.]+亿元的目标/);
      // In English the month is named, never "month 10".
      const english = (await docxParagraphs(await buildAnnualReport(deps, { year: 2026, locale: 'en' }))).join('\n');
      expect(english).toMatch(/every result is the latest reported as of October\./);
      expect(english).toMatch(/^As of October \(the year is not complete\)/m);
      expect(english).toContain('Industrial technology upgrade investment had reached 68.33% of its target of 300 million yuan by October.');
      expect(english).not.toMatch(/\bmonth \d/);
      // A complete year keeps the year-end wording.
      const whole = (await docxParagraphs(await buildAnnualReport(deps, { year: 2020 }))).join('\n');
      expect(whole).toContain('项未完成（各项完成情况见第四部分）');
      expect(whole).not.toContain('尚未报齐');
    } finally {
      await database.close();
    }
  });
});
