import type { Paragraph as ParagraphType, Table as TableType } from 'docx';

/*
 * The few shapes every document of the bot uses, on the `docx` package: a title, headings, body
 * paragraphs in the manner of government documents (仿宋, first-line indent), and a table.
 */

type Docx = typeof import('docx');

/** The docx module, loaded when a document is first written (not with the bot). */
export async function loadDocx(): Promise<Docx> {
  return import('docx');
}

const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };
const TITLE_FONT = { ascii: 'SimSun', eastAsia: '宋体', hAnsi: 'SimSun' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

export function title(docx: Docx, text: string): ParagraphType {
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    spacing: { after: 240 },
    children: [new docx.TextRun({ text, bold: true, size: 40, font: TITLE_FONT })],
  });
}

export function centred(docx: Docx, text: string): ParagraphType {
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    spacing: { after: 240 },
    children: [new docx.TextRun({ text, size: 28, font: BODY_FONT })],
  });
}

export function heading(docx: Docx, text: string, level: 1 | 2 = 1): ParagraphType {
  return new docx.Paragraph({
    heading: level === 1 ? docx.HeadingLevel.HEADING_1 : docx.HeadingLevel.HEADING_2,
    spacing: { before: 240, after: 120 },
    children: [new docx.TextRun({ text, bold: level === 2, size: 32, font: level === 1 ? HEADING_FONT : BODY_FONT, color: '000000' })],
  });
}

/** A body paragraph; `fill` marks a place the bot cannot know, for a person to fill in (highlighted). */
export function body(docx: Docx, text: string, options: { fill?: boolean } = {}): ParagraphType {
  return new docx.Paragraph({
    indent: { firstLine: 640 },
    spacing: { line: 460 },
    children: [new docx.TextRun({ text, size: 32, font: BODY_FONT, ...(options.fill ? { highlight: 'yellow', bold: true } : {}) })],
  });
}

export function image(docx: Docx, png: Buffer, width: number, height: number): ParagraphType {
  return new docx.Paragraph({
    alignment: docx.AlignmentType.CENTER,
    children: [new docx.ImageRun({ type: 'png', data: png, transformation: { width, height } })],
  });
}

/** A plain table: a bold header row, then the rows (all text; numbers already formatted). */
export function table(docx: Docx, header: string[], rows: string[][]): TableType {
  const cell = (text: string, bold: boolean) =>
    new docx.TableCell({
      children: [new docx.Paragraph({ children: [new docx.TextRun({ text, bold, size: 21, font: BODY_FONT })] })],
    });
  return new docx.Table({
    width: { size: 100, type: docx.WidthType.PERCENTAGE },
    rows: [
      new docx.TableRow({ tableHeader: true, children: header.map((text) => cell(text, true)) }),
      ...rows.map((row) => new docx.TableRow({ children: row.map((text) => cell(text, false)) })),
    ],
  });
}

/** Packs sections of paragraphs into a .docx file; its author is the bot, who also last changed it (not "Un-named"). */
export async function pack(docx: Docx, children: (ParagraphType | TableType)[], meta: { title: string; creator: string }): Promise<Buffer> {
  const document = new docx.Document({
    creator: meta.creator,
    lastModifiedBy: meta.creator,
    title: meta.title,
    sections: [{ properties: {}, children }],
  });
  return docx.Packer.toBuffer(document);
}
