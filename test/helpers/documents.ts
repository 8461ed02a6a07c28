import JSZip from 'jszip';
import { PNG } from 'pngjs';

/*
 * Reading back what the bot wrote, with real decoders: a .docx unpacked (its paragraphs' text and its
 * pictures) and a PNG decoded to pixels.
 */

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** The text of every paragraph of a .docx's body (tables' cells included), in order. */
export async function docxParagraphs(content: Buffer): Promise<string[]> {
  return (await docxParagraphXml(content)).map((paragraph) => paragraph.text);
}

/** Every paragraph of a .docx's body with its XML (its properties and runs' properties), in order. */
export async function docxParagraphXml(content: Buffer): Promise<{ text: string; xml: string }[]> {
  const zip = await JSZip.loadAsync(content);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (xml === undefined) throw new Error('no word/document.xml: not a .docx');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((match) => ({
    text: [...match[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((text) => (text[1] ?? '').replace(/&(?:amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity] ?? entity))
      .join(''),
    xml: match[0],
  }));
}

/** One part of a .docx as text (docProps/core.xml: its author and who last changed it). */
export async function docxPart(content: Buffer, name: string): Promise<string> {
  const part = await (await JSZip.loadAsync(content)).file(name)?.async('string');
  if (part === undefined) throw new Error(`no ${name} in the .docx`);
  return part;
}

/** The pictures a .docx holds (word/media/*), by file name. */
export async function docxMedia(content: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(content);
  const media = new Map<string, Buffer>();
  for (const name of Object.keys(zip.files).filter((file) => file.startsWith('word/media/'))) {
    media.set(name, await zip.file(name)!.async('nodebuffer'));
  }
  return media;
}

export interface DecodedPng {
  width: number;
  height: number;
  /** Pixels that are not (nearly) white inside the box, all of the picture by default. */
  inked(box?: { x: number; y: number; width: number; height: number }): number;
  /** Pixels of the colour `#rrggbb` (within a few levels) inside the box. */
  coloured(hex: string, box?: { x: number; y: number; width: number; height: number }): number;
}

/** Decodes a PNG (throws when it is not one). */
export function decodePng(content: Buffer): DecodedPng {
  const png = PNG.sync.read(content);
  return {
    width: png.width,
    height: png.height,
    inked(box = { x: 0, y: 0, width: png.width, height: png.height }) {
      let count = 0;
      for (let y = box.y; y < box.y + box.height; y += 1) {
        for (let x = box.x; x < box.x + box.width; x += 1) {
          const at = (y * png.width + x) * 4;
          const [r = 255, g = 255, b = 255, a = 0] = png.data.subarray(at, at + 4);
          if (a > 0 && (r < 230 || g < 230 || b < 230)) count += 1;
        }
      }
      return count;
    },
    coloured(hex, box = { x: 0, y: 0, width: png.width, height: png.height }) {
      const want = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
      let count = 0;
      for (let y = box.y; y < box.y + box.height; y += 1) {
        for (let x = box.x; x < box.x + box.width; x += 1) {
          const at = (y * png.width + x) * 4;
          if (png.data[at + 3]! > 0 && want.every((value, i) => Math.abs(png.data[at + i]! - value) <= 6)) count += 1;
        }
      }
      return count;
    },
  };
}
