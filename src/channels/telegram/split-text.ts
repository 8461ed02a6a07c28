/** Telegram's limit for one message's text (UTF-16 code units, which is what JS string length counts). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Splits a text into chunks of at most `limit`, at line breaks where possible, never inside a surrogate pair. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current !== '') chunks.push(current);
    current = line;
    while (current.length > limit) {
      const cut = cutIndex(current, limit);
      chunks.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}

function cutIndex(line: string, limit: number): number {
  const code = line.charCodeAt(limit - 1);
  const endsOnHighSurrogate = code >= 0xd800 && code <= 0xdbff;
  return endsOnHighSurrogate ? limit - 1 : limit;
}
