import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Intent, createIntentMatcher } from '../../src/core/intents.js';
import { parseOrgFile } from '../../src/core/org/parse.js';

/*
 * 还差多少: how much is still to go to a target. Its words (还差, 缺口, 离目标) share 还差 with who has not
 * reported (还差谁, 还差几项没报, 还差哪些股室), which must keep going there.
 */

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const matcher = createIntentMatcher(demo.value.indicators);
const today = { year: 2026, month: 11 };

const remaining = (keys: string[], period: { year?: number; month?: number } = {}): Intent => ({ kind: 'remaining', indicators: keys, ...period });

describe('how much is left to the target', () => {
  it.each<[string, Intent]>([
    ['技改还差多少', remaining(['tech_upgrade_investment'])],
    ['工业投资离目标还差多少', remaining(['industrial_investment'])],
    ['2020年技改还差多少', remaining(['tech_upgrade_investment'], { year: 2020 })],
    ['清洁生产还差几家', remaining(['clean_production_audits'])],
    ['光网覆盖还差多少个', remaining(['village_fibre_coverage'])],
    ['光网覆盖还差几个村', remaining(['village_fibre_coverage'])],
    ['9月技改还差多少', remaining(['tech_upgrade_investment'], { year: 2026, month: 9 })],
    ['技改离完成年度目标还差多少', remaining(['tech_upgrade_investment'])],
    ['技改投资缺口多大', remaining(['tech_upgrade_investment'])],
    ['工业投资还需完成多少', remaining(['industrial_investment'])],
    ['R&D距目标还有多远', remaining(['rd_share_of_gdp'])],
    ['how much is left to reach the tech-upgrade target', remaining(['tech_upgrade_investment'])],
    ['how far are we from the industrial investment target', remaining(['industrial_investment'])],
    ['tech upgrade shortfall', remaining(['tech_upgrade_investment'])],
    ['how many more villages for fibre coverage', remaining(['village_fibre_coverage'])],
  ])('%s', (text, intent) => {
    expect(matcher.classify(text, today)).toEqual(intent);
  });
});

describe('with no indicator named: every one not yet met', () => {
  it.each<[string, Intent]>([
    ['距年度目标还差多少', remaining([])],
    ['2020年距年度目标还差多少', remaining([], { year: 2020 })],
    ['还差多少', remaining([])],
    ['缺口多大', remaining([])],
    ['离目标还有多远', remaining([])],
    ['还剩多少任务', remaining([])],
    ['哪些还差多少', remaining([])],
    ['how far from the target', remaining([])],
    ['remaining to target', remaining([])],
    ['shortfall', remaining([])],
    ['what is left', remaining([])],
  ])('%s', (text, intent) => {
    expect(matcher.classify(text, today)).toEqual(intent);
  });
});

// Each guard below is asked beside a 还差 question that now means figures, so that it tests the line between them.
describe('who has not reported keeps its own words', () => {
  const classify = (text: string) => matcher.classify(text, today);

  it('还差谁, 还差几项没报, 还差哪些股室 ask who; 还差多少, 还差多少个 with an indicator ask for figures', () => {
    for (const text of ['还差谁', '还差几项没报', '还差哪些股室', '还差几个股室没报', '还差多少没报', 'who is remaining']) {
      expect(classify(text), text).toEqual({ kind: 'missing', text });
    }
    expect(classify('技改还差多少没报')).toEqual({ kind: 'missing', text: '技改还差多少没报', indicators: ['tech_upgrade_investment'] });
    expect(classify('还差多少')).toEqual(remaining([]));
    expect(classify('光网覆盖还差多少个')).toEqual(remaining(['village_fibre_coverage']));
    expect(classify('how much is left')).toEqual(remaining([]));
  });

  it('leaves 还差几项, which may ask either, as it was, while 还差几家 asks for figures', () => {
    expect(classify('还差几项')).toEqual({ kind: 'unknown' });
    expect(classify('清洁生产还差几家')).toEqual(remaining(['clean_production_audits']));
  });
});

describe('near misses stay what they were', () => {
  const classify = (text: string) => matcher.classify(text, today);

  it('a target, a progress, a comparison and a reason asked are theirs; 离目标还差多少 is what is left', () => {
    expect(classify('技改目标多少')).toEqual({ kind: 'target', indicators: ['tech_upgrade_investment'] });
    expect(classify('技改完成年度目标了吗')).toEqual({ kind: 'progress', indicators: ['tech_upgrade_investment'] });
    expect(classify('比去年差多少')).toEqual({ kind: 'compare', indicators: [] });
    expect(classify('技改为什么还差这么多')).toEqual({ kind: 'why', indicators: ['tech_upgrade_investment'] });
    expect(classify('差距最大的是哪个')).toEqual({ kind: 'behind' });
    expect(classify('技改离目标还差多少')).toEqual(remaining(['tech_upgrade_investment']));
  });

  it('a figure reported with a note that says what is left stays a report; the same words asked are a question', () => {
    expect(classify('技改投资 2.43亿 还差0.57亿')).toEqual({ kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43亿 还差0.57亿' });
    expect(classify('技改投资还差多少？')).toEqual(remaining(['tech_upgrade_investment']));
  });
});
