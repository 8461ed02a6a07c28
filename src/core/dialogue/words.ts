import { fold } from '../intents/text.js';

/** The control words of the dialogue; 确认 (and confirm) is both a yes and a confirm, so the caller asks for one kind at a time. */
export type ControlWord = 'yes' | 'no' | 'skip' | 'back' | 'cancel' | 'confirm';

const WORDS: Record<ControlWord, ReadonlySet<string>> = {
  yes: new Set([
    '是', '是的', '对', '对的', '好', '好的', '确认', '确定', '没错', '无误', '正确', '嗯', '嗯嗯', '可以', '行', '没问题',
    '对了', '是对的', '确认无误', '数字没错', '就是这个', 'yes', 'y', 'yep', 'yeah', 'ok', 'okay', 'sure', 'correct', 'right', 'confirm',
    'confirmed', "it's right", "that's right",
  ]),
  no: new Set(['否', '不', '不是', '不对', '错了', '有误', '不正确', '填错了', '写错了', '不行', 'no', 'n', 'nope', 'wrong']),
  skip: new Set([
    '跳过', '下一项', '下一个', '略过', '先跳过', '暂不报', '不知道', '不清楚', '暂无', '暂无数据', '没有数据', '无数据', '没数据',
    '还没有数据', '数据还没出来', 'skip', 'next', 'pass', "don't know", 'dont know', 'unknown', 'n/a', 'no data',
  ]),
  back: new Set(['上一项', '上一个', '上一题', '返回', '回上一项', '返回上一项', 'back', 'previous', 'prev', 'go back']),
  cancel: new Set(['取消', '退出', '算了', '不报了', '结束', 'cancel', 'quit', 'exit', 'stop']),
  confirm: new Set(['确认', '确定', '提交', '确认提交', '没问题', '可以', 'confirm', 'submit']),
};

/** The text as control words are compared: trimmed, half-width, lower case, without a leading / or trailing punctuation. */
export function normalizeWord(text: string): string {
  return fold(text)
    .trim()
    .replace(/^\//, '')
    .replace(/[\s。.!！~～]+$/, '')
    .replace(/\s+/g, ' ');
}

/** True when the whole message is one of the words of `kind` (confirm also accepts every yes). */
export function isWord(text: string, kind: ControlWord): boolean {
  const word = normalizeWord(text);
  if (known(word, kind)) return true;
  // 是的，没错 / 对，确认: several words of the same kind, one after another.
  const parts = word.split(/[,，、;；\s]+/).filter((part) => part !== '');
  return parts.length > 1 && parts.every((part) => known(part, kind));
}

function known(word: string, kind: ControlWord): boolean {
  return WORDS[kind].has(word) || (kind === 'confirm' && WORDS.yes.has(word));
}

/** The control word a whole message is, if any (confirm counts as yes). */
export function controlWord(text: string): ControlWord | undefined {
  return (['cancel', 'back', 'skip', 'no', 'yes', 'confirm'] as const).find((kind) => isWord(text, kind));
}
