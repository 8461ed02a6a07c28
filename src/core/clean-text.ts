/*
 * What a person typed, made safe to store and to quote back, once, where a message from any channel
 * enters the application (docs/architecture.md, The life of one message). PostgreSQL refuses NUL in text
 * and JSON; a lone surrogate is no character at all; control and bidi-override characters print as
 * nothing or turn a quoted answer around. None of them can be part of a figure or a question.
 */

/** The longest message the bot reads, in code points; the rest is cut off (no answer or question is this long). */
export const MAX_INCOMING_LENGTH = 500;

// Line and paragraph separators read as line breaks; carriage returns too (Windows and old Mac line ends).
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;
// Tabs, vertical tabs and form feeds space words apart.
const SPACES = /[\t\v\f]/g;
// Every other control character (C0 but the line break, DEL, C1; NUL among them), lone surrogate halves, the bidi embeddings, overrides,
// isolates and marks, and the byte-order mark.
const UNPRINTABLE = /[\0-\x09\x0B-\x1F\x7F-\x9F\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/**
 * `text` with line ends made `\n`, tabs made spaces, and every unprintable character removed, cut to
 * `maxLength` code points (never inside a surrogate pair). Idempotent.
 */
export function cleanIncomingText(text: string, maxLength = MAX_INCOMING_LENGTH): string {
  const printable = text
    .replace(LINE_BREAKS, '\n')
    .replace(SPACES, ' ')
    .replace(UNPRINTABLE, '');
  return cutCodePoints(printable, maxLength);
}

function cutCodePoints(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let units = 0;
  let count = 0;
  for (const char of text) {
    if (count === maxLength) break;
    units += char.length;
    count += 1;
  }
  return text.slice(0, units);
}
