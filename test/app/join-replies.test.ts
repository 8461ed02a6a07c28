import { describe, expect, it } from 'vitest';
import { joinReplies } from '../../src/app/chat/handle-message.js';

describe("a turn's replies on a channel that knows its message size", () => {
  it('go out as one message, a blank line between them, as separate bubbles would read', () => {
    expect(joinReplies(['工业投资：…', '(2/4) 规上工业增加值？'], 4096)).toEqual(['工业投资：…\n\n(2/4) 规上工业增加值？']);
  });

  it('start a new message where the next one would not fit', () => {
    const long = 'x'.repeat(3000);
    expect(joinReplies([long, 'y'.repeat(1000), 'z'.repeat(200)], 4096)).toEqual([`${long}\n\n${'y'.repeat(1000)}`, 'z'.repeat(200)]);
  });

  it('keep a file on its own, with the texts before and after it apart', () => {
    const file = { file: { name: 'a.xlsx', content: Buffer.from('') }, caption: '2020年数据' };
    expect(joinReplies(['a', file, 'b', 'c'], 4096)).toEqual(['a', file, 'b\n\nc']);
  });
});
