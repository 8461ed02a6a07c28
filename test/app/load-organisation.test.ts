import { expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { loadOrganisation, orgSourceHash } from '../../src/app/load-organisation.js';
import { readOrgSource } from '../../src/app/org-source.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import { formatOrgProblems } from '../../src/core/org/problems.js';
import { getOrganisation, listIndicators, listMembers, targetsOf } from '../../src/db/org-repository.js';
import { describeEachDatabase } from '../helpers/databases.js';

const NOW = new Date('2020-11-25T02:00:00Z');

const demo = await readOrgSource();
if (!demo.ok) throw new Error(`the demo organisation does not read: ${JSON.stringify(demo.error)}`);
const demoText = demo.value.text;

async function load(deps: AppDeps, text: string, actor = 'cli') {
  const parsed = parseOrgFile(text);
  if (!parsed.ok) throw new Error(formatOrgProblems(parsed.error, translator('en')));
  return loadOrganisation(deps, parsed.value, { hash: orgSourceHash(text), actor });
}

/** `text` with `from` replaced by `to`, failing loudly when `from` is not there exactly once. */
function edit(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`expected one ${String(from)} in the demo file, found ${count}`);
  return text.replace(from, to);
}

// The administrator's next version of the file: one indicator and one member gone, one member renamed,
// a 2020 target changed and a chat identity added.
const changedText = [
  (text: string) => edit(text, /\n {2}- key: sme_loans_issued\n(?: {4}.*\n)+/, '\n'),
  (text: string) => edit(text, '  - { key: huang, name: 黄磊, roles: [staff], section: sci_plan, locale: en }\n', ''),
  (text: string) => edit(text, 'name: 周婷,', 'name: 周婷婷,'),
  (text: string) => edit(text, '{ indicator: industrial_investment, year: 2020, value: 21,', '{ indicator: industrial_investment, year: 2020, value: 22,'),
  (text: string) =>
    edit(text, '{ key: wang, name: 王明, roles: [section_head], section: monitoring }', '{ key: wang, name: 王明, roles: [section_head], section: monitoring, identities: ["telegram:880001"] }'),
].reduce((text, change) => change(text), demoText);

