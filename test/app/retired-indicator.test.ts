import { afterEach, beforeEach, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import type { AppDeps } from '../../src/app/deps.js';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { formatOrgProblems } from '../../src/core/org/problems.js';
import { texts } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { type MemoryChannel, createMemoryChannel } from '../helpers/memory-channel.js';

/*
 * An indicator the organisation file stops listing is kept inactive with its history: asked about, the bot
 * answers from that history and says it is no longer reported. 科技计划股's 研发机构 had figures in 2026 and
 * a 2026 target; the 2027 file drops it. The clock is fixed at 10:00 on Monday 25 January 2027.
 */

const ORG = `organisation:
  name: 测试县工业和信息化局
sections:
  - { key: monitoring, name: 运行监测股 }
  - { key: sci, name: 科技计划股 }
members:
  - { key: lin, name: 林志强, roles: [director], identities: ["wecom:lin"] }
  - { key: wang, name: 王明, roles: [section_head], section: monitoring, identities: ["wecom:wang"] }
  - { key: liu, name: 刘洋, roles: [section_head], section: sci, identities: ["wecom:liu"] }
indicators:
  - { key: invest, name: 工业投资, section: monitoring, kind: cumulative, unit: 亿元 }
  - { key: rd, name: 新增研发机构, section: sci, kind: increment, unit: 家, aliases: [研发机构] }
targets:
  - { indicator: invest, year: 2026, value: 20 }
  - { indicator: rd, year: 2026, value: 5 }
`;

// The 2027 file: 研发机构 gone, and this year's targets only (last year's stay as they were).
const WITHOUT_RD = ORG.replace(/ {2}- \{ key: rd,.*\n/, '').replace(/targets:[\s\S]*/, 'targets:\n  - { indicator: invest, year: 2027, value: 22 }\n');

const JAN_25 = new Date('2027-01-25T02:00:00Z');

async function loadText(deps: AppDeps, text: string) {
  const parsed = parseOrgFile(text);
  if (!parsed.ok) throw new Error(formatOrgProblems(parsed.error, translator('en')));
  return loadOrganisation(deps, parsed.value, { hash: orgSourceHash(JSON.stringify(parsed.value)), actor: 'test' });
}

describeEachDatabase('an indicator the organisation file no longer lists', (ctx) => {
  const running: Array<{ stop(): Promise<void> }> = [];
  let channel: MemoryChannel;
  const ask = async (who: string, text: string) => texts(await channel.say(who, text));

  beforeEach(async () => {
    const { prisma } = ctx.db();
    await prisma.outboxMessage.deleteMany();
    await prisma.conversation.deleteMany();
    await prisma.processedMessage.deleteMany();
    await prisma.submissionRevision.deleteMany();
    await prisma.submission.deleteMany();
    await loadText(ctx.deps(JAN_25), ORG);
    const rd = await prisma.indicator.findUniqueOrThrow({ where: { key: 'rd' } });
    await prisma.$transaction(async (tx) => {
      for (const [month, value] of [[9, 2], [11, 1]] as const) {
        await recordFigure(tx, { indicatorId: rd.id, period: { year: 2026, month }, value: dec(value), channel: 'test', at: JAN_25 });
      }
    });
    expect(texts(await (await chatAt()).say('lin', '研发机构'))[0]).toMatch(/^新增研发机构：/);
    await loadText(ctx.deps(JAN_25), WITHOUT_RD);
    channel = await chatAt();
  });

  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop();
  });

  async function chatAt(): Promise<MemoryChannel> {
    const memory = createMemoryChannel('wecom');
    running.push(await startChatRuntime({ prisma: ctx.db().prisma, adapters: [memory], now: () => JAN_25, sweepIntervalMs: 0 }));
    return memory;
  }

  it('answers from its history, its last year by default, saying it is no longer reported', async () => {
    expect(await ask('lin', '研发机构完成情况')).toEqual([
      [
        '新增研发机构 已不在组织文件中，停止报送；历史数据仍保留：',
        '新增研发机构：1–11月新增 3 家（1–8月、10月未报送），完成年度目标 5 家的 60%，序时进度 91.67%，落后 31.67 个百分点。',
      ].join('\n'),
    ]);
    // A month named: that month's figures.
    expect((await ask('lin', '2026年9月研发机构'))[0]).toContain('1–9月新增 2 家');
  });

  it('keeps the target it was measured against when a file of the same year drops it', async () => {
    // Dropped mid-year: a 2026 file without 研发机构, listing 2026's other targets (which it replaces).
    const midYear = ORG.replace(/ {2}- \{ key: rd,.*\n/, '').replace(/ {2}- \{ indicator: rd,.*\n/, '');
    await loadText(ctx.deps(JAN_25), midYear);
    expect((await ask('lin', '研发机构完成情况'))[0]).toContain('新增研发机构：1–11月新增 3 家（1–8月、10月未报送），完成年度目标 5 家的 60%');
  });

  it('is shown to its own section only, and a figure for it is not taken', async () => {
    expect((await ask('wang', '研发机构完成情况'))[0]).toMatch(/^没太明白您的意思/);
    expect((await ask('liu', '研发机构完成情况'))[0]).toMatch(/^新增研发机构 已不在组织文件中/);
    expect(await ask('liu', '研发机构 本月新增2家')).toEqual(['新增研发机构 已不在组织文件中，停止报送，无需再报。']);
    expect(await ctx.db().prisma.submission.count({ where: { year: 2027 } })).toBe(0);
  });
});
