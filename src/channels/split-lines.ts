/** How a platform measures a text, and where it may cut a line that is too long on its own. */
export interface TextMeasure {
  size(text: string): number;
  /** The longest prefix of `line` (in code units, whole characters) within `limit`; at least one character. */
  cut(line: string, limit: number): number;
}

/** Splits a text into chunks of at most `limit` by `measure`, at line breaks where possible, never inside a character. */
export function splitLines(text: string, limit: number, measure: TextMeasure): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (measure.size(candidate) <= limit) {
      current = candidate;
      continue;
    }
    if (current !== '') chunks.push(current);
    current = line;
    while (measure.size(current) > limit) {
      const cut = measure.cut(current, limit);
      chunks.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}
