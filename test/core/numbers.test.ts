import { describe, it, expect } from 'vitest';
import { parseAnswer, parseNumber, type AnswerErrorCode } from '../../src/core/numbers.js';
import type { Unit } from '../../src/core/units.js';

type Accepted = [text: string, unit: Unit, value: string];
type Rejected = [text: string, unit: Unit, code: AnswerErrorCode];

function valueOf(text: string, unit: Unit): string {
  const result = parseAnswer(text, unit);
  if (!result.ok) throw new Error(`${text} was refused: ${result.error.code}`);
  return result.value.value.toFixed();
}

function codeOf(text: string, unit: Unit): AnswerErrorCode | undefined {
  const result = parseAnswer(text, unit);
  return result.ok ? undefined : result.error.code;
}

describe('parseAnswer reads Arabic figures', () => {
  const cases: Accepted[] = [
    ['19.6', '亿元', '19.6'],
    ['3', '家', '3'],
    ['0', '家', '0'],
    ['  19.6  ', '亿元', '19.6'],
    ['1,960', '家', '1960'],
    ['1,960.5', '家', '1960.5'],
    ['1,960,000,000元', '亿元', '19.6'],
    ['12，345', '家', '12345'],
    ['1，960，000，000元', '亿元', '19.6'],
    ['3，500家', '家', '3500'],
    ['１９．６', '亿元', '19.6'],
    ['１２家', '家', '12'],
    // A decimal point typed in Chinese mode, and pinyin's 忆 for 亿.
    ['2。43亿', '亿元', '2.43'],
    ['2·43', '亿元', '2.43'],
    ['2.43忆', '亿元', '2.43'],
    ['3千忆元', '亿元', '3000'],
    ['两千三百万', '亿元', '0.23'],
    ['-3', '家', '-3'],
    ['－3', '家', '-3'],
    ['负2.5亿', '亿元', '-2.5'],
    ['+12', '个', '12'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });
});

describe('parseAnswer reads Chinese numerals', () => {
  const cases: Accepted[] = [
    ['三家', '家', '3'],
    ['两', '家', '2'],
    ['零', '家', '0'],
    ['〇', '家', '0'],
    ['十', '个', '10'],
    ['十二', '个', '12'],
    ['二十', '个', '20'],
    ['二十五', '个', '25'],
    ['一百零五', '个', '105'],
    ['一千零五十', '个', '1050'],
    ['两万零三', '个', '20003'],
    ['二十万', '个', '200000'],
    ['两千三百万', '亿元', '0.23'],
    ['三千五百万', '亿元', '0.35'],
    ['十九点六', '亿元', '19.6'],
    ['十九点六亿', '亿元', '19.6'],
    ['一点二千万', '亿元', '0.12'],
    ['负三', '家', '-3'],
    ['壹佰零伍', '个', '105'],
    ['贰拾', '个', '20'],
    ['叁仟伍佰', '个', '3500'],
    ['二〇二〇', '个', '2020'],
    ['一万亿', '亿元', '10000'],
    ['两个亿', '亿元', '2'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });
});

describe('parseAnswer reads colloquial and mixed forms', () => {
  const cases: Accepted[] = [
    ['两万三', '家', '23000'],
    ['一万二', '家', '12000'],
    ['三千五', '家', '3500'],
    ['三百五', '家', '350'],
    ['一亿二', '亿元', '1.2'],
    ['3万5', '家', '35000'],
    ['2千3百万', '亿元', '0.23'],
    ['1.2万', '万元', '1.2'],
    ['1.5千', '家', '1500'],
    ['3.5亿', '亿元', '3.5'],
    ['2亿3千万', '亿元', '2.3'],
    ['2,300万', '亿元', '0.23'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });
});

