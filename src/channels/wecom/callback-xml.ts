import { XMLParser, XMLValidator } from 'fast-xml-parser';

/*
 * WeCom's callback XML, the envelope (<xml><ToUserName/><Encrypt/><AgentID/></xml>) as well as the message
 * inside it: one flat <xml> element of text fields. Anything else is refused before it is used.
 */

const parser = new XMLParser({
  ignoreAttributes: true,
  // Every value stays a string: a MsgId is a 64-bit number that a JavaScript number would round.
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The fields of one WeCom callback XML document, or undefined when it is not well-formed and flat. */
export function parseCallbackXml(xml: string): Record<string, string> | undefined {
  // WeCom never sends a DOCTYPE, an entity declaration or a comment: only CDATA sections start with <!.
  if (/<!(?!\[CDATA\[)/.test(xml)) return undefined;
  if (XMLValidator.validate(xml) !== true) return undefined;
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    // The parser refuses names such as __proto__ outright.
    return undefined;
  }
  const root = (document as { xml?: unknown } | null)?.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') continue;
    // A repeated or nested field is not WeCom's.
    if (typeof value !== 'string') return undefined;
    fields[name] = value;
  }
  return fields;
}
