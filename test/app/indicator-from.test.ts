import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { loadOrgFile } from '../../src/app/startup.js';
import { loadCommand } from '../../src/cli/commands.js';
import { sectionsReporting } from '../../src/app/dashboard-view.js';
import { missingReport } from '../../src/app/missing-report.js';
import { overviewReport } from '../../src/app/overview.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { createReminderGate } from '../../src/app/reminders/gate.js';
import { planDueReminders } from '../../src/app/reminders/plan.js';
import { bulletinFile } from '../../src/app/reports/bulletin.js';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { type Period, formatPeriod } from '../../src/core/period.js';
import { reminderKey } from '../../src/core/reminders.js';
import { renderOverview } from '../../src/core/render-answers.js';
import { listIndicators } from '../../src/db/org-repository.js';
import { storedFigure, texts } from '../helpers/chat.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { clearChatsAndFigures, loadOrgText } from '../helpers/org-text.js';
import { docxParagraphs } from '../helpers/documents.js';
import { type MemoryChannel, createMemoryChannel } from '../helpers/memory-channel.js';

/*
 * An indicator new next year (`from: 2027-01`, 报送起始月) is not owed for 2026-12 or before: a section that
 * reported everything else has reported, everywhere the bot counts what is owed. 运行监测股 owns 工业投资 (no
 * from) and 数字化车间 (from 2027-01); 科技计划股 owns 研发机构. Every clock is fixed: nothing rests on today.
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
  - { key: workshops, name: 数字化车间, section: monitoring, kind: increment, unit: 个, from: 2027-01 }
  - { key: rd, name: 研发机构, section: sci, kind: increment, unit: 家 }
targets:
  - { indicator: invest, year: 2026, value: 20 }
  - { indicator: invest, year: 2027, value: 22 }
`;

// 10:00 in Asia/Shanghai on Friday 25 December 2026: December's window is open, its deadline the 31st.
const DEC_25 = new Date('2026-12-25T02:00:00Z');
// 09:30 on Monday 4 January 2027: December's deadline has passed, January's window is not open yet, so
// December is still the period being collected (and chased: 催报, the directors' overdue list).
const JAN_4 = new Date('2027-01-04T01:30:00Z');
// 10:00 on Monday 25 January 2027: January's window is open.
const JAN_25 = new Date('2027-01-25T02:00:00Z');
const DECEMBER: Period = { year: 2026, month: 12 };
const JANUARY: Period = { year: 2027, month: 1 };

describeEachDatabase('an indicator reported from a later month (from)', (ctx) => {
  let ids: Map<string, number>;
  const running: Array<{ stop(): Promise<void> }> = [];

  async function report(keys: string[], period: Period, at: Date): Promise<void> {
    await ctx.db().prisma.$transaction(async (tx) => {
      for (const key of keys) await recordFigure(tx, { indicatorId: ids.get(key) ?? -1, period, value: dec(1), channel: 'test', at });
    });
  }

  async function chatAt(now: Date): Promise<MemoryChannel> {
    const channel = createMemoryChannel('wecom');
    const runtime = await startChatRuntime({ prisma: ctx.db().prisma, adapters: [channel], now: () => now, sweepIntervalMs: 0 });
    running.push(runtime);
    return channel;
  }

  beforeEach(async () => {
    const { prisma } = ctx.db();
    await clearChatsAndFigures(prisma);
    await loadOrgText(ctx.deps(DEC_25), ORG);
    ids = new Map((await prisma.indicator.findMany({ select: { key: true, id: true } })).map((row) => [row.key, row.id]));
  });

  afterEach(async () => {
    for (const runtime of running.splice(0)) await runtime.stop();
  });

  it('is stored with its from, and is owed from that month on', async () => {
    const byKey = new Map((await listIndicators(ctx.db().prisma)).map((indicator) => [indicator.key, indicator]));
    expect(byKey.get('workshops')?.from).toEqual(JANUARY);
    expect(byKey.get('invest')).not.toHaveProperty('from');
  });

  it('is not missing for December from a section that reported the rest (谁还没报, cli missing), and is for January', async () => {
    await report(['invest'], DECEMBER, DEC_25);
    const december = await missingReport(ctx.deps(JAN_4));
    expect(december.period).toEqual(DECEMBER);
    expect(december.sections.map((section) => [section.sectionKey, section.indicators.map((indicator) => indicator.key)])).toEqual([['sci', ['rd']]]);

    const january = await missingReport(ctx.deps(JAN_25), JANUARY);
    expect(january.sections.map((section) => [section.sectionKey, section.indicators.map((indicator) => indicator.key)])).toEqual([
      ['monitoring', ['invest', 'workshops']],
      ['sci', ['rd']],
    ]);
  });

  it('counts the section as reported in the overview (已报送 1/2) and names nobody as owing it', async () => {
    await report(['invest'], DECEMBER, DEC_25);
    const overview = await overviewReport(ctx.deps(JAN_4));
    expect(overview.period).toEqual(DECEMBER);
    expect([overview.reported, overview.sections]).toEqual([1, 2]);
    expect(overview.owed.has('workshops')).toBe(false);
    expect(overview.owed.has('rd')).toBe(true);
    const rendered = renderOverview(translator('zh-CN'), 'zh-CN', overview);
    expect(rendered).toContain('2026年12月已报送 1/2 个股室');
    // Not "2026年未设目标": it is not reported in 2026 at all.
    expect(rendered).toContain('另有 1 项指标2026年未设目标：研发机构。');

    // In January both of 运行监测股's indicators are owed: one figure in is not the section reported.
    await report(['invest', 'rd'], JANUARY, JAN_25);
    const january = await overviewReport(ctx.deps(JAN_25), { year: 2027 });
    expect(january.period).toEqual(JANUARY);
    expect([january.reported, january.sections]).toEqual([1, 2]);
  });

  it('lists the section as reported in the dashboard and the December bulletin', async () => {
    await report(['invest'], DECEMBER, DEC_25);
    const deps = ctx.deps(JAN_4);
    expect((await sectionsReporting(deps)).sections).toEqual([
      { key: 'monitoring', name: '运行监测股', nameEn: null, indicators: 1, missing: 0 },
      { key: 'sci', name: '科技计划股', nameEn: null, indicators: 1, missing: 1 },
    ]);
    const paragraphs = await docxParagraphs((await bulletinFile(deps, { period: DECEMBER })).content);
    // 四、2026年12月数据报送情况: who has not reported, after the paragraphs on progress.
    // (November, never reported in this suite, follows under 此外: December's own lines are read here.)
    const from = paragraphs.findIndex((line) => line.includes('2026年12月数据报送情况'));
    const earlier = paragraphs.findIndex((line) => line.startsWith('此外，2026年11月'));
    const missing = paragraphs.slice(from, earlier === -1 ? undefined : earlier);
    expect(missing.filter((line) => line.includes('未报送'))).toEqual(['科技计划股未报送：研发机构（责任人：刘洋；截止12月31日）。']);
    expect(paragraphs.some((line) => line.includes('数字化车间'))).toBe(false);
    expect(missing.some((line) => line.includes('运行监测股'))).toBe(false);
  });

  it('has no month missing before it is owed: a bulletin before it leaves it out, its first months say no month is unreported', async () => {
    // Owed from March 2027, with a target for 2027: January's bulletin has not to say it is not reported yet.
    const march = ORG.replace('from: 2027-01', 'from: 2027-03') + '  - { indicator: workshops, year: 2027, value: 6 }\n';
    await loadOrgText(ctx.deps(JAN_25), march);
    await report(['invest'], JANUARY, JAN_25);
    const paragraphs = await docxParagraphs((await bulletinFile(ctx.deps(new Date('2027-02-05T02:00:00Z')), { period: JANUARY })).content);
    expect(paragraphs.filter((line) => line.includes('数字化车间'))).toEqual([]);
    // Its first month in: 1–3月 is March alone, nothing said to be missing before it.
    await report(['workshops'], { year: 2027, month: 3 }, new Date('2027-03-25T02:00:00Z'));
    const channel = await chatAt(new Date('2027-03-26T02:00:00Z'));
    const answer = texts(await channel.say('lin', '数字化车间完成率')).join('\n');
    expect(answer).toMatch(/^数字化车间：1–3月新增 1 个，完成年度目标 6 个的 16.67%/);
    expect(answer).not.toContain('未报送');
  });

  it('reminds nobody of it after the deadline: no 催报 to the section, not in the directors\' overdue list', async () => {
    await report(['invest'], DECEMBER, DEC_25);
    const planned = await planDueReminders(ctx.deps(JAN_4), JAN_4);
    expect(planned.filter((reminder) => reminder.memberKey === 'wang')).toEqual([]);
    expect(planned.some((reminder) => reminder.memberKey === 'liu' && reminder.kind === 'overdue')).toBe(true);
    const escalation = planned.find((reminder) => reminder.kind === 'escalation');
    expect(escalation?.sections).toEqual([{ key: 'sci', missing: ['rd'] }]);

    // A reminder planned earlier is looked at again as it goes out: nothing owed, it is dropped.
    const { prisma } = ctx.db();
    const member = async (key: string) => (await prisma.member.findUniqueOrThrow({ where: { key } })).id;
    const gate = createReminderGate(prisma);
    const overdue = { kind: 'reminder.overdue', chat: 'wecom:wang', memberId: await member('wang'), dedupeKey: reminderKey(DECEMBER, 'overdue-1', 'wang') };
    expect(await gate(overdue, JAN_4)).toEqual({ action: 'cancel', reason: 'reported meanwhile' });
    const escalated = { kind: 'reminder.escalation', chat: 'wecom:lin', memberId: await member('lin'), dedupeKey: reminderKey(DECEMBER, 'escalation', 'lin') };
    const sent = await gate(escalated, JAN_4);
    expect(sent).toMatchObject({ action: 'send' });
    expect('text' in sent ? sent.text : '').toContain('科技计划股');
    expect('text' in sent ? sent.text : '').not.toContain('运行监测股');
    await report(['rd'], DECEMBER, JAN_4);
    expect(await gate(escalated, JAN_4)).toEqual({ action: 'cancel', reason: 'reported meanwhile' });
  });

  it('is not asked in December\'s dialogue, its reminder or 补报, nor taken as a one-line report; in January it is asked', async () => {
    const { prisma } = ctx.db();
    // The window-open reminder is the dialogue's greeting: it asks December's one figure.
    const gate = createReminderGate(prisma);
    const open = { kind: 'reminder.window_open', chat: 'wecom:wang', memberId: (await prisma.member.findUniqueOrThrow({ where: { key: 'wang' } })).id, dedupeKey: reminderKey(DECEMBER, 'open', 'wang') };
    const opened = await gate(open, DEC_25);
    expect('text' in opened ? opened.text : '').toContain('共 1 项');
    await prisma.conversation.deleteMany();

    const december = await chatAt(DEC_25);
    const say = async (text: string) => texts(await december.say('wang', text));
    expect(await say('数字化车间 12个')).toEqual(['数字化车间从 2027年1月 起报送，2026年12月 不需要报送，本条未作记录。']);
    expect(await say('/report')).toEqual([
      '王股长您好！请报送 2026年12月 数据（截止 12月31日），共 1 项。直接回复数字即可，可带单位。',
      '(1/1) 工业投资 1–12月累计（亿元）？',
    ]);
    expect(await say('取消')).toHaveLength(1);
    expect(await storedFigure(prisma, 'workshops', '2026-12')).toBeUndefined();

    // In January, with December's one figure in, December is complete: /report 2026-12 corrects that one.
    await report(['invest'], DECEMBER, DEC_25);
    const january = await chatAt(JAN_25);
    const sayJanuary = async (text: string) => texts(await january.say('wang', text));
    const correction = await sayJanuary('/report 2026-12');
    expect(correction.join('\n')).toContain('工业投资');
    expect(correction.join('\n')).not.toContain('数字化车间');
    expect(await sayJanuary('取消')).toHaveLength(1);
    const reporting = await sayJanuary('/report');
    expect(reporting[0]).toContain('共 2 项');
    expect(reporting[1]).toContain('工业投资');
  });

  it('says, to a section whose only indicators start later, from when it reports', async () => {
    const onlyLater = ORG.replace('section: monitoring, kind: cumulative', 'section: sci, kind: cumulative');
    await loadOrgText(ctx.deps(DEC_25), onlyLater);
    const december = await chatAt(DEC_25);
    expect(texts(await december.say('wang', '/report'))).toEqual(['2026年12月 您没有需要报送的指标：数字化车间 从 2027年1月 起报送。']);
  });

  it('leaves a section that reported the rest out of 谁还没报 and 催报 in chat', async () => {
    await report(['invest'], DECEMBER, DEC_25);
    const channel = await chatAt(JAN_4);
    // December's part (November, owed by both and said after it under 此外, is another month).
    const missing = texts(await channel.say('lin', '谁还没报')).join('\n').split('\n此外')[0];
    expect(missing).toContain('科技计划股');
    expect(missing).not.toContain('运行监测股');
    expect(texts(await channel.say('lin', '运行监测股报了吗')).join('\n')).toContain('1 项已报齐');
    const nudged = texts(await channel.say('lin', '催报')).join('\n');
    expect(nudged).toContain('刘洋');
    expect(nudged).not.toContain('王明');
    expect(texts(await channel.say('lin', '催一下王明')).join('\n')).toContain('未提醒（已报送）：王明');
  });

  it('says from when it is reported, asked about a year before that with no figure of it', async () => {
    const channel = await chatAt(DEC_25);
    expect(texts(await channel.say('lin', '2026年数字化车间')).join('\n')).toBe('数字化车间：2027年1月 起报送，此前没有数据。');
  });

  it('keeps answering questions about its figures, which an import may store before from (history)', async () => {
    await report(['workshops'], { year: 2026, month: 6 }, DEC_25);
    expect(await storedFigure(ctx.db().prisma, 'workshops', formatPeriod({ year: 2026, month: 6 }))).toMatchObject({ value: '1' });
    const channel = await chatAt(DEC_25);
    expect(texts(await channel.say('lin', '2026年数字化车间')).join('\n')).toContain('数字化车间');
  });
});

describeEachDatabase('loading a file that sets, changes or leaves out from', (ctx) => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'org-from-'));
    const { prisma } = ctx.db();
    await prisma.submissionRevision.deleteMany();
    await prisma.submission.deleteMany();
  });

  async function file(text: string): Promise<string> {
    const name = path.join(dir, `org-${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(name, text);
    return name;
  }

  async function loadFile(text: string, now = DEC_25) {
    const loaded = await loadOrgFile(ctx.deps(now), { file: await file(text) }, 'test');
    if (!loaded.ok || loaded.value.status === 'kept' || loaded.value.status === 'kept_later') throw new Error('not loaded');
    return loaded.value;
  }

  const fromOf = async (key: string) => (await listIndicators(ctx.db().prisma)).find((indicator) => indicator.key === key)?.from;

  it('stores a changed from, and none once the file leaves it out; the same meaning again is unchanged', async () => {
    await loadFile(ORG);
    expect(await fromOf('workshops')).toEqual(JANUARY);
    expect((await loadFile(ORG.replace('from: 2027-01', 'from: "2027-1"'))).status).toBe('unchanged');
    expect((await loadFile(ORG.replace('from: 2027-01', 'from: 2027-03'))).status).toBe('loaded');
    expect(await fromOf('workshops')).toEqual({ year: 2027, month: 3 });
    expect((await loadFile(ORG.replace(', from: 2027-01', ''))).status).toBe('loaded');
    expect(await fromOf('workshops')).toBeUndefined();
    expect((await loadFile(ORG)).status).toBe('loaded');
    expect(await fromOf('workshops')).toEqual(JANUARY);
  });

  it('owes an indicator added without from to a bureau with figures from the period it was added in, through later loads', async () => {
    const deps = ctx.deps(DEC_25);
    await loadFile(ORG);
    const invest = await deps.prisma.indicator.findUniqueOrThrow({ where: { key: 'invest' }, select: { id: true } });
    await deps.prisma.$transaction((tx) => recordFigure(tx, { indicatorId: invest.id, period: { year: 2026, month: 11 }, value: dec(1), channel: 'test', at: DEC_25 }));
    await deps.prisma.indicator.deleteMany({ where: { key: 'parks' } });
    const added = ORG.replace('targets:', `  - { key: parks, name: 智慧园区, section: sci, kind: increment, unit: 个 }
targets:`);
    expect((await loadFile(added)).undated).toMatchObject([{ key: 'parks', period: DECEMBER }]);
    expect(await fromOf('parks')).toEqual(DECEMBER);
    // Not owed for November, as load said: 科技计划股 owes 研发机构 alone there; in December both.
    const owed = async (period: Period, now: Date) =>
      (await missingReport(ctx.deps(now), period)).sections.map((section) => [section.sectionKey, section.indicators.map((indicator) => indicator.key)]);
    expect(await owed({ year: 2026, month: 11 }, DEC_25)).toEqual([['sci', ['rd']]]);
    expect(await owed(DECEMBER, JAN_4)).toEqual([
      ['monitoring', ['invest']],
      ['sci', ['rd', 'parks']],
    ]);
    // A later load of a file that still gives no from (another target, a month later) keeps that start.
    expect((await loadFile(added.replace('value: 22', 'value: 23'), JAN_25)).undated).toEqual([]);
    expect(await fromOf('parks')).toEqual(DECEMBER);
    // A from the file gives is the file's; one it then takes away leaves the indicator owed in every period.
    await loadFile(added.replace('unit: 个 }\ntargets', 'unit: 个, from: 2027-03 }\ntargets'), JAN_25);
    expect(await fromOf('parks')).toEqual({ year: 2027, month: 3 });
    await loadFile(added, JAN_25);
    expect(await fromOf('parks')).toBeUndefined();
  });

  it('load says, one line each, that an indicator added without from to a bureau with figures is owed at once', async () => {
    const deps = ctx.deps(DEC_25);
    await loadFile(ORG);
    const added = `${ORG.replace('targets:', `  - { key: parks, name: 智慧园区, section: sci, kind: increment, unit: 个 }
  - { key: lines, name: 技改生产线, section: sci, kind: increment, unit: 个, from: 2027-02 }
targets:`)}`;
    // No figure yet: a first organisation owes everything from the start, and nothing is said.
    expect((await loadFile(added)).undated).toEqual([]);
    await loadFile(ORG);
    const ids = new Map((await deps.prisma.indicator.findMany({ select: { key: true, id: true } })).map((row) => [row.key, row.id]));
    await deps.prisma.$transaction((tx) => recordFigure(tx, { indicatorId: ids.get('invest') ?? -1, period: { year: 2026, month: 11 }, value: dec(1), channel: 'test', at: DEC_25 }));
    // parks was loaded once (it is stored, inactive): only a key never seen is new.
    await deps.prisma.indicator.deleteMany({ where: { key: { in: ['parks', 'lines'] } } });

    const printed: string[] = [];
    const context = { deps, t: translator('zh-CN'), locale: 'zh-CN' as const, print: (line: string) => void printed.push(line) };
    expect(await loadCommand(context, await file(added))).toBe(0);
    expect(printed.slice(1)).toEqual([
      '与上次加载相比：',
      '  新增（或重新列出的）指标：智慧园区（parks）、技改生产线（lines）',
      '新增指标 parks（智慧园区）没有写 from（报送起始月），从本期 2026年12月 起就算应报、会被催报；如果从以后的月份起报送，请在该指标下加一行 from: 2027-01（按实际起始月写）。',
    ]);
    const row = await deps.prisma.auditLog.findFirst({ where: { action: 'org.load' }, orderBy: { id: 'desc' } });
    expect(row?.details).toMatchObject({ undated: ['parks'] });

    await loadFile(ORG);
    await deps.prisma.indicator.deleteMany({ where: { key: { in: ['parks', 'lines'] } } });
    const english: string[] = [];
    await loadCommand({ ...context, t: translator('en'), locale: 'en', print: (line) => void english.push(line) }, await file(added));
    expect(english.slice(1)).toEqual([
      'Compared with the last load:',
      '  Indicators added (or listed again): 智慧园区 (parks), 技改生产线 (lines)',
      'New indicator parks (智慧园区) has no from: it is owed, and chased, from the current period, December 2026. If it is reported from a later month, add a line such as from: 2027-01 under it.',
    ]);
  });
});