describe('parseAnswer converts magnitudes and unit words into the indicator unit', () => {
  const cases: Accepted[] = [
    ['2.43亿', '亿元', '2.43'],
    ['2.43亿元', '亿元', '2.43'],
    ['19.6亿', '亿元', '19.6'],
    ['19.6 亿元', '亿元', '19.6'],
    ['196000万', '亿元', '19.6'],
    ['196000万元', '亿元', '19.6'],
    ['2300万', '亿元', '0.23'],
    ['2300万元', '亿元', '0.23'],
    ['2300 万', '亿元', '0.23'],
    ['1元', '亿元', '0.00000001'],
    ['2.43亿', '万元', '24300'],
    ['500', '万元', '500'],
    ['500块', '万元', '0.05'],
    ['800块钱', '元', '800'],
    ['5万', '元', '50000'],
    ['5万户', '户', '50000'],
    ['3家', '家', '3'],
    ['12个', '家', '12'],
    ['7户', '家', '7'],
    ['4项', '项', '4'],
    ['3 家', '家', '3'],
    ['84座', '个', '84'],
    ['0.5%', '%', '0.5'],
    ['5％', '%', '5'],
    ['0.5', '%', '0.5'],
    ['百分之零点五', '%', '0.5'],
    ['百分之五', '个百分点', '5'],
    ['0.5个百分点', '%', '0.5'],
    ['1.2百分点', '个百分点', '1.2'],
    // Other bureaus' units: tonnes, mu, kilometres, visits, kWh (度), each with its 万 or 亿.
    ['3.5万吨', '万吨', '3.5'],
    ['34.8万头', '万头', '34.8'],
    ['348000头', '万头', '34.8'],
    ['12万羽', '万只', '12'],
    ['120公顷', '公顷', '120'],
    ['3.5万吨', '吨', '35000'],
    ['1200吨', '万吨', '0.12'],
    ['一千二百吨', '吨', '1200'],
    ['500亩', '万亩', '0.05'],
    ['2.3万亩', '亩', '23000'],
    ['12.5公里', '公里', '12.5'],
    ['12.5千米', '公里', '12.5'],
    ['12.5 km', '公里', '12.5'],
    ['1500人次', '万人次', '0.15'],
    ['3.2万人次', '人次', '32000'],
    ['2300万千瓦时', '亿千瓦时', '0.23'],
    ['50000千瓦时', '万千瓦时', '5'],
    ['50,000千瓦时', '千瓦时', '50000'],
    ['2.1亿度', '亿千瓦时', '2.1'],
    ['800度', '千瓦时', '800'],
    ['2300万', '万吨', '2300'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });

  it('keeps the converted value exact rather than a binary float', () => {
    const result = parseAnswer('0.1亿', '万元');
    expect(result.ok && result.value.value.equals('1000')).toBe(true);
  });
});

describe('parseAnswer reads amounts as English writes them, as English replies show them', () => {
  const cases: Accepted[] = [
    ['243 million', '亿元', '2.43'],
    ['243 million yuan', '亿元', '2.43'],
    ['2.515 billion yuan', '亿元', '25.15'],
    ['2.515 Billion', '亿元', '25.15'],
    ['1.82billion', '亿元', '18.2'],
    ['23 million yuan', '万元', '2300'],
    ['5,000 yuan', '万元', '0.5'],
    ['5 thousand yuan', '万元', '0.5'],
    ['800 RMB', '元', '800'],
    ['1,960,000,000 yuan', '亿元', '19.6'],
    // As the unit of 亿元 was once shown in English.
    ['19.6 hundred million yuan', '亿元', '19.6'],
    ['2 thousand', '家', '2000'],
    // Other units as English writes them, converted as their Chinese words are: 118,000 tonnes is 11.8 万吨.
    ['118000 tonnes', '万吨', '11.8'],
    ['118,000 tons', '万吨', '11.8'],
    ['72.5 percent', '%', '72.5'],
    ['12.5 kilometres', '公里', '12.5'],
    ['300 mu', '万亩', '0.03'],
    ['1200 head', '万头', '0.12'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });

  it('keeps what follows as the note, and a scale word only as a word of its own', () => {
    const result = parseAnswer('243 million yuan, mostly the Huada project', '亿元');
    expect(result.ok && [result.value.value.toFixed(), result.value.note, result.value.given]).toEqual(['2.43', 'mostly the Huada project', '243 million yuan']);
    const plural = parseAnswer('3 thousands of them', '家');
    expect(plural.ok && [plural.value.value.toFixed(), plural.value.note]).toEqual(['3', 'thousands of them']);
  });

  it('refuses yuan for an indicator not of money, naming what was written', () => {
    expect(parseAnswer('3 million yuan', '家')).toMatchObject({ ok: false, error: { code: 'unit_mismatch', unit: 'yuan', expected: '家' } });
  });
});

