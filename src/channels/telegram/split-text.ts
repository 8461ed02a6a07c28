import { type TextMeasure, splitLines } from '../split-lines.js';

/** Telegram's limit for one message's text (UTF-16 code units, which is what JS string length counts). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** UTF-16 code units, which is what JS string length counts; a cut never falls inside a surrogate pair. */
const UTF16: TextMeasure = {
  size: (text) => text.length,
  cut(line, limit) {
    const code = line.charCodeAt(limit - 1);
    const endsOnHighSurrogate = code >= 0xd800 && code <= 0xdbff;
    return endsOnHighSurrogate ? limit - 1 : limit;
  },
};

/** Splits a text into chunks of at most `limit`, at line breaks where possible, never inside a surrogate pair. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  return splitLines(text, limit, UTF16);
}
