/*
 * What the completion chart of the documents (chart.ts, drawn on the server) and the dashboard's chart (drawn
 * in the browser by src/web/assets/dashboard.js, which gets these in the page's data) share: one palette, and
 * how long indicator names are broken into lines.
 */

/**
 * The chart's colours: completion on or ahead of schedule, completion behind it, a level's completion (measured
 * against its target only, neither ahead nor behind), and the 序时进度 marks.
 */
export const CHART_COLOURS = {
  rate: '#3b6fb6',
  behind: '#d9534f',
  level: '#8a96a8',
  elapsed: '#404040',
} as const;

/** Which of the chart's bar colours an indicator with a completion rate takes. */
export type BarKind = 'rate' | 'behind' | 'level';

export const BAR_KINDS: readonly BarKind[] = ['rate', 'behind', 'level'];

/**
 * The bar's kind: one with no gap against 序时进度 (a level, or one the file measures without it: against its
 * target only), behind schedule, or not.
 */
export function barKind(gap: { status: string } | undefined): BarKind {
  if (gap === undefined) return 'level';
  return gap.status === 'behind' ? 'behind' : 'rate';
}

/**
 * The value most items have (formatted as shown; of two as frequent, the higher), when more than one item
 * has it or there is only one item: the value a chart says once, in its legend, naming only the others.
 */
export function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const [best] = [...counts].sort((a, b) => b[1] - a[1] || Number(b[0]) - Number(a[0]));
  return best && (best[1] > 1 || values.length === 1) ? best[0] : undefined;
}

const WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/**
 * The width of a text in pixels at `fontSize`, on the generous side (Noto Sans CJK: a Chinese character is
 * 1 em, Latin letters about half of one), so that lines broken by it fit where they are drawn.
 */
export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const char of text) {
    if (WIDE.test(char)) width += 1;
    else if (char === ' ') width += 0.26;
    else if (/[ijl.,:;'!|]/.test(char)) width += 0.3;
    else if (/[ftr()\-\/]/.test(char)) width += 0.4;
    else if (/[mw]/.test(char)) width += 0.85;
    else if (/[acegksvxyz]/.test(char)) width += 0.5;
    else if (/[a-z]/.test(char)) width += 0.56;
    else if (/[0-9]/.test(char)) width += 0.57;
    else if (/[MW]/.test(char)) width += 0.9;
    else width += 0.68;
  }
  return width * fontSize;
}

/**
 * A name broken into lines no wider than `maxWidth`: English between words (and after a hyphen), Chinese
 * between any two characters but not inside a Latin word (R&D, GDP); a word longer than a line is broken
 * where it must. Nothing is left out.
 */
export function wrapLabel(text: string, maxWidth: number, fontSize: number): string[] {
  // As few lines as fit, then as even as they go (工业技改\n投资, not 工业技改投\n资).
  const first = breakLines(text, maxWidth, fontSize);
  let best = first;
  for (let width = maxWidth - 2; width > fontSize && first.lines.length > 1; width -= 2) {
    const narrower = breakLines(text, width, fontSize);
    // Never evener by breaking a word that fitted.
    if (narrower.lines.length > first.lines.length || narrower.broken > first.broken) break;
    best = narrower;
  }
  return best.lines;
}

/** Lines as full as they go; `broken`: how many words had to be broken inside. */
function breakLines(text: string, maxWidth: number, fontSize: number): { lines: string[]; broken: number } {
  let broken = 0;
  // Pieces: one wide character each, or a Latin word with the spaces after it, split after hyphens.
  const pieces = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f-]+-?\s*|-\s*|\s+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
  };
  for (const piece of pieces) {
    if (textWidth((line + piece).trimEnd(), fontSize) <= maxWidth) {
      line += piece;
      continue;
    }
    push();
    if (textWidth(piece.trimEnd(), fontSize) <= maxWidth) {
      line = piece.trimStart();
      continue;
    }
    // A word wider than the line: as many characters as fit, line after line.
    broken += 1;
    for (const char of piece.trim()) {
      if (line !== '' && textWidth(line + char, fontSize) > maxWidth) push();
      line += char;
    }
    if (/\s$/.test(piece)) line += ' ';
  }
  push();
  return { lines: lines.length > 0 ? lines : [text], broken };
}
