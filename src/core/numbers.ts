import { Decimal } from './decimal.js';
import { err, ok, type Result } from './result.js';
import { UNITS, convert, isWholeUnit, unitFactor, type Unit } from './units.js';
import { isNumeralChar, isNumeralStart, parseNumeral } from './chinese-numerals.js';

/** A figure read from a chat answer, already in the indicator's unit. */
export interface ParsedAnswer {
  value: Decimal;
  note?: string;
  given: string;
}

/** Why an answer could not be read as one figure. */
export type AnswerErrorCode = 'empty' | 'no_number' | 'several_numbers' | 'unit_mismatch' | 'unknown_unit' | 'fraction_of_whole' | 'malformed';

/** What went wrong, with what the user wrote so the reply can quote it. */
export interface AnswerError {
  code: AnswerErrorCode;
  /** the unit the user wrote, for unit_mismatch, unknown_unit and fraction_of_whole */
  unit?: string;
  expected?: Unit;
  text: string;
}

// 新增, 新建, 建成, 开通 (sites, stations) and 完成, 达到 lead in the way 累计 does, with or without 了 (新建了12个).
const LEAD_INS = [
  '大约', '大概', '合计', '累计', '共计', '总计', '总共', '一共', '新增', '新建', '建成', '新开通', '开通', '完成', '达到', '本月', '约', '共', '为', '是',
];

// Longest first so 个百分点 wins over 个. 件/座/台/辆/条/所/栋/套/艘/名/位 are everyday counters for firms, sites,
// vehicles, roads and lines, schools, buildings and people;
// yuan and RMB what English writes for 元.
const UNIT_WORDS: ReadonlyArray<readonly [string, Unit]> = [
  ['个百分点', '个百分点'], ['百分点', '个百分点'], ['块钱', '元'], ['元', '元'], ['块', '元'], ['yuan', '元'], ['rmb', '元'],
  ['家', '家'], ['个', '个'], ['户', '户'], ['项', '项'], ['人次', '人次'], ['人', '人'], ['%', '%'],
  ['件', '个'], ['座', '个'], ['台', '个'], ['辆', '个'], ['条', '个'], ['所', '个'], ['栋', '个'], ['套', '个'], ['艘', '个'],
  ['名', '人'], ['位', '人'],
  // The scale before them is the numeral's (3.5万吨, 2300万千瓦时, 2.1亿度); 度 is what people call a kWh.
  ['吨', '吨'], ['亩', '亩'], ['公里', '公里'], ['千米', '公里'], ['km', '公里'], ['千瓦时', '千瓦时'], ['kwh', '千瓦时'], ['度', '千瓦时'],
  ['公顷', '公顷'], ['头', '头'], ['只', '只'], ['羽', '只'],
  // The same units as English writes them (the bot's own English says 118,000 tonnes of a figure kept in 万吨).
  ['tonnes', '吨'], ['tonne', '吨'], ['tons', '吨'], ['ton', '吨'], ['hectares', '公顷'], ['hectare', '公顷'], ['mu', '亩'],
  ['kilometres', '公里'], ['kilometers', '公里'], ['kilometre', '公里'], ['kilometer', '公里'], ['percent', '%'], ['per cent', '%'],
  ['visits', '人次'], ['head', '头'], ['birds', '只'],
];

/**
 * The unit a word names as the answer reader reads it (千米 → 公里, 度 → 千瓦时, 万度 → 万千瓦时, 件 → 个): for a
 * file that writes a unit under another of its names. Undefined when it names none, or names the unit as is.
 */
export function unitNamed(word: string): Unit | undefined {
  const lower = word.trim().toLowerCase();
  const scale = /^[万亿]/.exec(lower)?.[0] ?? '';
  const base = UNIT_WORDS.find(([written]) => written === lower.slice(scale.length))?.[1];
  const unit = base === undefined ? undefined : `${scale}${base}`;
  return unit !== undefined && unit !== word && (UNITS as readonly string[]).includes(unit) ? (unit as Unit) : undefined;
}

/**
 * The unit an unknown unit word most likely means, among `allowed` (in their order: money first): another
 * name of a unit as the answer reader reads it (千米, 万度), else the longest unit the word begins with
 * (万元人民币 is 万元, not 元), else the first that begins with the word (亿 is 亿元, not 亿千瓦时; 万人 is 万人次).
 */
