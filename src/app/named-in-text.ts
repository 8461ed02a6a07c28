import type { Member, SectionNames } from '../core/domain.js';
import { closestOf } from '../core/org/near-words.js';
import { surnameOf } from '../core/surname.js';
import { greetingName } from './chat/member.js';

/**
 * The sections and people a director's words name: a section by its name or its name without 股/局/室
 * (运行监测股, 运行监测) or its English name (`remind the Office`), a person by full name or, for a section
 * head, surname + 股长 (王股长), either by its key as a word of its own (`has wang reported`, `remind monitoring`: keys are the ASCII names the
 * organisation file gives, what an English sentence can write), and the sections owning
 * `indicatorSections` (the indicators the words named). Sections in their given order.
 */
export function namedInText(
  text: string,
  people: readonly Member[],
  sections: ReadonlyArray<{ key: string } & SectionNames>,
  indicatorSections: readonly string[] = [],
): { people: Member[]; sectionKeys: Set<string> } {
  const folded = text.normalize('NFKC').toLowerCase();
  const compact = folded.replace(/[\s,，。!！?？、:：]/g, '');
  const words = new Set(folded.split(/[^a-z0-9_]+/));
  const namesKey = (key: string) => key.length >= 2 && words.has(key.toLowerCase());
  // An English name is found as whole words: `Office` in "remind the office", not in "officer".
  const asWords = (words: string) => words.normalize('NFKC').toLowerCase().replace(/[^a-z0-9&]+/g, ' ').trim();
  const spaced = ` ${asWords(text)} `;
  const namesEnglish = (name: string | null | undefined) => !!name && asWords(name) !== '' && spaced.includes(` ${asWords(name)} `);
  const sectionKeys = new Set<string>();
  for (const section of sections) {
    const short = section.name.replace(/[股局室]$/, '');
    const byName = compact.includes(section.name) || (short.length >= 2 && compact.includes(short));
    if (byName || namesKey(section.key) || namesEnglish(section.nameEn)) sectionKeys.add(section.key);
  }
  for (const key of indicatorSections) sectionKeys.add(key);
  const named = people.filter((member) => {
    const surname = surnameOf(member.name);
    // As the bot greets them (赵局长 of 中小企业局, 孙主任 of 办公室), or 股长 as people say of any section head.
    const titles = member.roles.includes('section_head') ? [greetingName({ ...member, locale: 'zh-CN' }), `${surname}股长`] : [];
    return compact.includes(member.name.toLowerCase()) || titles.some((title) => compact.includes(title)) || namesKey(member.key);
  });
  return { people: named, sectionKeys };
}

// What comes before a section's name in a question (请问运输管理股报了吗), and the words that speak of the
// sections in general (各股室, 哪个股室, 本局): no name of one.
const LEAD = /^(?:请问|问一下|问问|查一下|查查|看一下|看看|帮我|麻烦|那个|这个|那|请)+/;
const GENERAL = /哪|各|所有|全部|每|其他|其它|别的|几个|^(?:本|全|我们|我|你们|咱们)|^股室$/;

/**
 * The section a question about reporting names that the organisation has not (运输管理股报了吗, asked
 * after the section was renamed): the words before the question's verb, up to a 股, 室 or 局; with the
 * section meant, when one stands out: the only one whose name is one or two slips from the words, else the
 * only one whose name holds them without their 股. Undefined when the words name no section at all or one
 * that exists (`namedInText` finds those).
 */
export function unknownSectionNamed(
  text: string,
  sections: ReadonlyArray<{ key: string } & SectionNames>,
): { words: string; like?: { key: string } & SectionNames } | undefined {
  const compact = text.normalize('NFKC').replace(/[\s,，。!！?？、:：]/g, '');
  const before = compact.split(/报|交|填|还没|有没有|是不是|都/)[0] ?? '';
  const words = /^(.*?[股室局])/.exec(before)?.[1]?.replace(LEAD, '');
  if (!words || words.length < 3 || GENERAL.test(words) || sections.some((section) => section.name === words)) return undefined;
  // 电子商务股 after it became 电子商务与物流股: held by one section's name.
  const stem = words.replace(/[股室局]$/, '');
  const holding = stem.length >= 2 ? sections.filter((section) => section.name.includes(stem)) : [];
  return { words, like: closestOf(words, sections.map((section) => [section.name, section] as const)) ?? (holding.length === 1 ? holding[0] : undefined) };
}
