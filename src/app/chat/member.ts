import { type Member, type Role, seesEverySection } from '../../core/domain.js';
import type { Db, Tx } from '../../db/database.js';
import { surnameOf } from '../../core/surname.js';

/** The active member bound to a chat identity (`telegram:123`), or undefined for a stranger. */
export async function memberByIdentity(db: Db | Tx, identity: string): Promise<Member | undefined> {
  const row = await db.chatIdentity.findUnique({
    where: { identity },
    include: { member: { include: { section: { select: { key: true, name: true, nameEn: true, active: true } } } } },
  });
  return row ? toMember(row.member) : undefined;
}

/** A member row as the chat sees it; undefined when the member is inactive. */
export function toMember(member: {
  id: number;
  key: string;
  name: string;
  roles: Role[];
  locale: string;
  active: boolean;
  section: { key: string; name: string; nameEn: string | null; active: boolean } | null;
}): Member | undefined {
  if (!member.active) return undefined;
  return {
    id: member.id,
    key: member.key,
    name: member.name,
    roles: member.roles,
    sectionKey: member.section?.active ? member.section.key : undefined,
    section: member.section?.active ? { name: member.section.name, nameEn: member.section.nameEn } : undefined,
    locale: member.locale === 'en' ? 'en' : 'zh-CN',
    seesAll: seesEverySection(member.roles),
  };
}

/**
 * How the bot addresses a member: 王股长, 欧阳局长 in Chinese (surname and title), the name in English. A
 * section head's title follows what the section is: 股长 of a 股, 科长 of a 科, 局长 of a 局 within the bureau
 * (中小企业局), 主任 of an office or a centre (办公室, 中心).
 */
export function greetingName(member: Pick<Member, 'name' | 'roles' | 'locale' | 'section'>): string {
  if (member.locale === 'en') return member.name;
  const surname = surnameOf(member.name);
  if (member.roles.includes('director')) return `${surname}局长`;
  if (member.roles.includes('section_head')) return `${surname}${headTitle(member.section?.name)}`;
  return member.name;
}

const HEAD_TITLES: ReadonlyArray<readonly [RegExp, string]> = [
  [/局$/, '局长'],
  [/科$/, '科长'],
  [/(?:室|中心)$/, '主任'],
  [/队$/, '队长'],
  [/所$/, '所长'],
  [/站$/, '站长'],
];

function headTitle(section: string | undefined): string {
  return HEAD_TITLES.find(([ending]) => section !== undefined && ending.test(section))?.[1] ?? '股长';
}
