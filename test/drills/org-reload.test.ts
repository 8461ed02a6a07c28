import { expect, it } from 'vitest';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { readOrgSource } from '../../src/app/org-source.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { formatOrgProblems } from '../../src/core/org/problems.js';
import { NOV_25, bind, storedFigure, texts, useChat } from '../helpers/chat.js';
import { type DatabaseContext, describeEachDatabase } from '../helpers/databases.js';
import type { MemoryChannel } from '../helpers/memory-channel.js';

/*
 * Drill: the administrator loads a changed organisation file while a section head is half-way through a
 * report. Whatever changed — the indicator being asked, an indicator's unit, the person's section, the
 * person — the dialogue goes on or ends with a clear message, and no figure is ever stored against an
 * indicator it was not given for, nor in a unit it was not given in.
 */

const t = translator('zh-CN');
const demo = await readOrgSource();
if (!demo.ok) throw new Error('the demo organisation does not read');
const demoText = demo.value.text;

function edit(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`expected one ${String(from)} in the demo file, found ${count}`);
  return text.replace(from, to);
}

const withoutInvestment = (text: string) =>
  [/\n {2}- key: industrial_investment\n(?: {4}.*\n)+/, /\n {2}- \{ indicator: industrial_investment, year: 2020.*/, /\n {2}- \{ indicator: industrial_investment, year: 2026.*/].reduce(
    (result, pattern) => edit(result, pattern, '\n'),
    text,
  );

async function reload(ctx: DatabaseContext, text: string): Promise<void> {
  const parsed = parseOrgFile(text);
  if (!parsed.ok) throw new Error(formatOrgProblems(parsed.error, translator('en')));
  await loadOrganisation(ctx.deps(NOV_25), parsed.value, { hash: orgSourceHash(text), actor: 'admin' });
  // The demo file lists no chat identities: a reload unbinds the test's bindings, which are bound again.
  for (const key of ['wang', 'zhou']) await bind(ctx.db().prisma, `telegram:${key}`, key).catch(() => undefined);
}

async function say(channel: MemoryChannel, text: string): Promise<string> {
  return texts(await channel.say('wang', text)).join('\n');
}

describeEachDatabase('drill: the organisation file reloaded mid-dialogue', (ctx) => {
  const chat = useChat(ctx);

  /** The demo file again, no dialogue open, no November figure. */
  async function afterwards(channel: MemoryChannel) {
    const { prisma } = ctx.db();
    await reload(ctx, demoText);
    await channel.say('wang', '取消');
    await prisma.submissionRevision.deleteMany({ where: { submission: { year: 2026, month: 11 } } });
    await prisma.submission.deleteMany({ where: { year: 2026, month: 11 } });
  }

  it('does not take the answer to a question whose indicator went for the next question', async () => {
    const { channel } = await chat.start();
    try {
      await say(channel, '/report');
      await say(channel, '41亿');
      expect(await say(channel, '11亿')).toContain('(3/4) 工业投资');
      await reload(ctx, withoutInvestment(demoText));
      // "3" was meant for 工业投资; 新增规上企业 would take it as 3 firms.
      const reply = await say(channel, '3');
      expect(reply).toContain(t('dialogue.items_changed'));
      expect(reply).toContain('(3/3) 新增规上企业');
      expect(await say(channel, '2家')).toContain('请核对');
      expect(await say(channel, '确认')).toContain('已提交 2026年11月 数据 3 项。');
      expect(await storedFigure(ctx.db().prisma, 'new_above_scale_firms', '2026-11')).toMatchObject({ value: '2' });
      expect(await storedFigure(ctx.db().prisma, 'industrial_investment', '2026-11')).toBeUndefined();
    } finally {
      await afterwards(channel);
    }
  });

  it('does not store a figure given in 亿元 as 万元 when the unit changes before 确认, and asks for it again later', async () => {
    const { channel } = await chat.start();
    try {
      await say(channel, '/report');
      for (const answer of ['41亿', '11亿', '19亿']) await say(channel, answer);
      expect(await say(channel, '3家')).toContain('3. 工业投资 19.00 亿元');
      await reload(ctx, edit(edit(demoText, /(- key: industrial_investment\n(?: {4}.*\n)*? {4}unit: )亿元/, '$1万元'), /(- key: industrial_investment\n(?: {4}.*\n)*? {4}max: )500/, '$15000000'));
      // The figure was read as 亿元: the redefined indicator leaves this report, and the summary is shown again.
      const reply = await say(channel, '确认');
      expect(reply).toContain(t('dialogue.items_changed'));
      expect(reply).toContain('请核对');
      expect(reply).not.toContain('工业投资');
      expect(await storedFigure(ctx.db().prisma, 'industrial_investment', '2026-11')).toBeUndefined();
      expect(await say(channel, '确认')).toContain('已提交 2026年11月 数据 3 项。');
      expect(await storedFigure(ctx.db().prisma, 'industrial_investment', '2026-11')).toBeUndefined();
      // Asked again, in its new unit.
      expect(await say(channel, '/report')).toContain('工业投资 1–11月累计（万元）');
    } finally {
      await afterwards(channel);
    }
  });

  it('does not submit a one-shot figure whose indicator changed unit before 确认', async () => {
    const { channel } = await chat.start();
    try {
      expect(await say(channel, '新增规上企业3家')).toContain('确认提交');
      await reload(ctx, edit(demoText, /(- key: new_above_scale_firms\n(?: {4}.*\n)*? {4}unit: )家/, '$1个'));
      expect(await say(channel, '确认')).toBe(t('dialogue.items_gone'));
      expect(await storedFigure(ctx.db().prisma, 'new_above_scale_firms', '2026-11')).toBeUndefined();
    } finally {
      await afterwards(channel);
    }
  });

  it('ends the report with a clear message when the person moves to another section', async () => {
    const { channel } = await chat.start();
    try {
      await say(channel, '/report');
      await say(channel, '41亿');
      await reload(ctx, edit(demoText, '{ key: wang, name: 王明, roles: [section_head], section: monitoring }', '{ key: wang, name: 王明, roles: [section_head], section: industry_tech }'));
      expect(await say(channel, '11亿')).toBe(t('dialogue.items_gone'));
      expect(await ctx.db().prisma.submission.count({ where: { year: 2026, month: 11 } })).toBe(0);
    } finally {
      await afterwards(channel);
    }
  });

  it('stores nothing for a person the file no longer lists, who is told they are not bound', async () => {
    const { channel } = await chat.start();
    try {
      await say(channel, '/report');
      await say(channel, '41亿');
      await reload(ctx, edit(demoText, '  - { key: wang, name: 王明, roles: [section_head], section: monitoring }  # "王股长"\n', ''));
      expect(await say(channel, '11亿')).toBe(t('chat.stranger'));
      expect(await ctx.db().prisma.submission.count({ where: { year: 2026, month: 11 } })).toBe(0);
    } finally {
      await afterwards(channel);
    }
  });
});
