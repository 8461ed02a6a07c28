import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildAnnualReport } from '../../../src/app/reports/annual-report.js';
import { buildBulletin } from '../../../src/app/reports/bulletin.js';
import { buildWorkbook } from '../../../src/app/reports/workbook.js';
import { seedFigures } from '../../helpers/chat.js';
import { demoDatabase as openDemoDatabase } from '../../helpers/databases.js';
import { docxParagraphs, docxPart } from '../../helpers/documents.js';

/*
 * What the documents say of a target with no figure yet (未报送), and their wording (完成, the target's
 * phrase, dates, the author), read back from the generated files. The clock stands at 2026-11-27 18:38
 * Beijing, as in documents.test.ts.
 */

const NOW = new Date('2026-11-27T10:38:29.510Z');

const demoDatabase = () => openDemoDatabase(NOW);

describe('the self-evaluation draft with targets not yet reported', () => {
  it('lists every target of the year, one without a figure as 未报送 and not met, in 四, its table, 六, 八 and 九', async () => {
    const { database, deps } = await demoDatabase();
    try {
      await seedFigures(deps, ['tech_upgrade_investment,2026-10,2.05', 'industrial_investment,2026-10,22']);
      const targets = await deps.prisma.target.count({ where: { year: 2026 } });
      expect(targets).toBe(7);
      const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2026 }));
      const text = paragraphs.join('\n');
      // 四: the indicator, under its section, which has no figure at all.
      expect(paragraphs).toContain('（三）高新技术发展与产学研股负责指标完成情况');
      expect(paragraphs).toContain('新增高新技术企业：年度目标5家，截至10月尚未报送。');
      expect(paragraphs).toContain('20户以上自然村光网覆盖：年度目标343个，截至10月尚未报送。');
      // 四's table: 未报送, and no completion rate (no 0% that nobody reported).
      const tableTitle = paragraphs.indexOf('乐昌市工业和信息化局2026年主要指标完成情况表');
      // Its cells carry their %, as the workbook's show it: the header does not repeat it (a share's 同比 is in 个百分点).
      expect(paragraphs.slice(tableTitle + 1, tableTitle + 8)).toEqual(['指标名称', '单位', '责任股室', '年度目标', '完成数', '完成率', '同比增长']);
      const row = paragraphs.indexOf('新增高新技术企业', tableTitle);
      expect(paragraphs.slice(row, row + 6)).toEqual(['新增高新技术企业', '家', '高新技术发展与产学研股', '5', '未报送', '']);
      // 六 names all seven, 八 counts them, 九 names those not reported among those short.
      expect(text).toContain('新增高新技术企业5家');
      expect(text).toContain('20户以上自然村光网覆盖343个');
      expect(text).toContain('2026年有年度目标的7项指标中，1项已完成或超额完成年度任务，6项尚未完成');
      expect(paragraphs).toContain('新增高新技术企业截至10月尚未报送，距5家的目标尚有差距。');
    } finally {
      await database.close();
    }
  });
});

describe('the self-evaluation draft of a year without targets', () => {
  it('says there was no target to measure against, not that 0 of 0 were met and all were done', async () => {
    const { database, deps } = await demoDatabase();
    try {
      await seedFigures(deps, ['tech_upgrade_investment,2025-12,1.81', 'industrial_investment,2025-12,18.8']);
      expect(await deps.prisma.target.count({ where: { year: 2025 } })).toBe(0);
      const paragraphs = await docxParagraphs(await buildAnnualReport(deps, { year: 2025 }));
      expect(paragraphs).toContain('2025年各项指标均未设年度目标，无从按目标评价完成程度（各项数据见第四部分）。');
      const text = paragraphs.join('\n');
      expect(text).not.toContain('0项指标中');
      expect(text).not.toContain('均已完成年度任务');
    } finally {
      await database.close();
    }
  });
});

