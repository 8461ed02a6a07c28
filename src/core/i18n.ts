import en from '../../locales/en.json' with { type: 'json' };
import zhCN from '../../locales/zh-CN.json' with { type: 'json' };
import type { Locale } from './domain.js';

/*
 * Every sentence a user sees comes from locales/. zh-CN is the reference: its keys are the type of every
 * message key, and a test checks that en has exactly the same keys and placeholders.
 */

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<typeof zhCN>;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

type Catalogue = { [key: string]: string | Catalogue };
const CATALOGUES: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en };

function lookup(catalogue: Catalogue, key: string): string | undefined {
  let node: string | Catalogue | undefined = catalogue;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

const LOCALE_OF = new WeakMap<Translate, Locale>();

/**
 * A template split at its placeholders: `texts` has one more item than `names`. A placeholder may be a
 * plural choice, `{count|item|items}`: the first word when the value is 1, the second otherwise (English
 * writes `{count} {count|item|items}`; Chinese needs none).
 */
interface Compiled {
  texts: string[];
  names: string[];
  forms: Array<[one: string, other: string] | undefined>;
}

function compile(template: string): Compiled {
  const texts: string[] = [];
  const names: string[] = [];
  const forms: Compiled['forms'] = [];
  let from = 0;
  for (const match of template.matchAll(/\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g)) {
    texts.push(template.slice(from, match.index));
    names.push(match[1]!);
    forms.push(match[2] === undefined ? undefined : [match[2], match[3]!]);
    from = match.index + match[0].length;
  }
  texts.push(template.slice(from));
  return { texts, names, forms };
}

// Templates split once per locale and key: a chat turn says a dozen sentences.
const COMPILED: Record<Locale, Map<string, Compiled>> = { 'zh-CN': new Map(), en: new Map() };

function compiled(locale: Locale, key: string): Compiled {
  let known = COMPILED[locale].get(key);
  if (!known) {
    const template = lookup(CATALOGUES[locale], key) ?? lookup(CATALOGUES['zh-CN'], key);
    if (template === undefined) return compile(key);
    COMPILED[locale].set(key, (known = compile(template)));
  }
  return known;
}

/** A translator for one locale; a missing placeholder value shows as `{name}` rather than vanishing. */
export function translator(locale: Locale): Translate {
  const t: Translate = (key, params = {}) => {
    const { texts, names, forms } = compiled(locale, key);
    let text = texts[0]!;
    for (let i = 0; i < names.length; i += 1) {
      const value = params[names[i]!];
      const form = forms[i];
      const shown = value === undefined ? `{${names[i]}}` : form ? form[Number(value) === 1 ? 0 : 1] : String(value);
      text += shown + texts[i + 1]!;
    }
    return text;
  };
  LOCALE_OF.set(t, locale);
  return t;
}

/** The locale a translator speaks, for the few words the organisation file gives per language (`unit_en`). */
export function localeOf(t: Translate): Locale | undefined {
  return LOCALE_OF.get(t);
}

/** Every key of a catalogue, flattened (`progress.line`), for the completeness test. */
export function catalogueKeys(locale: Locale): string[] {
  const walk = (node: Catalogue, prefix: string): string[] =>
    Object.entries(node).flatMap(([key, value]) =>
      typeof value === 'string' ? [`${prefix}${key}`] : walk(value, `${prefix}${key}.`),
    );
  return walk(CATALOGUES[locale], '');
}

/** The raw template of a key, for the placeholder test. */
export function template(locale: Locale, key: string): string | undefined {
  return lookup(CATALOGUES[locale], key);
}

/** Items joined as a sentence lists them: 、 in Chinese, a comma in English. */
export function joinList(t: Translate, items: readonly string[]): string {
  return items.join(t('list.separator'));
}
