import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Intent, classifyMessage, createIntentMatcher } from '../../src/core/intents.js';
import { parseAnswer } from '../../src/core/numbers.js';
import { parseOrgFile } from '../../src/core/org/parse.js';
import type { Period } from '../../src/core/period.js';

const demo = parseOrgFile(readFileSync(new URL('../../src/app/demo/demo-org.yaml', import.meta.url), 'utf8'));
if (!demo.ok) throw new Error('the demo organisation file does not parse');
const indicators = demo.value.indicators;
const matcher = createIntentMatcher(indicators);
const NOVEMBER_2026: Period = { year: 2026, month: 11 };

type Case = [text: string, intent: Intent];

// Every case of this file, asked again below of an organisation a thousand indicators larger.
const everyCase: { text: string; today: Period }[] = [];

function classifiesAll(cases: Case[], today: Period = NOVEMBER_2026) {
  everyCase.push(...cases.map(([text]) => ({ text, today })));
  it.each(cases)('%s', (text, intent) => {
    expect(matcher.classify(text, today)).toEqual(intent);
  });
}

const progress = (...keys: string[]): Intent => ({ kind: 'progress', indicators: keys });
const progressIn = (year: number, month: number | undefined, ...keys: string[]): Intent =>
  month === undefined ? { kind: 'progress', indicators: keys, year } : { kind: 'progress', indicators: keys, year, month };
const ambiguous = (...candidates: string[]): Intent => ({ kind: 'ambiguous', candidates });

describe('the examples of docs/product.md', () => {
  classifiesAll([
    ['技改完成率', progress('tech_upgrade_investment')],
    ['技改投资完成情况', progress('tech_upgrade_investment')],
    ["what's our tech-upgrade completion", progress('tech_upgrade_investment')],
    ['2020年技改完成率', progressIn(2020, undefined, 'tech_upgrade_investment')],
    ['9月工业投资', progressIn(2026, 9, 'industrial_investment')],
    ['总体进度', { kind: 'overview' }],
    ['本月情况', { kind: 'overview', year: 2026, month: 11 }],
    ['数据截至几月', { kind: 'overview' }],
    ['/progress', { kind: 'overview' }],
    ['谁还没报', { kind: 'missing', text: '谁还没报' }],
    ['/missing', { kind: 'missing' }],
    ['/export', { kind: 'export' }],
    ['/report', { kind: 'report' }],
    ['/report 2026-09', { kind: 'report', period: { year: 2026, month: 9 } }],
    ['5G站点 本月新增12个', { kind: 'one_shot', indicator: 'new_5g_sites', text: '本月新增12个' }],
    // 新建 reports a figure as 新增 does: it was taken for a question, and nothing was filed.
    ['5G基站 本月新建15个', { kind: 'one_shot', indicator: 'new_5g_sites', text: '本月新建15个' }],
    // 技术改造 as English renders it: the demo file's aliases.
    ['how far behind is tech renovation in 2020', { kind: 'progress', indicators: ['tech_upgrade_investment'], year: 2020 }],
    ['technical renovation investment', { kind: 'progress', indicators: ['tech_upgrade_investment'] }],
    // 累计到 / 截至 a month, then the figure: a report of that month, not a question about it.
    ['光网覆盖 累计到10月 120个', { kind: 'one_shot', indicator: 'village_fibre_coverage', text: '120个', period: { year: 2026, month: 10 } }],
    ['工业投资 截至10月 19.6亿', { kind: 'one_shot', indicator: 'industrial_investment', text: '19.6亿', period: { year: 2026, month: 10 } }],
    ['工业投资截至10月完成多少', { kind: 'progress', indicators: ['industrial_investment'], year: 2026, month: 10 }],
    ['/start ABCD2345', { kind: 'bind', code: 'ABCD2345' }],
    ['绑定 ABCD2345', { kind: 'bind', code: 'ABCD2345' }],
  ]);
});

