import { expect, it } from 'vitest';
import { dialogueFigures } from '../../src/app/chat/dialogue-context.js';
import { figuresAndTargetsJson } from '../../src/app/figures.js';
import { readOrgSnapshot } from '../../src/app/org-cache.js';
import { intArray, transactionWithSql } from '../../src/db/sql.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { loadOrgText } from '../helpers/org-text.js';

/*
 * A reporter's turn reads the figures of their own few indicators (the dialogue's, the closing lines' after
 * 确认). On a database without statistics — a new one, the embedded one before its first nightly upkeep,
 * any database on the day a month's figures pour in — PostgreSQL's estimates are flat, and with an index by
 * month beside the figure's key it read every figure of the month to find a member's few: on a server each
 * 确认 cost more the more others had reported, three times as much by the rush's 1,200th (BENCHMARKS.md).
 * Each suite's database is new, so it has no statistics; the plans are the transaction's own (generic).
 */

const INDICATORS = 60;
const AT = new Date('2026-11-25T02:00:00Z');

const ORG = [
  'organisation:',
  '  name: 统计局',
  'sections:',
  '  - key: s',
  '    name: 综合股',
  '  - key: t',
  '    name: 其他股',
  'members:',
  '  - key: wang',
  '    name: 王明',
  '    roles: [section_head]',
  '    section: s',
  '    identities: ["telegram:1"]',
  '  - key: li',
  '    name: 李华',
  '    roles: [section_head]',
  '    section: t',
  '    identities: ["telegram:2"]',
  'indicators:',
  ...Array.from({ length: INDICATORS }, (_, i) => [
    `  - key: k${i}`,
    `    name: 指标${i}`,
    // The member's section has three; the other section's 57 are the rest of the month's figures.
    `    section: ${i < 3 ? 's' : 't'}`,
    '    kind: cumulative',
    '    unit: 亿元',
  ]).flat(),
].join('\n');

interface PlanNode {
  'Relation Name'?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Figures of `submission` a plan read and set aside, in every node. */
function figuresSetAside(node: PlanNode): number {
  const own = node['Relation Name'] === 'submission' ? (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0) : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + figuresSetAside(child), 0);
}

describeEachDatabase('a reporter’s figures read by their key, statistics or not', (ctx) => {
  it('reads only the member’s own figures, however many others the month has', async () => {
    const deps = ctx.deps(AT);
    await loadOrgText(deps, ORG);
    const prisma = ctx.db().prisma;
    // January to November of every indicator: 660 figures this year, 600 of them the other section's.
    await prisma.$executeRawUnsafe(
      `INSERT INTO submission (indicator_id, year, month, value) SELECT i.id, 2026, m, m FROM indicator i, generate_series(1, 11) m`,
    );
    const org = await readOrgSnapshot(prisma);
    const member = org.member('telegram:1')!;
    const own = org.sectionIndicators('s').map((indicator) => indicator.id);
    expect(own).toHaveLength(3);
    const dialogue = dialogueFigures(member, { year: 2026, month: 11 }, org.indicators);
    const closing = figuresAndTargetsJson('$1::int[]', '$2::int', '$3::int[]');

    const plans = await transactionWithSql(prisma, async (_tx, sql) => {
      const explain = async (text: string, params: unknown[]) => {
        const [row] = await sql.query<{ 'QUERY PLAN': string | [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params as never[]);
        const plan = row!['QUERY PLAN'];
        return (typeof plan === 'string' ? (JSON.parse(plan) as [{ Plan: PlanNode }]) : plan)[0].Plan;
      };
      return [
        await explain(dialogue.text, dialogue.params),
        await explain(`SELECT ${closing.figures} AS figures, ${closing.targets} AS targets`, [intArray([2025, 2026]), 2026, intArray(own)]),
      ];
    });
    expect(plans.map(figuresSetAside)).toEqual([0, 0]);
  });
});
