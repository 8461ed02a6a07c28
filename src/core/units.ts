import { Decimal } from './decimal.js';

/**
 * The units an indicator may be kept in. Units of one dimension convert exactly into each other
 * (1亿元 = 10000万元); count units (家, 个, 户) are interchangeable, as are the two percentage units.
 */
export const UNITS = ['亿元', '万元', '元', '家', '个', '户', '项', '人', '%', '个百分点'] as const;
export type Unit = (typeof UNITS)[number];

export type Dimension = 'money' | 'count' | 'percent';

interface UnitInfo {
  dimension: Dimension;
  /** How many base units (元 for money, 1 for the others) one of this unit is. */
  factor: Decimal;
}

const UNIT_INFO: Record<Unit, UnitInfo> = {
  亿元: { dimension: 'money', factor: new Decimal('100000000') },
  万元: { dimension: 'money', factor: new Decimal('10000') },
  元: { dimension: 'money', factor: new Decimal(1) },
  家: { dimension: 'count', factor: new Decimal(1) },
  个: { dimension: 'count', factor: new Decimal(1) },
  户: { dimension: 'count', factor: new Decimal(1) },
  项: { dimension: 'count', factor: new Decimal(1) },
  人: { dimension: 'count', factor: new Decimal(1) },
  '%': { dimension: 'percent', factor: new Decimal(1) },
  个百分点: { dimension: 'percent', factor: new Decimal(1) },
};

export function isUnit(value: string): value is Unit {
  return (UNITS as readonly string[]).includes(value);
}

export function dimensionOf(unit: Unit): Dimension {
  return UNIT_INFO[unit].dimension;
}

/** The decimals an indicator is shown with when its file names none: a count is whole (5 家), others 2. */
export function defaultDecimals(unit: Unit): number {
  return dimensionOf(unit) === 'count' ? 0 : 2;
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
