import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Intent, createIntentMatcher } from '../../src/core/intents.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import type { Period } from '../../src/core/period.js';

/* The two requests for documents: the bulletin (通报) and the completion chart (看图 / 图表). */

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const matcher = createIntentMatcher(demo.value.indicators);
const NOVEMBER_2026: Period = { year: 2026, month: 11 };

describe('asking for the bulletin and the chart', () => {
  it.each<[string, Intent]>([
    ['/通报', { kind: 'bulletin' }],
    ['/bulletin', { kind: 'bulletin' }],
    ['/通报 2026-10', { kind: 'bulletin', period: { year: 2026, month: 10 } }],
    ['通报', { kind: 'bulletin' }],
    ['发一下10月的通报', { kind: 'bulletin', period: { year: 2026, month: 10 } }],
    ['send me the bulletin', { kind: 'bulletin' }],
    ['看图', { kind: 'chart' }],
    ['图表', { kind: 'chart' }],
    ['/图表', { kind: 'chart' }],
    ['/chart 2020', { kind: 'chart', year: 2020 }],
    ['2020年的图表', { kind: 'chart', year: 2020 }],
    ['show me a chart', { kind: 'chart' }],
    ['看看图', { kind: 'chart' }],
    ['发张图看一下', { kind: 'chart' }],
  ])('%s', (text, intent) => {
    expect(matcher.classify(text, NOVEMBER_2026)).toEqual(intent);
  });

  it.each<[string, Intent['kind']]>([
    ['谁还没报', 'missing'],
    ['/export', 'export'],
    ['导出表格', 'export'],
    ['技改完成率', 'progress'],
    ['/report', 'report'],
  ])('leaves %s as it was', (text, kind) => {
    expect(matcher.classify(text, NOVEMBER_2026).kind).toBe(kind);
  });
});
