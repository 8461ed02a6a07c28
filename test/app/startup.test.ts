import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_ORG_FILE } from '../../src/app/demo-data.js';
import { describeOrgSourceError, readOrgSource } from '../../src/app/org-source.js';
import { recordFigure } from '../../src/app/record-figure.js';
import { loadOrgFile } from '../../src/app/startup.js';
import { dec } from '../../src/core/decimal.js';
import { translator } from '../../src/core/i18n.js';
import { getOrganisation, listIndicators } from '../../src/db/org-repository.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('loading the organisation at start', (ctx) => {
  const deps = () => ctx.deps(new Date('2026-11-25T02:00:00Z'));

  it("lets BOT_TIMEZONE override the file's timezone, and reloads when only the override changes", async () => {
    const first = await loadOrgFile(deps(), {}, 'test');
    expect(first.ok && (await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Shanghai');

    const overridden = await loadOrgFile(deps(), { timeZone: 'Asia/Urumqi' }, 'test');
    expect(overridden.ok && overridden.value.status).toBe('loaded');
    expect((await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Urumqi');

    const again = await loadOrgFile(deps(), { timeZone: 'Asia/Urumqi' }, 'test');
    expect(again.ok && again.value.status).toBe('unchanged');

    await loadOrgFile(deps(), {}, 'test');
    expect((await getOrganisation(ctx.db().prisma)).timezone).toBe('Asia/Shanghai');
  });

  it('reloads a file whose meaning this version reads differently, and not one whose comments alone changed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-meaning-'));
    try {
      const file = path.join(dir, 'org.yaml');
      const text = `organisation:
  name: 测试局
sections:
  - { key: sci, name: 科技股 }
indicators:
  - { key: firms, name: 新增企业, section: sci, kind: increment, unit: 家 }
`;
      await writeFile(file, text);
      expect(await loadOrgFile(deps(), { file }, 'test')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      await writeFile(file, `# 2026 年版\n${text}`);
      expect(await loadOrgFile(deps(), { file }, 'test')).toMatchObject({ ok: true, value: { status: 'unchanged' } });
      // As an earlier version left it: counts shown with the old default of two decimals, the text's hash stored.
      const { prisma } = ctx.db();
      await prisma.indicator.updateMany({ where: { key: 'firms' }, data: { decimals: 2 } });
      await prisma.organisation.updateMany({ data: { sourceHash: createHash('sha256').update(text).digest('hex') } });
      expect(await loadOrgFile(deps(), { file }, 'test')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      expect((await listIndicators(prisma)).find((indicator) => indicator.key === 'firms')?.decimals).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a later load of another file standing at start, until ORG_FILE is edited', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-later-'));
    try {
      const [orgFile, copy] = [path.join(dir, 'org.yaml'), path.join(dir, 'org-new.yaml')];
      const text = (section: string, target: number) => `organisation:
  name: 测试局
sections:
  - { key: sci, name: ${section} }
indicators:
  - { key: firms, name: 新增企业, section: sci, kind: increment, unit: 家 }
targets:
  - { indicator: firms, year: 2026, value: ${target} }
`;
      const sectionName = async () => (await ctx.db().prisma.section.findUniqueOrThrow({ where: { key: 'sci' } })).name;
      const atStart = () => loadOrgFile(deps(), { file: orgFile }, 'system', { atStart: true });
      await writeFile(orgFile, text('科技股', 5));
      expect(await atStart()).toMatchObject({ ok: true, value: { status: 'loaded' } });
      // The administrator loads an edited copy (a section renamed): a restart keeps it.
      await writeFile(copy, text('科技计划股', 5));
      expect(await loadOrgFile(deps(), { file: copy }, 'cli')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      expect(await atStart()).toMatchObject({ ok: true, value: { status: 'kept_later', file: copy } });
      expect(await sectionName()).toBe('科技计划股');
      // ORG_FILE edited since: it is the administrator's word again.
      await writeFile(orgFile, text('科技股', 6));
      expect(await atStart()).toMatchObject({ ok: true, value: { status: 'loaded', replaced: { file: copy } } });
      expect(await sectionName()).toBe('科技股');
      expect(await atStart()).toMatchObject({ ok: true, value: { status: 'unchanged' } });
      // A load asked for (npm run cli -- load) loads ORG_FILE whatever was loaded after it.
      await loadOrgFile(deps(), { file: copy }, 'cli');
      expect(await loadOrgFile(deps(), { file: orgFile }, 'cli')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      expect(await sectionName()).toBe('科技股');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file that changes the unit of an indicator with stored figures, at that line, and changes nothing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-unit-'));
    try {
      // By its path: an earlier test of this database loaded another organisation, which no file given would keep.
      await loadOrgFile(deps(), { file: DEMO_ORG_FILE }, 'test');
      const { prisma } = ctx.db();
      const tech = (await listIndicators(prisma)).find((indicator) => indicator.key === 'tech_upgrade_investment');
      await prisma.$transaction((tx) =>
        recordFigure(tx, { indicatorId: tech!.id, period: { year: 2026, month: 10 }, value: dec('2.05'), channel: 'test', at: new Date('2026-11-25T02:00:00Z') }),
      );
      const demo = await readFile(DEMO_ORG_FILE, 'utf8');
      const lines = demo.split('\n');
      const unitLine = lines.findIndex((line, i) => line === '    unit: 亿元' && lines[i - 5] === '  - key: tech_upgrade_investment') + 1;
      const file = path.join(dir, 'org.yaml');
      // An indicator without figures may change its unit; one with figures may not.
      const changed = demo
        .replace(/(key: tech_upgrade_investment[\s\S]*?unit: )亿元/, '$1万元')
        .replace(/(key: industrial_output_value[\s\S]*?unit: )亿元/, '$1万元');
      await writeFile(file, changed);

      const refused = await loadOrgFile(deps(), { file }, 'test');
      if (refused.ok) throw new Error('the file was loaded');
      expect(refused.error).toMatchObject({ kind: 'invalid', file, problems: [{ path: expect.stringMatching(/^indicators\[\d+\]\.unit$/), line: unitLine, code: 'unit_changed' }] });
      expect(describeOrgSourceError(refused.error, translator('zh-CN'))).toMatch(
        new RegExp(`（第 ${unitLine} 行）：指标 tech_upgrade_investment 已有 1 个报送数字按“亿元”保存，改成“万元”会让这些数字的意思跟着变`),
      );
      expect((await listIndicators(prisma)).find((indicator) => indicator.key === 'tech_upgrade_investment')?.unit).toBe('亿元');
      expect((await listIndicators(prisma)).find((indicator) => indicator.key === 'industrial_output_value')?.unit).toBe('亿元');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads an organisation file saved as GBK (Notepad\'s ANSI on Chinese Windows) as well as UTF-8', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-gbk-'));
    try {
      const file = path.join(dir, 'org.yaml');
      // organisation 测试局, section 运行监测股, indicator 工业投资 in 亿元: GBK bytes, not UTF-8.
      const gbk =
        '6f7267616e69736174696f6e3a0a20206e616d653a20b2e2cad4bed60a73656374696f6e733a0a20202d206b65793a206d6f6e69746f72696e670a202020206e616d653a20' +
        'd4cbd0d0bce0b2e2b9c90a696e64696361746f72733a0a20202d206b65793a20696e760a202020206e616d653a20b9a4d2b5cdb6d7ca0a2020202073656374696f6e3a20' +
        '6d6f6e69746f72696e670a202020206b696e643a2063756d756c61746976650a20202020756e69743a20d2dad4aa0a';
      await writeFile(file, Buffer.from(gbk, 'hex'));
      const read = await readOrgSource(file);
      if (!read.ok) throw new Error(describeOrgSourceError(read.error, translator('en')));
      expect(read.value.config.organisation.name).toBe('测试局');
      expect(read.value.config.sections[0]?.name).toBe('运行监测股');
      expect(read.value.config.indicators[0]).toMatchObject({ name: '工业投资', unit: '亿元' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("never replaces a bureau's own organisation with the built-in demo when no file is given", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-own-'));
    try {
      const file = path.join(dir, 'org.yaml');
      await writeFile(file, `organisation:
  name: 测试局
sections:
  - { key: sci, name: 科技股 }
members:
  - { key: boss, name: 赵局长, roles: [director] }
indicators:
  - { key: firms, name: 新增企业, section: sci, kind: increment, unit: 家 }
`);
      expect(await loadOrgFile(deps(), { file }, 'test')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      // A restart with ORG_FILE forgotten: the bureau's organisation stays, its members active.
      expect(await loadOrgFile(deps(), {}, 'test')).toEqual({ ok: true, value: { status: 'kept', organisation: '测试局' } });
      expect((await getOrganisation(ctx.db().prisma)).name).toBe('测试局');
      expect(await ctx.db().prisma.member.findMany({ where: { active: true }, select: { key: true } })).toEqual([{ key: 'boss' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps a bureau's own copy of the demo's file, under the demo's name, when a restart gives no file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'org-copy-'));
    try {
      // The demo's file as an administrator starts from it: an indicator of their own added, the name kept.
      const file = path.join(dir, 'org.yaml');
      const demo = await readFile(DEMO_ORG_FILE, 'utf8');
      const own = demo.replace(/^indicators:\n/m, `indicators:
  - key: smart_factories
    name: 智能工厂
    section: industry_tech
    kind: increment
    unit: 家
`);
      expect(own).not.toBe(demo);
      await writeFile(file, own);
      expect(await loadOrgFile(deps(), { file }, 'test')).toMatchObject({ ok: true, value: { status: 'loaded' } });
      const name = (await getOrganisation(ctx.db().prisma)).name;
      expect(await loadOrgFile(deps(), {}, 'test')).toEqual({ ok: true, value: { status: 'kept', organisation: name } });
      const indicator = await ctx.db().prisma.indicator.findUnique({ where: { key: 'smart_factories' }, select: { active: true } });
      expect(indicator).toEqual({ active: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unreadable file and changes nothing', async () => {
    const result = await loadOrgFile(deps(), { file: '/nonexistent/org.yaml' }, 'test');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'unreadable', code: 'not_found', file: '/nonexistent/org.yaml' });
  });
});
