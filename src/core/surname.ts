/*
 * The surname of a Chinese name, for 王股长 and 欧阳股长. Most surnames are one character; a few dozen are
 * two (复姓). A name of two characters is a surname and a given name whatever they are (欧阳 alone is not a
 * full name), so a compound surname is taken only from a name of three characters or more.
 */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕',
  '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '万俟', '澹台', '公冶', '宗政', '濮阳', '淳于', '单于',
  '太叔', '申屠', '钟离', '闻人', '赫连', '拓跋', '司空', '闾丘', '亓官', '司寇', '巫马', '公西', '颛孙', '漆雕',
  '乐正', '谷梁', '段干', '东郭', '梁丘', '左丘', '第五', '鲜于', '仲孙', '叔孙',
]);

/** 王 of 王明, 欧阳 of 欧阳明; a name that is not Chinese (Tom Lee) is returned whole. */
export function surnameOf(name: string): string {
  const characters = Array.from(name.trim());
  if (characters.length === 0 || !/^\p{Script=Han}/u.test(characters[0]!)) return name.trim();
  const two = characters.slice(0, 2).join('');
  return characters.length >= 3 && COMPOUND_SURNAMES.has(two) ? two : characters[0]!;
}
