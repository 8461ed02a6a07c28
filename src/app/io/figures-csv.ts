import {
  FIGURE_HEADERS_EN,
  type FigureExportRow,
  type FigureHeaders,
  type FigureTableRow,
  type TableProblem,
  type TableRecord,
  figureExportCells,
  figureHeaderCells,
  figureTableRows,
} from '../../core/figures-table.js';
import { type Result, err, ok } from '../../core/result.js';

const BOM = '\uFEFF';

/**
 * Reads a figures CSV (RFC 4180, optional UTF-8 BOM, LF or CRLF) into keyed rows with their line numbers.
 * Blank lines and lines starting with `#` are skipped; the first remaining line is the header.
 */
export function readFiguresCsv(text: string): Result<FigureTableRow[], TableProblem[]> {
  const records = parseCsv(text.startsWith(BOM) ? text.slice(BOM.length) : text);
  return records.ok ? figureTableRows(records.value) : err([records.error]);
}

/** Writes figures as CSV with a BOM and CRLF line ends, so that Excel opens the Chinese text correctly. */
export function writeFiguresCsv(rows: FigureExportRow[], headers: FigureHeaders = FIGURE_HEADERS_EN): string {
  const lines = [figureHeaderCells(headers), ...rows.map(figureExportCells)].map((cells) => cells.map(csvField).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

// A leading `#` is quoted too, or the reader would take the line for a comment.
function csvField(text: string): string {
  return /[",\r\n]|^#|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The separator of a file's fields: a comma, or a tab when its first line has more tabs than commas (rows
 * copied out of Excel and saved as text are tab-separated).
 */
function separatorOf(text: string): ',' | '\t' {
  // The first line with anything on it that is not a comment, found without splitting the whole file.
  const first = /^(?!#)[^\r\n]*\S[^\r\n]*$/m.exec(text.replace(/^\uFEFF/, ''))?.[0] ?? '';
  const count = (char: string) => first.split(char).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

function parseCsv(text: string): Result<TableRecord[], TableProblem> {
  const sep = separatorOf(text);
  const records: TableRecord[] = [];
  let at = 0;
  let line = 1;
  const endOfLine = (): void => {
    if (text[at] === '\r') at += 1;
    if (text[at] === '\n') at += 1;
    line += 1;
  };
  while (at < text.length) {
    const start = line;
    if (text[at] === '#') {
      while (at < text.length && text[at] !== '\r' && text[at] !== '\n') at += 1;
      endOfLine();
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[at] === '"') {
        at += 1;
        for (;;) {
          if (at >= text.length) {
            return err({ line: start, code: 'unclosed_quote', params: {} });
          }
          const char = text[at] as string;
          if (char === '"' && text[at + 1] === '"') {
            field += '"';
            at += 2;
          } else if (char === '"') {
            at += 1;
            break;
          } else if (char === '\r' || char === '\n') {
            field += '\n';
            endOfLine();
          } else {
            field += char;
            at += 1;
          }
        }
      }
      // Lenient like Excel: stray characters after a closing quote, or quotes inside a bare field, are kept.
      while (at < text.length && text[at] !== sep && text[at] !== '\r' && text[at] !== '\n') {
        field += text[at];
        at += 1;
      }
      fields.push(field);
      if (text[at] !== sep) break;
      at += 1;
    }
    endOfLine();
    if (fields.some((field) => field.trim() !== '')) records.push({ line: start, fields });
  }
  return ok(records);
}
