/* How far apart two words of an organisation file are: for "did you mean" hints (fields, keys). */

/**
 * The key a mistyped one most likely meant: one it begins, or that begins it (industrial_invest), else one
 * a slip or two away (monitring); undefined when none or several fit equally.
 */
export function closestKey(word: string, keys: readonly string[]): string | undefined {
  return closestOf(word, keys.map((key) => [key, key] as const));
}

/**
 * As `closestKey`, over words that name things (an indicator's key, name and aliases): the thing the word
 * most likely meant. Words of one thing are no rivals (高标准农田建 begins both 高标准农田 and its name).
 */
export function closestOf<T>(word: string, candidates: ReadonlyArray<readonly [string, T]>): T | undefined {
  const prefixed = new Set(candidates.filter(([candidate]) => candidate.startsWith(word) || word.startsWith(candidate)).map(([, owner]) => owner));
  if (prefixed.size === 1) return [...prefixed][0];
  const near = candidates.map(([candidate, owner]) => ({ owner, distance: editDistance(word, candidate) })).filter((c) => c.distance <= 2);
  const best = Math.min(...near.map((c) => c.distance));
  const at = new Set(near.filter((c) => c.distance === best).map((c) => c.owner));
  return at.size === 1 ? [...at][0] : undefined;
}

// Optimal string alignment: a swap of two neighbours (nmae) counts as one slip.
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
