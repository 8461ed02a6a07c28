import { Decimal } from './decimal.js';
import { err, ok, type Result } from './result.js';

/** Why a run of numerals is not one number. */
export type NumeralError = 'malformed' | 'several_numbers';

/** A number read from numerals; `magnitude` says 万 or 亿 was written, i.e. it counts base units (元). */
export interface Numeral {
  value: Decimal;
  magnitude: boolean;
}

const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2, 三: 3, 叁: 3, 參: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 陸: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };
const BIG_LEVELS = [1e8, 1e4];

const has = (table: Readonly<Record<string, number>>, c: string | undefined): c is string =>
  c !== undefined && Object.prototype.hasOwnProperty.call(table, c);

/** True for every character that may appear inside a written number (digits, multipliers, points). */
export function isNumeralChar(c: string | undefined): boolean {
  return c !== undefined && (/[0-9.点]/.test(c) || has(DIGITS, c) || has(SMALL, c) || has(BIG, c));
}

/** True for a character a number may begin with: a digit, or 十 as in 十二. */
export function isNumeralStart(c: string | undefined): boolean {
  return c !== undefined && (/[0-9]/.test(c) || has(DIGITS, c) || c === '十' || c === '拾');
}

type Token =
  | { kind: 'digit'; value: Decimal; single: boolean; zero: boolean; chinese: boolean }
  | { kind: 'small' | 'big'; mult: number };
type DigitToken = Extract<Token, { kind: 'digit' }>;

/** Reads a run of Arabic and/or Chinese numerals (no sign, no separators): 十九点六亿, 2千3百万, 两万三. */
export function parseNumeral(text: string): Result<Numeral, NumeralError> {
  if (text.includes('点')) return parseWithPoint(text);
  const tokens = tokenize(text);
  if (!tokens.ok) return tokens;
  const magnitude = tokens.value.some((t) => t.kind === 'big');
  const digitsOnly = tokens.value.every((t) => t.kind === 'digit' && t.chinese);
  if (digitsOnly && tokens.value.length >= 2) return positional(tokens.value as DigitToken[]);
  const value = parseGroup(tokens.value, BIG_LEVELS);
  return value.ok ? ok({ value: value.value, magnitude }) : value;
}

function tokenize(text: string): Result<Token[], NumeralError> {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text.charAt(i);
    if (/[0-9.]/.test(c)) {
      const arabic = /^\d+(?:\.\d+)?/.exec(text.slice(i))?.[0];
      if (arabic === undefined || text.charAt(i + arabic.length) === '.') return err('malformed');
      tokens.push({ kind: 'digit', value: new Decimal(arabic), single: /^\d$/.test(arabic), zero: false, chinese: false });
      i += arabic.length;
      continue;
    }
    if (has(DIGITS, c)) {
      const d = DIGITS[c] ?? 0;
      tokens.push({ kind: 'digit', value: new Decimal(d), single: true, zero: d === 0, chinese: true });
    } else if (has(SMALL, c)) tokens.push({ kind: 'small', mult: SMALL[c] ?? 0 });
    else if (has(BIG, c)) tokens.push({ kind: 'big', mult: BIG[c] ?? 0 });
    else return err('malformed');
    i += 1;
  }
  return tokens.length > 0 ? ok(tokens) : err('malformed');
}

// 二〇二〇 and 一九六 are read digit by digit, but two bare digits side by side (三四, 七八) is the
// idiom for "three or four", not thirty-four.
function positional(tokens: DigitToken[]): Result<Numeral, NumeralError> {
  if (tokens.length === 2 && tokens.every((t) => !t.zero)) return err('several_numbers');
  return ok({ value: new Decimal(tokens.map((t) => t.value.toFixed()).join('')), magnitude: false });
}

// 十九点六亿: the integer part, then fraction digits, then multipliers that scale the whole.
function parseWithPoint(text: string): Result<Numeral, NumeralError> {
  const [left = '', right = '', ...more] = text.split('点');
  const digitChars = `0-9${Object.keys(DIGITS).join('')}`;
  const multChars = Object.keys(SMALL).concat(Object.keys(BIG)).join('');
  const fraction = new RegExp(`^([${digitChars}]+)([${multChars}]*)$`).exec(right);
  if (more.length > 0 || left === '' || !fraction) return err('malformed');
  const whole = parseNumeral(left);
  if (!whole.ok) return whole;
  if (whole.value.magnitude || !whole.value.value.isInteger()) return err('malformed');
  const digits = Array.from(fraction[1] ?? '', (c) => (has(DIGITS, c) ? String(DIGITS[c]) : c)).join('');
  const mults = Array.from(fraction[2] ?? '');
  if (new Set(mults).size !== mults.length) return err('malformed');
  let value = new Decimal(`${whole.value.value.toFixed()}.${digits}`);
  for (const m of mults) value = value.times(SMALL[m] ?? BIG[m] ?? 1);
  return ok({ value, magnitude: mults.some((m) => has(BIG, m)) });
}

// Splits at the last 亿, then the last 万: left × level + the rest, the rest below the level.
function parseGroup(tokens: Token[], levels: number[]): Result<Decimal, NumeralError> {
  const [level, ...lower] = levels;
  if (level === undefined) return parseSmall(tokens);
  const at = tokens.findLastIndex((t) => t.kind === 'big' && t.mult === level);
  if (at < 0) return parseGroup(tokens, lower);
  const left = parseGroup(tokens.slice(0, at), lower);
  if (!left.ok) return left;
  const head = left.value.times(level);
  let rest = tokens.slice(at + 1);
  if (rest.length === 0) return ok(head);
  if (!left.value.isInteger()) return err('malformed');
  const first = rest[0];
  // 两万三 = 23000, 一亿二 = 1.2亿: a lone digit after the multiplier is the next place down.
  if (rest.length === 1 && first?.kind === 'digit' && first.single && !first.zero) {
    return ok(head.plus(first.value.times(level / 10)));
  }
  while (rest[0]?.kind === 'digit' && rest[0].zero) rest = rest.slice(1);
  const tail = parseGroup(rest, lower);
  if (!tail.ok) return tail;
  return tail.value.gte(level) ? err('malformed') : ok(head.plus(tail.value));
}

// Below 万: digits times 千/百/十, each multiplier smaller than the one before.
function parseSmall(tokens: Token[]): Result<Decimal, NumeralError> {
  if (tokens.length === 0) return err('malformed');
  let total = new Decimal(0);
  let pending: DigitToken | undefined;
  let last = Infinity;
  let zero = false;
  for (const t of tokens) {
    if (t.kind === 'big') return err('malformed');
    if (t.kind === 'digit') {
      if (t.zero) {
        if (pending) return err('malformed');
        zero = true;
      } else if (pending) return err('several_numbers');
      else pending = t;
      continue;
    }
    const n = pending?.value ?? (t.mult === 10 ? new Decimal(1) : undefined);
    if (n === undefined || t.mult >= last) return err('malformed');
    const part = n.times(t.mult);
    if (part.gte(last) || (!n.isInteger() && !total.isZero())) return err('malformed');
    total = total.plus(part);
    last = t.mult;
    pending = undefined;
    zero = false;
  }
  if (!pending) return ok(total);
  // 三千五 = 3500, 三百五 = 350; 一百零五 (with 零) and 二十五 are read as written.
  if (!zero && (last === 100 || last === 1000) && pending.single) {
    return ok(total.plus(pending.value.times(last / 10)));
  }
  if (last !== Infinity && (pending.value.gte(last) || !pending.value.isInteger())) return err('malformed');
  return ok(total.plus(pending.value));
}