describe('indicators are matched by name, English name and alias', () => {
  classifiesAll([
    ['工业技改投资', progress('tech_upgrade_investment')],
    ['工业投资进度', progress('industrial_investment')],
    ['工投多少了', progress('industrial_investment')],
    ['tech upgrade progress', progress('tech_upgrade_investment')],
    ['TECH UPGRADE', progress('tech_upgrade_investment')],
    ['R&D占比', progress('rd_share_of_gdp')],
    ['Ｒ＆Ｄ占比多少', progress('rd_share_of_gdp')],
    ['５Ｇ基站 多少个', progress('new_5g_sites')],
    ['how many new 5G base stations', progress('new_5g_sites')],
    ['Industrial Investment', progress('industrial_investment')],
    ['光网覆盖率', progress('village_fibre_coverage')],
    ['清洁生产审核企业多少家', progress('clean_production_audits')],
    ['请帮我查一下技改完成率', progress('tech_upgrade_investment')],
    ['  ，请问技改完成率？？', progress('tech_upgrade_investment')],
    ['@报数助手 技改完成率', progress('tech_upgrade_investment')],
  ]);

  describe('the longest name wins', () => {
    classifiesAll([
      ['技改投资', progress('tech_upgrade_investment')],
      ['规上工业增加值', progress('industrial_added_value')],
      ['增加值多少', progress('industrial_added_value')],
      ['科技型中小企业入库', progress('tech_sme_registered')],
    ]);
  });

  describe('several named indicators are all asked about, in the order written', () => {
    classifiesAll([
      ['工业投资和技改投资', progress('industrial_investment', 'tech_upgrade_investment')],
      ['技改、工投完成率', progress('tech_upgrade_investment', 'industrial_investment')],
      ['企业授信和贷款发放', progress('sme_credit_granted', 'sme_loans_issued')],
    ]);
  });
});

describe('an alias the organisation file gives', () => {
  // The demo gives R&D to R&D经费占GDP比重, as the seed report uses it: no choice list for 2020年R&D完成率.
  classifiesAll([
    ['R&D', progress('rd_share_of_gdp')],
    // Which firms a count is, and who reported: the figures month by month with their notes.
    ['新增规上企业是哪几家', { kind: 'details', indicators: ['new_above_scale_firms'] }],
    ['清洁生产审核企业有哪些', { kind: 'details', indicators: ['clean_production_audits'] }],
    ['技改的数是谁报的', { kind: 'details', indicators: ['tech_upgrade_investment'] }],
    ['10月新增高企名单', { kind: 'details', indicators: ['new_high_tech_firms'], year: 2026, month: 10 }],
    // GDP is what the share is of, not the share: no indicator of the demo is GDP.
    ['GDP多少', { kind: 'unknown' }],
    ["what's the GDP", { kind: 'unknown' }],
    ['R&D share of GDP', progress('rd_share_of_gdp')],
    ['2020年R&D完成率', progressIn(2020, undefined, 'rd_share_of_gdp')],
  ]);
});

describe('a name said without its closing 总额 or 总量', () => {
  const trade = { ...indicators[0]!, key: 'foreign_trade', name: '外贸进出口总额', nameEn: 'Foreign trade', aliases: [] };
  const retail = { ...indicators[0]!, key: 'retail', name: '社会消费品零售总额', nameEn: 'Retail sales', aliases: [] };
  // Another indicator's own name stays its own: 货运总量 does not take 公路货运 from the indicator of that name.
  const road = { ...indicators[0]!, key: 'road_freight', name: '公路货运', nameEn: 'Road freight', aliases: [] };
  const roadTotal = { ...indicators[0]!, key: 'road_freight_total', name: '公路货运总量', nameEn: 'Road freight total', aliases: [] };
  const local = createIntentMatcher([trade, retail, road, roadTotal]);
  it('is the indicator, in a report and in a question', () => {
    expect(local.classify('外贸进出口 截至10月 7.1亿', NOVEMBER_2026)).toEqual({ kind: 'one_shot', indicator: 'foreign_trade', text: '7.1亿', period: { year: 2026, month: 10 } });
    expect(local.classify('社会消费品零售完成率', NOVEMBER_2026)).toEqual(progress('retail'));
    expect(local.classify('公路货运完成率', NOVEMBER_2026)).toEqual(progress('road_freight'));
  });
});

