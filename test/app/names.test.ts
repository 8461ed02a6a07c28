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

describe('a section head\'s title', () => {
  const head = (section: string | undefined) =>
    greetingName({ name: '赵敏', roles: ['section_head'], locale: 'zh-CN', ...(section === undefined ? {} : { section: { name: section } }) } as Member);

  it('follows what the section is: 股长, 科长, 局长 of a bureau within the bureau, 主任 of an office or a centre', () => {
    expect(['运行监测股', '科技计划科', '中小企业局', '办公室', '数据中心', '综合执法大队', undefined].map(head)).toEqual([
      '赵股长', '赵科长', '赵局长', '赵主任', '赵主任', '赵队长', '赵股长',
    ]);
  });

  it('finds the head by that title, or by 股长 as people say of any section head', () => {
    const zhao = { id: 3, key: 'zhao', name: '赵敏', roles: ['section_head'], sectionKey: 'sme', section: { name: '中小企业局' }, locale: 'zh-CN', seesAll: false } as Member;
    expect(namedInText('催一下赵局长', [zhao], []).people).toEqual([zhao]);
    expect(namedInText('赵股长报了没有', [zhao], []).people).toEqual([zhao]);
  });
});
