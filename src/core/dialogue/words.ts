import { fold } from '../intents/text.js';

/** The control words of the dialogue; 确认 is both a yes and a confirm, so the caller asks for one kind at a time. */
export type ControlWord = 'yes' | 'no' | 'skip' | 'back' | 'cancel' | 'confirm';

const WORDS: Record<ControlWord, ReadonlySet<string>> = {
  yes: new Set(['是', '是的', '对', '对的', '好', '好的', '确认', '确定', '没错', '无误', '正确', '嗯', 'yes', 'y', 'ok', 'okay', 'sure', 'correct']),
  no: new Set(['否', '不', '不是', '不对', '错了', '有误', '不正确', 'no', 'n', 'nope', 'wrong']),
  skip: new Set(['跳过', '下一项', '下一个', '略过', '先跳过', '暂不报', 'skip', 'next', 'pass']),
  back: new Set(['上一项', '上一个', '上一题', '返回', '回上一项', 'back', 'previous', 'prev']),
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
  if (WORDS[kind].has(word)) return true;
  return kind === 'confirm' && WORDS.yes.has(word);
}
