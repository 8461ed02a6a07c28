import type { IndicatorDef } from '../domain.js';
import { type Compact, compactTerm, fold } from './text.js';

interface Term {
  text: string;
  key: string;
}

interface FuzzyEntry {
  key: string;
  /** compact terms with Chinese characters in them */
  cjkTerms: string[];
  /** content words of the terms and the key, stemmed */
  words: Set<string>;
}

/**
 * Names, English names, aliases and keys of an organisation's indicators, prepared for matching. Looked
 * up by what a message holds (a term by its first character, fuzzy entries by a two-character fragment or
 * a word they contain), so that matching costs the same in an organisation of ten indicators or a thousand.
 */
export interface IndicatorIndex {
  /** Terms by their first character, each list in the indicators' order. */
  termsByFirst: Map<string, Term[]>;
  fuzzy: FuzzyEntry[];
  /** Fuzzy entries (their positions) by a two-character fragment of a Chinese term. */
  fuzzyByPair: Map<string, number[]>;
  /** Fuzzy entries (their positions) by a content word. */
  fuzzyByWord: Map<string, number[]>;
}

/** Where the message names one indicator, or several with equal strength (`keys.length > 1`); folded-text indices. */
export interface Mention {
  start: number;
  end: number;
  keys: string[];
}

/** Indicators a message hints at without naming any: 2–6 is a choice list; one is a guess, kept only when `strong`. */
export interface FuzzyMatch {
  keys: string[];
  strong: boolean;
  /**
   * The one best match's name begins with all that is left of the question (早稻 for 早稻播种面积): a name
   * shortened as people shorten it, firm enough when the question asks something of it (早稻还差多少).
   */
  opening: boolean;
}

const CJK = /[\u3400-\u9fff]/;
const ALNUM = /[a-z0-9]/;
const STOP_WORDS = new Set(
  ('a an the of in on for to and or is are was were be our we us my me i you your it its this that what whats s ' +
    'how much many far which who show tell please pls give get status progress completion complete completed rate ' +
    'current currently total figure figures number numbers data so do does did done have has target targets year ' +
    'month last ytd new vs about as with at by from up').split(' '),
);

