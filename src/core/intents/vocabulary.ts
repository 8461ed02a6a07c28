import type { Keywords } from './keywords.js';
import { blank } from './text.js';

/*
 * The words directors use about figures, grouped by what they say about a question rather than listed as
 * sentences: a measure (同比, 目标 …), a state (落后, 滞后 …), a reason asked (为什么 …), an action (催报 …)
 * or a social remark (谢谢 …). `question()` in ../intents.ts reads a message as the set of these it holds,
 * and rules over that set pick the intent, so a wording never seen before still finds its answer.
 */

/** 同比, 去年同期, 和去年比: the same months of last year. Spans are blanked before periods are read (去年 is no year here). */
export const COMPARE: Keywords = {
  zh: /同比|(?:去年|上年|上一年)同期|同期(?:相比|比)?|(?:和|跟|与|同|比|较|对比)(?:去年|上年|上一年)(?:同期)?(?:相比|比|比较|对比)?|(?:去年|上年)(?:相比|比较|对比)|增速|增幅|增长率|增长了?多少|增长(?:情况|怎么样|如何)/,
  en: /\b(?:year[- ]on[- ]year|yoy|y\/y|(?:compared? (?:with|to)|vs\.?|versus|than|against) last year|same period (?:of )?last year|growth)\b/,
};

/** 环比, 比上月: a month's own figure against the month before's. Blanked before periods too (上月 is no period here). */
export const SEQUENTIAL: Keywords = {
  zh: /环比|(?:比|较|和|跟|与|同|对比)上(?:个|一个)?月(?:相比|比|比较|对比)?|上(?:个)?月(?:相比|比较|对比)/,
  en: /\b(?:month[- ]on[- ]month|mom|m\/m|(?:compared? (?:with|to)|vs\.?|versus|than|against) last month)\b/,
};

/** 目标, 任务数: the annual target itself. */
export const TARGET: Keywords = {
  zh: /目标|任务数|任务量|全年任务|年度任务|计划数|指标数/,
  en: /\b(?:targets?|goals?|quota)\b/,
};

/** 完成率, 进度: how far the figure has got; with it, a target word asks for the progress line, not the target. */
export const RATE: Keywords = {
  zh: /完成|进度|达成|达到|实现/,
  en: /\b(?:progress|completion|complete[d]?|achieved|rate)\b/,
};

/** 落后, 滞后, 拖后腿: behind 序时进度. */
export const BEHIND: Keywords = {
  zh: /落后|滞后|差距|没完成|未完成|完不成|没达到|未达到|达不到|拖后腿|偏慢|慢了|太慢|较慢|很慢|进度慢|低于序时|不达序时|欠账|掉队|跟不上|赶不上|缓慢|不理想|不达标|预警|(?:完成|做)得?(?:不好|不够|较差)|欠佳|偏低|偏少|最低|最差|最慢|倒数|垫底|排名?靠后|拖后/,
  en: /\b(?:behind|lagging|lags?|falling short|off track|slow(?:est)?|below schedule|under ?performing|laggards?)\b/,
};

/**
 * 领先, 超额完成, 完成得最好: ahead of 序时进度, or the target met. 不达标 and 完成得不好 are BEHIND's, and
 * BEHIND is read first.
 */
export const AHEAD: Keywords = {
  zh: /领先|超额|超过序时|快于序时|高于序时|超序时|走在前|跑赢|提前完成|(?<!不|未|没)达标|(?<!未|没)完成(?:了)?(?:全年|年度)?(?:目标|任务)(?!.{0,4}(?:多少|吗|么|没|了吗))|完成得?(?:好|最好|较好|不错|比较好)|(?:表现|进度)(?:最?好|较好|不错|最快|快)|最好的|哪(?:个|些|几项)(?:指标)?(?:最好|好)|哪(?:些|几项|几个)(?:指标|任务)?(?:已经?)?完成了(?!.{0,2}(?:多少|吗|么))|已(?:经)?完成(?:了)?的(?:指标|任务)?(?:有)?哪/,
  en: /\b(?:ahead|on track|exceed(?:s|ed|ing)?|best|top performers?|(?:met|reached|achieved) (?:the |their |its )?(?:annual )?targets?|targets? (?:have|has) (?:we |been |they )?(?:met|reached|achieved))\b/,
};