describe('a question that names no indicator', () => {
  describe('offers the indicators it could mean', () => {
    classifiesAll([
      ['投资', ambiguous('industrial_investment', 'tech_upgrade_investment')],
      ['投资完成率多少', ambiguous('industrial_investment', 'tech_upgrade_investment')],
      ['研发', ambiguous('new_rd_institutions', 'rd_share_of_gdp')],
      ['新增企业', ambiguous('new_above_scale_firms', 'new_high_tech_firms')],
      ['investment', ambiguous('industrial_investment', 'tech_upgrade_investment')],
      ['工业', ambiguous('industrial_output_value', 'industrial_added_value', 'industrial_investment', 'tech_upgrade_investment')],
      ['9月投资', { kind: 'ambiguous', candidates: ['industrial_investment', 'tech_upgrade_investment'], year: 2026, month: 9 }],
      // 企业 is in five indicators' names: still a short enough list to choose from.
      ['企业', ambiguous('new_above_scale_firms', 'new_high_tech_firms', 'tech_sme_registered', 'clean_production_audits', 'sme_credit_granted')],
    ]);
  });

  describe('takes a guess only when the words clearly point at one indicator', () => {
    classifiesAll([
      ['贷款', progress('sme_loans_issued')],
      ['规上企业', progress('new_above_scale_firms')],
      ['loans', progress('sme_loans_issued')],
      ['高新', { kind: 'unknown' }],
      ['重点项目建设进度', { kind: 'unknown' }],
    ]);
  });

  it('takes a name said by its beginning alone (早稻 for 早稻播种面积) when the question asks something of it', () => {
    const agriculture = createIntentMatcher([
      ...indicators,
      { ...indicators[0]!, key: 'early_rice_area', name: '早稻播种面积', nameEn: 'Early rice sown area', aliases: [] },
    ]);
    expect(agriculture.classify('早稻还差多少', NOVEMBER_2026)).toEqual({ kind: 'remaining', indicators: ['early_rice_area'] });
    expect(agriculture.classify('早稻完成情况', NOVEMBER_2026)).toEqual(progress('early_rice_area'));
    // Alone, it is no question: as 高新 above.
    expect(agriculture.classify('早稻', NOVEMBER_2026)).toEqual({ kind: 'unknown' });
  });

  it('reads quarters said in English as their last month, as 前三季度 and 上半年 are', () => {
    for (const [text, month] of [['industrial investment in the first three quarters', 9], ['industrial investment in Q3', 9], ['industrial investment in the first half', 6], ['industrial investment in the second quarter', 6]] as const) {
      expect(matcher.classify(text, NOVEMBER_2026), text).toEqual(progressIn(2026, month, 'industrial_investment'));
    }
  });

  it('takes a month named right after a one-line report\'s figure for its month, not for its note', () => {
    const december: Period = { year: 2026, month: 12 };
    expect(matcher.classify('industrial investment 3.6 in October', december)).toEqual({
      kind: 'one_shot', indicator: 'industrial_investment', text: '3.6', period: { year: 2026, month: 10 },
    });
    expect(matcher.classify('tech upgrade investment 2.5 for September, revised', december)).toEqual({
      kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.5 revised', period: { year: 2026, month: 9 },
    });
    // A note that names a month further on stays the note.
    expect(matcher.classify('新增规上企业 3家 博昇乐、创睿极光', december)).toEqual({ kind: 'one_shot', indicator: 'new_above_scale_firms', text: '3家 博昇乐、创睿极光' });
  });

  describe('is unknown when nothing in it is about figures', () => {
    classifiesAll([
      ['天气怎么样', { kind: 'unknown' }],
      ['今天开会吗', { kind: 'unknown' }],
      ['12', { kind: 'unknown' }],
      ['/foo', { kind: 'unknown' }],
    ]);
  });
});

describe('periods in questions', () => {
  classifiesAll([
    ['2020年9月工业投资', progressIn(2020, 9, 'industrial_investment')],
    ['2020 工业投资', progressIn(2020, undefined, 'industrial_investment')],
    ['工业投资 2020', progressIn(2020, undefined, 'industrial_investment')],
    ['九月工业投资', progressIn(2026, 9, 'industrial_investment')],
    ['1-9月工业投资', progressIn(2026, 9, 'industrial_investment')],
    ['1–9月工业投资', progressIn(2026, 9, 'industrial_investment')],
    ['一至十月技改', progressIn(2026, 10, 'tech_upgrade_investment')],
    ['12月工业投资', progressIn(2025, 12, 'industrial_investment')],
    ['１２月工业投资', progressIn(2025, 12, 'industrial_investment')],
    ['去年技改完成率', progressIn(2025, undefined, 'tech_upgrade_investment')],
    ['去年9月技改', progressIn(2025, 9, 'tech_upgrade_investment')],
    ['今年工投', progressIn(2026, undefined, 'industrial_investment')],
    ['上月工投', progressIn(2026, 10, 'industrial_investment')],
    ['上个月技改', progressIn(2026, 10, 'tech_upgrade_investment')],
    ['前三季度工业投资', progressIn(2026, 9, 'industrial_investment')],
    ['industrial investment in 2020', progressIn(2020, undefined, 'industrial_investment')],
    ['tech upgrade in September', progressIn(2026, 9, 'tech_upgrade_investment')],
    ['Sep industrial investment', progressIn(2026, 9, 'industrial_investment')],
    ['Dec 2020 industrial investment', progressIn(2020, 12, 'industrial_investment')],
    ['industrial investment in may', progressIn(2026, 5, 'industrial_investment')],
    ['may I see industrial investment', progress('industrial_investment')],
    ['last month tech upgrade', progressIn(2026, 10, 'tech_upgrade_investment')],
    ['20户以上自然村光网覆盖', progress('village_fibre_coverage')],
  ]);

  describe('are read against the given today, across the turn of the year', () => {
    classifiesAll(
      [
        ['上月工投', progressIn(2025, 12, 'industrial_investment')],
        ['1月工投', progressIn(2026, 1, 'industrial_investment')],
        ['9月工投', progressIn(2025, 9, 'industrial_investment')],
      ],
      { year: 2026, month: 1 },
    );
  });
});

