import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translator } from '../../src/core/i18n.js';
import { type OrgConfig, parseOrgFile } from '../../src/core/org/parse.js';
import { type OrgProblem, formatOrgProblems } from '../../src/core/org/problems.js';

/* The organisation file's `checks:` and the mistakes it names for what they are (docs/product.md). */

const example = readFileSync(new URL('../fixtures/org/product-example.yaml', import.meta.url), 'utf8');
const minimal = readFileSync(new URL('../fixtures/org/minimal.yaml', import.meta.url), 'utf8');
const zh = translator('zh-CN');
const en = translator('en');

/** The example with a second indicator of 万元, 工业增加值, whose key the tests name in rules and targets. */
const twoIndicators = example.replace(
  'targets:',
  [
    '  - key: industrial_added_value',
    '    name: 工业增加值',
    '    name_en: Industrial value added',
    '    section: monitoring',
    '    kind: cumulative',
    '    unit: 万元',
    '    aliases: [增加值]',
    'targets:',
  ].join('\n'),
);

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

describe('checks:', () => {
  it('is optional and reads each rule with its message', () => {
    expect(accept(example).checks).toEqual([]);
    const config = accept(
      `${twoIndicators}checks:\n  - rule: industrial_added_value <= industrial_investment\n    message: 增加值不应超过投资\n  - rule: industrial_investment ≥ industrial_added_value\n`,
    );
    expect(config.checks).toEqual([
      { left: 'industrial_added_value', op: '<=', right: 'industrial_investment', message: '增加值不应超过投资' },
      { left: 'industrial_investment', op: '>=', right: 'industrial_added_value' },
    ]);
  });

  it('refuses a rule that is not two keys and a comparison, or compares an indicator with itself', () => {
    const problems = refuse(`${twoIndicators}checks:\n  - rule: industrial_added_value is small\n  - rule: industrial_investment < industrial_investment\n`);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['checks[0].rule', 'bad_rule'],
      ['checks[1].rule', 'bad_rule'],
    ]);
  });

  it('names an unknown field of a check, and an unknown indicator', () => {
    const problems = refuse(`${twoIndicators}checks:\n  - rule: industrial_added_value <= industrial_outptu\n    mesage: x\n`);
    expect(problems.map((p) => [p.path, p.code, p.params])).toEqual([
      ['checks[0].rule', 'unknown_indicator', { indicator: 'industrial_outptu' }],
      ['checks[0].mesage', 'unknown_field_suggest', { written: 'mesage', suggestion: 'message' }],
    ]);
    expect(formatOrgProblems(problems.slice(1), zh)).toMatch(/^checks\[0\]\.mesage（第 \d+ 行）：未知字段“mesage”，是不是“message”？$/);
    // Nothing close: no guess.
    expect(refuse(`${twoIndicators}checks:\n  - rule: industrial_added_value <= industrial_investment\n    severity: high\n`)[0]).toMatchObject({
      code: 'unknown_field',
      params: { written: 'severity' },
    });
  });
});

describe('mistakes named for what they are', () => {
  it('gives the key to write, once, for an indicator named by its name, alias or English name', () => {
    const text = example.replace('  - indicator: industrial_investment', '  - indicator: 工业投资');
    const problems = refuse(text);
    expect(problems.map((p) => [p.path, p.code, p.params])).toEqual([
      ['targets[0].indicator', 'name_not_key', { value: '工业投资', key: 'industrial_investment' }],
    ]);
    expect(formatOrgProblems(problems, zh)).toBe('targets[0].indicator（第 28 行）：“工业投资”是名称，这里要写 key：industrial_investment');
    const inRule = refuse(`${twoIndicators}checks:\n  - rule: 增加值 <= 工投\n`);
    expect(inRule.map((p) => p.params)).toEqual([
      { value: '增加值', key: 'industrial_added_value' },
      { value: '工投', key: 'industrial_investment' },
    ]);
  });

  it('gives the section key for a section named by its name', () => {
    const problems = refuse(example.replace(/ {4}section: monitoring {12}#.*/, '    section: 运行监测股'));
    expect(problems.map((p) => [p.path, p.code, p.params])).toEqual([
      ['members[0].section', 'name_not_key', { value: '运行监测股', key: 'monitoring' }],
    ]);
  });

  it('points at a full-width colon instead of a YAML code', () => {
    const text = example.replace('    name: 王明', '    name：王明');
    const problems = refuse(text);
    expect(problems).toEqual([{ path: '', line: 11, column: 9, code: 'full_width_colon', params: { key: 'name' } }]);
    expect(formatOrgProblems(problems, zh)).toBe('第 11 行：“name”后面用了全角冒号“：”，请改成半角冒号加空格：“name: ”');
    expect(formatOrgProblems(problems, zh)).not.toContain('MULTILINE');
  });

  it('points at a full-width colon inside a flow mapping, and at each line indented with full-width spaces', () => {
    const flow = minimal.replace('sections:\n', 'members:\n  - { key: boss, name：周海峰, roles: [director] }\nsections:\n');
    const line = flow.split('\n').findIndex((l) => l.includes('周海峰')) + 1;
    expect(refuse(flow)).toEqual([{ path: '', line, column: 22, code: 'full_width_colon', params: { key: 'name' } }]);
    const spaced = minimal.replace('  - key: sci_plan\n    name: 科技计划股', '\u3000- key: sci_plan\n\u3000\u3000name: 科技计划股');
    const first = spaced.split('\n').findIndex((l) => l.includes('sci_plan')) + 1;
    const found = refuse(spaced);
    expect(found.map((p) => [p.line, p.column, p.code])).toEqual([
      [first, 1, 'full_width_space'],
      [first + 1, 1, 'full_width_space'],
    ]);
    expect(formatOrgProblems(found, zh).split('\n')[0]).toBe(`第 ${first} 行：第 1 列起用了全角空格缩进，请改成半角空格（切换到英文输入法再敲空格）`);
  });

  it('reads an amount with a unit in the indicator’s unit', () => {
    const config = accept(twoIndicators.replace('    value: 21', '    value: 2100万').replace('    max: 1000', '    max: 1000亿'));
    expect(config.targets[0]?.value.toFixed()).toBe('0.21');
    expect(config.indicators[0]?.max?.toFixed()).toBe('1000');
    const added = accept(`${twoIndicators}  - indicator: industrial_added_value\n    year: 2026\n    value: 3亿\n`);
    expect(added.targets[1]?.value.toFixed()).toBe('30000');
  });

  it('says which unit is expected for an amount of another kind', () => {
    const problems = refuse(example.replace('    value: 21', '    value: 21家'));
    expect(formatOrgProblems(problems, zh)).toBe('targets[0].value（第 30 行）：“21家”的单位与指标的单位 亿元 不是同一类，请写 亿元 数');
  });
});
