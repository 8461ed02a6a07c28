import type { Paragraph as ParagraphType, Table as TableType } from 'docx';
import type { Locale } from '../../core/domain.js';

/*
 * The few shapes every document of the bot uses, on the `docx` package, laid out as GB/T 9704-2012
 * (党政机关公文格式) lays out an official document, since directors forward the 通报 and the draft as
 * such: A4 with a 156 × 225 mm text block, a 2号 方正小标宋简体 title, 3号 仿宋_GB2312 body text
 * indented two characters, 22 lines a page and 28 characters a line, headings in 黑体 / 楷体_GB2312 /
 * bold 仿宋 by level, and "— 1 —" page numbers in 4号 宋体, outside on odd and even pages.
 * An English document keeps the layout, in Times New Roman.
 */

type Docx = typeof import('docx');

/** The docx module and the language of the document being written (its fonts follow it). */
export interface DocxKit {
  docx: Docx;
  locale: Locale;
}

/** The docx module, loaded when a document is first written (not with the bot). */
export async function loadDocx(locale: Locale): Promise<DocxKit> {
  return { docx: await import('docx'), locale };
}

// Latin letters and digits are Times New Roman in both languages; the Chinese fonts are the standard's.
const LATIN = 'Times New Roman';
const chinese = (eastAsia: string) => ({ ascii: LATIN, hAnsi: LATIN, cs: LATIN, eastAsia });
/*
 * An English document is Times New Roman throughout; the Chinese names it holds (the bureau, 报数助手)
 * need a font with Chinese characters, which Times New Roman has not: 宋体 for those only.
 */
const ENGLISH = { ascii: LATIN, hAnsi: LATIN, cs: LATIN, eastAsia: '宋体' };
const FONTS = {
  'zh-CN': { title: chinese('方正小标宋简体'), body: chinese('仿宋_GB2312'), heading1: chinese('黑体'), heading2: chinese('楷体_GB2312') },
  en: { title: ENGLISH, body: ENGLISH, heading1: ENGLISH, heading2: ENGLISH },
} as const;
// Page numbers are 半角宋体 digits with a 一字线 (em dash) each side, all of it in 宋体 (English: Times).
const PAGE_NUMBER_FONT = { 'zh-CN': { ascii: '宋体', hAnsi: '宋体', cs: '宋体', eastAsia: '宋体' }, en: ENGLISH } as const;

/** Sizes in half-points, as w:sz has them: 2号 22 pt, 3号 16 pt, 4号 14 pt, 小四 12 pt. */
const SIZE = { title: 44, body: 32, pageNumber: 28, table: 24 } as const;

/** Twips (1/20 pt) of a length in millimetres, as Word stores margins. */
export function mm(value: number): number {
  return Math.round((value * 1440) / 25.4);
}

/** A4, and the standard's margins: 天头 37 mm, bottom 35 mm, 订口 (left) 28 mm, right 26 mm — a 156 × 225 mm text block. */
export const PAGE = { width: mm(210), height: mm(297), top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) } as const;
/*
 * 22 lines in the 225 mm (637.8 pt) block: an exact line of 28.95 pt (579 twips), the usual practice;
 * 22 × 579 = 12738 twips fits the 12756 of the block, 23 would not.
 */
export const LINE = 579;
/*
 * 28 characters of 3号 in the 156 mm (442.2 pt) line: Word's character grid, 16 pt less 842/4096 pt a
 * character (15.79 pt; 28 of them are 442.2 pt). Text of another size (a table's) opts out of the grid, or
 * Word would space its characters to the 3号 pitch.
 */
const CHAR_SPACE = -842;
/** One character of 3号 (16 pt), in twips: the indents are counted in characters. */
const CHAR = 320;
/*
 * The page number's line begins 7 mm below the text block (35 mm from the page's foot): Word measures
 * the footer from the foot to the line's bottom, so 28 mm less the line (about 18 pt of 4号).
 */