describeEachDatabase('loading the organisation file', (ctx) => {
  it("loads the demo organisation: the seed bureau's 8 sections, 11 people, 15 indicators, 7 targets for 2020", async () => {
    const deps = ctx.deps(NOW);
    expect(await load(deps, demoText)).toMatchObject({ sections: 8, members: 11, indicators: 15, targets: 14 });

    const { prisma } = ctx.db();
    expect(await getOrganisation(prisma)).toMatchObject({ name: '乐昌市工业和信息化局', nameEn: 'Lechang Bureau of Industry and Information Technology', timezone: 'Asia/Shanghai' });
    const sections = await prisma.section.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
    expect(sections.map((section) => section.name)).toEqual([
      '办公室', '运行监测股', '产业技术与工业节能股', '无线电与数字信息化和安全生产股', '高新技术发展与产学研股', '科技计划股', '中小企业局', '人事股',
    ]);
    const indicators = await listIndicators(prisma);
    expect(indicators).toHaveLength(15);
    expect(indicators[3]).toMatchObject({ key: 'tech_upgrade_investment', name: '工业技改投资', section: { name: '产业技术与工业节能股' }, kind: 'cumulative', unit: '亿元', decimals: 2 });
    expect(indicators[3]?.max?.toFixed()).toBe('100');
    expect(indicators[3]?.min?.toFixed()).toBe('0');
    expect(indicators[3]?.aliases).toEqual([
      '技改', '技改投资', '技术改造投资', '工业技术改造投资', 'tech upgrade', 'tech-upgrade', 'technical renovation', 'tech renovation', 'technological transformation',
    ]);
    // Made in file order, and numbered so: the order the dialogue asks in.
    const made = await prisma.indicator.findMany({ orderBy: { id: 'asc' }, select: { position: true } });
    expect(made.map((row) => row.position)).toEqual([...Array(15).keys()]);
    expect(await listMembers(prisma)).toHaveLength(11);
    expect(await prisma.member.findUnique({ where: { key: 'huang' }, include: { section: true } })).toMatchObject({
      name: '黄磊', roles: ['staff'], locale: 'en', active: true, section: { key: 'sci_plan' },
    });
    const section = await prisma.section.findUnique({ where: { key: 'industry_tech' } });
    expect(section?.schedule).toMatchObject({ deadlineReminderTime: expect.any(String) });
    const targets = await targetsOf(prisma, 2020);
    expect(new Map([...targets].map(([key, value]) => [key, value.toFixed()]))).toEqual(
      new Map([
        ['industrial_investment', '21'], ['tech_upgrade_investment', '3'], ['new_high_tech_firms', '5'], ['new_rd_institutions', '5'],
        ['rd_share_of_gdp', '0.66'], ['village_fibre_coverage', '343'], ['clean_production_audits', '5'],
      ]),
    );
    expect((await prisma.target.findFirst({ where: { year: 2020, indicator: { key: 'industrial_investment' } } }))?.setBy).toBe('韶关下达');
  });

  it('recognises the same text loaded again as unchanged and writes nothing, not even an audit row', async () => {
    const deps = ctx.deps(NOW);
    await load(deps, demoText);
    const auditRows = await ctx.db().prisma.auditLog.count();
    expect(await load(deps, demoText)).toEqual({
      status: 'unchanged', sections: 8, members: 11, indicators: 15, targets: 14,
      deactivated: { sections: [], members: [], indicators: [] }, targetsKept: [], undated: [],
      changes: { added: { sections: [], members: [], indicators: [] }, changes: [] },
    });
    expect(await ctx.db().prisma.auditLog.count()).toBe(auditRows);
  });

  it('updates a changed file in place, deactivating what vanished and keeping every submission and revision', async () => {
    const deps = ctx.deps(NOW);
    const { prisma } = ctx.db();
    await load(deps, demoText);
    const ids = new Map((await listIndicators(prisma)).map((indicator) => [indicator.key, indicator.id]));
    const zhou = await prisma.member.findUniqueOrThrow({ where: { key: 'zhou' } });
    await prisma.$transaction(async (tx) => {
      const loans = ids.get('sme_loans_issued') ?? -1;
      await recordFigure(tx, { indicatorId: loans, period: { year: 2020, month: 9 }, value: dec('13.70'), channel: 'test', at: NOW });
      await recordFigure(tx, { indicatorId: loans, period: { year: 2020, month: 9 }, value: dec('13.76'), channel: 'test', reason: '更正', at: NOW });
      await recordFigure(tx, { indicatorId: ids.get('industrial_investment') ?? -1, period: { year: 2020, month: 10 }, value: dec('19.11'), memberId: zhou.id, channel: 'test', at: NOW });
    });
    const before = { submissions: await prisma.submission.findMany({ orderBy: { id: 'asc' } }), revisions: await prisma.submissionRevision.findMany({ orderBy: { id: 'asc' } }) };

    const result = await load(deps, changedText, 'admin');
    expect(result).toEqual({
      status: 'loaded', sections: 8, members: 10, indicators: 14, targets: 14,
      deactivated: { sections: [], members: ['huang'], indicators: ['sme_loans_issued'] }, targetsKept: [], undated: [],
      // What changed besides, for the administrator to check: a renamed member, a target (21 → 22).
      changes: {
        added: { sections: [], members: [], indicators: [] },
        changes: [
          { kind: 'member_renamed', key: 'zhou', from: '周婷', to: '周婷婷' },
          { kind: 'target', key: 'industrial_investment', year: 2020, from: '21', to: '22' },
        ],
      },
    });
    expect({ submissions: await prisma.submission.findMany({ orderBy: { id: 'asc' } }), revisions: await prisma.submissionRevision.findMany({ orderBy: { id: 'asc' } }) }).toEqual(before);
    expect(await prisma.indicator.findUnique({ where: { key: 'sme_loans_issued' } })).toMatchObject({ id: ids.get('sme_loans_issued'), active: false });
    expect((await listIndicators(prisma)).map((indicator) => indicator.key)).not.toContain('sme_loans_issued');
    expect(await prisma.member.findUnique({ where: { key: 'zhou' } })).toMatchObject({ id: zhou.id, name: '周婷婷', active: true });
    expect((await listMembers(prisma)).map((member) => member.key)).not.toContain('huang');
    expect((await targetsOf(prisma, 2020)).get('industrial_investment')?.toFixed()).toBe('22');
    expect((await prisma.indicator.findUnique({ where: { key: 'industrial_investment' } }))?.id).toBe(ids.get('industrial_investment'));

    // Loading the original again brings back what it lists, under the same ids, history and all.
    const again = await load(deps, demoText);
    expect(again.deactivated).toEqual({ sections: [], members: [], indicators: [] });
    expect(again.changes).toEqual({
      added: { sections: [], members: ['huang'], indicators: ['sme_loans_issued'] },
      changes: [
        { kind: 'member_renamed', key: 'zhou', from: '周婷婷', to: '周婷' },
        { kind: 'target', key: 'industrial_investment', year: 2020, from: '22', to: '21' },
      ],
    });
    expect((await listIndicators(prisma)).find((indicator) => indicator.key === 'sme_loans_issued')?.id).toBe(ids.get('sme_loans_issued'));
    expect(await prisma.submission.count()).toBe(before.submissions.length);
  });

  it("keeps each section's English name, lists one set, changed or dropped, and clears a dropped one", async () => {
    const deps = ctx.deps(NOW);
    const { prisma } = ctx.db();
    await load(deps, demoText);
    const englishNames = async () => new Map((await prisma.section.findMany()).map((section) => [section.key, section.nameEn]));
    expect((await englishNames()).get('sci_plan')).toBe('Science and Technology Planning Section');
    expect((await listIndicators(prisma)).find((indicator) => indicator.key === 'rd_share_of_gdp')?.section).toEqual({
      name: '科技计划股', nameEn: 'Science and Technology Planning Section',
    });
    expect((await listMembers(prisma)).find((member) => member.key === 'huang')?.section?.nameEn).toBe('Science and Technology Planning Section');

    const renamed = edit(
      edit(demoText, 'name_en: Science and Technology Planning Section', 'name_en: S&T Planning Section'),
      '    name_en: Personnel Section\n',
      '',
    );
    expect((await load(deps, renamed)).changes.changes).toEqual([
      { kind: 'section_renamed_en', key: 'sci_plan', from: 'Science and Technology Planning Section', to: 'S&T Planning Section' },
      { kind: 'section_renamed_en', key: 'personnel', from: 'Personnel Section' },
    ]);
    const stored = await englishNames();
    expect([stored.get('sci_plan'), stored.get('personnel'), stored.get('office')]).toEqual(['S&T Planning Section', null, 'General Office']);
    expect((await load(deps, demoText)).changes.changes).toHaveLength(2);
    expect((await englishNames()).get('personnel')).toBe('Personnel Section');
  });

  it("replaces the targets of the years the file lists and keeps another year's, saying so", async () => {
    const deps = ctx.deps(NOW);
    const { prisma } = ctx.db();
    await load(deps, demoText);
    // Next year's file: 2020's targets left out, 2026's 工业投资 raised.
    const nextYear = demoText
      .split('\n')
      .filter((line) => !line.includes('year: 2020,'))
      .join('\n')
      .replace('{ indicator: industrial_investment, year: 2026, value: 21,', '{ indicator: industrial_investment, year: 2026, value: 23,');
    expect(await load(deps, nextYear)).toMatchObject({ status: 'loaded', targets: 7, targetsKept: [{ year: 2020, count: 7 }] });
    expect((await targetsOf(prisma, 2020)).get('industrial_investment')?.toFixed()).toBe('21');
    expect((await targetsOf(prisma, 2020)).size).toBe(7);
    expect((await targetsOf(prisma, 2026)).get('industrial_investment')?.toFixed()).toBe('23');
    await load(deps, demoText);
  });

  it('binds the chat identities the file lists, and unbinds them when the file stops listing them', async () => {
    const deps = ctx.deps(NOW);
    const { prisma } = ctx.db();
    await load(deps, changedText);
    const wang = await prisma.member.findUniqueOrThrow({ where: { key: 'wang' } });
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'telegram:880001' } })).toMatchObject({ memberId: wang.id, source: 'org_file' });

    await load(deps, demoText);
    expect(await prisma.chatIdentity.findUnique({ where: { identity: 'telegram:880001' } })).toBeNull();
  });

  it('writes an audit log row for every load that changes something: who, when, which file, what vanished', async () => {
    const deps = ctx.deps(new Date('2020-11-26T03:04:05Z'));
    await load(deps, demoText);
    await load(deps, changedText, 'admin');
    const row = await ctx.db().prisma.auditLog.findFirst({ where: { action: 'org.load' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ actor: 'admin', subject: '乐昌市工业和信息化局', at: new Date('2020-11-26T03:04:05Z') });
    expect(row?.details).toMatchObject({
      hash: orgSourceHash(changedText), indicators: 14, members: 10,
      deactivated: { sections: [], members: ['huang'], indicators: ['sme_loans_issued'] }, targetsKept: [], undated: [],
      added: { sections: [], members: [], indicators: [] },
      changes: [
        { kind: 'member_renamed', key: 'zhou', from: '周婷', to: '周婷婷' },
        { kind: 'target', key: 'industrial_investment', year: 2020, from: '21', to: '22' },
      ],
    });
  });
});
