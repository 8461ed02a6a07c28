import type { IndicatorDef } from './domain.js';
import { type MessageKey, translator } from './i18n.js';
import { type Unit, UNITS, isUnit } from './units.js';

/* The unit column of a figures file (CSV or the workbook's 数据 / Figures sheet), as people and exports write it. */

// People write the short forms they use in chat.
const UNIT_SHORTHANDS: Record<string, Unit> = { 亿: '亿元', 万: '万元' };

/*
 * An English workbook writes each unit as English names it (hundred million yuan, firms; an indicator's
 * unit_en, base stations): read back as the unit it names, so the export re-imports.
 */
const ENGLISH_UNITS: ReadonlyMap<string, Unit> = (() => {
  const en = translator('en');
  return new Map(UNITS.flatMap((unit) => [
    [en(`units.${unit}` as MessageKey).toLowerCase(), unit] as const,
    [en(`units_one.${unit}` as MessageKey).toLowerCase(), unit] as const,
  ]));
})();

/** The unit a word names as the bot's English writes units (hundred million yuan, firms, household), if any. */
export function unitNamedInEnglish(word: string): Unit | undefined {
  return ENGLISH_UNITS.get(word.trim().toLowerCase());
}

/** The unit written, undefined for none (the indicator's own), null for one that is not a unit. */
export function parseTableUnit(text: string, indicator?: Pick<IndicatorDef, 'unit' | 'unitEn'>): Unit | undefined | null {
  const unit = (Object.hasOwn(UNIT_SHORTHANDS, text) ? UNIT_SHORTHANDS[text] : undefined) ?? text;
  if (unit === '') return undefined;
  if (isUnit(unit)) return unit;
  const english = unit.toLowerCase();
  if (indicator?.unitEn !== undefined && indicator.unitEn.toLowerCase() === english) return indicator.unit;
  return unitNamedInEnglish(english) ?? null;
}
