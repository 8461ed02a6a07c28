/**
 * A text file as an administrator saved it: UTF-8 (with or without a BOM), else GB18030 — what Excel and
 * Notepad write on Chinese Windows (a CSV saved as "CSV（逗号分隔）", a YAML file saved as ANSI), a superset
 * of GBK. Bytes that are not UTF-8 are never GB18030 by accident in these files: their keys and field
 * names are ASCII, and GBK's Chinese is not valid UTF-8.
 */
export function decodeUtf8OrGb18030(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
