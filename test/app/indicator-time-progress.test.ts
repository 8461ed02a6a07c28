import ExcelJS from 'exceljs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { buildBulletin } from '../../src/app/reports/bulletin.js';
import { buildWorkbook } from '../../src/app/reports/workbook.js';
import { dec } from '../../src/core/decimal.js';
import type { Period } from '../../src/core/period.js';
import { listIndicators } from '../../src/db/org-repository.js';
import { texts } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { clearChatsAndFigures, loadOrgText } from '../helpers/org-text.js';
import { docxParagraphs } from '../helpers/documents.js';
import { createMemoryChannel } from '../helpers/memory-channel.js';

/*
 * A seasonal indicator (`time_progress: false`): 粮食产量 comes in at harvest, so 20% of the year's target by May
 * is no shortfall. Its completion rate is given everywhere, but it is never set against 序时进度 (41.67% at the
 * end of May), never 落后 or 领先; 农林牧渔业总产值 beside it, at 25%, is behind as usual. Every clock is fixed.
 */

const ORG = `organisation:
  name: 测试县农业农村局
sections:
  - { key: rural, name: 农村经济股 }
members:
  - { key: lin, name: 林志强, roles: [director], identities: ["wecom:lin"] }
  - { key: wang, name: 王明, roles: [section_head], section: rural, identities: ["wecom:wang"] }
indicators:
  - { key: output, name: 农林牧渔业总产值, section: rural, kind: cumulative, unit: 亿元 }
  - { key: grain, name: 粮食产量, section: rural, kind: cumulative, unit: 万吨, time_progress: false }
targets:
  - { indicator: output, year: 2026, value: 40 }
  - { indicator: grain, year: 2026, value: 10 }
`;

// 10:00 in Asia/Shanghai on Wednesday 3 June 2026: May's figures are in, June's window is not open.
const JUNE_3 = new Date('2026-06-03T02:00:00Z');
const MAY: Period = { year: 2026, month: 5 };

describeEachDatabase('an indicator not measured against 序时进度 (time_progress: false)', (ctx) => {
  const running: Array<{ stop(): Promise<void> }> = [];

  beforeEach(async () => {
    const { prisma } = ctx.db();
    await clearChatsAndFigures(prisma);
    await loadOrgText(ctx.deps(JUNE_3), ORG);
    const ids = new Map((await prisma.indicator.findMany({ select: { key: true, id: true } })).map((row) => [row.key, row.id]));
    await prisma.$transaction(async (tx) => {
      for (const [key, value] of [['output', 10], ['grain', 2]] as const) {
        await recordFigure(tx, { indicatorId: ids.get(key) ?? -1, period: MAY, value: dec(value), channel: 'test', at: JUNE_3 });
      }
    });
  });

  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop();
  });

  async function ask(text: string): Promise<string> {
    const channel = createMemoryChannel('wecom');
    running.push(await startChatRuntime({ prisma: ctx.db().prisma, adapters: [channel], now: () => JUNE_3, sweepIntervalMs: 0 }));
    return texts(await channel.say('lin', text)).join('\n');
  }

  it('is stored so, and a file that leaves it out measures the indicator again', async () => {
    const grain = async () => (await listIndicators(ctx.db().prisma)).find((indicator) => indicator.key === 'grain');
    expect((await grain())?.timeProgress).toBe(false);
    await loadOrgText(ctx.deps(JUNE_3), ORG.replace(', time_progress: false', ''));
    expect(await grain()).not.toHaveProperty('timeProgress');
  });

  it('gives its completion rate in chat, without 序时进度, and is not behind', async () => {
    expect(await ask('粮食产量完成情况')).toBe('粮食产量：1–5月累计 2.00 万吨，目标 10 万吨，完成 20%（不按序时进度考核）。');
    const behind = await ask('哪些指标落后');
    expect(behind).toContain('农林牧渔业总产值');
    expect(behind).not.toContain('粮食产量');
    // What is left to the target, with no share of it due by now.
    const left = await ask('粮食产量还差多少');
    expect(left).toBe('粮食产量：1–5月累计 2.00 万吨，距年度目标 10 万吨还差 8.00 万吨，完成 20%。');
    expect(left).not.toContain('序时进度');
    expect(await ask('粮食产量为什么落后')).toContain('粮食产量不按序时进度考核（季节性指标），谈不上落后：1–5月累计 2.00 万吨，目标 10 万吨，完成 20%。');
  });

  it('is not in the bulletin\'s list of those behind, and the workbook sets it against no 序时进度', async () => {
    const paragraphs = await docxParagraphs(await buildBulletin(ctx.deps(JUNE_3), { period: MAY }));
    const grain = paragraphs.find((line) => line.includes('粮食产量'));
    expect(grain).toContain('20%');
    expect(grain).toContain('该指标不按序时进度考核。');
    const english = await docxParagraphs(await buildBulletin(ctx.deps(JUNE_3), { period: MAY, locale: 'en' }));
    expect(english.find((line) => line.includes('This indicator is not measured'))).toMatch(/\. This indicator is not measured against time elapsed\.$/);
    const three = paragraphs.slice(paragraphs.indexOf('三、落后于序时进度及需关注的指标'), paragraphs.findIndex((line) => line.startsWith('四、')));
    expect(three.join('\n')).toContain('农林牧渔业总产值');
    expect(three.join('\n')).not.toContain('粮食产量');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buildWorkbook(ctx.deps(JUNE_3), { year: 2026 })) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('完成情况')!;
    const row = sheet.getRows(4, sheet.rowCount - 3)!.find((candidate) => candidate.getCell(2).value === '粮食产量')!;
    // 完成率 20%, no 序时进度, gap or status; the remark says why.
    expect([row.getCell(8).value, row.getCell(9).value, row.getCell(10).value, row.getCell(11).value]).toEqual([20, null, null, null]);
    expect(row.getCell(14).value).toBe('不按序时进度考核');
  });
});
