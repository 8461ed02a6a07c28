import { type MessageKey, type MessageParams, type Translate, joinList } from './i18n.js';

/*
 * A problem found in something an administrator wrote (the organisation file, a figures table) is a code
 * and plain values, never a finished sentence: the sentence is chosen at the edge, in the reader's language.
 */

/** The values of a problem's sentence; a list is joined the reader's way (亿元、万元 / 亿元, 万元). */
export type ProblemParams = Readonly<Record<string, string | number | readonly string[]>>;

/** The sentence of `key` with `params` filled in, lists joined with the locale's separator. */
export function problemSentence(t: Translate, key: MessageKey, params: ProblemParams): string {
  const plain: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    plain[name] = typeof value === 'object' ? joinList(t, value) : value;
  }
  return t(key, plain);
}