/** Lower-case words worth comparing, plural s dropped: "New 5G base stations" → 5g, base, station. */
export function contentWords(folded: string): string[] {
  const words = folded.match(/[a-z0-9&]+/g) ?? [];
  return words
    .filter((w) => /[a-z]/.test(w) && !STOP_WORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/** Prepares the matcher's tables once per organisation. */
export function buildIndicatorIndex(indicators: readonly IndicatorDef[]): IndicatorIndex {
  const termsByFirst = new Map<string, Term[]>();
  const fuzzy: FuzzyEntry[] = [];
  const fuzzyByPair = new Map<string, number[]>();
  const fuzzyByWord = new Map<string, number[]>();
  const file = (map: Map<string, number[]>, key: string, position: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [position]);
    else if (list.at(-1) !== position) list.push(position);
  };
  const named = (indicator: IndicatorDef) => [indicator.name, indicator.nameEn, ...indicator.aliases, indicator.key.replace(/_/g, ' ')];
  // A name is said without its closing 总额 or 总量 (外贸进出口 for 外贸进出口总额), unless that names another.
  const written = new Set(indicators.flatMap((indicator) => named(indicator).map(compactTerm)));
  const shortName = (name: string) => {
    const short = name.replace(/(?:总额|总量)$/, '');
    return short !== name && short.length >= 4 && !written.has(compactTerm(short)) ? [short] : [];
  };
  for (const indicator of indicators) {
    const texts = [...named(indicator), ...shortName(indicator.name)];
    const compacts = [...new Set(texts.map(compactTerm).filter((t) => t !== ''))];
    for (const text of compacts) {
      const list = termsByFirst.get(text.charAt(0));
      if (list) list.push({ text, key: indicator.key });
      else termsByFirst.set(text.charAt(0), [{ text, key: indicator.key }]);
    }
    const entry = { key: indicator.key, cjkTerms: compacts.filter((t) => CJK.test(t)), words: new Set(texts.flatMap((t) => contentWords(fold(withoutBase(t))))) };
    const position = fuzzy.push(entry) - 1;
    for (const term of entry.cjkTerms) for (let i = 0; i + 1 < term.length; i += 1) file(fuzzyByPair, term.slice(i, i + 2), position);
    for (const word of entry.words) file(fuzzyByWord, word, position);
  }
  return { termsByFirst, fuzzy, fuzzyByPair, fuzzyByWord };
}

/**
 * A share's name without what it is a share of (R&D share of GDP, R&D经费占GDP比重 → R&D): a question about GDP
 * is not about R&D's share of it, so GDP alone must not hint at the share.
 */
function withoutBase(name: string): string {
  return name.replace(/\b(share|ratio|proportion|percentage)\s+of\b.*$/i, '$1').replace(/占.*$/, '');
}

/**
 * The indicators named in the text, in reading order. The longest name wins where names overlap
 * (技改投资 over 技改); two indicators matching the same stretch equally long make one ambiguous mention.
 */
export function findMentions(index: IndicatorIndex, folded: string, c: Compact): Mention[] {
  const found: { s: number; e: number; key: string }[] = [];
  for (let s = 0; s < c.text.length; s += 1) {
    for (const term of index.termsByFirst.get(c.text.charAt(s)) ?? []) {
      if (!c.text.startsWith(term.text, s)) continue;
      const e = s + term.text.length;
      if (standsAlone(term.text, folded, c.at[s] ?? 0, (c.at[e - 1] ?? 0) + 1)) found.push({ s, e, key: term.key });
    }
  }
  found.sort((a, b) => b.e - b.s - (a.e - a.s) || a.s - b.s);
  const kept: { s: number; e: number; keys: string[] }[] = [];
  for (const f of found) {
    const clash = kept.filter((k) => k.s < f.e && f.s < k.e);
    if (clash.length === 0) kept.push({ s: f.s, e: f.e, keys: [f.key] });
    else for (const k of clash) if (k.e - k.s === f.e - f.s && !k.keys.includes(f.key)) k.keys.push(f.key);
  }
  return kept
    .sort((a, b) => a.s - b.s)
    .map((k) => ({ start: c.at[k.s] ?? 0, end: (c.at[k.e - 1] ?? 0) + 1, keys: k.keys }));
}

// "5g" inside "15g" or "tech upgrade" inside "hitech upgrade" is not a mention.
function standsAlone(term: string, folded: string, start: number, end: number): boolean {
  if (ALNUM.test(term.charAt(0)) && ALNUM.test(folded.charAt(start - 1))) return false;
  return !(ALNUM.test(term.charAt(term.length - 1)) && ALNUM.test(folded.charAt(end)));
}

/**
 * Indicators whose names share the most with the text when none is named: Chinese fragments of two or
 * more characters, English content words (worth two characters each).
 */
export function findFuzzy(index: IndicatorIndex, folded: string, c: Compact): FuzzyMatch | undefined {
  const runs = c.text.split(/[^\u3400-\u9fff]+/).filter((r) => r.length >= 2);
  // The question's Chinese pieces as the blanked vocabulary leaves them apart (早稻 of 早稻  率).
  const pieces = folded.split(/[^\u3400-\u9fff]+/).filter((piece) => piece.length >= 2);
  const words = [...new Set(contentWords(folded))];
  if (runs.length === 0 && words.length === 0) return undefined;
  // Only an entry sharing a two-character fragment or a word with the text can weigh anything.
  const candidates = new Set<number>();
  for (const run of runs) for (let i = 0; i + 1 < run.length; i += 1) for (const p of index.fuzzyByPair.get(run.slice(i, i + 2)) ?? []) candidates.add(p);
  for (const word of words) for (const p of index.fuzzyByWord.get(word) ?? []) candidates.add(p);
  const entries = [...candidates].sort((a, b) => a - b).map((p) => index.fuzzy[p]!);
  const scored = entries.map((entry) => {
    let chars = 0;
    let strong = false;
    let opening = false;
    for (const term of entry.cjkTerms) {
      const covered = coverage(runs, term);
      chars = Math.max(chars, covered);
      if (covered >= 3 || (covered >= 2 && covered * 2 >= term.length)) strong = true;
      if (pieces.some((piece) => term.startsWith(piece))) opening = true;
    }
    // A whole English word is firmer evidence than a two-character fragment: "loans" is enough.
    const hits = words.filter((w) => entry.words.has(w));
    if (hits.length > 0) strong = true;
    return { key: entry.key, weight: chars + 2 * hits.length, strong, opening };
  });
  const best = Math.max(0, ...scored.map((s) => s.weight));
  if (best === 0) return undefined;
  const top = scored.filter((s) => s.weight === best);
  return { keys: top.map((s) => s.key), strong: top.length === 1 && top[0]?.strong === true, opening: top.length === 1 && top[0]?.opening === true };
}

/** How many characters of the runs lie in a stretch of two or more that also occurs in `term`. */
function coverage(runs: readonly string[], term: string): number {
  let covered = 0;
  for (const run of runs) {
    let reach = 0;
    for (let i = 0; i < run.length - 1; i += 1) {
      let length = Math.min(run.length - i, term.length);
      while (length >= 2 && !term.includes(run.slice(i, i + length))) length -= 1;
      if (length < 2) continue;
      covered += Math.max(0, i + length - Math.max(i, reach));
      reach = Math.max(reach, i + length);
    }
  }
  return covered;
}
