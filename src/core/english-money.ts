import { Decimal } from './decimal.js';
import { type MessageKey, type Translate, localeOf } from './i18n.js';
import { type Unit, dimensionOf, unitFactor } from './units.js';

/*
 * English counts money in thousands, millions and billions, Chinese in 万 and 亿: "2.43 hundred million
 * yuan" is 2.43 亿元 word for word and no English reader's way of saying 243 million yuan. So an amount of
 * money shown in English is converted to yuan and said in the largest English scale it reaches.
 */

// Largest first. Billions are the largest: a county's amounts stay far below a trillion (1,000 billion).
const SCALES: ReadonlyArray<{ key: MessageKey; size: Decimal }> = [
  { key: 'figure.money_billion', size: new Decimal('1e9') },
  { key: 'figure.money_million', size: new Decimal('1e6') },
];

/**
 * `yuan` in the largest scale it reaches, exactly (a division by a power of ten), grouped by thousands:
 * 2430000000 → 2.43 (billion), 243000000 → 243 (million), 5000 → 5,000 (yuan).
 */
export function englishScale(yuan: Decimal): { key: MessageKey; amount: string } {
  const scale = SCALES.find((candidate) => yuan.abs().greaterThanOrEqualTo(candidate.size));
  return { key: scale?.key ?? 'figure.money_yuan', amount: grouped((scale ? yuan.dividedBy(scale.size) : yuan).toFixed()) };
}

/**
 * An amount of money as an English reader reads it: `value` (a figure as shown, in `unit`) in yuan,
 * millions or billions — 2.43 亿元 → "243 million yuan", 25.15 亿元 → "2.515 billion yuan", 0.5 万元 →
 * "5,000 yuan". Undefined for a Chinese reader and for a unit not of money, which keep their unit's word.
 */
export function englishMoney(t: Translate, value: string, unit: Unit): string | undefined {
  if (localeOf(t) !== 'en' || dimensionOf(unit) !== 'money') return undefined;
  const { key, amount } = englishScale(new Decimal(value).times(unitFactor(unit)));
  return t(key, { value: amount });
}

/** 1234567.25 → 1,234,567.25 (the digits after the point as they are). */
function grouped(text: string): string {
  const [whole = '', fraction] = text.split('.');
  const digits = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? digits : `${digits}.${fraction}`;
}
