import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact decimal arithmetic for every figure the product stores or computes. Its own constructor so that
 * precision and rounding (half up, as the seed report rounds) never depend on another module's settings.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export type DecimalInput = Decimal | string | number;

export const dec = (value: DecimalInput): Decimal => new Decimal(value);

/** Rounds half up to `places` and drops trailing zeros: 119.760 → "119.76", 81.00 → "81". */
export function formatDecimal(value: Decimal, places: number): string {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed();
}

/**
 * Whether the database can keep a figure exactly: its columns are NUMERIC(30, 10), so at most 20 digits
 * before the point and 10 after. Anything else is refused where it enters, never rounded or overflowed.
 */
export function fitsStorage(value: Decimal): boolean {
  return value.abs().lessThan('1e20') && value.decimalPlaces() <= 10;
}
