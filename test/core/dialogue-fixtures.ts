import { dec } from '../../src/core/decimal.js';
import { stepDialogue } from '../../src/core/dialogue/engine.js';
import type { DialogueContext, DialogueItem, DialogueStep } from '../../src/core/dialogue/types.js';
import type { IndicatorDef, Locale } from '../../src/core/domain.js';
import { translator } from '../../src/core/i18n.js';

const indicator = (def: Omit<IndicatorDef, 'sectionKey' | 'aliases'>): IndicatorDef => ({ sectionKey: 'monitoring', aliases: [], ...def });

export const investment = indicator({
  key: 'industrial_investment', name: '工业投资', nameEn: 'Industrial investment',
  kind: 'cumulative', unit: '亿元', decimals: 2, min: dec(0), max: dec(1000),
});
export const techUpgrade = indicator({
  key: 'tech_upgrade_investment', name: '工业技改投资', nameEn: 'Tech-upgrade investment', kind: 'cumulative', unit: '亿元', decimals: 2,
});
export const newFirms = indicator({
  key: 'new_above_scale_firms', name: '新增规上企业', nameEn: 'New above-scale firms', kind: 'increment', unit: '家', decimals: 0,
});
export const rdShare = indicator({
  key: 'rd_share', name: 'R&D经费占GDP比重', nameEn: 'R&D spending as a share of GDP', kind: 'level', unit: '%', decimals: 2,
  min: dec(0), max: dec(100),
});
export const sites5g = indicator({
  key: 'sites_5g', name: '5G基站建设', nameEn: '5G base stations', kind: 'increment', unit: '个', decimals: 0,
});

export const NOVEMBER = { year: 2026, month: 11 };
export const OCTOBER = { year: 2026, month: 10 };

/** Three items of the reporting example in docs/product.md, with October's figures. */
export function threeItems(): DialogueItem[] {
  return [
    { indicator: investment, previous: { period: OCTOBER, value: dec('18.2') } },
    { indicator: techUpgrade, previous: { period: OCTOBER, value: dec('2.05') } },
    { indicator: newFirms, previous: { period: OCTOBER, value: dec(2) } },
  ];
}

/** 王股长 reporting November 2026 (deadline 30 November) unless told otherwise. */
export function context(overrides: Partial<DialogueContext> = {}): DialogueContext {
  const locale: Locale = overrides.locale ?? 'zh-CN';
  return {
    period: NOVEMBER,
    deadline: { year: 2026, month: 11, day: 30 },
    items: threeItems(),
    memberName: '王明',
    greetingName: locale === 'en' ? 'Mr Wang' : '王股长',
    locale,
    t: translator(locale),
    ...overrides,
  };
}

/** Sends the messages one after another and returns every step. */
export function conversation(ctx: DialogueContext, first: DialogueStep, ...texts: string[]): DialogueStep[] {
  const steps = [first];
  for (const text of texts) steps.push(stepDialogue(steps[steps.length - 1]!.state, text, ctx));
  return steps;
}

/** The last step of a conversation. */
export function after(ctx: DialogueContext, first: DialogueStep, ...texts: string[]): DialogueStep {
  return conversation(ctx, first, ...texts).at(-1)!;
}

/** The figures of the step's submit effect as plain strings. */
export function submitted(step: DialogueStep): { key: string; value: string; note?: string }[] {
  const effect = step.effects[0];
  if (!effect) return [];
  return effect.figures.map((f) => (f.note === undefined ? { key: f.key, value: f.value.toFixed() } : { key: f.key, value: f.value.toFixed(), note: f.note }));
}
