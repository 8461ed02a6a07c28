import type { Member } from '../core/domain.js';

/**
 * The sections and people a director's words name: a section by its name or its name without 股/局/室
 * (运行监测股, 运行监测), a person by full name or, for a section head, surname + 股长 (王股长), and the
 * sections owning `indicatorSections` (the indicators the words named). Sections in their given order.
 */
export function namedInText(
  text: string,
  people: readonly Member[],
  sections: ReadonlyArray<{ key: string; name: string }>,
  indicatorSections: readonly string[] = [],
): { people: Member[]; sectionKeys: Set<string> } {
  const compact = text.normalize('NFKC').toLowerCase().replace(/[\s,，。!！?？、:：]/g, '');
  const sectionKeys = new Set<string>();
  for (const section of sections) {
    const short = section.name.replace(/[股局室]$/, '');
    if (compact.includes(section.name) || (short.length >= 2 && compact.includes(short))) sectionKeys.add(section.key);
  }
  for (const key of indicatorSections) sectionKeys.add(key);
  const named = people.filter((member) => {
    const surname = Array.from(member.name)[0] ?? '';
    const title = member.roles.includes('section_head') ? `${surname}股长` : undefined;
    return compact.includes(member.name.toLowerCase()) || (title !== undefined && compact.includes(title));
  });
  return { people: named, sectionKeys };
}