export function suggestedUnit(written: string, allowed: readonly string[]): string | undefined {
  if (written === '') return undefined;
  const named = unitNamed(written);
  const within = allowed.filter((unit) => written.startsWith(unit)).sort((a, b) => b.length - a.length)[0];
  return (named !== undefined && allowed.includes(named) ? named : undefined) ?? within ?? allowed.find((unit) => unit.startsWith(written));
}

// What may follow a figure and its unit: the end, a separator, 左右, or an emoji (2.1亿🎉), which separates
// as a comma does.
/*
 * English scale words after a number, as English answers write the amounts English replies show (243
 * million, 2.515 billion, 5 thousand yuan; 19.6 hundred million, as the unit of 亿元 was once shown):
 * without them "243 million" would be 243 in the indicator's unit, with "million" as its note.
 */
const ENGLISH_SCALE = /^\s*(hundred|thousand|million|billion)\b/i;
const SCALE_SIZE: Record<string, Decimal> = {
  hundred: new Decimal(100),
  thousand: new Decimal(1000),
  million: new Decimal('1e6'),
  billion: new Decimal('1e9'),
};

// One to three Chinese characters written straight after a number and ending where the answer or its part
// ends: a unit word, though not one of ours (辆 before 辆 was one, 美元).
const UNKNOWN_UNIT = /^\p{Script=Han}{1,3}(?=$|[\s,，;；:：、。.!！?？(（)）])/u;

