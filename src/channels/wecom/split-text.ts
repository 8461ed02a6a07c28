import { type TextMeasure, splitLines } from '../split-lines.js';

/** WeCom's limit for a text message's content: 2,048 bytes of UTF-8 (WeCom cuts off what goes beyond). */
export const WECOM_TEXT_BYTES = 2048;

/**
 * The longest text, in JavaScript characters, that always fits in one message: a UTF-16 code unit is at
 * most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4), so 682 characters of Chinese are 2,046 bytes.
 */
export const WECOM_TEXT_LENGTH = Math.floor(WECOM_TEXT_BYTES / 3);

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** Bytes of UTF-8; a cut falls between whole code points. */
const UTF8: TextMeasure = {
  size: byteLength,
  cut(line, maxBytes) {
    let bytes = 0;
    let index = 0;
    for (const char of line) {
      bytes += byteLength(char);
      if (bytes > maxBytes) break;
      index += char.length;
    }
    return index > 0 ? index : [...line][0]!.length;
  },
};

/** Splits a text into chunks of at most `maxBytes` of UTF-8, at line breaks where possible, never inside a character. */
export function splitUtf8(text: string, maxBytes = WECOM_TEXT_BYTES): string[] {
  return splitLines(text, maxBytes, UTF8);
}
