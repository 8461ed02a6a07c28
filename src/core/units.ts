import { Decimal } from './decimal.js';

/**
 * The units an indicator may be kept in. Units of one dimension convert exactly into each other
 * (1亿元 = 10000万元, 1万吨 = 10000吨); count units (家, 个, 户) are interchangeable, as are the two
 * percentage units. Beyond money, counts and shares, what other bureaus report: tonnes (grain, steel),
 * mu and hectares (sown and irrigated land), kilometres (roads), visits (人次: tourists, patients), electricity
 * (千瓦时), livestock in head (头: 生猪出栏) and poultry in birds (只).
 */
export const UNITS = [
  '亿元', '万元', '元', '家', '个', '户', '项', '人', '%', '个百分点',
  '万吨', '吨', '万亩', '亩', '公里', '万人次', '人次', '亿千瓦时', '万千瓦时', '千瓦时',
  '公顷', '万头', '头', '万只', '只',
] as const;
export type Unit = (typeof UNITS)[number];

export type Dimension = 'money' | 'count' | 'percent' | 'mass' | 'area' | 'length' | 'visits' | 'energy' | 'livestock' | 'poultry' | 'hectares';

interface UnitInfo {
  dimension: Dimension;
  /** How many base units (元 for money, 吨, 亩, 人次, 千瓦时; 1 for the others) one of this unit is. */
  factor: Decimal;
  /** Its figures are whole numbers: 5 家, 1200 人次, never 2.5. */
  whole?: true;
}

const ONE = new Decimal(1);
const TEN_THOUSAND = new Decimal('10000');
const HUNDRED_MILLION = new Decimal('100000000');

const UNIT_INFO: Record<Unit, UnitInfo> = {
  亿元: { dimension: 'money', factor: HUNDRED_MILLION },
  万元: { dimension: 'money', factor: TEN_THOUSAND },
  元: { dimension: 'money', factor: ONE },
  家: { dimension: 'count', factor: ONE, whole: true },
  个: { dimension: 'count', factor: ONE, whole: true },
  户: { dimension: 'count', factor: ONE, whole: true },
  项: { dimension: 'count', factor: ONE, whole: true },
  人: { dimension: 'count', factor: ONE, whole: true },
  '%': { dimension: 'percent', factor: ONE },
  个百分点: { dimension: 'percent', factor: ONE },
  万吨: { dimension: 'mass', factor: TEN_THOUSAND },
  吨: { dimension: 'mass', factor: ONE },
  万亩: { dimension: 'area', factor: TEN_THOUSAND },
  亩: { dimension: 'area', factor: ONE },
  公里: { dimension: 'length', factor: ONE },
  万人次: { dimension: 'visits', factor: TEN_THOUSAND },
  人次: { dimension: 'visits', factor: ONE, whole: true },
  亿千瓦时: { dimension: 'energy', factor: HUNDRED_MILLION },
  万千瓦时: { dimension: 'energy', factor: TEN_THOUSAND },
  千瓦时: { dimension: 'energy', factor: ONE },
  // A hectare is 15 mu, but a figure in mu is seldom a whole number of hectares: kept apart, so that nothing
  // converts inexactly (3.2万亩 is 2133.33… 公顷).
  公顷: { dimension: 'hectares', factor: ONE },
  // Livestock (生猪出栏) in head, poultry in birds: neither is the other, nor a count of firms.
  万头: { dimension: 'livestock', factor: TEN_THOUSAND },
  头: { dimension: 'livestock', factor: ONE, whole: true },
  万只: { dimension: 'poultry', factor: TEN_THOUSAND },
  只: { dimension: 'poultry', factor: ONE, whole: true },
};

export function isUnit(value: string): value is Unit {
  return (UNITS as readonly string[]).includes(value);
}

export function dimensionOf(unit: Unit): Dimension {
  return UNIT_INFO[unit].dimension;
}

/** Whether the unit's figures are whole numbers (家, 个, 人次): 2.5 of them is refused. */
export function isWholeUnit(unit: Unit): boolean {
  return UNIT_INFO[unit].whole === true;
}

/** The decimals an indicator is shown with when its file names none: a count is whole (5 家), others 2. */
export function defaultDecimals(unit: Unit): number {
  return isWholeUnit(unit) ? 0 : 2;
}

/** Base units per one `unit` (1亿元 → 100000000). */
export function unitFactor(unit: Unit): Decimal {
  return UNIT_INFO[unit].factor;
}

/** Converts exactly between units of one dimension; undefined when the dimensions differ. */
export function convert(value: Decimal, from: Unit, to: Unit): Decimal | undefined {
  if (UNIT_INFO[from].dimension !== UNIT_INFO[to].dimension) return undefined;
  return value.times(UNIT_INFO[from].factor).dividedBy(UNIT_INFO[to].factor);
}