const BOUNDARY = /^(?:$|[\s,，;；:：、(（)）]|左右|\p{Extended_Pictographic})/u;
const CONNECTOR = /^\s*(?:或者|或|到|至|~|～|-|—|、|\/)\s*/;
const SEPARATOR = /^(?:[\s,，;；:：、(（]|\p{Extended_Pictographic}|\uFE0F|\u200D)+/u;

interface Reading {
  value: Decimal;
  magnitude: boolean;
  unitWord?: string;
  unit?: Unit;
  start: number;
  /** end of the number and its unit, before 左右 and a particle (吧) */
  numberEnd: number;
  end: number;
}
type ReadResult = Result<Reading, AnswerErrorCode> | undefined;

/** Reads an answer as people type it into chat and converts it exactly into `unit`. Never throws. */
export function parseAnswer(text: string, unit: Unit): Result<ParsedAnswer, AnswerError> {
  const trimmed = text.trim();
  const fail = (code: AnswerErrorCode, extra: Partial<AnswerError> = {}) => err({ code, text: trimmed, ...extra });
  if (trimmed === '') return fail('empty');
  const s = normalizeWidth(text);
  const limit = s.replace(/[\s。！!]+$/, '').length;
  const body = s.slice(0, limit);
  const reading = readFigure(body, skipLeadIns(body, 0));
  if (!reading) return fail(/[0-9]/.test(body) ? 'malformed' : 'no_number');
  if (!reading.ok) return fail(reading.error);
  const r = reading.value;
  // 一个半, 3家半: a half after the unit is part of the figure (1.5), as in 两亿半, which is not read either;
  // never a note 半 beside a figure of 1.
  if (body[r.end] === '半') return fail('malformed');

  const note = readNote(body.slice(r.end), r.unitWord !== undefined, text.slice(r.end, limit));
  if (!note.ok) {
    // 3辆, 19.6亿美元: a word written onto the number as a unit is one, if not one of ours; said as such.
    const word = note.error === 'malformed' && r.unitWord === undefined ? UNKNOWN_UNIT.exec(body.slice(r.end))?.[0] : undefined;
    return word ? fail('unknown_unit', { unit: word, expected: unit }) : fail(note.error);
  }

  let value: Decimal | undefined = r.value;
  // 32000.5人次 for an indicator kept in 万人次: the unit written is counted whole, whatever it becomes.
  if (r.unit && r.unit !== unit && isWholeUnit(r.unit) && !r.value.isInteger()) return fail('fraction_of_whole', { unit: r.unitWord, expected: unit });
  if (r.unit) {
    value = convert(r.value, r.unit, unit);
    if (!value) return fail('unit_mismatch', { unit: r.unitWord, expected: unit });
  } else if (r.magnitude) {
    value = r.value.dividedBy(unitFactor(unit));
  }
  const given = text.slice(r.start, r.numberEnd).trim();
  return ok(note.value === undefined ? { value, given } : { value, note: note.value, given });
}

/** Reads a bare number (Arabic or Chinese numerals, with 万/亿 multipliers); no unit, no note. */
export function parseNumber(text: string): Result<Decimal, AnswerError> {
  const trimmed = text.trim();
  const fail = (code: AnswerErrorCode) => err({ code, text: trimmed });
  if (trimmed === '') return fail('empty');
  const s = normalizeWidth(trimmed);
  let i = 0;
  const negative = s[0] === '-' || s[0] === '负';
  if (negative || s[0] === '+') i += 1;
  if (!isNumeralStart(s[i])) return fail(/[0-9]/.test(s) ? 'malformed' : 'no_number');
  const run = scanRun(s, i);
  const numeral = parseNumeral(run.text);
  if (!numeral.ok) return fail(numeral.error);
  const rest = s.slice(run.end);
  if (rest !== '') return fail(looksLikeFigure(rest.replace(SEPARATOR, '')) ? 'several_numbers' : 'malformed');
  return ok(negative ? numeral.value.value.negated() : numeral.value.value);
}

/*
 * What a Chinese keyboard types for figures, made ASCII, character for character (positions stay those of
 * the text, which is quoted back): full-width digits and signs; the ideographic space; the minus sign; a
 * full stop or middle dot between two digits, as a decimal point typed in Chinese mode (2。43亿); 忆 after
 * a numeral, pinyin's slip for 亿 (2.43忆: no word of a figure ends so).
 */
function normalizeWidth(s: string): string {
  return s
    .replace(/[０-９．－＋％]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\u2212/g, '-')
    .replace(/(?<=[0-9])[。·・](?=[0-9])/g, '.')
    .replace(/(?<=[0-9零〇一二两三四五六七八九十百千万])忆/g, '亿');
}

function skipLeadIns(s: string, from: number): number {
  let i = from;
  for (;;) {
    while (/[\s:：]/.test(s.charAt(i))) i += 1;
    const lead = LEAD_INS.find((word) => s.startsWith(word, i));
    if (!lead) return i;
    i += lead.length;
    if (s.charAt(i) === '了') i += 1;
  }
}

/** Sign, 百分之, numerals, a unit word, 左右. Undefined when no number starts at `from`. */
function readFigure(s: string, from: number): ReadResult {
  let i = from;
  const negative = s[i] === '-' || s[i] === '负';
  if (negative || s[i] === '+') i += 1;
  const percent = s.startsWith('百分之', i);
  if (percent) i += 3;
  if (!isNumeralStart(s[i])) return undefined;
  const run = scanRun(s, i);
  const numeral = parseNumeral(run.text);
  if (!numeral.ok) return err(numeral.error);
  i = run.end;
  let { value: read, magnitude } = numeral.value;
  for (let scale = ENGLISH_SCALE.exec(s.slice(i)); scale; scale = ENGLISH_SCALE.exec(s.slice(i))) {
    read = read.times(SCALE_SIZE[scale[1]!.toLowerCase()]!);
    magnitude = true;
    i += scale[0].length;
  }
  const word = matchUnit(s, i);
  if (word && percent) return err('malformed');
  if (word) i = word.end;
  const numberEnd = i;
  // 左右, 的样子 (about), and a sentence's particles written onto it (2300万吧, 3家啊～) belong to the figure, not
  // to a note; a particle only where the answer or its part ends there (3家 哈药集团 keeps its note).
  const around = /^(?:\s*(?:左右|的样子))?(?:(?:吧|呢|啊|呀|哈|哦|嘛|啦|[~～])+(?=$|[\s,，;；:：、。.!！?？(（)）]|\p{Extended_Pictographic}))?/u.exec(s.slice(i));
  if (around) i += around[0].length;
  const value = negative ? read.negated() : read;
  const reading: Reading = { value, magnitude, start: from, numberEnd, end: i };
  if (percent) return ok({ ...reading, unitWord: '百分之', unit: '%' });
  if (!word) return ok(reading);
  // 2.43亿元 names its unit 亿元 (3.5万吨 万吨), so a refusal quotes what was written rather than 元.
  const scale = /[万亿萬億]$/.test(run.text) ? run.text.slice(-1) : '';
  return ok({ ...reading, unitWord: scale + word.word, unit: word.unit });
}

/**
 * The longest stretch of numerals from `from`, without grouping commas. A comma belongs to the number
 * only between digit groups of three (1,960,000); a full-width one only when the group clearly ends there.
 */
function scanRun(s: string, from: number): { text: string; end: number } {
  let text = '';
  let i = from;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c === '百' && s[i + 1] === '分') break;
    // 千瓦时 and 千米 are units, not a thousand: 50000千瓦时 is 50000 of them.
    if (c === '千' && (s[i + 1] === '瓦' || s[i + 1] === '米')) break;
    if (isNumeralChar(c)) {
      text += c;
      i += 1;
    } else if ((c === ',' || c === '，') && isGroupingComma(s, from, i)) {
      i += 1;
    } else if (/\s/.test(c) && text !== '' && /^\s+[万亿萬億]/.test(s.slice(i))) {
      i += /^\s+/.exec(s.slice(i))?.[0].length ?? 1;
    } else if (c === '个' && text !== '' && (s[i + 1] === '亿' || s[i + 1] === '億')) {
      i += 1; // 两个亿 is said for 两亿
    } else break;
  }
  return { text, end: i };
}