describe('targets with no figure in the bulletin and the workbook', () => {
  it('are said as 未报送 in the bulletin\'s 三 and the workbook\'s 备注 (as is any indicator without a figure), not left out', async () => {
    const { database, deps } = await demoDatabase();
    try {
      await seedFigures(deps, ['tech_upgrade_investment,2026-10,2.05', 'industrial_investment,2026-10,22']);
      const paragraphs = await docxParagraphs(await buildBulletin(deps, { period: { year: 2026, month: 11 } }));
      const three = paragraphs.slice(paragraphs.indexOf('三、落后于序时进度及需关注的指标'), paragraphs.findIndex((line) => line.startsWith('四、')));
      expect(three).toContain('新增高新技术企业：年度目标5家，截至11月尚未报送。');
      expect(three).toContain('20户以上自然村光网覆盖：年度目标343个，截至11月尚未报送。');
      expect(three[1]).toBe('工业技改投资：完成率68.33%，落后序时进度15个百分点（责任股室：产业技术与工业节能股）。');

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await buildWorkbook(deps, { year: 2026 })) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('完成情况')!;
      const remarks = Object.fromEntries(sheet.getRows(4, sheet.rowCount - 3)!.map((row) => [row.getCell(2).value, row.getCell(14).value ?? null]));
      expect(remarks['新增高新技术企业']).toBe('未报送');
      expect(remarks['20户以上自然村光网覆盖']).toBe('未报送');
      // Not reported in the year, target or none: said, not left as an empty row; reported: nothing to say.
      expect(remarks['规上工业总产值']).toBe('未报送');
      expect(remarks['工业投资']).toBeNull();
    } finally {
      await database.close();
    }
  });
});

describe('an increment indicator whose sum lacks months', () => {
  it('names the months left out in the bulletin, the draft and the workbook\'s 备注', async () => {
    const { database, deps } = await demoDatabase();
    try {
      // November alone of 2026's 新增研发机构: 1–11月 is not the whole of those months.
      await seedFigures(deps, ['new_rd_institutions,2026-11,2']);
      const bulletin = (await docxParagraphs(await buildBulletin(deps, { period: { year: 2026, month: 11 } }))).join('\n');
      expect(bulletin).toContain('新增研发机构2家（1-10月未报送）');
      const draft = (await docxParagraphs(await buildAnnualReport(deps, { year: 2026 }))).join('\n');
      expect(draft).toContain('新增研发机构2家（1-10月未报送）');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await buildWorkbook(deps, { year: 2026 })) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('完成情况')!;
      const row = sheet.getRows(4, sheet.rowCount - 3)!.find((candidate) => candidate.getCell(2).value === '新增研发机构');
      expect(row?.getCell(14).value).toBe('1-10月未报送');
    } finally {
      await database.close();
    }
  });
});

describe('the wording of the bulletin and the draft', () => {
  it('keeps 完成 for investment, output and additions whose name has no verb of its own, not for 新增… nor stocks; one target phrase; a Chinese date; the bot as author', async () => {
    const { database, deps } = await demoDatabase();
    try {
      const draft = await buildAnnualReport(deps, { year: 2020 });
      const text = (await docxParagraphs(draft)).join('\n');
      expect(text).toContain('1-12月我市新增规上企业11家。');
      // As the bureau's own report says 完成原址改造4G站址105个: work done, with its verb.
      expect(text).toContain('1-12月我市完成5G基站建设84个。');
      expect(text).toContain('1-12月我市完成清洁生产审核企业7家，完成年度目标任务（5家）的140%。');
      expect(text).toContain('1-12月我市企业授信22.50亿元。');
      expect(text).toContain('1-12月我市新增高新技术企业5家，完成韶关下达年度目标任务（5家）的100%。');
      expect(text).toContain('1-12月我市完成规上工业总产值47.57亿元，同比增长15.1%。');
      expect(text).not.toMatch(/完成(新增|企业授信|贷款)/);
      expect(text).not.toMatch(/指标任务|当年任务数|职能股室/);

      const bulletin = await buildBulletin(deps, { period: { year: 2020, month: 10 } });
      const paragraphs = await docxParagraphs(bulletin);
      expect(paragraphs.at(-1)).toBe('本通报由报数助手根据各股室报送的数据于2026年11月27日 18:38（北京时间）生成。');
      expect(paragraphs.join('\n')).not.toMatch(/完成新增|指标任务|当年任务数/);
      for (const file of [draft, bulletin]) {
        const core = await docxPart(file, 'docProps/core.xml');
        expect(core).toContain('<dc:creator>报数助手</dc:creator>');
        expect(core).toContain('<cp:lastModifiedBy>报数助手</cp:lastModifiedBy>');
      }
    } finally {
      await database.close();
    }
  });
});