describe('parseAnswer accepts harmless lead-ins and 左右', () => {
  const cases: Accepted[] = [
    ['约19.6亿', '亿元', '19.6'],
    ['大约三家', '家', '3'],
    ['共3家', '家', '3'],
    ['一共3家', '家', '3'],
    ['合计：2.43亿', '亿元', '2.43'],
    ['累计19.6亿元', '亿元', '19.6'],
    ['新增12个', '个', '12'],
    ['本月新增12个', '个', '12'],
    ['新建了12个', '个', '12'],
    ['本月新建15个', '个', '15'],
    ['建成3个', '个', '3'],
    ['开通了20个', '个', '20'],
    ['累计完成2.3亿', '亿元', '2.3'],
    ['为19.6亿元', '亿元', '19.6'],
    ['是3家', '家', '3'],
    ['19.6亿左右', '亿元', '19.6'],
    ['约3家左右', '家', '3'],
    ['3家。', '家', '3'],
    // A sentence's particles and 的样子 belong to the figure, never to a note.
    ['大概2300万吧', '亿元', '0.23'],
    ['约2300万左右吧。', '亿元', '0.23'],
    ['2300万的样子', '亿元', '0.23'],
    ['三家啊', '家', '3'],
    ['2.43亿～', '亿元', '2.43'],
  ];
  it.each(cases)('reads %s for a %s indicator as %s', (text, unit, value) => {
    expect(valueOf(text, unit)).toBe(value);
  });
});

describe('parseAnswer keeps a note written after the figure', () => {
  const cases: [text: string, unit: Unit, value: string, note: string][] = [
    ['3家 博昇乐、创睿极光、金丰', '家', '3', '博昇乐、创睿极光、金丰'],
    ['3家，博昇乐', '家', '3', '博昇乐'],
    // A note that begins with a particle's character is the note: 哈药 is a firm.
    ['3家 哈药集团、金丰', '家', '3', '哈药集团、金丰'],
    ['2300万吧 博昇乐', '亿元', '0.23', '博昇乐'],
    ['3家,博昇乐', '家', '3', '博昇乐'],
    ['3家；博昇乐', '家', '3', '博昇乐'],
    ['3家：博昇乐', '家', '3', '博昇乐'],
    ['3家博昇乐', '家', '3', '博昇乐'],
    ['3家（博昇乐、金丰）', '家', '3', '博昇乐、金丰'],
    ['3(金丰)', '家', '3', '金丰'],
    ['3，博昇乐', '家', '3', '博昇乐'],
    ['3 家 博昇乐', '家', '3', '博昇乐'],
    ['12个 其中3个在城区', '个', '12', '其中3个在城区'],
    ['12个,其中3个在城区', '个', '12', '其中3个在城区'],
    ['19.6亿，比上月增加1.4亿', '亿元', '19.6', '比上月增加1.4亿'],
    ['19.6亿（1-11月累计）', '亿元', '19.6', '1-11月累计'],
    ['3家 十分感谢', '家', '3', '十分感谢'],
    ['3 位于城区', '家', '3', '位于城区'],
    // An emoji separates as a comma does.
    ['2.1亿🎉 华达项目', '亿元', '2.1', '华达项目'],
    ['3家👍博昇乐', '家', '3', '博昇乐'],
  ];
  it.each(cases)('reads %s as %s %s with a note', (text, unit, value, note) => {
    const result = parseAnswer(text, unit);
    expect(result.ok && result.value.value.toFixed()).toBe(value);
    expect(result.ok && result.value.note).toBe(note);
  });

  it('leaves the note out when nothing follows the figure', () => {
    const result = parseAnswer('3家，', '家');
    expect(result.ok && 'note' in result.value).toBe(false);
    const cheered = parseAnswer('2.1亿🎉', '亿元');
    expect(cheered.ok && [cheered.value.value.toFixed(), 'note' in cheered.value]).toEqual(['2.1', false]);
  });
});

describe('parseAnswer echoes the number part as the user wrote it', () => {
  const cases: [text: string, unit: Unit, given: string][] = [
    ['约19.6亿左右', '亿元', '19.6亿'],
    ['3家 博昇乐', '家', '3家'],
    ['１９．６亿元', '亿元', '１９．６亿元'],
    ['1,960,000,000元', '亿元', '1,960,000,000元'],
    ['百分之零点五', '%', '百分之零点五'],
    ['本月新增 -2', '个', '-2'],
  ];
  it.each(cases)('gives back %s as %s', (text, unit, given) => {
    const result = parseAnswer(text, unit);
    expect(result.ok && result.value.given).toBe(given);
  });
});

