/** Full-width ASCII to ASCII and A–Z to a–z, one UTF-16 unit for one, so an index into the result indexes the input. */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    else if (code === 0x3000) code = 0x20;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    out += String.fromCharCode(code);
  }
  return out;
}

// People write "tech-upgrade", "tech upgrade" and "5 G" for the same word; matching ignores these.
const IGNORABLE = /[\s\-_–—‐‑·・'’]/;

/** Folded text without spaces and joiners; `at[i]` is where its i-th character stands in the folded text. */
export interface Compact {
  text: string;
  at: number[];
}

/** The compact form of `folded` between `start` and `end`. */
export function compact(folded: string, start = 0, end = folded.length): Compact {
  let text = '';
  const at: number[] = [];
  for (let i = start; i < end; i += 1) {
    const c = folded.charAt(i);
    if (IGNORABLE.test(c)) continue;
    text += c;
    at.push(i);
  }
  return { text, at };
}

/** How an indicator name or alias is compared with chat text. */
export function compactTerm(term: string): string {
  return compact(fold(term)).text;
}

const EDGE = /[\s.,!?;:'"`~…。，、！？；：“”‘’·]/;
const MENTION = /^@\S+\s+/;
const POLITE_ZH =
  /^(?:请问一下|请问|请|麻烦(?:你|您)?|劳驾|帮我|帮忙|给我|替我|查一下|查看|查询|查查|查下|查|看一下|看下|看看|问一下|问下|我想知道|我想看|我想查|我想了解|想知道|想问|想看|告诉我|你好|您好)/;
const POLITE_EN = /^(?:please|pls|can you|could you|would you|show me|tell me|let me know|check|hi|hello|hey)\b/;
const TRAILING = /(?:谢谢|多谢|谢了|吧|呢|啊|呀|哈|嘛|\bplease|\bpls|\bthanks|\bthank you)$/;

/**
 * Where the message proper starts and ends in the folded text: without edge punctuation, a leading
 * @mention, politeness (请, 帮我, 查一下, please …) or trailing particles. Never strips everything.
 */
export function coreBounds(folded: string): { start: number; end: number } {
  let start = 0;
  let end = folded.length;
  for (let before = -1; before !== end - start; ) {
    before = end - start;
    while (start < end && EDGE.test(folded.charAt(start))) start += 1;
    while (end > start && EDGE.test(folded.charAt(end - 1))) end -= 1;
    const tail = TRAILING.exec(folded.slice(start, end));
    if (tail && tail[0].length < end - start) end -= tail[0].length;
    const rest = folded.slice(start, end);
    const lead = MENTION.exec(rest) ?? POLITE_ZH.exec(rest) ?? POLITE_EN.exec(rest);
    if (lead && lead[0].length < rest.length) start += lead[0].length;
  }
  return { start, end };
}

const QUESTION_ZH = /[?]|多少|几|完成率|完成情况|进度|情况|怎么|怎样|如何|吗|呢|啥|什么|哪|有没有|是否|查询|查一下|看看|看一下/;
const QUESTION_EN = /\b(?:how|what|whats|which|show|status|progress|completion|rate|when|where|did|does|do)\b/;

/** True when the message asks rather than tells: a question word or mark anywhere in it. */
export function isQuestion(folded: string): boolean {
  return QUESTION_ZH.test(folded) || QUESTION_EN.test(folded);
}

/** Replaces [start, end) with spaces, keeping every other index in place. */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
