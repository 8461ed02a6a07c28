/** A multipart/form-data body as fields: text parts as strings, file parts as `{ filename, bytes }`. */
export type MultipartFields = Record<string, string | { filename: string; bytes: Buffer }>;

/** Enough of multipart/form-data for telegraf's uploads: text fields, and files as `{ filename, bytes }`. */
export function parseMultipart(body: Buffer, boundary: string): MultipartFields {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: MultipartFields = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2); // the CRLFs after and before the delimiters
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    const filename = /;\s*filename="([^"]*)"/i.exec(headers)?.[1];
    fields[name] = filename === undefined ? content.toString('utf8') : { filename, bytes: Buffer.from(content) };
    start = next;
  }
  return fields;
}
