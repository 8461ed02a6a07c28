import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createIntentMatcher } from '../../src/core/intents.js';
import { parseOrgFile } from '../../src/core/org/parse.js';

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const matcher = createIntentMatcher(demo.value.indicators);
const today = { year: 2026, month: 11 };

describe('asking for the web dashboard', () => {
  it.each(['看板', '我要看板', '发我仪表盘链接', '网页版看板', '网页', 'dashboard', 'Send me the dashboard', '/dashboard'])('%s asks for the link', (text) => {
    expect(matcher.classify(text, today)).toEqual({ kind: 'dashboard' });
  });

  it.each([
    ['技改完成率', 'progress'],
    ['总体进度', 'overview'],
    ['overview', 'overview'],
    ['谁还没报', 'missing'],
    ['技改投资 2.9亿', 'one_shot'],
  ])('%s is still what it was (%s)', (text, kind) => {
    expect(matcher.classify(text, today).kind).toBe(kind);
  });
});