/**
 * 还差多少, 缺口, 离目标还有多远: the amount still to go to the target. 还差几项 is left out: 还差几项没报 asks
 * who has not reported (UNREPORTED and MISSING, read first, keep 还差谁, 还差哪些股室 and 没报).
 */
export const REMAINING: Keywords = {
  zh: /还差(?:多少|几(?!项|位|人|个?股室))|差(?:了)?多少|缺口|差额|还剩(?:多少|几(?![天日]))|剩余(?:多少|任务|量)|还(?:需要?|要|得)(?:完成|干|做)?多少|还有多少(?:没|未|要|需|待)|(?:距离?|离)(?:完成)?(?:年度|全年)?(?:目标|任务)(?:还)?(?:有|差)?(?:多远|多少)/,
  en: /\b(?:how much (?:is |are )?(?:still )?(?:left|remaining|to go)|what(?:'s| is) (?:still )?left|how (?:many|much) more|how far (?:\w+ ){0,3}(?:from|off|away from|short of)|remaining|shortfall|left to (?:go|reach|do|achieve|meet)|short of (?:the |our |its )?(?:targets?|goals?))\b/,
};

/** 为什么, 怎么回事: the reason something stands where it does. */
/** 哪几家, 谁报的, 明细: which firms a count is (the notes typed with it), who reported each month. */
export const DETAILS: Keywords = {
  zh: /哪几家|哪几个|哪些(?:企业|公司|单位|项目|机构|站点|基站|村)|是哪些|有哪些|名单|明细|谁报的|谁填的|谁报送的|是谁报|谁负责|哪个股室负责|报送人/,
  en: /\bwhich (?:firms|companies|ones|projects|sites)\b|\bwho (?:reported|filed|submitted|is responsible)\b|\bdetails\b|\blist\b/,
};

export const WHY: Keywords = {
  zh: /为什么|为何|为啥|怎么回事|咋回事|什么原因|啥原因|原因|怎么这么|咋这么|怎么会|怎么还/,
  en: /\b(?:why|how come|reason)\b/,
};

/** 催报, 催一下, 提醒: a reminder to be sent now. 提醒我 is someone asking for themselves, not a 催报. */
export const NUDGE: Keywords = {
  zh: /催|督促|督办|提醒(?!我)|(?:通知|叫|让|喊)(?!我)[^，,。]{0,8}报/,
  en: /\b(?:remind|chase|nudge|hurry)\b/,
};

/** 还差谁, 报齐了吗: who has not reported, in words `MISSING` (keywords.ts) does not hold. */
export const UNREPORTED: Keywords = {
  // 李华报了没有, 运行监测股报了吗, 技改报没报: whether someone (or something) is reported.
  zh: /还差谁|差谁|缺谁|股室还差|还差.{0,3}股室|还差哪|差哪几|报齐|交齐|都报了|都交了|报完了吗|都报送了|是否都报|谁没交|哪些没交|(?:报|交|填|报送)(?:过|上来)?了?(?:没有?|吗|么)|报没报|交没交|有没有(?:报|交)(?!表)/,
  en: /\b(?:who (?:is|are) (?:still )?(?:missing|remaining|left)|who still owes|all reported|everyone reported|(?:has|have|did)\b.{1,80}\b(?:reported|report|submitted|submit))\b/,
};

/** Messages that are only thanks, an acknowledgement or a greeting (compact, whole message). */
const THANKS = '谢谢(?:你|您|啦|了)?|多谢|感谢|谢了|辛苦(?:了|啦|你了|您了)?|thanks?(?:you)?|thx|ty';
const ACK = '好的?|好嘞|好滴|行|嗯+|哦+|ok|okay|收到|知道了|明白了?|了解|懂了|没问题|got it|noted';
const GREETING = '你好|您好|早上好|上午好|中午好|下午好|晚上好|早安|早|在吗|在不在|哈喽|大家好|hi|hello|hey|goodmorning|goodafternoon|goodevening|morning';
const PARTICLES = '[啊呀哈啦了吧哦呢~～!！。.,，、\\s]*';
const ADDRESS = '(?:局长|股长|助手|小助手|报数助手)?';
const whole = (words: string) => new RegExp(`^(?:(?:${words})${ADDRESS}${PARTICLES})+$`);
const SOCIAL_ANY = whole(`${THANKS}|${ACK}|${GREETING}`);
const THANKS_ANY = new RegExp(`(?:${THANKS})`);
const GREETING_ANY = new RegExp(`^(?:${GREETING})`);

export type SocialTone = 'thanks' | 'greeting' | 'ack';

/**
 * The tone of a message that is only social words (好的谢谢, 早上好, 收到), else undefined: `core` is the
 * compact message proper, `whole` the compact message with what coreBounds strips (a trailing 谢谢).
 */
export function socialTone(core: string, whole: string): SocialTone | undefined {
  if (core === '' || !SOCIAL_ANY.test(core)) return undefined;
  if (THANKS_ANY.test(whole)) return 'thanks';
  return GREETING_ANY.test(core) ? 'greeting' : 'ack';
}

/** What a question's words say, apart from the indicators and periods it names. */
export interface Features {
  compare: boolean;
  sequential: boolean;
  target: boolean;
  rate: boolean;
  behind: boolean;
  ahead: boolean;
  remaining: boolean;
  why: boolean;
  details: boolean;
  nudge: boolean;
  unreported: boolean;
}

const test = (words: Keywords, zh: string, en: string) => words.zh.test(zh) || words.en.test(en);

/** Reads the features from the compact (`zh`) and the spaced (`en`) text. */
export function readFeatures(zh: string, en: string): Features {
  return {
    compare: test(COMPARE, zh, en),
    sequential: test(SEQUENTIAL, zh, en),
    target: test(TARGET, zh, en),
    rate: test(RATE, zh, en),
    behind: test(BEHIND, zh, en),
    ahead: test(AHEAD, zh, en),
    remaining: test(REMAINING, zh, en),
    why: test(WHY, zh, en),
    details: test(DETAILS, zh, en),
    nudge: test(NUDGE, zh, en),
    unreported: test(UNREPORTED, zh, en),
  };
}

// Each pattern's global twin, made once: every question blanks the vocabulary (matchAll copies it, so sharing is safe).
const everyMatch = new WeakMap<RegExp, RegExp>();

function globalOf(pattern: RegExp): RegExp {
  let global = everyMatch.get(pattern);
  if (!global) everyMatch.set(pattern, (global = new RegExp(pattern.source, 'g')));
  return global;
}

function blankWords(text: string, list: readonly Keywords[]): string {
  let out = text;
  for (const words of list) {
    for (const pattern of [words.zh, words.en]) {
      for (const m of out.matchAll(globalOf(pattern))) out = blank(out, m.index, m.index + m[0].length);
    }
  }
  return out;
}

/** `text` with every comparison phrase blanked (same length): 去年同期, 比上月 then read as no period of their own. */
export function blankComparisons(text: string): string {
  return blankWords(text, [COMPARE, SEQUENTIAL]);
}

/** `text` with every vocabulary word blanked, so that they do not count as hints at an indicator's name. */
export function blankVocabulary(text: string): string {
  return blankWords(text, [COMPARE, SEQUENTIAL, TARGET, RATE, BEHIND, AHEAD, REMAINING, WHY, NUDGE, UNREPORTED]);
}

// What may stand around the vocabulary in a question that asks about nothing else: 目标完成得怎么样了.
const FILLER = /怎么样|咋样|任务|工作|如何|多少|情况|目前|现在|当前|总共|一共|我们|咱们|整个|[的了吗呢啊呀吧得是有个几怎样么]|\b(?:how|what|is|are|the|our|we|so far)\b/g;

/** True when nothing but filler is left of `text` once the vocabulary is blanked: it asks about nothing in particular. */
export function onlyFiller(text: string): boolean {
  return blankVocabulary(text).replace(FILLER, '').replace(/[\s?？!！。.,，]/g, '') === '';
}
