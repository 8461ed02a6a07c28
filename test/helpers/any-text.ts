import fc from 'fast-check';

/*
 * Text as people (and scripts, and broken clients) send it: numerals and units in random combinations,
 * commands, indicator names, emoji, control characters, NUL, bidi marks, lone and paired surrogates,
 * SQL-looking text, and now and then a very long line; mixed with arbitrary Unicode.
 */

const FRAGMENTS = [
  // numerals and units
  '19.6', '5', '0', '-3', '+2', '1,960', '0.55', '１２．５', '两千三百万', '三', '十二', '零点五', '百分之八', '1e5', '99999999999999999999',
  '亿', '万', '元', '亿元', '万元', '家', '个', '%', '个百分点', '左右', '约', '累计', '新增',
  // commands and control words
  '/report', '/start', '/start ABC234', '/help', '/export 2020', '绑定 K7P2QX', '确认', '取消', '跳过', '上一项', '是', '否', '1', '2', 'help', '?',
  // questions and names
  '工业投资', '规上工业总产值', '5G基站建设', 'R&D', '完成率', '序时进度', '2020年', '9月', '谁没报', '导出', '王明', '运行监测股',
  // what breaks things
  '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u00ad', '\u200b', '\u200d', '\u200e', '\u200f', '\u202e', '\u202c', '\u2066', '\u2069', '\u061c', '\ufeff', '\ufffd', '\uffff',
  '\ud800', '\udfff', '\ud83d', '😀', '👨‍👩‍👧', '🇨🇳', '\r\n', '\r', '\n', '\t', '\u2028', '\u3000', ' ',
  "'; DROP TABLE submission; --", '" OR 1=1 --', '$$', '\\x00', '%s%n', '${process.env}', '<b>x</b>', '\\', '`',
];

/** One message: fragments and arbitrary Unicode (lone surrogates included) in random order; rarely thousands long. */
export const anyMessage: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 500, max: 6000 }), fc.constantFrom('', '\n', '\u0000'))
      .map(([part, length, tail]) => part.repeat(Math.ceil(length / Math.max(part.length, 1))).slice(0, length) + tail),
  },
);

const UNPRINTABLE = /[\0-\x09\x0B-\x1F\x7F-\x9F\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** Whether `text` holds only what may be stored and shown: no control but the line break, no bidi control, no lone surrogate. */
export function isPrintable(text: string): boolean {
  return !UNPRINTABLE.test(text);
}