const FOOTER = mm(28) - 360;
/** The text block's width in the pixels (96 a inch) the `docx` package sizes a picture in. */
const TEXT_WIDTH_PX = Math.floor(((PAGE.width - PAGE.left - PAGE.right) / 1440) * 96);

function fonts(kit: DocxKit) {
  return FONTS[kit.locale];
}

/** Every line of text on the 28.95 pt grid; a picture's paragraph cannot be (an exact line would crop it). */
function exact(kit: DocxKit) {
  return { line: LINE, lineRule: kit.docx.LineRuleType.EXACT, before: 0, after: 0 };
}

/** Two characters in on the first line, as body text (Word reads firstLineChars; 640 twips for a reader that cannot). */
const INDENT = { firstLine: 2 * CHAR, firstLineChars: 200 };

/** The title: 2号 小标宋, centred, not bold (小标宋 is heavy already; an English title is bold), a line below it. */
export function title(kit: DocxKit, text: string): ParagraphType {
  const { docx } = kit;
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    spacing: { ...exact(kit), after: LINE },
    children: [new docx.TextRun({ text, bold: kit.locale === 'en', size: SIZE.title, font: fonts(kit).title })],
  });
}

/** A centred line of body text: the date under the title, a subtitle, a table's title. */
export function centred(kit: DocxKit, text: string): ParagraphType {
  const { docx } = kit;
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    spacing: exact(kit),
    children: [new docx.TextRun({ text, size: SIZE.body, font: fonts(kit).body })],
  });
}

/**
 * A heading, numbered by its text: 一、 (level 1) 黑体, （一） (level 2) 楷体_GB2312, 1. (level 3) bold 仿宋
 * (English: bold, italic, bold). An ordinary paragraph indented like body text, as government documents
 * have it (no Word heading style, with its colour and spacing); its outline level keeps Word's navigation.
 */
export function heading(kit: DocxKit, text: string, level: 1 | 2 | 3 = 1): ParagraphType {
  const { docx } = kit;
  const english = kit.locale === 'en';
  const font = level === 1 ? fonts(kit).heading1 : level === 2 ? fonts(kit).heading2 : fonts(kit).body;
  return new docx.Paragraph({
    outlineLevel: level - 1,
    keepNext: true,
    indent: INDENT,
    spacing: exact(kit),
    children: [new docx.TextRun({
      text, size: SIZE.body, font, bold: level === 3 || (english && level === 1), italics: english && level === 2,
    })],
  });
}

/** A line's width in characters of 3号, as the standard counts them: a Latin letter or digit is half a character. */
function widthInChars(text: string): number {
  return [...text].reduce((sum, char) => sum + (/[\x20-\x7e]/.test(char) ? 0.5 : 1), 0);
}

/**
 * The 落款 of a document issued without a seal (GB/T 9704-2012, 7.3.5.2): a blank line under the text, the
 * issuing body's name 2 characters in from the right, and under it the date, its first character 2 to the
 * right of the name's; a date longer than that would allow is put 2 in from the right, the name moved to
 * keep the step. An English document sets both flush right.
 */
export function signature(kit: DocxKit, name: string, date: string): ParagraphType[] {
  const { docx } = kit;
  const line = (text: string, charsFromRight: number) =>
    new docx.Paragraph({
      alignment: docx.AlignmentType.RIGHT,
      indent: { right: Math.round(charsFromRight * CHAR) },
      spacing: exact(kit),
      children: [new docx.TextRun({ text, size: SIZE.body, font: fonts(kit).body })],
    });
  if (kit.locale === 'en') return [centred(kit, ''), line(name, 0), line(date, 0)];
  const nameWidth = widthInChars(name);
  const dateWidth = widthInChars(date);
  const dateRight = Math.max(2, nameWidth - dateWidth);
  const nameRight = dateRight + dateWidth + 2 - nameWidth;
  return [centred(kit, ''), line(name, nameRight), line(date, dateRight)];
}

