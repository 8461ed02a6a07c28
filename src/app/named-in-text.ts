import type { Member, SectionNames } from '../core/domain.js';
import { surnameOf } from '../core/surname.js';

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
    const title = member.roles.includes('section_head') ? `${surname}股长` : undefined;
    return compact.includes(member.name.toLowerCase()) || (title !== undefined && compact.includes(title)) || namesKey(member.key);
  });
  return { people: named, sectionKeys };
}
