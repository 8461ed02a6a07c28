import { describe, expect, it } from 'vitest';
import { type OrgBefore, diffOrganisation } from '../../src/core/org/changes.js';
import { parseOrgFile } from '../../src/core/org/parse.js';

/* What a load changes, as `load` lists it: worked out from the stored organisation and the parsed file. */

const FILE = `
organisation:
  name: 测试局
sections:
  - { key: monitoring, name: 运行监测股 }
  - { key: sci_plan, name: 科技计划股 }
  - { key: sme, name: 中小企业局 }
members:
  - { key: wang, name: 王明, roles: [section_head], section: sci_plan }
  - { key: director, name: 刘局长, roles: [director] }
indicators:
  - { key: rd_share, name: R&D经费占GDP比重, section: sci_plan, kind: level, unit: "%" }
  - { key: investment, name: 工业投资, section: monitoring, kind: cumulative, unit: 亿元 }
  - { key: output, name: 总产值, section: monitoring, kind: cumulative, unit: 亿元 }
targets:
  - { indicator: rd_share, year: 2026, value: 0.7 }
  - { indicator: investment, year: 2026, value: 21 }
`;

const BEFORE: OrgBefore = {
  sections: [
    { key: 'monitoring', name: '运行监测股', active: true },
    { key: 'sci_plan', name: '科技计划股', active: true },
    { key: 'sme', name: '中小企业局', active: false },
  ],
  members: [
    { key: 'wang', name: '王明', sectionKey: 'monitoring', active: true },
    { key: 'director', name: '刘局长', sectionKey: null, active: true },
  ],
  indicators: [
    { key: 'rd_share', name: 'R&D占比', sectionKey: 'monitoring', active: true },
    { key: 'investment', name: '工业投资', sectionKey: 'monitoring', active: true },
    { key: 'output', name: '总产值', sectionKey: 'monitoring', active: true },
  ],
  targets: [
    { indicatorKey: 'rd_share', year: 2026, value: '0.6600000000' },
    { indicatorKey: 'investment', year: 2026, value: '21.0000000000' },
    { indicatorKey: 'output', year: 2026, value: '40.0000000000' },
    { indicatorKey: 'old_one', year: 2026, value: '5.0000000000' },
    { indicatorKey: 'investment', year: 2025, value: '18.0000000000' },
  ],
};

