import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FREQUENCIES, INDICATOR_KINDS, ROLES } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';
import { type OrgConfig, parseOrgFile } from '../../src/core/org/parse.js';
import { ORG_PROBLEM_CODES, type OrgProblem, type OrgProblemCode, formatOrgProblems } from '../../src/core/org/problems.js';
import type { ProblemParams } from '../../src/core/problems.js';
import { orgFileSchema } from '../../src/core/org/schema.js';
import { UNITS } from '../../src/core/units.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const demoText = read('../../src/app/demo/demo-org.yaml');
const example = read('../fixtures/org/product-example.yaml');
/** Two sections and one percentage indicator, ending inside that indicator so tests can append fields. */
const minimal = read('../fixtures/org/minimal.yaml');
const zh = translator('zh-CN');
const en = translator('en');

function accept(text: string): OrgConfig {
  const result = parseOrgFile(text);
  if (!result.ok) expect.fail(formatOrgProblems(result.error, en));
  return result.value;
}

function refuse(text: string): OrgProblem[] {
  const result = parseOrgFile(text);
  if (result.ok) expect.fail('the file was accepted');
  return result.error;
}

/** 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string, occurrence = 1): number {
  const lines = text.split('\n');
  const found = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []))[occurrence - 1];
  if (found === undefined) throw new Error(`no "${needle}" in the test text`);
  return found;
}

describe('the demo organisation', () => {
  const demo = accept(demoText);

  it('has the seed bureau, its 8 sections, 15 indicators and 7 targets for 2020', () => {
    expect(demo.organisation.name).toBe('乐昌市工业和信息化局');
    expect(demo.sections.map((s) => `${s.key} ${s.name}`)).toEqual([
      'office 办公室',
      'monitoring 运行监测股',
      'industry_tech 产业技术与工业节能股',
      'radio_digital 无线电与数字信息化和安全生产股',
      'high_tech 高新技术发展与产学研股',
      'sci_plan 科技计划股',
      'sme_bureau 中小企业局',
      'personnel 人事股',
    ]);
    expect(demo.sections.map((s) => s.nameEn)).toEqual([
      'General Office',
      'Economic Operation Monitoring Section',
      'Industrial Technology and Energy Conservation Section',
      'Radio, Digital Information and Work Safety Section',
      'High-Tech Development and Industry-University-Research Section',
      'Science and Technology Planning Section',
      'SME Bureau',
      'Personnel Section',
    ]);
    expect(demo.indicators).toHaveLength(15);
    expect(demo.targets.filter((t) => t.year === 2020)).toHaveLength(7);
    expect(demo.targets.filter((t) => t.year === 2026)).toHaveLength(7);
  });

  it('keeps the seed targets exactly, with who set them', () => {
    const of = (key: string) => demo.targets.find((t) => t.indicatorKey === key && t.year === 2020);
    expect(of('industrial_investment')?.value.toFixed()).toBe('21');
    expect(of('industrial_investment')?.setBy).toBe('韶关下达');
    expect(of('rd_share_of_gdp')?.value.toFixed()).toBe('0.66');
    expect(of('village_fibre_coverage')?.value.toFixed()).toBe('343');
    expect(of('tech_upgrade_investment')?.setBy).toBeUndefined();
  });

  it('gives every indicator its seed section, kind and unit, and counts no fractions', () => {
    const tech = demo.indicators.find((i) => i.key === 'tech_upgrade_investment');
    expect(tech).toMatchObject({ name: '工业技改投资', sectionKey: 'industry_tech', kind: 'cumulative', unit: '亿元' });
    expect(tech?.aliases).toEqual(expect.arrayContaining(['技改', '技改投资']));
    const rd = demo.indicators.find((i) => i.key === 'rd_share_of_gdp');
    expect(rd).toMatchObject({ kind: 'level', unit: '%', decimals: 2 });
    expect(rd?.max?.toFixed()).toBe('100');
    const counted = demo.indicators.filter((i) => ['家', '个'].includes(i.unit));
    expect(counted.map((i) => i.decimals)).toEqual(counted.map(() => 0));
    for (const indicator of demo.indicators) expect(indicator.min?.toFixed()).toBe('0');
  });

  it('has section heads for every section that owns an indicator and no pre-bound identities', () => {
    const heads = new Set(demo.members.filter((m) => m.roles.includes('section_head')).map((m) => m.sectionKey));
    for (const indicator of demo.indicators) expect(heads).toContain(indicator.sectionKey);
    expect(demo.members.find((m) => m.key === 'wang')).toMatchObject({ name: '王明', sectionKey: 'monitoring' });
    expect(demo.members.find((m) => m.key === 'huang')?.locale).toBe('en');
    expect(demo.members.flatMap((m) => m.identities)).toEqual([]);
  });
});

describe('parseOrgFile', () => {
  it('accepts the example of the specification', () => {
    const org = accept(example);
    expect(org.members[0]).toEqual({
      key: 'wang',
      name: '王明',
      roles: ['section_head'],
      sectionKey: 'monitoring',
      locale: 'zh-CN',
      identities: ['telegram:880001', 'wechat:wxid_abc123'],
    });
    expect(org.targets[0]?.value.toFixed()).toBe('21');
  });

  it('keeps 0.66 as "0.66" and long figures digit for digit', () => {
    const org = accept(`${minimal}    max: 99999999999999999999.00
    decimals: 6
targets:
  - { indicator: rd_share_of_gdp, year: 2020, value: 0.66 }
  - { indicator: rd_share_of_gdp, year: 2021, value: 12345678901234567890.123456 }
  - { indicator: rd_share_of_gdp, year: 2022, value: "0.70" }
`);
    expect(org.targets.map((t) => t.value.toFixed())).toEqual(['0.66', '12345678901234567890.123456', '0.7']);
    const file = orgFileSchema.parse({
      organisation: { name: 'x' },
      sections: [{ key: 'a', name: 'A' }],
      targets: [{ indicator: 'i', year: 2020, value: 0.66 }],
    });
    expect(file.targets[0]?.value).toBe('0.66');
  });

  it('fills in the defaults', () => {
    const org = accept(`${minimal}members:
  - { key: wang, name: 王明, roles: [staff], section: monitoring }
`);
    expect(org.organisation.timezone).toBe('Asia/Shanghai');
    expect(org.indicators[0]).toMatchObject({ decimals: 2, aliases: [] });
    expect(org.members[0]).toMatchObject({ locale: 'zh-CN', identities: [] });
    expect(org.targets).toEqual([]);
    const defaults = {
      windowOpensDay: 20,
      deadline: { kind: 'last_working_day' },
      remindWorkingDaysBefore: [3, 1],
      deadlineReminderTime: '09:00',
      overdueReminderDays: 5,
      escalateAfterWorkingDays: 1,
      quietHours: { start: '21:00', end: '08:00' },
    };
    expect(org.schedule).toEqual(defaults);
    expect(org.sections[0]?.schedule).toEqual(defaults);
  });

  it('shows a count without decimals and other units with two, unless the file says', () => {
    const org = accept(`${minimal}
  - { key: firms, name: 新增企业, section: monitoring, kind: increment, unit: 家 }
  - { key: grain, name: 粮食产量, section: monitoring, kind: cumulative, unit: 万吨, decimals: 1 }
  - { key: spend, name: 研发投入, section: monitoring, kind: cumulative, unit: 万元 }
  - { key: sites, name: 5G站点, section: monitoring, kind: increment, unit: 个, decimals: 0 }
`);
    expect(org.indicators.map((indicator) => [indicator.key, indicator.decimals])).toEqual([
      [org.indicators[0]!.key, 2],
      ['firms', 0],
      ['grain', 1],
      ['spend', 2],
      ['sites', 0],
    ]);
  });

  it('refuses decimals for a unit counted whole, which would show 71.0 个', () => {
    const text = `${minimal}  - { key: sites, name: 5G站点, section: monitoring, kind: increment, unit: 个, decimals: 1 }\n`;
    expect(formatOrgProblems(refuse(text), zh)).toBe(
      `indicators[1].decimals（第 ${lineOf(text, 'key: sites')} 行）：单位 个 只计整数，不能有小数位：请删去 decimals: 1（或写 decimals: 0）`,
    );
  });

  it('lets a section schedule override the organisation-wide one field by field', () => {
    const org = accept(
      minimal
        .replace('sections:\n', 'schedule:\n  deadline: 25\n  window_opens_day: 18\nsections:\n')
        .replace('科技计划股\n', '科技计划股\n    schedule: { deadline: 28, quiet_hours: "22:00-07:30" }\n'),
    );
    const day = (d: number) => ({ kind: 'day_of_month', day: d });
    expect(org.sections[0]?.schedule).toMatchObject({ deadline: day(25), windowOpensDay: 18 });
    expect(org.sections[1]?.schedule).toMatchObject({
      deadline: day(28),
      windowOpensDay: 18,
      quietHours: { start: '22:00', end: '07:30' },
    });
  });
});

describe('a section\'s English name (name_en)', () => {
  it('is optional: kept when given, absent when not', () => {
    const parsed = accept(minimal.replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: " Science and Technology Planning Section "\n'));
    expect(parsed.sections.map((section) => [section.key, section.name, section.nameEn])).toEqual([
      ['monitoring', '运行监测股', undefined],
      ['sci_plan', '科技计划股', 'Science and Technology Planning Section'],
    ]);
  });

  it('is refused empty or not text, with its path and line, in Chinese and in English', () => {
    const text = minimal
      .replace('    name: 运行监测股\n', '    name: 运行监测股\n    name_en: ""\n')
      .replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: [Planning]\n');
    const found = refuse(text);
    expect(found.map((p) => [p.path, p.line, p.code])).toEqual([
      ['sections[0].name_en', lineOf(text, 'name_en: ""'), 'empty'],
      ['sections[1].name_en', lineOf(text, 'name_en: [Planning]'), 'wrong_type'],
    ]);
    expect(formatOrgProblems(found, en).split('\n')).toEqual([
      `sections[0].name_en (line ${lineOf(text, 'name_en: ""')}): must not be empty`,
      `sections[1].name_en (line ${lineOf(text, 'name_en: [Planning]')}): expected text, not a list`,
    ]);
    expect(formatOrgProblems(found, zh).split('\n')[0]).toBe(`sections[0].name_en（第 ${lineOf(text, 'name_en: ""')} 行）：不能为空`);
  });

  it('may not be another section\'s English name or name, which English readers could not tell apart', () => {
    const text = minimal
      .replace('    name: 运行监测股\n', '    name: 运行监测股\n    name_en: Planning Section\n')
      .replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: planning section\n');
    expect(refuse(text)).toEqual([
      expect.objectContaining({ path: 'sections[1].name_en', line: lineOf(text, 'planning section'), code: 'duplicate_name', params: { name: 'planning section', first: 'sections[0]' } }),
    ]);
    const named = minimal.replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: 运行监测股\n');
    expect(refuse(named)).toEqual([expect.objectContaining({ path: 'sections[1].name_en', code: 'duplicate_name', params: { name: '运行监测股', first: 'sections[0]' } })]);
    // Its own name again is the same section, no clash.
    accept(minimal.replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: 科技计划股\n'));
  });

  it('is taken for the section where a key belongs, and the key named', () => {
    const text = minimal
      .replace('    name: 科技计划股\n', '    name: 科技计划股\n    name_en: Planning Section\n')
      .replace('    section: sci_plan', '    section: Planning Section');
    expect(refuse(text)).toEqual([
      expect.objectContaining({ path: 'indicators[0].section', code: 'name_not_key', params: { value: 'Planning Section', key: 'sci_plan' } }),
    ]);
  });
});

describe('an indicator\'s from (报送起始月)', () => {
  const withFrom = (value: string) => `${minimal}    from: ${value}\n`;

  it('takes the first period owed, quoted or not, and none when absent', () => {
    expect(accept(withFrom('2027-01')).indicators[0]?.from).toEqual({ year: 2027, month: 1 });
    expect(accept(withFrom('"2027-01"')).indicators[0]?.from).toEqual({ year: 2027, month: 1 });
    expect(accept(withFrom('2027-1')).indicators[0]?.from).toEqual({ year: 2027, month: 1 });
    expect(accept(withFrom('2026-12')).indicators[0]?.from).toEqual({ year: 2026, month: 12 });
    expect(accept(minimal).indicators[0]).not.toHaveProperty('from');
  });

  it('refuses what is not a month, quoting it as written, at its line', () => {
    for (const value of ['2027-13', '2027/1', '2027-00', '2027-01-01', '202701', '2027.10', '1月', '1999-12']) {
      const text = withFrom(value);
      expect(refuse(text).map((p) => [p.line, p.path, p.code, p.params])).toEqual([
        [lineOf(text, 'from:'), 'indicators[0].from', 'not_a_month', { value }],
      ]);
    }
    const text = withFrom('2027-13');
    expect(formatOrgProblems(refuse(text), zh)).toBe(
      `indicators[0].from（第 ${lineOf(text, 'from:')} 行）：报送起始月应写成“2027-01”这样的年月（2000–2100 年，1–12 月），这里写的是“2027-13”`,
    );
    expect(formatOrgProblems(refuse(text), en)).toBe(
      `indicators[0].from (line ${lineOf(text, 'from:')}): expected a month like "2027-01" (years 2000–2100, months 1–12), got "2027-13"`,
    );
  });

  it('suggests from for a slip of its name', () => {
    const text = `${minimal}    form: 2027-01\n`;
    expect(refuse(text).map((p) => [p.path, p.code, p.params])).toEqual([
      ['indicators[0].form', 'unknown_field_suggest', { written: 'form', suggestion: 'from' }],
    ]);
  });
});

describe('parseOrgFile refusing a file', () => {
  it('refuses a target the database could not keep exactly, with its path and line', () => {
    const text = example.replace('value: 21', 'value: 1e400');
    expect(refuse(text)).toEqual([
      { path: 'targets[0].value', line: lineOf(text, '1e400'), column: 5, code: 'number_too_large', params: { value: '1e400' } },
    ]);
  });

  it('names a wrong unit with its path, line and the allowed units, in Chinese and in English', () => {
    const text = example.replace('unit: 亿元', 'unit: 亿美元');
    const [problem, ...rest] = refuse(text);
    expect(rest).toEqual([]);
    const line = lineOf(text, '亿美元');
    expect(problem).toMatchObject({ path: 'indicators[0].unit', line, code: 'unknown_unit', params: { value: '亿美元', allowed: UNITS } });
    expect(formatOrgProblems([problem!], zh)).toBe(
      `indicators[0].unit（第 ${line} 行）：未知单位“亿美元”，可用：亿元、万元、元、家、个、户、项、人、%、个百分点、万吨、吨、万亩、亩、公里、万人次、人次、亿千瓦时、万千瓦时、千瓦时、公顷、万头、头、万只、只`,
    );
    expect(formatOrgProblems([problem!], en)).toBe(
      `indicators[0].unit (line ${line}): unknown unit "亿美元"; expected one of 亿元, 万元, 元, 家, 个, 户, 项, 人, %, 个百分点, 万吨, 吨, 万亩, 亩, 公里, 万人次, 人次, 亿千瓦时, 万千瓦时, 千瓦时, 公顷, 万头, 头, 万只, 只`,
    );
  });

  it('suggests the unit an unknown one is short for, begins with or names in English (亿 → 亿元, 万元人民币 → 万元, firms → 家), and none for another currency', () => {
    const english = [['hundred million yuan', '亿元'], ['tonnes', '吨'], ['Ten thousand tonnes', '万吨'], ['firms', '家'], ['household', '户'], ['percent', '%']] as const;
    for (const [written, suggestion] of [['亿', '亿元'], ['万', '万元'], ['万元人民币', '万元'], ['千米', '公里'], ['KM', '公里'], ['万度', '万千瓦时'], ...english] as const) {
      const [problem] = refuse(example.replace('unit: 亿元', `unit: ${written}`));
      expect(problem).toMatchObject({ path: 'indicators[0].unit', code: 'unknown_unit_suggest', params: { value: written, suggestion } });
    }
    const [dollars] = refuse(example.replace('unit: 亿元', 'unit: 亿美元'));
    expect(dollars?.code).toBe('unknown_unit');
    expect(formatOrgProblems(refuse(example.replace('unit: 亿元', 'unit: 亿')), zh)).toMatch(/未知单位“亿”，是不是“亿元”？可用：亿元、万元/);
  });

  it('places a missing field at the entry that lacks it', () => {
    const text = example.replace('    name: 王明\n', '');
    const line = lineOf(text, 'key: wang');
    expect(refuse(text)).toEqual([{ path: 'members[0].name', line, column: 5, code: 'required', params: {} }]);
    expect(formatOrgProblems(refuse(text), zh)).toBe(`members[0].name（第 ${line} 行）：缺少此字段`);
  });

  it('catches a misspelt key', () => {
    const text = example.replace('name_en: Industrial', 'name_eng: Industrial');
    expect(refuse(text).map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, 'name_eng'), 'indicators[0].name_eng', 'unknown_field_suggest', { written: 'name_eng', suggestion: 'name_en' }],
    ]);
  });

  it('takes an indicator without an English name, which English readers then see in Chinese', () => {
    const text = example.replace('    name_en: Industrial investment\n', '');
    const parsed = parseOrgFile(text);
    expect(parsed.ok && parsed.value.indicators[0]).toMatchObject({ key: 'industrial_investment', name: '工业投资', nameEn: '工业投资' });
  });

  it('reports a YAML syntax error with its line, column and the YAML error code', () => {
    const text = example.replace('aliases: [工投, 工业投资额]', 'aliases: [工投, 工业投资额');
    const [problem] = refuse(text);
    expect(problem).toMatchObject({ path: '', code: 'yaml_indent', params: { error: 'BAD_INDENT' } });
    expect(problem?.line).toBeGreaterThanOrEqual(lineOf(text, 'aliases'));
    expect(formatOrgProblems([problem!], zh)).toMatch(/^第 \d+ 行：第 \d+ 列附近缩进没有对齐（.*），或 \[ \] \{ \} 没有配对（YAML BAD_INDENT）$/);
    expect(formatOrgProblems([problem!], en)).toMatch(/^line \d+: near column \d+: /);
  });

  it('says a field indented further than its neighbours is an indentation mistake, once', () => {
    const text = example.replace('\n    name: 王明\n', '\n       name: 王明\n');
    const problems = refuse(text);
    expect(problems.map((p) => p.code)).toEqual(['yaml_indent']);
    expect(problems[0]!.line).toBeGreaterThanOrEqual(lineOf(text, 'key: wang'));
    expect(problems[0]!.line).toBeLessThanOrEqual(lineOf(text, '王明'));
  });

  it('refuses a field written twice in one entry', () => {
    const text = example.replace('    name: 王明\n', '    name: 王明\n    name: 王二\n');
    expect(refuse(text)).toEqual([
      expect.objectContaining({ path: '', line: lineOf(text, '王二'), code: 'yaml_duplicate_key', params: { column: 5, error: 'DUPLICATE_KEY', written: 'name' } }),
    ]);
    // As written: the reader wrote name, not 名称.
    expect(formatOrgProblems(refuse(text), zh)).toBe(`第 ${lineOf(text, '王二')} 行：第 5 列的字段“name”在同一条目里写了两次（YAML DUPLICATE_KEY）`);
  });

  it('says a field written twice together with the file\'s other problems, in one round', () => {
    const text = example.replace('    name: 王明\n', '    nmae: 王明\n    nmae: 王二\n');
    // name missing (said at the entry), nmae a slip for it, and nmae written twice.
    expect(refuse(text).map((problem) => [problem.line, problem.code])).toEqual([
      [lineOf(text, 'key: wang'), 'required'],
      [lineOf(text, '王明'), 'unknown_field_suggest'],
      [lineOf(text, '王二'), 'yaml_duplicate_key'],
    ]);
  });

  it('tells how to write a bare % unit', () => {
    const text = minimal.replace('"%"', '%');
    const line = lineOf(text, 'unit: %');
    expect(formatOrgProblems(refuse(text), zh)).toBe(`第 ${line} 行：第 11 列的值以 % 开头，须加引号，写成 "%"（YAML BAD_SCALAR_START）`);
    expect(formatOrgProblems(refuse(text), en)).toContain('must be quoted: write "%"');
  });

  it('refuses an alias without its anchor as a problem, not a crash', () => {
    expect(refuse(`${minimal}    aliases: *nowhere\n`)).toEqual([{ path: '', code: 'yaml_alias', params: {} }]);
  });

  it('refuses a duplicate section key', () => {
    const text = minimal.replace('key: sci_plan', 'key: monitoring').replace('n: sci_plan', 'n: monitoring');
    expect(refuse(text)).toEqual([
      expect.objectContaining({
        path: 'sections[1].key',
        line: lineOf(text, 'key: monitoring', 2),
        code: 'duplicate_key',
        params: { key: 'monitoring', first: 'sections[0]' },
      }),
    ]);
  });

  it('refuses two sections or two members of the same name, which chat could not tell apart', () => {
    const text = minimal
      .replace('name: 科技计划股', 'name: 运行监测股 ')
      .replace('indicators:', 'members:\n  - key: wang\n    name: 王明\n    roles: [director]\n  - key: wang2\n    name: 王明\n    roles: [director]\nindicators:');
    const found = refuse(text);
    expect(found).toEqual([
      expect.objectContaining({ path: 'sections[1].name', line: lineOf(text, '运行监测股', 2), code: 'duplicate_name', params: { name: '运行监测股', first: 'sections[0]' } }),
      expect.objectContaining({ path: 'members[1].name', line: lineOf(text, '王明', 2), code: 'duplicate_name', params: { name: '王明', first: 'members[0]' } }),
    ]);
    expect(formatOrgProblems(found, zh).split('\n')[1]).toBe(
      `members[1].name（第 ${lineOf(text, '王明', 2)} 行）：名称“王明”与 members[0] 相同：聊天里按名称找人、找股室时分不清是哪一个，请改成不同的名称（两人同名时，可在名字后注明股室，如 王伟（办公室））`,
    );
    // The same name in two lists (a section and a person) is no clash.
    accept(minimal.replace('indicators:', 'members:\n  - key: w\n    name: 科技计划股\n    roles: [director]\nindicators:'));
  });

  it('refuses references to unknown sections and indicators', () => {
    const text = example
      .replace('    section: monitoring            #', '    section: monitring #')
      .replace('  - indicator: industrial_investment', '  - indicator: industrial_invest');
    expect(refuse(text)).toEqual([
      {
        path: 'members[0].section',
        line: lineOf(text, 'monitring'),
        column: 5,
        code: 'unknown_section_suggest',
        params: { section: 'monitring', suggestion: 'monitoring', known: ['monitoring'] },
      },
      {
        path: 'targets[0].indicator',
        line: lineOf(text, 'indicator: industrial_invest'),
        column: 5,
        code: 'unknown_indicator_suggest',
        params: { indicator: 'industrial_invest', suggestion: 'industrial_investment' },
      },
    ]);
    expect(formatOrgProblems(refuse(text).slice(1), zh)).toBe(
      `targets[0].indicator（第 ${lineOf(text, 'indicator: industrial_invest')} 行）：未知指标“industrial_invest”，是不是“industrial_investment”？`,
    );
    // Nothing near: no guess.
    const far = example.replace('  - indicator: industrial_investment', '  - indicator: rd_shares');
    expect(refuse(far).map((p) => [p.code, p.params])).toEqual([['unknown_indicator', { indicator: 'rd_shares' }]]);
  });

  it('refuses an identity claimed by two members', () => {
    const zhou = '{ key: zhou, name: 周婷, roles: [staff], section: monitoring, identities: ["wechat:wxid_abc123"] }';
    const text = example.replace('members:\n', `members:\n  - ${zhou}\n`);
    expect(refuse(text)).toEqual([
      expect.objectContaining({
        path: 'members[1].identities[1]',
        line: lineOf(text, 'identities: ["telegram'),
        code: 'identity_taken',
        params: { identity: 'wechat:wxid_abc123', member: 'zhou' },
      }),
    ]);
  });

  it('refuses an alias that another indicator already answers to, naming both fields in the reader\'s words', () => {
    const text = `${minimal}    aliases: [研发, 工业投资]
  - key: industrial_investment
    name: 工业投资
    name_en: Industrial investment
    section: monitoring
    kind: cumulative
    unit: 亿元
    aliases: [研发]
`;
    const problems = refuse(text);
    expect(problems.map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, '工业投资', 2), 'indicators[1].name', 'name_clash', { field: 'name', word: '工业投资', other_field: 'alias', indicator: 'rd_share_of_gdp' }],
      [lineOf(text, '[研发]'), 'indicators[1].aliases[0]', 'name_clash', { field: 'alias', word: '研发', other_field: 'alias', indicator: 'rd_share_of_gdp' }],
    ]);
    expect(formatOrgProblems(problems.slice(0, 1), zh)).toBe(
      `indicators[1].name（第 ${lineOf(text, '工业投资', 2)} 行）：名称“工业投资”与指标 rd_share_of_gdp 的别名重复`,
    );
    expect(formatOrgProblems(problems.slice(0, 1), en)).toBe(
      `indicators[1].name (line ${lineOf(text, '工业投资', 2)}): name "工业投资" clashes with the alias of indicator rd_share_of_gdp`,
    );
  });

  it('refuses a target no figure of its indicator could reach, but not an increment target above its monthly max', () => {
    const text = `${minimal}    min: 0\n    max: 100\n  - { key: new_firms, name: 新增企业, name_en: New firms, section: monitoring, kind: increment, unit: 家, min: 0, max: 50 }
targets:
  - { indicator: rd_share_of_gdp, year: 2020, value: -5 }
  - { indicator: rd_share_of_gdp, year: 2021, value: 660 }
  - { indicator: rd_share_of_gdp, year: 2022, value: 0.66 }
  - { indicator: new_firms, year: 2020, value: 120 }
`;
    expect(refuse(text).map((problem) => [problem.path, problem.code, problem.params])).toEqual([
      ['targets[0].value', 'target_below_min', { value: '-5', indicator: 'rd_share_of_gdp', min: '0' }],
      ['targets[1].value', 'target_above_max', { value: '660', indicator: 'rd_share_of_gdp', max: '100' }],
    ]);
    expect(formatOrgProblems(refuse(text).slice(1), zh)).toBe(
      `targets[1].value（第 ${lineOf(text, 'value: 660')} 行）：目标 660 大于指标 rd_share_of_gdp 的上限 max 100（年末数不会超过上限）`,
    );
  });

  it('takes other bureaus\' units, with targets written as people write them, visits counted whole', () => {
    const text = `${minimal}  - { key: grain, name: 粮食产量, section: monitoring, kind: cumulative, unit: 万吨 }
  - { key: visitors, name: 接待游客, section: monitoring, kind: cumulative, unit: 人次 }
  - { key: roads, name: 农村公路建设, section: monitoring, kind: increment, unit: 公里, decimals: 1 }
targets:
  - { indicator: grain, year: 2026, value: 12000吨 }
  - { indicator: visitors, year: 2026, value: 3.5万人次 }
  - { indicator: roads, year: 2026, value: 30.5 }
`;
    const parsed = parseOrgFile(text);
    if (!parsed.ok) throw new Error(formatOrgProblems(parsed.error, zh));
    expect(parsed.value.targets.map((target) => [target.indicatorKey, String(target.value)])).toEqual([
      ['grain', '1.2'],
      ['visitors', '35000'],
      ['roads', '30.5'],
    ]);
    expect(parsed.value.indicators.find((indicator) => indicator.key === 'visitors')?.decimals).toBe(0);
    expect(refuse(text.replace('value: 3.5万人次', 'value: 35000.5')).map((problem) => [problem.path, problem.code])).toEqual([
      ['targets[1].value', 'target_not_whole'],
    ]);
  });

  it('refuses a target written with more decimals than its indicator is shown with, and a count that is not whole', () => {
    const text = `${minimal}  - { key: new_firms, name: 新增企业, name_en: New firms, section: monitoring, kind: increment, unit: 家 }
  - { key: output, name: 总产值, section: monitoring, kind: cumulative, unit: 亿元, decimals: 1 }
targets:
  - { indicator: new_firms, year: 2026, value: 30.5 }
  - { indicator: new_firms, year: 2027, value: 30.0 }
  - { indicator: output, year: 2026, value: 2345万 }
  - { indicator: rd_share_of_gdp, year: 2026, value: 0.66 }
`;
    expect(refuse(text).map((problem) => [problem.path, problem.code, problem.params])).toEqual([
      ['targets[0].value', 'target_not_whole', { value: '30.5', indicator: 'new_firms', name: '新增企业', unit: '家' }],
      ['targets[2].value', 'target_too_precise', { value: '0.2345', indicator: 'output', name: '总产值', decimals: 1, shown: '0.2', places: 4 }],
    ]);
    expect(formatOrgProblems(refuse(text), zh).split('\n')).toEqual([
      `targets[0].value（第 ${lineOf(text, 'value: 30.5')} 行）：目标 30.5 不是整数：指标 新增企业（new_firms）的单位 家 只计整数`,
      `targets[2].value（第 ${lineOf(text, 'value: 2345万')} 行）：目标 0.2345 的小数位多于指标 总产值（output）显示的 1 位：会显示为 0.2，完成率却按 0.2345 计算。请把目标写成 0.2，或给该指标写上 decimals: 4`,
    ]);
  });

  it('refuses bounds the wrong way round', () => {
    const text = `${minimal}    min: 100\n    max: 0\n`;
    expect(refuse(text)).toEqual([
      { path: 'indicators[0].min', line: lineOf(text, 'min: 100'), column: 5, code: 'min_above_max', params: { min: '100', max: '0' } },
    ]);
  });

  it('refuses section staff without a section, a duplicate target and a non-numeric Telegram id', () => {
    const text = `${minimal}members:
  - { key: wang, name: 王明, roles: [section_head], identities: ["telegram:@wang"] }
targets:
  - { indicator: rd_share_of_gdp, year: 2020, value: 0.66 }
  - { indicator: rd_share_of_gdp, year: 2020, value: "0.7" }
`;
    expect(refuse(text).map((p) => [p.path, p.code, p.params])).toEqual([
      ['members[0].section', 'section_required', {}],
      ['members[0].identities[0]', 'bad_telegram_identity', { value: 'telegram:@wang' }],
      ['targets[1]', 'duplicate_target', { indicator: 'rd_share_of_gdp', year: 2020, first: 'targets[0]' }],
    ]);
  });

  it('reports every problem of the file at once, in file order', () => {
    const text = example
      .replace('name: 运行监测股', 'nmae: 运行监测股')
      .replace('roles: [section_head]', 'roles: [chief]')
      .replace('kind: cumulative', 'kind: cumulativ')
      .replace('max: 1000', 'max: -1\n    maks: 5')
      .replace('value: 21', 'value: 21家')
      .replace('year: 2026', 'year: 26');
    expect(refuse(text).map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, 'key: monitoring'), 'sections[0].name', 'required', {}],
      [lineOf(text, 'nmae'), 'sections[0].nmae', 'unknown_field_suggest', { written: 'nmae', suggestion: 'name' }],
      [lineOf(text, 'chief'), 'members[0].roles[0]', 'unknown_role', { value: 'chief', allowed: ROLES }],
      [lineOf(text, 'cumulativ'), 'indicators[0].kind', 'unknown_choice_suggest', { value: 'cumulativ', allowed: INDICATOR_KINDS, suggestion: 'cumulative' }],
      [lineOf(text, 'min: 0'), 'indicators[0].min', 'min_above_max', { min: '0', max: '-1' }],
      [lineOf(text, 'maks'), 'indicators[0].maks', 'unknown_field_suggest', { written: 'maks', suggestion: 'max' }],
      [lineOf(text, 'year: 26'), 'targets[0].year', 'at_least', { minimum: 2000 }],
      [lineOf(text, '21家'), 'targets[0].value', 'number_with_unit', { value: '21家', unit: '亿元' }],
    ]);
  });

  it('suggests the value meant by a kind, role, frequency or language written in Chinese, in another case or with a slip', () => {
    const text = example
      .replace('roles: [section_head]', 'roles: [局长, 股长]')
      .replace('kind: cumulative', 'kind: 新增')
      .replace('unit: 亿元', 'unit: 亿元\n    frequency: 季度');
    const problems = refuse(text);
    expect(problems.map((p) => [p.path, p.code, p.params.suggestion])).toEqual([
      ['members[0].roles[0]', 'unknown_choice_suggest', 'director'],
      ['members[0].roles[1]', 'unknown_choice_suggest', 'section_head'],
      ['indicators[0].kind', 'unknown_choice_suggest', 'increment'],
      ['indicators[0].frequency', 'unknown_choice_suggest', 'quarterly'],
    ]);
    expect(formatOrgProblems(problems, zh)).toContain(`indicators[0].kind（第 ${lineOf(text, '新增')} 行）：“新增”不是可用的写法，应写作 increment。可用：cumulative、increment、level`);
    const others = refuse(example.replace('kind: cumulative', 'kind: Level').replace('roles: [section_head]', 'roles: [section-head]').replace('locale: zh-CN', 'locale: 中文'));
    expect(others.map((p) => [p.path, p.params.suggestion])).toEqual([
      ['members[0].roles[0]', 'section_head'],
      ['members[0].locale', 'zh-CN'],
      ['indicators[0].kind', 'level'],
    ]);
    // 主任 heads 办公室 in one bureau and is a director in another: no guess.
    expect(refuse(example.replace('roles: [section_head]', 'roles: [主任]')).map((p) => p.code)).toEqual(['unknown_role']);
  });

  it('names an unknown field as written, even where it is a field of another place (name_en under targets)', () => {
    const text = example.replace('set_by: 韶关下达', 'set_by: 韶关下达\n    name_en: Investment');
    const problems = refuse(text);
    expect(problems.map((p) => [p.path, p.code])).toEqual([['targets[0].name_en', 'unknown_field']]);
    expect(formatOrgProblems(problems, translator('en'))).toContain('unknown field "name_en"; check the spelling');
  });

  it('asks for a switch as true or false without quotes, when it is quoted or written in words', () => {
    for (const written of ['"false"', '否']) {
      const text = example.replace('unit: 亿元', `unit: 亿元\n    time_progress: ${written}`);
      const shown = written.replace(/"/g, '');
      expect(formatOrgProblems(refuse(text), zh)).toBe(
        `indicators[0].time_progress（第 ${lineOf(text, 'time_progress')} 行）：应为不加引号的 true 或 false，这里写的是“${shown}”`,
      );
    }
  });

  it('reads a target in a smaller whole unit that makes no whole number (3.5人次 for 万人次) as the indicator’s own unit mistyped', () => {
    const text =
      `${minimal}\n  - { key: visitors, name: 游客人次, section: sci_plan, kind: cumulative, unit: 万人次 }\n` +
      'targets:\n  - { indicator: visitors, year: 2026, value: 3.5人次 }\n  - { indicator: visitors, year: 2027, value: 35000人次 }\n';
    const problems = refuse(text);
    expect(problems.map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, '3.5人次'), 'targets[0].value', 'fraction_of_whole', { value: '3.5人次', given: '人次', unit: '万人次', number: '3.5' }],
    ]);
    expect(formatOrgProblems(problems, zh)).toBe(
      `targets[0].value（第 ${lineOf(text, '3.5人次')} 行）：“3.5人次”不是整数人次（人次只计整数）；如果是 3.5 万人次，请写 3.5`,
    );
  });

  it('names a list typed with Chinese commas, and a bare 亿 for an indicator not in money, for what they are', () => {
    const text =
      `${minimal}\n    aliases: [研发，研发占比]\n` +
      'targets:\n  - { indicator: rd_share_of_gdp, year: 2026, value: 3亿 }\n' +
      'members:\n  - key: w\n    name: 王\n    roles: [director、admin]\n';
    expect(refuse(text).map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, '研发，'), 'indicators[0].aliases[0]', 'full_width_comma', { value: '研发，研发占比', fixed: '[研发, 研发占比]' }],
      [lineOf(text, '3亿'), 'targets[0].value', 'number_with_unit', { value: '3亿', unit: '%' }],
      [lineOf(text, 'director、'), 'members[0].roles[0]', 'full_width_comma', { value: 'director、admin', fixed: '[director, admin]' }],
    ]);
    expect(formatOrgProblems(refuse(text), zh).split('\n')[0]).toBe(
      `indicators[0].aliases[0]（第 ${lineOf(text, '研发，')} 行）：“研发，研发占比”里用了中文逗号或顿号，列表会把它当成一项；请用英文逗号分隔：[研发, 研发占比]`,
    );
  });

  it('refuses a file that is empty or not a mapping', () => {
    expect(refuse('')).toEqual([{ path: '', code: 'not_a_mapping', params: {} }]);
    expect(formatOrgProblems(refuse(''), zh)).toBe('整个文件：文件应由 organisation、sections、members、indicators、targets 等字段组成');
    expect(formatOrgProblems(refuse('- 1\n'), en)).toBe(
      'line 1: expected a mapping with organisation, sections, members, indicators and targets',
    );
  });

  it('refuses a bad schedule where it is written, quoting what was written', () => {
    const schedule = 'schedule:\n  deadline: last_day\n  quiet_hours: "9pm-8am"\n  window_opens_day: 2.5\n  remind_working_days_before: [0]\n';
    const text = minimal.replace('sections:\n', `${schedule}sections:\n`);
    expect(refuse(text).map((p) => [p.line, p.path, p.code, p.params])).toEqual([
      [lineOf(text, 'last_day'), 'schedule.deadline', 'bad_deadline', { value: 'last_day' }],
      [lineOf(text, '9pm'), 'schedule.quiet_hours', 'bad_quiet_hours', { value: '9pm-8am' }],
      [lineOf(text, '2.5'), 'schedule.window_opens_day', 'wrong_type_value', { expected: 'int', value: '2.5' }],
      [lineOf(text, '[0]'), 'schedule.remind_working_days_before[0]', 'greater_than', { minimum: 0 }],
    ]);
    expect(formatOrgProblems(refuse(text), zh).split('\n')[2]).toBe(
      `schedule.window_opens_day（第 ${lineOf(text, '2.5')} 行）：应为整数，这里写的是“2.5”`,
    );
  });

  it('says what kind of value was expected when a list or mapping stands in the wrong place', () => {
    const text = minimal.replace('  name: 测试局\n', '  name: [测试局]\n').replace('sections:\n', 'sections: {}\nx:\n');
    expect(refuse(text).map((p) => [p.path, p.code, p.params])).toEqual([
      ['organisation.name', 'wrong_type', { expected: 'string', got: 'array' }],
      ['sections', 'wrong_type', { expected: 'array', got: 'object' }],
      ['x', 'unknown_field', { written: 'x' }],
    ]);
    expect(formatOrgProblems(refuse(text), zh).split('\n').slice(0, 2)).toEqual([
      'organisation.name（第 2 行）：应为文本，不应是列表',
      'sections（第 3 行）：应为列表，不应是“字段: 值”形式的条目',
    ]);
  });
});

/** Params for every code, as the parser would give them: each code's sentence must use them all. */
const SAMPLE_PARAMS: Record<OrgProblemCode, ProblemParams> = {
  yaml_syntax: { column: 3, error: 'UNEXPECTED_TOKEN' },
  yaml_duplicate_key: { column: 3, error: 'DUPLICATE_KEY', written: 'name' },
  yaml_indent: { column: 3, error: 'BAD_INDENT' },
  yaml_tab: { column: 1, error: 'TAB_AS_INDENT' },
  yaml_unclosed: { column: 9, error: 'MISSING_CHAR' },
  yaml_percent: { column: 11, error: 'BAD_SCALAR_START' },
  yaml_alias: {},
  not_a_mapping: {},
  required: {},
  empty: {},
  unknown_field: { written: 'nmae' },
  wrong_type: { expected: 'array', got: 'object' },
  wrong_type_value: { expected: 'int', value: '2.5' },
  at_least: { minimum: 2000 },
  at_most: { maximum: 28 },
  greater_than: { minimum: 0 },
  less_than: { maximum: 10 },
  too_few_items: { minimum: 1 },
  too_many_items: { maximum: 3 },
  too_short: { minimum: 2 },
  too_long: { maximum: 40 },
  bad_format: { value: 'x' },
  not_one_of: { value: 'x', allowed: ['a', 'b'] },
  bad_value: { value: 'x' },
  not_a_key: { value: '运行监测' },
  not_a_number: { value: '21亿' },
  number_too_large: { value: '1e400' },
  not_a_time: { value: '9am' },
  not_a_month: { value: '2027-13' },
  bad_quiet_hours: { value: '9pm-8am' },
  bad_deadline: { value: 'last_day' },
  not_an_identity: { value: 'wang' },
  bad_telegram_identity: { value: 'telegram:@wang' },
  unknown_time_zone: { value: 'Beijing' },
  unknown_role: { value: 'chief', allowed: ROLES },
  unknown_locale: { value: 'fr', allowed: ['zh-CN', 'en'] },
  unknown_kind: { value: 'total', allowed: INDICATOR_KINDS },
  unknown_frequency: { value: '季度', allowed: FREQUENCIES },
  unknown_choice_suggest: { value: '新增', suggestion: 'increment', allowed: INDICATOR_KINDS },
  unknown_unit: { value: '亿美元', allowed: UNITS },
  unknown_unit_suggest: { value: '亿', suggestion: '亿元', allowed: UNITS },
  no_roles: {},
  no_sections: {},
  duplicate_key: { key: 'monitoring', first: 'sections[0]' },
  duplicate_name: { name: '王明', first: 'members[0]' },
  full_width_comma: { value: '高企，新增高企', fixed: '[高企, 新增高企]' },
  full_width_space: { column: 1 },
  unit_changed: { indicator: 'tech_contract', count: 3, from: '万元', to: '亿元' },
  unknown_section: { section: 'monitring', known: ['monitoring', 'sci_plan'] },
  unknown_section_suggest: { section: 'yunying', suggestion: 'yunxing', known: ['yunxing', 'xinxi'] },
  section_required: {},
  identity_taken: { identity: 'wechat:wxid_abc', member: 'wang' },
  name_clash: { field: 'name_en', word: 'Investment', other_field: 'alias', indicator: 'industrial_investment' },
  min_above_max: { min: '100', max: '0' },
  target_below_min: { value: '-5', indicator: 'tech_upgrade_investment', min: '0' },
  target_above_max: { value: '660', indicator: 'rd_share_of_gdp', max: '100' },
  target_too_precise: { value: '0.2345', indicator: 'output', name: '总产值', decimals: 1, shown: '0.2', places: 4 },
  target_not_whole: { value: '30.5', indicator: 'new_firms', name: '新增企业', unit: '家' },
  decimals_not_whole: { unit: '个', decimals: 1 },
  unknown_indicator: { indicator: 'rd_shares' },
  unknown_indicator_suggest: { indicator: 'industrial_invest', suggestion: 'industrial_investment' },
  duplicate_target: { indicator: 'industrial_investment', year: 2020, first: 'targets[0]' },
  name_not_key: { value: '工业增加值', key: 'industrial_added_value' },
  bad_rule: { value: 'a <= a' },
  full_width_colon: { key: 'name' },
  number_with_unit: { value: '3家', unit: '亿元' },
  fraction_of_whole: { value: '3.5人次', given: '人次', unit: '万人次', number: '3.5' },
  unknown_field_suggest: { written: 'nmae', suggestion: 'name' },
};

describe('the problems of an organisation file', () => {
  it.each(ORG_PROBLEM_CODES.map((code) => [code]))('say %s in Chinese and in English, every placeholder filled', (code) => {
    const problem: OrgProblem = { path: 'indicators[3].unit', line: 42, code, params: SAMPLE_PARAMS[code] };
    for (const t of [zh, en]) {
      const text = formatOrgProblems([problem], t);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(text).not.toContain('problems.');
      expect(text).toMatch(/^indicators\[3\]\.unit( \(line 42\): |（第 42 行）：)\S/);
    }
    // Every word of the Chinese sentence is Chinese, but for names from the file and YAML's error codes.
    expect(formatOrgProblems([problem], zh)).not.toMatch(/\b(expected|unknown|required|invalid|must|not|line|column|field)\b/i);
  });
});
