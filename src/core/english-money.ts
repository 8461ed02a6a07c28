import { Decimal } from './decimal.js';
import { type MessageKey, type Translate, localeOf } from './i18n.js';
import { type Unit, dimensionOf, unitFactor } from './units.js';

/*
 * English counts in thousands, millions and billions, Chinese in 万 and 亿: "2.43 hundred million yuan" is
 * 2.43 亿元 word for word and no English reader's way of saying 243 million yuan. So an amount of money
 * shown in English is converted to yuan and said in the largest English scale it reaches; so is an amount
 * in a unit that is 万 or 亿 of another (3.5 万吨 is 35,000 tonnes, 2.1 亿千瓦时 210 million kWh).
 */

// Largest first. Billions are the largest: a county's amounts stay far below a trillion (1,000 billion).
const SCALES: ReadonlyArray<{ money: MessageKey; other: MessageKey; size: Decimal }> = [
  { money: 'figure.money_billion', other: 'figure.scaled_billion', size: new Decimal('1e9') },
  { money: 'figure.money_million', other: 'figure.scaled_million', size: new Decimal('1e6') },
];

// A unit of 万 or 亿 of another, not money: the other, which English counts in.
const COUNTED_IN: Partial<Record<Unit, Unit>> = { 万吨: '吨', 万亩: '亩', 万人次: '人次', 亿千瓦时: '千瓦时', 万千瓦时: '千瓦时', 万头: '头', 万只: '只' };

/**
 * `yuan` in the largest scale it reaches, exactly (a division by a power of ten), grouped by thousands:
 * 2430000000 → 2.43 (billion), 243000000 → 243 (million), 5000 → 5,000 (yuan).
 */
export function englishScale(yuan: Decimal): { key: MessageKey; amount: string } {
  const { scale, amount } = scaled(yuan);
  return { key: scale?.money ?? 'figure.money_yuan', amount };
}

/**
 * An amount as an English reader reads it: `value` (a figure as shown, in `unit`) in yuan, millions or
 * billions — 2.43 亿元 → "243 million yuan", 25.15 亿元 → "2.515 billion yuan", 0.5 万元 → "5,000 yuan" —
 * and likewise 3.5 万吨 → "35,000 tonnes". Undefined for a Chinese reader and for a unit that is no multiple
 * of another (家, 吨, %), which keep their unit's word.
 */
export function englishMoney(t: Translate, value: string, unit: Unit): string | undefined {
  if (localeOf(t) !== 'en') return undefined;
  if (dimensionOf(unit) === 'money') {
    const { key, amount } = englishScale(new Decimal(value).times(unitFactor(unit)));
    return t(key, { value: amount });
  }
  const base = COUNTED_IN[unit];
  if (base === undefined) return undefined;
  const { scale, amount } = scaled(new Decimal(value).times(unitFactor(unit)));
  const word = t(`units.${base}`);
  return scale ? t(scale.other, { value: amount, unit: word }) : t('figure.with_unit', { value: amount, unit: word });
}

/** `amount` in the largest scale it reaches, grouped by thousands; no scale below a million. */
function scaled(amount: Decimal): { scale?: (typeof SCALES)[number]; amount: string } {
  const scale = SCALES.find((candidate) => amount.abs().greaterThanOrEqualTo(candidate.size));
  return { scale, amount: grouped((scale ? amount.dividedBy(scale.size) : amount).toFixed()) };
}

/** 1234567.25 → 1,234,567.25 (the digits after the point as they are). */
export function grouped(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}

/** A figure's digits as the reader's language groups them: by thousands in English (14,500), not in Chinese. */
export function readerDigits(t: Translate, value: string): string {
  return localeOf(t) === 'en' ? grouped(value) : value;
}
