import { addMonths, type Period } from '../period.js';
import { blank } from './text.js';

/** A period named in a message, with where it stands in the folded text. */
export interface PeriodMention {
  start: number;
  end: number;
  year?: number;
  month?: number;
  /** 本月, 今年, this month: names the current period rather than a chosen one */
  current: boolean;
}

/** The year and month a question asks about; `month` always comes with its `year`. */
export interface PeriodQuery {
  year?: number;
  month?: number;
}

const M = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
const RANGE = `(?:${M}\\s*[-–—~至到]\\s*)?`;
const ZH_MONTHS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };

type Reader = (m: RegExpExecArray, today: Period) => Omit<PeriodMention, 'start' | 'end'> | undefined;

const month = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : ZH_MONTHS[text];
  return n !== undefined && n >= 1 && n <= 12 ? n : undefined;
};
const year = (text: string | undefined): number | undefined => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : undefined;
};
const both = (y: number | undefined, m: number | undefined) =>
  y === undefined || m === undefined ? undefined : { year: y, month: m, current: false };

// Order matters: each match is blanked before the next pattern runs, so 上个月 is never read as 月 and
// 2020年9月 never as a bare 9月. The range's first month (1 in 1–9月) is matched and dropped.
const READERS: ReadonlyArray<readonly [RegExp, Reader]> = [
  [/上一?个?月|last month|previous month/g, (_, t) => ({ ...addMonths(t, -1), current: false })],
  [/本月|这个?月|当月|this month/g, (_, t) => ({ ...t, current: true })],
  [/去年|上年|last year/g, (_, t) => ({ year: t.year - 1, current: false })],
  [/前年/g, (_, t) => ({ year: t.year - 2, current: false })],
  [/今年|本年度?|this year/g, (_, t) => ({ year: t.year, current: true })],
  [/(?<![\d.])(\d{4})\s*[-/]\s*(\d{1,2})(?![\d.])/g, (m) => both(year(m[1]), month(m[2]))],
  [new RegExp(`(?<![\\d.])(\\d{4})\\s*年\\s*${RANGE}${M}\\s*月份?`, 'g'), (m) => both(year(m[1]), month(m[3]))],
  [/(?<![\d.])(\d{4})\s*年度?/g, (m) => yearOnly(year(m[1]))],
  [new RegExp(`(?<![\\d.十一二三四五六七八九])${RANGE}${M}\\s*月份?`, 'g'), (m) => monthOnly(month(m[2]))],
  [/(?:第|前)?([一二三四1-4])季度/g, (m) => monthOnly((month(m[1]) ?? 0) * 3)],
  [/上半年/g, () => monthOnly(6)],
  // The same in English: Q3, the third quarter, the first three quarters (through its last month), the first half.
  [/\b(?:the\s+)?first\s+(?:three\s+quarters|3\s+quarters)\b/g, () => monthOnly(9)],
  [/\b(?:the\s+)?first\s+(?:half|two\s+quarters)\b|\bh1\b/g, () => monthOnly(6)],
  [/\b(?:the\s+)?(first|second|third|fourth)\s+quarter\b/g, (m) => monthOnly((['first', 'second', 'third', 'fourth'].indexOf(m[1] ?? '') + 1) * 3)],
  [/\bq([1-4])\b/g, (m) => monthOnly(Number(m[1]) * 3)],
  [/\b(?:(in|for|of|since|until)\s+)?((?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)(?:\s*,?\s*(\d{4}))?\b/g, englishMonth],
  [/(?<![\d.])(\d{4})(?![\d.]|\s*[万亿元千百个家户项人%])/g, (m) => yearOnly(year(m[1]))],
];

const FULL_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function englishMonth(m: RegExpExecArray): Omit<PeriodMention, 'start' | 'end'> | undefined {
  const [, preposition, word = '', y] = m;
  const index = FULL_NAMES.findIndex((name) => name.startsWith(word));
  // A month's own spellings only (sep, sept, september), not "decide" or "marketing"; "may" is mostly a
  // verb, so it names a month only after a preposition or before a year.
  if (index < 0 || (word === 'may' && !preposition && !y)) return undefined;
  const yy = y === undefined ? undefined : year(y);
  return { month: index + 1, ...(yy === undefined ? {} : { year: yy }), current: false };
}

function yearOnly(y: number | undefined) {
  return y === undefined ? undefined : { year: y, current: false };
}
function monthOnly(m: number | undefined) {
  return m === undefined || m < 1 || m > 12 ? undefined : { month: m, current: false };
}

/** Every period named in `folded`, in reading order, and the text with them blanked out. */
export function findPeriods(folded: string, today: Period): { mentions: PeriodMention[]; rest: string } {
  const mentions: PeriodMention[] = [];
  let rest = folded;
  for (const [pattern, read] of READERS) {
    for (const m of rest.matchAll(pattern)) {
      const found = read(m as RegExpExecArray, today);
      if (!found) continue;
      const start = m.index ?? 0;
      mentions.push({ start, end: start + m[0].length, ...found });
    }
    for (const { start, end } of mentions) rest = blank(rest, start, end);
  }
  return { mentions: mentions.sort((a, b) => a.start - b.start), rest };
}

/** The period a question asks about: the first year and first month named; a month alone is the latest such month. */
export function resolvePeriod(mentions: readonly PeriodMention[], today: Period): PeriodQuery {
  const y = mentions.find((p) => p.year !== undefined)?.year;
  const m = mentions.find((p) => p.month !== undefined)?.month;
  if (m === undefined) return y === undefined ? {} : { year: y };
  return { year: y ?? (m > today.month ? today.year - 1 : today.year), month: m };
}