/** A body paragraph; `fill` marks a place the bot cannot know, for a person to fill in (highlighted). */
export function body(kit: DocxKit, text: string, options: { fill?: boolean } = {}): ParagraphType {
  const { docx } = kit;
  return new docx.Paragraph({
    indent: INDENT,
    spacing: exact(kit),
    children: [new docx.TextRun({ text, size: SIZE.body, font: fonts(kit).body, ...(options.fill ? { highlight: 'yellow', bold: true } : {}) })],
  });
}

/** A picture, centred, shrunk to the text block's width when wider (a chart of 600 px would overhang 156 mm). */
export function image(kit: DocxKit, png: Buffer, width: number, height: number): ParagraphType {
  const { docx } = kit;
  const scale = Math.min(1, TEXT_WIDTH_PX / width);
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    children: [new docx.ImageRun({ type: 'png', data: png, transformation: { width: Math.round(width * scale), height: Math.round(height * scale) } })],
  });
}

/** A plain table as wide as the text: a bold header row, then the rows (all text; numbers already formatted), in 小四. */
export function table(kit: DocxKit, header: string[], rows: string[][]): TableType {
  const { docx } = kit;
  const cell = (text: string, bold: boolean) =>
    new docx.TableCell({
      children: [new docx.Paragraph({
        alignment: bold ? docx.AlignmentType.CENTER : undefined,
        // A fixed 18 pt line for 小四: on the page's 28.95 pt grid a cell's every line would be one grid line tall.
        spacing: { line: 360, lineRule: docx.LineRuleType.EXACT },
        children: [new docx.TextRun({ text, bold, size: SIZE.table, font: fonts(kit).body, snapToGrid: false })],
      })],
    });
  return new docx.Table({
    width: { size: 100, type: docx.WidthType.PERCENTAGE },
    rows: [
      new docx.TableRow({ tableHeader: true, children: header.map((text) => cell(text, true)) }),
      ...rows.map((row) => new docx.TableRow({ children: row.map((text) => cell(text, false)) })),
    ],
  });
}

/** "— 1 —" in the footer: odd pages right, even pages left, one character in from the edge of the text. */
function pageNumberFooter(kit: DocxKit, side: 'odd' | 'even') {
  const { docx } = kit;
  const indent = 280; // one 4号 character (14 pt)
  return new docx.Footer({
    children: [new docx.Paragraph({
      alignment: side === 'odd' ? docx.AlignmentType.RIGHT : docx.AlignmentType.LEFT,
      indent: side === 'odd' ? { right: indent } : { left: indent },
      children: [new docx.TextRun({
        children: ['— ', docx.PageNumber.CURRENT, ' —'], size: SIZE.pageNumber, font: PAGE_NUMBER_FONT[kit.locale], snapToGrid: false,
      })],
    })],
  });
}

/** Packs sections of paragraphs into a .docx file; its author is the bot, who also last changed it (not "Un-named"). */
export async function pack(kit: DocxKit, children: (ParagraphType | TableType)[], meta: { title: string; creator: string }): Promise<Buffer> {
  const { docx } = kit;
  const document = new docx.Document({
    creator: meta.creator,
    lastModifiedBy: meta.creator,
    title: meta.title,
    // Odd and even pages carry their page numbers on opposite sides.
    evenAndOddHeaderAndFooters: true,
    // The normal text (the character grid's reference too) is 3号 body text; Chinese punctuation in Chinese fonts.
    styles: {
      default: {
        document: {
          run: {
            size: SIZE.body, font: fonts(kit).body,
            language: kit.locale === 'en' ? { value: 'en-GB' } : { value: 'en-US', eastAsia: 'zh-CN' },
          },
        },
      },
    },
    sections: [{
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, footer: FOOTER },
        },
        grid: { type: docx.DocumentGridType.LINES_AND_CHARS, linePitch: LINE, charSpace: CHAR_SPACE },
      },
      footers: { default: pageNumberFooter(kit, 'odd'), even: pageNumberFooter(kit, 'even') },
      children,
    }],
  });
  return docx.Packer.toBuffer(document);
}