describe('parseAnswer refuses what it cannot read as one figure', () => {
  const cases: Rejected[] = [
    ['', '家', 'empty'],
    ['   ', '家', 'empty'],
    ['\u3000', '家', 'empty'],
    ['不知道', '家', 'no_number'],
    ['约', '家', 'no_number'],
    ['亿元', '亿元', 'no_number'],
    ['还没统计', '亿元', 'no_number'],
    ['3或4', '家', 'several_numbers'],
    ['3到4家', '家', 'several_numbers'],
    ['3-4家', '家', 'several_numbers'],
    ['3、4', '家', 'several_numbers'],
    ['3家或4家', '家', 'several_numbers'],
    ['2.4 2.5', '亿元', 'several_numbers'],
    ['3 4', '家', 'several_numbers'],
    ['2,5', '家', 'several_numbers'],
    ['1234,567', '家', 'several_numbers'],
    ['1/3', '家', 'several_numbers'],
    ['三四家', '家', 'several_numbers'],
    ['一两万', '家', 'several_numbers'],
    ['十三四', '家', 'several_numbers'],
    ['12个,3个在城区', '个', 'several_numbers'],
    ['3家 三家', '家', 'several_numbers'],
    ['1.2.3', '家', 'malformed'],
    ['十十', '家', 'malformed'],
    ['3点', '家', 'malformed'],
    ['1.5万3', '家', 'malformed'],
    ['一万一万', '家', 'malformed'],
    // A half after the unit belongs to the figure (1.5), never a note 半 beside 1.
    ['一个半', '个', 'malformed'],
    ['3家半', '家', 'malformed'],
    ['2千23百', '家', 'malformed'],
    // A word written onto the number that is a unit, but not one of ours: said to be a unit.
    ['3美元', '亿元', 'unknown_unit'],
    ['1.5亿美元', '亿元', 'unknown_unit'],
    ['3把 新引进', '个', 'unknown_unit'],
    ['3天以后再报', '个', 'malformed'],
    ['今年3家', '家', 'malformed'],
    ['百分之五%', '%', 'malformed'],
  ];
  it.each(cases)('refuses %s for a %s indicator as %s', (text, unit, code) => {
    expect(codeOf(text, unit)).toBe(code);
  });
});

describe('parseAnswer names a unit it does not know', () => {
  it.each([
    ['3美元', '亿元', '美元'],
    ['1.5亿美元', '亿元', '美元'],
    ['3把', '个', '把'],
  ] as const)('refuses %s for a %s indicator, naming %s', (text, unit, written) => {
    expect(parseAnswer(text, unit)).toMatchObject({ ok: false, error: { code: 'unknown_unit', unit: written, expected: unit } });
  });
});

describe('parseAnswer refuses a unit of another dimension', () => {
  const cases: [text: string, unit: Unit, written: string][] = [
    ['3家', '亿元', '家'],
    ['三家', '万元', '家'],
    ['5%', '家', '%'],
    ['百分之五', '家', '百分之'],
    ['3个百分点', '个', '个百分点'],
    ['3元', '家', '元'],
    ['2.43亿元', '%', '亿元'],
    ['2300万元', '家', '万元'],
    ['3.5万吨', '亿元', '万吨'],
    ['500亩', '吨', '亩'],
    ['3家', '人次', '家'],
    ['12公里', '千瓦时', '公里'],
  ];
  it.each(cases)('refuses %s for a %s indicator, naming %s', (text, unit, written) => {
    const result = parseAnswer(text, unit);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'unit_mismatch', unit: written, expected: unit, text });
  });
});

describe('parseNumber reads a bare number', () => {
  const cases: [text: string, value: string][] = [
    ['19.6', '19.6'],
    [' 2300万 ', '23000000'],
    ['二十', '20'],
    ['两万三', '23000'],
    ['-0.5', '-0.5'],
    ['1,960', '1960'],
    ['十九点六', '19.6'],
  ];
  it.each(cases)('reads %s as %s', (text, value) => {
    const result = parseNumber(text);
    expect(result.ok && result.value.toFixed()).toBe(value);
  });

  const rejected: [text: string, code: AnswerErrorCode][] = [
    ['', 'empty'],
    ['abc', 'no_number'],
    ['2 2.5', 'several_numbers'],
    ['3家', 'malformed'],
    ['1.2.3', 'malformed'],
  ];
  it.each(rejected)('refuses %s as %s', (text, code) => {
    const result = parseNumber(text);
    expect(result.ok ? undefined : result.error.code).toBe(code);
  });
});