describe('requests without an indicator', () => {
  classifiesAll([
    ['/progress@baoshu_bot', { kind: 'overview' }],
    ['/progress 2020', { kind: 'overview', year: 2020 }],
    ['/progress 技改', progress('tech_upgrade_investment')],
    ['整体完成情况', { kind: 'overview' }],
    ['本月汇总', { kind: 'overview', year: 2026, month: 11 }],
    ['overall progress', { kind: 'overview' }],
    ['进度怎么样', { kind: 'overview' }],
    // A section member asks after their own section: the overview, which is of their section.
    ['我们股室进度怎么样', { kind: 'overview' }],
    ['本股室完成情况', { kind: 'overview' }],
    ['我的指标完成情况', { kind: 'overview' }],
    ['怎么样了', { kind: 'overview' }],
    ['现在怎么样了？', { kind: 'overview' }],
    ['进展如何', { kind: 'overview' }],
    ['今年干得怎么样', { kind: 'overview', year: 2026 }],
    ['工作做得如何', { kind: 'overview' }],
    ['who hasn\'t reported', { kind: 'missing', text: 'who hasn\'t reported' }],
    ['未报', { kind: 'missing', text: '未报' }],
    ['上月谁没报', { kind: 'missing', text: '上月谁没报', period: { year: 2026, month: 10 } }],
    ['/missing@baoshu_bot 2026-10', { kind: 'missing', period: { year: 2026, month: 10 } }],
    ['导出', { kind: 'export' }],
    ['把完成情况表发我', { kind: 'export' }],
    ['发一下今年的汇总表', { kind: 'export', year: 2026 }],
    ['下载数据', { kind: 'export' }],
    ['帮我导出去年的数据', { kind: 'export', year: 2025 }],
    ['/export 2020', { kind: 'export', year: 2020 }],
    ['/export 2020 csv', { kind: 'export', year: 2020, format: 'csv' }],
    ['导出csv', { kind: 'export', format: 'csv' }],
    ['2020年数据 CSV', { kind: 'export', year: 2020, format: 'csv' }],
    ['export', { kind: 'export' }],
    ['报送', { kind: 'report' }],
    ['填报', { kind: 'report' }],
    ['我要报数', { kind: 'report' }],
    ['补报9月', { kind: 'report', period: { year: 2026, month: 9 } }],
    ['/report@baoshu_bot 2026-09', { kind: 'report', period: { year: 2026, month: 9 } }],
    ['/report 9月', { kind: 'report', period: { year: 2026, month: 9 } }],
    ['/help', { kind: 'help' }],
    ['/start', { kind: 'help' }],
    ['帮助', { kind: 'help' }],
    ['怎么用', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['绑定', { kind: 'help' }],
    ['/start@baoshu_bot abcd2345', { kind: 'bind', code: 'ABCD2345' }],
    ['绑定：ＡＢＣＤ２３４５', { kind: 'bind', code: 'ABCD2345' }],
  ]);
});

describe('one-shot reports', () => {
  classifiesAll([
    ['技改投资 2.43亿', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43亿' }],
    ['技改投资：2.43亿元', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43亿元' }],
    ['工业技改投资完成2.43亿', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43亿' }],
    ['工投 19.6', { kind: 'one_shot', indicator: 'industrial_investment', text: '19.6' }],
    ['工业投资十九点六亿', { kind: 'one_shot', indicator: 'industrial_investment', text: '十九点六亿' }],
    ['上报 工业投资 19.6亿', { kind: 'one_shot', indicator: 'industrial_investment', text: '19.6亿' }],
    ['R&D占比 0.5%', { kind: 'one_shot', indicator: 'rd_share_of_gdp', text: '0.5%' }],
    ['4G改造105个', { kind: 'one_shot', indicator: 'upgraded_4g_sites', text: '105个' }],
    ['５Ｇ站点 新增１２个', { kind: 'one_shot', indicator: 'new_5g_sites', text: '新增１２个' }],
    ['tech upgrade 2.43', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43' }],
    ['新增高企 3家 博昇乐、创睿极光、金丰', { kind: 'one_shot', indicator: 'new_high_tech_firms', text: '3家 博昇乐、创睿极光、金丰' }],
    // A figure said as what it should be (a correction, when one is stored).
    ['技改改为2.75亿', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.75亿' }],
    ['技改本月应为2.75亿', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.75亿' }],
  ]);

  describe('whatever words their note holds: a question word after the figure is the note\'s', () => {
    classifiesAll([
      ['授信累计20亿，情况说明见附件', { kind: 'one_shot', indicator: 'sme_credit_granted', text: '累计20亿，情况说明见附件' }],
      ['技改累计2.5亿，主要是华达项目进度加快', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '累计2.5亿，主要是华达项目进度加快' }],
      ['技改2.1亿🎉', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.1亿🎉' }],
      // Another indicator's name in the note, with no figure after it, is a word of the note (a firm's name).
      ['新增高企 1家 技改示范企业华达', { kind: 'one_shot', indicator: 'new_high_tech_firms', text: '1家 技改示范企业华达' }],
      ['技改 2.5亿，其中工业投资项目3个', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.5亿，其中工业投资项目3个' }],
    ]);
  });

  describe('carry the month they name', () => {
    classifiesAll([
      ['9月工业投资 25亿', { kind: 'one_shot', indicator: 'industrial_investment', text: '25亿', period: { year: 2026, month: 9 } }],
      [
        '工业投资 1-11月累计19.6亿',
        { kind: 'one_shot', indicator: 'industrial_investment', text: '累计19.6亿', period: { year: 2026, month: 11 } },
      ],
    ]);
  });

  describe('are reports still when the figure\'s unit does not fit, for the dialogue to say so', () => {
    classifiesAll([
      // 3家 is no amount of money, and 只 no unit of ours: taken for a question, they were answered in silence.
      ['工业投资 3家', { kind: 'one_shot', indicator: 'industrial_investment', text: '3家' }],
      ['5G站点 本月新增12只', { kind: 'one_shot', indicator: 'new_5g_sites', text: '本月新增12只' }],
      // A question is still a question.
      ['工业投资 3家？', progress('industrial_investment')],
    ]);
  });

  describe('fall back to the other rules when they are not reports', () => {
    classifiesAll([
      ['工业投资 19.6亿？', progress('industrial_investment')],
      // A note that asks whether the figure is right, or a question word before the figure.
      ['技改2.43亿 对吗', progress('tech_upgrade_investment')],
      ['技改完成情况 2.43亿', progress('tech_upgrade_investment')],
      ['技改投资 几亿', progress('tech_upgrade_investment')],
      ['工业投资 9月', progressIn(2026, 9, 'industrial_investment')],
      ['导出工业投资 2020', { kind: 'export', year: 2020 }],
      // Two figures in one message are more than one one-shot report can carry.
      ['工业投资19.6亿，技改2.43亿', progress('industrial_investment', 'tech_upgrade_investment')],
      ['工业投资 19.6亿 技改两亿四', progress('industrial_investment', 'tech_upgrade_investment')],
    ]);
  });

  it('hands parseAnswer a value part it reads in the indicator’s unit', () => {
    const intent = matcher.classify('5G站点 本月新增12个', NOVEMBER_2026);
    if (intent.kind !== 'one_shot') throw new Error(`expected one_shot, got ${intent.kind}`);
    const parsed = parseAnswer(intent.text, '个');
    expect(parsed.ok && parsed.value.value.toString()).toBe('12');
  });
});

describe('classifyMessage', () => {
  it('classifies with the context’s indicators and today', () => {
    const context = { indicators, today: { year: 2026, month: 3 } };
    expect(classifyMessage('9月工业投资', context)).toEqual(progressIn(2025, 9, 'industrial_investment'));
    expect(classifyMessage('技改投资 2.43亿', context)).toEqual({
      kind: 'one_shot',
      indicator: 'tech_upgrade_investment',
      text: '2.43亿',
    });
  });

  it('knows only the indicators it is given', () => {
    const only5g = indicators.filter((i) => i.key === 'new_5g_sites');
    expect(classifyMessage('技改完成率', { indicators: only5g, today: NOVEMBER_2026 })).toEqual({ kind: 'unknown' });
  });
});

/*
 * What directors ask in their own words: the rules read features (a measure, a state, a reason, an action,
 * a social remark) rather than sentences, so each kind is tried with many wordings, most of them not in
 * the vocabulary's comments or the product description.
 */
describe('directors’ own words', () => {
  const behind = (period: { year?: number; month?: number } = {}): Intent => ({ kind: 'behind', ...period });
  const compare = (keys: string[], period: { year?: number; month?: number } = {}): Intent => ({ kind: 'compare', indicators: keys, ...period });
  const target = (keys: string[], year?: number): Intent => ({ kind: 'target', indicators: keys, ...(year === undefined ? {} : { year }) });
  const why = (...keys: string[]): Intent => ({ kind: 'why', indicators: keys });
  const nudge = (text: string, keys: string[] = []): Intent => ({ kind: 'nudge', text, indicators: keys });
  const social = (tone: 'thanks' | 'greeting' | 'ack'): Intent => ({ kind: 'social', tone });

  describe('what is behind schedule: only those', () => {
    classifiesAll([
      ['哪些指标落后了', behind()],
      ['2020年哪些指标落后', behind({ year: 2020 })],
      ['滞后的有哪些', behind()],
      ['有没有拖后腿的', behind()],
      ['进度慢的是哪几项', behind()],
      ['哪些没完成序时进度', behind()],
      ['还有哪些没达到序时进度', behind()],
      ['差距最大的是哪个', behind()],
      ['哪几项完成得不好', behind()],
      ['9月份哪些落后了', behind({ year: 2026, month: 9 })],
      ['上个月哪些指标滞后', behind({ year: 2026, month: 10 })],
      ['今年有几项没达到序时进度', behind({ year: 2026 })],
      ['what is behind schedule', behind()],
      ['which are lagging', behind()],
      ['show me the laggards', behind()],
    ]);
  });

  describe('year on year, 去年同期 (which asks no question about last year itself)', () => {
    classifiesAll([
      ['工业投资同比', compare(['industrial_investment'])],
      ['今年工业投资和去年比怎么样', compare(['industrial_investment'], { year: 2026 })],
      ['去年同期对比', compare([])],
      ['各项指标同比情况', compare([])],
      ['2020年工业投资同比增长多少', compare(['industrial_investment'], { year: 2020 })],
      ['技改投资跟去年同期比', compare(['tech_upgrade_investment'])],
      ['和去年同期比技改怎么样', compare(['tech_upgrade_investment'])],
      ['产值比去年增长多少', compare(['industrial_output_value'])],
      ['工业投资比去年多了多少', compare(['industrial_investment'])],
      ['工投增速', compare(['industrial_investment'])],
      ['光网覆盖率同比', compare(['village_fibre_coverage'])],
      ['去年工业投资同比', compare(['industrial_investment'], { year: 2025 })],
      ['year-on-year growth of industrial investment', compare(['industrial_investment'])],
      ['industrial investment vs last year', compare(['industrial_investment'])],
      ['how does industrial investment compare with last year', compare(['industrial_investment'])],
    ]);
  });

  describe('month on month (环比), where 上月 is no period asked about', () => {
    const sequential = (keys: string[], period: { year?: number; month?: number } = {}): Intent => ({ kind: 'compare', indicators: keys, basis: 'month', ...period });
    classifiesAll([
      ['工业投资环比', sequential(['industrial_investment'])],
      ['技改比上月增长多少', sequential(['tech_upgrade_investment'])],
      ['9月工业投资环比', sequential(['industrial_investment'], { year: 2026, month: 9 })],
      ['工业投资和上个月比', sequential(['industrial_investment'])],
      ['环比', sequential([])],
      ['industrial investment month on month', sequential(['industrial_investment'])],
      ['上月工投', progressIn(2026, 10, 'industrial_investment')],
    ]);
  });

  describe('a target', () => {
    classifiesAll([
      ['全年目标是多少', target([])],
      ['技改目标多少', target(['tech_upgrade_investment'])],
      ['工业投资的任务数', target(['industrial_investment'])],
      ['R&D目标是多少', target(['rd_share_of_gdp'])],
      ['5G基站任务数', target(['new_5g_sites'])],
      ['新增高企全年任务是多少', target(['new_high_tech_firms'])],
      ['请问技改的年度目标', target(['tech_upgrade_investment'])],
      ['2020年各项目标', target([], 2020)],
      ['今年的目标任务', target([], 2026)],
      ['what is the target for industrial investment', target(['industrial_investment'])],
      // With a word of progress, a target is the progress line's business.
      ['技改完成年度目标了吗', progress('tech_upgrade_investment')],
      ['目标完成得怎么样', { kind: 'overview' }],
      ['任务完成了多少', { kind: 'overview' }],
    ]);
  });

  describe('why something is behind', () => {
    classifiesAll([
      ['技改为什么落后', why('tech_upgrade_investment')],
      ['为什么工业投资这么慢', why('industrial_investment')],
      ['技改怎么这么慢', why('tech_upgrade_investment')],
      ['技改为啥落后这么多', why('tech_upgrade_investment')],
      ['工业投资怎么回事', why('industrial_investment')],
      ['为什么落后', why()],
      ['落后的原因', why()],
      ['why is tech upgrade behind', why('tech_upgrade_investment')],
      ['why are we behind', why()],
      // A reason asked about nothing in particular is no question about figures.
      ['为什么', { kind: 'unknown' }],
    ]);
  });

  describe('a reminder now (催报), naming people, sections or indicators', () => {
    classifiesAll([
      ['催一下李华', nudge('催一下李华')],
      ['催报 运行监测股', nudge('催报 运行监测股')],
      ['催一下王股长', nudge('催一下王股长')],
      ['催李华报数', nudge('催李华报数')],
      ['提醒王明报送', nudge('提醒王明报送')],
      ['叫科技计划股赶紧报', nudge('叫科技计划股赶紧报')],
      ['让刘洋报一下', nudge('让刘洋报一下')],
      ['提醒一下运行监测股', nudge('提醒一下运行监测股')],
      ['催一下没报的', nudge('催一下没报的')],
      ['谁还没报，催一下', nudge('谁还没报,催一下')],
      ['督促各股室报送', nudge('督促各股室报送')],
      ['催一下技改', nudge('催一下技改', ['tech_upgrade_investment'])],
      ['催报', nudge('催报')],
      ['remind Li Hua', nudge('remind li hua')],
      // Someone asking to be reminded, or to report, is no 催报.
      ['提醒我报送', { kind: 'report' }],
      ['让我报一下数', { kind: 'unknown' }],
    ]);
  });

  describe('who has not reported, in more words', () => {
    classifiesAll([
      ['还差谁', { kind: 'missing', text: '还差谁' }],
      ['哪些股室还差', { kind: 'missing', text: '哪些股室还差' }],
      ['11月都报齐了吗', { kind: 'missing', text: '11月都报齐了吗', period: { year: 2026, month: 11 } }],
      ['是不是都报了', { kind: 'missing', text: '是不是都报了' }],
      // A year not begun: its first month (not open yet, which the answer says); this year's alone: as without.
      ['2027年谁还没报', { kind: 'missing', text: '2027年谁还没报', period: { year: 2027, month: 1 } }],
      ['今年谁还没报', { kind: 'missing', text: '今年谁还没报' }],
      ['who is still missing', { kind: 'missing', text: 'who is still missing' }],
    ]);
  });

  describe('thanks, acknowledgements and greetings', () => {
    classifiesAll([
      ['谢谢', social('thanks')],
      ['谢谢啦', social('thanks')],
      ['多谢', social('thanks')],
      ['辛苦了', social('thanks')],
      ['谢谢局长', social('thanks')],
      ['好的谢谢', social('thanks')],
      ['收到，谢谢', social('thanks')],
      ['thank you', social('thanks')],
      ['ok thanks', social('thanks')],
      ['好的', social('ack')],
      ['收到', social('ack')],
      ['好嘞', social('ack')],
      ['嗯嗯', social('ack')],
      ['ok', social('ack')],
      ['你好啊', social('greeting')],
      ['早上好', social('greeting')],
      ['晚上好', social('greeting')],
      ['good morning', social('greeting')],
      // Politeness around a question leaves the question.
      ['谢谢，技改完成率', progress('tech_upgrade_investment')],
      ['你好，哪些指标落后了', behind()],
      ['不好意思', { kind: 'unknown' }],
    ]);
  });

  describe('the corrections made to figures (修改记录), not a correction started', () => {
    const revisions = (keys: string[], period: { year?: number; month?: number } = {}): Intent => ({ kind: 'revisions', indicators: keys, ...period });
    classifiesAll([
      ['技改修改记录', revisions(['tech_upgrade_investment'])],
      ['工业投资的更正记录', revisions(['industrial_investment'])],
      ['9月更正记录', revisions([], { year: 2026, month: 9 })],
      ['2020年修改过的记录', revisions([], { year: 2020 })],
      ['数据修改情况', revisions([])],
      ['谁改过工业投资', revisions(['industrial_investment'])],
      ['修订记录', revisions([])],
      ['industrial investment revisions', revisions(['industrial_investment'])],
      ['who changed the figures', revisions([])],
      // Still a correction: a month to correct, not the record of those made.
      ['修改9月数据', { kind: 'report', period: { year: 2026, month: 9 }, correcting: true }],
      ['更正', { kind: 'report', correcting: true }],
      // Said as a mistake to put right, with the indicator and the figure meant: the month's correction.
      ['技改11月数据报错了，应该是2.75亿', { kind: 'report', period: { year: 2026, month: 11 }, correcting: true }],
      ['上个月的数填错了', { kind: 'report', period: { year: 2026, month: 10 }, correcting: true }],
    ]);
  });

  describe('near misses: figures, reports and questions of old stay what they were', () => {
    classifiesAll([
      ['3家', { kind: 'unknown' }],
      ['19.6亿', { kind: 'unknown' }],
      ['3家 博昇乐', { kind: 'unknown' }],
      ['2.5', { kind: 'unknown' }],
      ['技改投资 2.43亿', { kind: 'one_shot', indicator: 'tech_upgrade_investment', text: '2.43亿' }],
      ['去年技改完成率', progressIn(2025, undefined, 'tech_upgrade_investment')],
      ['高企落后多少', progress('new_high_tech_firms')],
      ['技改差距', progress('tech_upgrade_investment')],
      ['规上工业总产值完成率', progress('industrial_output_value')],
      ['哪些股室还没报送', { kind: 'missing', text: '哪些股室还没报送' }],
      ['9月谁没报', { kind: 'missing', text: '9月谁没报', period: { year: 2026, month: 9 } }],
      // Whether one person, section or indicator has reported: the names are the answer's to find.
      ['李华报了没有', { kind: 'missing', text: '李华报了没有' }],
      ['运行监测股报了吗', { kind: 'missing', text: '运行监测股报了吗' }],
      ['王股长10月的报上来了没', { kind: 'missing', text: '王股长10月的报上来了没', period: { year: 2026, month: 10 } }],
      ['技改报没报', { kind: 'missing', text: '技改报没报', indicators: ['tech_upgrade_investment'] }],
      ['has 李华 reported', { kind: 'missing', text: 'has 李华 reported' }],
      // A section's English name is long, and some of its words are an indicator's: it is still whose report is asked.
      [
        'has the High-Tech Development and Industry-University-Research Section reported',
        { kind: 'missing', text: 'has the high-tech development and industry-university-research section reported' },
      ],
      ['2020年总体进度', { kind: 'overview', year: 2020 }],
      ['今天天气怎么样', { kind: 'unknown' }],
      ['重点项目建设进度', { kind: 'unknown' }],
    ]);
  });
});

describe('an organisation of a thousand more indicators', () => {
  // Names that share no character, fragment or word with any message of this file.
  const decoys = Array.from({ length: 1000 }, (_, i) => ({
    ...indicators[0]!,
    key: `decoy_${i}`,
    name: `飍龘飝${i}`,
    nameEn: `Xyzzy ${i}`,
    aliases: [`麤靐${i}`],
  }));
  const larger = createIntentMatcher([...decoys.slice(0, 500), ...indicators, ...decoys.slice(500)]);

  it('understands every message of this file as the organisation of its own indicators does', () => {
    expect(everyCase.length).toBeGreaterThan(100);
    for (const { text, today } of everyCase) expect(larger.classify(text, today), text).toEqual(matcher.classify(text, today));
  });
});
