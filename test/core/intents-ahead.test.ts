import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Intent, createIntentMatcher } from '../../src/core/intents.js';
import { parseOrgFile } from '../../src/core/org/parse.js';

/*
 * 哪些指标领先, 超额完成的有哪些: what is ahead of 序时进度, or has met its target. Its words (达标, 完成目标,
 * 完成得好) sit inside those of what is behind (不达标, 没完成目标, 完成得不好), which must keep going there,
 * and inside questions about one indicator or about the targets themselves.
 */

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const matcher = createIntentMatcher(demo.value.indicators);
const today = { year: 2026, month: 11 };

const ahead = (period: { year?: number; month?: number } = {}): Intent => ({ kind: 'ahead', ...period });

describe('what is ahead of schedule, or has met its target', () => {
  it.each<[string, Intent]>([
    ['哪些指标领先', ahead()],
    ['哪个指标完成得最好', ahead()],
    ['完成得最好的是哪个', ahead()],
    ['超额完成的有哪些', ahead()],
    ['哪些已经完成目标了', ahead()],
    ['哪些达标了', ahead()],
    ['2020年哪些指标超过序时进度', ahead({ year: 2020 })],
    ['哪几项进度最快', ahead()],
    ['今年哪些指标完成了', ahead({ year: 2026 })],
    ['哪些完成了', ahead()],
    ['已完成的有哪些', ahead()],
    ['已经完成的指标有哪些', ahead()],
    ['which are ahead', ahead()],
    ['what is ahead of schedule', ahead()],
    ['which met their targets', ahead()],
    ['which targets have we met in 2020', ahead({ year: 2020 })],
    ['which targets have been met', ahead()],
    ['best performers in 2020', ahead({ year: 2020 })],
  ])('%s', (text, intent) => {
    expect(matcher.classify(text, today)).toEqual(intent);
  });

  it.each<[string, Intent['kind']]>([
    ['哪些不达标', 'behind'],
    ['哪些没完成目标', 'behind'],
    ['哪些指标没完成', 'behind'],
    ['今年完成率最低的指标', 'behind'],
    ['垫底的指标', 'behind'],
    ['哪个指标最差', 'behind'],
    ['技改进度最慢吗', 'progress'],
    ['哪个股室报得最慢', 'missing'],
    ['谁报得最晚', 'missing'],
    ['who is slowest to report', 'missing'],
    ['who is late', 'missing'],
    ["who's still late", 'missing'],
    ['who is behind', 'behind'],
    ['which indicators are slowest', 'behind'],
    ['what are the targets', 'target'],
    ['哪些还没完成', 'behind'],
    ['哪些完成得不好', 'behind'],
    ['哪些指标落后', 'behind'],
    ['完成目标了吗', 'overview'],
    ['全年目标是多少', 'target'],
    ['技改完成得怎么样', 'progress'],
  ])('leaves %s to its own answer', (text, kind) => {
    expect(matcher.classify(text, today).kind).toBe(kind);
  });
});