describe('what a load changes', () => {
  it('names what is added or listed again, renamed, moved, and each target set, changed or gone from a listed year', () => {
    const parsed = parseOrgFile(FILE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(diffOrganisation(BEFORE, parsed.value)).toEqual({
      added: { sections: ['sme'], members: [], indicators: [] },
      changes: [
        { kind: 'member_moved', key: 'wang', name: '王明', from: '运行监测股', to: '科技计划股' },
        { kind: 'indicator_renamed', key: 'rd_share', from: 'R&D占比', to: 'R&D经费占GDP比重' },
        { kind: 'indicator_moved', key: 'rd_share', name: 'R&D经费占GDP比重', from: '运行监测股', to: '科技计划股' },
        { kind: 'target', key: 'rd_share', year: 2026, from: '0.66', to: '0.7' },
        // 21 is 21.0000000000 as stored: no change. 2025, a year the file does not list, is kept: not said; so
        // are the targets of an indicator the file no longer lists (old_one), kept with its figures.
        { kind: 'target', key: 'output', year: 2026, from: '40' },
      ],
    });
  });

  it('names a changed organisation name (组织名称, the title of every document) first', () => {
    const parsed = parseOrgFile(FILE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    expect(diffOrganisation({ ...BEFORE, name: '旧测试局' }, parsed.value).changes[0]).toEqual({
      kind: 'organisation_renamed',
      key: 'organisation',
      from: '旧测试局',
      to: '测试局',
    });
    expect(diffOrganisation({ ...BEFORE, name: '测试局' }, parsed.value).changes.map((change) => change.kind)).not.toContain('organisation_renamed');
    // Its English name set, changed or dropped: said too.
    const english = parseOrgFile(FILE.replace('  name: 测试局', '  name: 测试局\n  name_en: Test Bureau'));
    if (!english.ok) throw new Error(JSON.stringify(english.error));
    expect(diffOrganisation({ ...BEFORE, name: '测试局' }, english.value).changes[0]).toEqual({ kind: 'organisation_renamed_en', key: 'organisation', to: 'Test Bureau' });
    expect(diffOrganisation({ ...BEFORE, name: '测试局', nameEn: 'Test Bureau' }, english.value).changes.map((change) => change.kind)).not.toContain('organisation_renamed_en');
  });

  it('tells apart by their keys two sections of one name between which something moves (a key changed, the name kept)', () => {
    // 运行监测股's key changed from monitoring to ops: 王明 and the indicators it owned move to the new key.
    const parsed = parseOrgFile(FILE.replaceAll('monitoring', 'ops').replace('section: sci_plan }', 'section: ops }'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const moves = diffOrganisation(BEFORE, parsed.value).changes.filter((change) => change.kind.endsWith('_moved'));
    const keys = { from: 'monitoring', to: 'ops' };
    expect(moves).toEqual([
      { kind: 'member_moved', key: 'wang', name: '王明', from: '运行监测股', to: '运行监测股', keys },
      { kind: 'indicator_moved', key: 'rd_share', name: 'R&D经费占GDP比重', from: '运行监测股', to: '科技计划股' },
      { kind: 'indicator_moved', key: 'investment', name: '工业投资', from: '运行监测股', to: '运行监测股', keys },
      { kind: 'indicator_moved', key: 'output', name: '总产值', from: '运行监测股', to: '运行监测股', keys },
    ]);
  });

  it('warns, first, of a key changed where a name stays: the new key is a new section, person or indicator', () => {
    const parsed = parseOrgFile(
      FILE.replaceAll('monitoring', 'ops').replace('key: wang,', 'key: wangm,').replace('key: investment,', 'key: gytz,').replace('indicator: investment,', 'indicator: gytz,'),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const { changes } = diffOrganisation(BEFORE, parsed.value);
    expect(changes.slice(0, 3)).toEqual([
      { kind: 'section_rekeyed', key: 'ops', name: '运行监测股', from: 'monitoring', to: 'ops' },
      { kind: 'member_rekeyed', key: 'wangm', name: '王明', from: 'wang', to: 'wangm' },
      { kind: 'indicator_rekeyed', key: 'gytz', name: '工业投资', from: 'investment', to: 'gytz' },
    ]);
    expect(changes.filter((change) => change.kind.endsWith('_rekeyed'))).toHaveLength(3);
    // A key dropped beside a new one of another name, or one listed again, is no key change.
    const other = parseOrgFile(FILE.replace('key: investment, name: 工业投资', 'key: gytz, name: 工业投资额').replace('indicator: investment,', 'indicator: gytz,'));
    if (!other.ok) throw new Error(JSON.stringify(other.error));
    expect(diffOrganisation(BEFORE, other.value).changes.filter((change) => change.kind.endsWith('_rekeyed'))).toEqual([]);
  });

  it('names who set a target (set_by) when that is set, changed or dropped', () => {
    const parsed = parseOrgFile(FILE.replace('{ indicator: investment, year: 2026, value: 21 }', '{ indicator: investment, year: 2026, value: 21, set_by: 市下达 }'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const before = { ...BEFORE, targets: BEFORE.targets.map((target) => (target.indicatorKey === 'rd_share' ? { ...target, setBy: '韶关下达' } : target)) };
    const setBy = diffOrganisation(before, parsed.value).changes.filter((change) => change.kind === 'target_set_by');
    expect(setBy).toEqual([
      { kind: 'target_set_by', key: 'rd_share', year: 2026, from: '韶关下达' },
      { kind: 'target_set_by', key: 'investment', year: 2026, to: '市下达' },
    ]);
  });

  it('says nothing when the file matches what is stored', () => {
    const parsed = parseOrgFile(FILE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const same: OrgBefore = {
      name: '测试局',
      sections: parsed.value.sections.map((section) => ({ key: section.key, name: section.name, active: true })),
      members: parsed.value.members.map((member) => ({ key: member.key, name: member.name, sectionKey: member.sectionKey ?? null, active: true })),
      indicators: parsed.value.indicators.map((indicator) => ({ key: indicator.key, name: indicator.name, sectionKey: indicator.sectionKey, active: true })),
      targets: parsed.value.targets.map((target) => ({ indicatorKey: target.indicatorKey, year: target.year, value: target.value.toFixed(10) })),
    };
    expect(diffOrganisation(same, parsed.value)).toEqual({ added: { sections: [], members: [], indicators: [] }, changes: [] });
  });

  it('names an indicator\'s English name and the decimals its figures are shown with, when they change', () => {
    const parsed = parseOrgFile(
      FILE.replace('{ key: investment, name: 工业投资,', '{ key: investment, name: 工业投资, name_en: Industrial investment, decimals: 1,'),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const before: OrgBefore = {
      ...BEFORE,
      indicators: [
        // Renamed without name_en: its English name follows its name, and only the rename is said.
        { key: 'rd_share', name: 'R&D占比', nameEn: 'R&D占比', decimals: 2, sectionKey: 'sci_plan', active: true },
        { key: 'investment', name: '工业投资', nameEn: 'Investment', decimals: 2, sectionKey: 'monitoring', active: true },
        { key: 'output', name: '总产值', nameEn: '总产值', decimals: 2, sectionKey: 'monitoring', active: true },
      ],
    };
    expect(diffOrganisation(before, parsed.value).changes.filter((change) => change.kind.startsWith('indicator'))).toEqual([
      { kind: 'indicator_renamed', key: 'rd_share', from: 'R&D占比', to: 'R&D经费占GDP比重' },
      { kind: 'indicator_renamed_en', key: 'investment', from: 'Investment', to: 'Industrial investment' },
      { kind: 'indicator_decimals', key: 'investment', name: '工业投资', from: '2', to: '1' },
    ]);
  });

  it('names a section\'s English name set, changed or dropped, as English readers see it', () => {
    const parsed = parseOrgFile(
      FILE.replace('{ key: monitoring, name: 运行监测股 }', '{ key: monitoring, name: 运行监测股, name_en: Monitoring Section }')
        .replace('{ key: sci_plan, name: 科技计划股 }', '{ key: sci_plan, name: 科技计划股, name_en: Planning Section }'),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const before: OrgBefore = {
      ...BEFORE,
      sections: [
        { key: 'monitoring', name: '运行监测股', nameEn: null, active: true },
        { key: 'sci_plan', name: '科技计划股', nameEn: 'Science Planning', active: true },
        { key: 'sme', name: '中小企业局', nameEn: 'SME Bureau', active: true },
      ],
    };
    expect(diffOrganisation(before, parsed.value).changes.filter((change) => change.kind === 'section_renamed_en')).toEqual([
      { kind: 'section_renamed_en', key: 'monitoring', to: 'Monitoring Section' },
      { kind: 'section_renamed_en', key: 'sci_plan', from: 'Science Planning', to: 'Planning Section' },
      { kind: 'section_renamed_en', key: 'sme', from: 'SME Bureau' },
    ]);
  });
});
