import { describe, expect, it } from 'vitest';
import { surnameOf } from '../../src/core/surname.js';
import { greetingName } from '../../src/app/chat/member.js';
import { namedInText } from '../../src/app/named-in-text.js';
import type { Member } from '../../src/core/domain.js';

describe('the surname of a name (王股长, 欧阳股长)', () => {
  it('takes one character, or a compound surname from a name of three characters or more', () => {
    expect(['王明', '林志强', '欧阳明', '司马光', '诸葛孔明', '欧阳'].map(surnameOf)).toEqual(['王', '林', '欧阳', '司马', '诸葛', '欧']);
  });

  it('keeps a name that is not Chinese whole', () => {
    expect(surnameOf('Tom Lee')).toBe('Tom Lee');
  });
});

describe('a section head named by compound surname and title', () => {
  const ouyang = { id: 1, key: 'ouyang', name: '欧阳明', roles: ['section_head'], sectionKey: 'sme', locale: 'zh-CN', seesAll: false } as Member;
  const ou = { id: 2, key: 'ou', name: '欧亮', roles: ['section_head'], sectionKey: 'tech', locale: 'zh-CN', seesAll: false } as Member;

  it('is greeted 欧阳股长 and found by it, not taken for 欧股长', () => {
    expect(greetingName(ouyang)).toBe('欧阳股长');
    expect(namedInText('欧阳股长报了没有', [ouyang, ou], []).people).toEqual([ouyang]);
    expect(namedInText('催一下欧股长', [ouyang, ou], []).people).toEqual([ou]);
  });
});