function isGroupingComma(s: string, from: number, at: number): boolean {
  const before = s.slice(from, at);
  if (!/(?:^|[^\d.,，])\d{1,3}$/.test(before) && !/[,，]\d{3}$/.test(before)) return false;
  const after = s.slice(at + 1);
  if (s[at] === ',') return /^\d{3}(?!\d)/.test(after);
  return /^\d{3}(?:$|[\s.,，%万亿元块家个户项人吨亩公千度]|左右)/.test(after);
}

function matchUnit(s: string, from: number): { word: string; unit: Unit; end: number } | undefined {
  const spaced = /^\s*/.exec(s.slice(from))?.[0].length ?? 0;
  const at = from + spaced;
  for (const [word, unit] of UNIT_WORDS) {
    if (s.slice(at, at + word.length).toLowerCase() !== word) continue;
    // After a space a unit word must stand alone, so `3 位于城区` keeps 位于 in the note.
    if (spaced === 0 || BOUNDARY.test(s.slice(at + word.length))) return { word, unit, end: at + word.length };
  }
  return undefined;
}

/** The note after the figure, or why the rest shows a second number or unreadable text. */
function readNote(rest: string, afterUnit: boolean, original: string): Result<string | undefined, AnswerErrorCode> {
  if (rest.trim() === '') return ok(undefined);
  const connector = CONNECTOR.exec(rest);
  if (connector && looksLikeFigure(rest.slice(connector[0].length))) return err('several_numbers');
  const separator = SEPARATOR.exec(rest)?.[0] ?? '';
  if (separator === '' && !afterUnit) return err(/^[0-9]/.test(rest) ? 'several_numbers' : 'malformed');
  const paren = /[(（]/.test(separator);
  let note = original.slice(separator.length).trim();
  if (paren) note = note.replace(/[)）]$/, '').trim();
  if (note === '') return ok(undefined);
  // A parenthesised remark may mention numbers (（1-11月累计）); a bare one starting with a figure is a second answer.
  const normalized = normalizeWidth(note);
  const figure = readFigure(normalized, 0);
  const whole = figure?.ok === true && figure.value.end === normalized.length;
  if (whole || (!paren && looksLikeFigure(normalized))) return err('several_numbers');
  return ok(note);
}

/** A number standing on its own at the start: `2.5`, `4家`, `三`, but not `一是` or `十分`. */
function looksLikeFigure(s: string): boolean {
  if (/^[-+负]?[0-9]/.test(s)) return true;
  const figure = readFigure(s, 0);
  return figure?.ok === true && BOUNDARY.test(s.slice(figure.value.end));
}
