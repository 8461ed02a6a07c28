/**
 * The organisation file's `checks:`: relations between two indicators' figures of the same period,
 * written `left <= right`. A figure that breaks one is queried in the reporting dialogue, never refused.
 */

export const RELATION_OPS = ['<=', '<', '>=', '>'] as const;
export type RelationOp = (typeof RELATION_OPS)[number];

/** A rule read from its text: the two indicator keys and the comparison between them. */
export interface RelationRule {
  left: string;
  op: RelationOp;
  right: string;
}

// ≤ and ≥ are what a Chinese administrator types from an input method; they mean <= and >=.
const RULE = /^\s*([^\s<>=≤≥]+)\s*(<=|>=|<|>|≤|≥)\s*([^\s<>=≤≥]+)\s*$/;
const WIDE_OPS: Record<string, RelationOp> = { '≤': '<=', '≥': '>=' };

/** Reads `industrial_value_added <= industrial_output_value` (full-width letters and signs accepted); undefined if it is not one. */
export function parseRelationRule(text: string): RelationRule | undefined {
  const match = RULE.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const [, left = '', op = '', right = ''] = match;
  return { left, op: WIDE_OPS[op] ?? (op as RelationOp), right };
}

/** Whether `left op right` holds. */
export function relationHolds(op: RelationOp, comparison: number): boolean {
  switch (op) {
    case '<=':
      return comparison <= 0;
    case '<':
      return comparison < 0;
    case '>=':
      return comparison >= 0;
    case '>':
      return comparison > 0;
  }
}
