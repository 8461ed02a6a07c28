import type { IndicatorDef } from './domain.js';
import { parseAnswer } from './numbers.js';
import type { Period } from './period.js';
import type { Unit } from './units.js';
import { type IndicatorIndex, type Mention, buildIndicatorIndex, findFuzzy, findMentions } from './intents/indicator-match.js';
import * as words from './intents/keywords.js';
import { type PeriodMention, type PeriodQuery, findPeriods, resolvePeriod } from './intents/periods.js';
import { blank, compact, coreBounds, fold, isQuestion } from './intents/text.js';
import { type Features, type SocialTone, blankComparisons, blankVocabulary, onlyFiller, readFeatures, socialTone } from './intents/vocabulary.js';

/** What one chat message outside a reporting dialogue asks for. Indicators are named by key. */
export type Intent =
  | { kind: 'progress'; indicators: string[]; year?: number; month?: number }
  | { kind: 'ambiguous'; candidates: string[]; year?: number; month?: number }
  | { kind: 'overview'; year?: number; month?: number }
  /** 谁还没报; `text` and `indicators` when the question may name people, sections or indicators (李华报了没有). */
  /** `overdue`: only those whose deadline has passed (逾期). */
  | { kind: 'missing'; period?: Period; text?: string; indicators?: string[]; overdue?: true }
  /** The year's workbook; `format: 'csv'` when the figures are asked for as CSV (导出csv, /export csv). */
  | { kind: 'export'; year?: number; format?: 'csv' }
  /** The period's progress bulletin (.docx), and the completion chart (PNG) alone. */
  | { kind: 'bulletin'; period?: Period }
  | { kind: 'annual_draft'; year?: number }
  | { kind: 'chart'; year?: number; month?: number }
  /** `correcting`: said as a correction (更正, 报错了): with the month all in, it is corrected. */
  | { kind: 'report'; period?: Period; correcting?: true }
  /** `text` is the value part, for parseAnswer; `period` only when the message names a month (9月工业投资 25亿). */
  | { kind: 'one_shot'; indicator: string; text: string; period?: Period }
  | { kind: 'bind'; code: string }
  | { kind: 'help' }
  /** A link to the web dashboard (看板). */
  | { kind: 'dashboard' }
  /** 哪些指标落后: only those behind 序时进度, worst first. */
  | { kind: 'behind'; year?: number; month?: number }
  /** 哪些指标领先, 超额完成的有哪些: those ahead of 序时进度, furthest first, and those whose target is met. */
  | { kind: 'ahead'; year?: number; month?: number }
  /** 同比, 去年同期: growth against the same months of last year (环比, `basis: 'month'`: against the month before); no indicators means every one. */
  | { kind: 'compare'; indicators: string[]; basis?: 'month'; year?: number; month?: number }
  /** 全年目标是多少: the annual target; no indicators means every one. */
  | { kind: 'target'; indicators: string[]; year?: number }
  /** 技改还差多少: the amount still to go to the year's target; no indicators means every one not yet met. */
  | { kind: 'remaining'; indicators: string[]; year?: number; month?: number }
  /** 技改为什么落后: what is missing, who owes it, by when; no indicators means those behind. */
  | { kind: 'why'; indicators: string[]; year?: number; month?: number }
  /** 催一下李华, 催报 运行监测股: `text` names people or sections, `indicators` the indicators named. */
  | { kind: 'nudge'; text: string; indicators: string[]; period?: Period }
  /** 谢谢, 好的, 早上好: a short reply in kind. */
  | { kind: 'social'; tone: SocialTone }
  /** 新增规上企业是哪几家, 技改是谁报的: the named indicators' figures month by month, who reported each and its note. */
  | { kind: 'details'; indicators: string[]; year?: number; month?: number }
  /** 修改记录, 更正记录: the corrections made to figures (none named: every one the member may see). */
  | { kind: 'revisions'; indicators: string[]; year?: number; month?: number }
  | { kind: 'unknown' };

/** The organisation's indicators and the current month, which a month named without a year is read against. */
export interface IntentContext {
  indicators: IndicatorDef[];
  today: { year: number; month: number };
}

/** Classifies messages against one organisation's indicators, prepared once. */
export interface IntentMatcher {
  classify(text: string, today: Period): Intent;
  /** The keys of the indicators `text` names by name, alias or key (not those it only hints at). */
  named(text: string): string[];
}

interface Tables {
  index: IndicatorIndex;
  units: ReadonlyMap<string, Unit>;
}

const HELP: Intent = { kind: 'help' };
const UNKNOWN: Intent = { kind: 'unknown' };
const MAX_CANDIDATES = 6;

/** Prepares matching for an organisation's indicators; `classify` is then pure and fast. */
export function createIntentMatcher(indicators: readonly IndicatorDef[]): IntentMatcher {
  const tables: Tables = {
    index: buildIndicatorIndex(indicators),
    units: new Map(indicators.map((i) => [i.key, i.unit])),
  };
  return {
    classify: (text, today) => classify(tables, text, today),
    named: (text) => {
      const folded = fold(text);
      return keysOf(findMentions(tables.index, folded, compact(folded)));
    },
  };
}

/**
 * The indicators of `retired` (those an organisation file stopped listing) that `text` names, when it names
 * none of `active`: the text is about those, not about an active one it resembles (道路货运量, gone, is not
 * 道路客运量). None when it names an active one.
 */
export function namedRetiredOnly(active: IntentMatcher, retired: IntentMatcher, text: string): string[] {
  const named = retired.named(text);
  return named.length > 0 && active.named(text).length === 0 ? named : [];
}

const matchers = new WeakMap<readonly IndicatorDef[], IntentMatcher>();

/** One-off classification; the matcher is kept per indicator list, so repeated calls stay cheap. */
export function classifyMessage(text: string, context: IntentContext): Intent {
  let matcher = matchers.get(context.indicators);
  if (!matcher) {
    matcher = createIntentMatcher(context.indicators);
    matchers.set(context.indicators, matcher);
  }
  return matcher.classify(text, context.today);
}

function classify(tables: Tables, text: string, today: Period): Intent {
  const folded = fold(text);
  const { start, end } = coreBounds(folded);
  const body = folded.slice(start, end);
  if (body === '') return folded.includes('?') ? HELP : UNKNOWN;
  if (body.startsWith('/')) return command(tables, body, today);
  const bind = words.BIND.exec(body);
  if (bind) return { kind: 'bind', code: (bind[1] ?? '').trim().toUpperCase() };
  const short = compact(body).text;
  const tone = socialTone(short, compact(folded).text);
  if (tone) return { kind: 'social', tone };
  if (words.HELP_WHOLE.test(short) || words.hasWords(words.HELP, short, body)) return HELP;

  // Indices stay those of `text`, so the one-shot value can be cut from what the user wrote.
  const window = ' '.repeat(start) + body + ' '.repeat(folded.length - end);
  const named = findMentions(tables.index, window, compact(window));
  // A report may carry a note, and a note may hold any word (情况说明见附件, 进度加快): only what comes before
  // the figure, a question mark anywhere, or a note that ends as a question (…对吗) make it a question.
  if (named.length > 0 && !folded.includes('?')) {
    const shot = oneShot(tables, text, window, named, today);
    if (shot && !isQuestion(fold(shot.told)) && !QUESTION_END.test(shot.intent.text)) return shot.intent;
  }
  return question(tables, window, named, today, false);
}

/** `{ format: 'csv' }` when the words ask for CSV. */
function asksCsv(text: string): { format?: 'csv' } {
  return /csv/i.test(text) ? { format: 'csv' } : {};
}

function command(tables: Tables, body: string, today: Period): Intent {
  const match = words.COMMAND.exec(body);
  if (!match) return UNKNOWN;
  const args = (match[2] ?? '').trim();
  const when = resolvePeriod(findPeriods(args, today).mentions, today);
  switch (match[1]) {
    case 'start':
    case 'bind':
      return words.CODE.test(args) ? { kind: 'bind', code: args.toUpperCase() } : HELP;
    case 'help':
      return HELP;
    case 'progress':
      return question(tables, args, findMentions(tables.index, args, compact(args)), today, true);
    case 'missing':
      return { kind: 'missing', ...asPeriod(when) };
    case 'export':
      return { kind: 'export', ...asYear(when), ...asksCsv(args) };
    case 'bulletin':
    case '通报':
      return { kind: 'bulletin', ...asPeriod(when) };
    case 'chart':
    case '图表':
    case '看图':
      return { kind: 'chart', ...when };
    case 'report':
      return { kind: 'report', ...asPeriod(when) };
    case 'dashboard':
      return { kind: 'dashboard' };
    default:
      return UNKNOWN;
  }
}

/**
 * A question, or a request that names no figure. `byCommand`: /progress, whose default is the overview.
 * The words left once indicators are taken out are read as features (vocabulary.ts); the rules below
 * decide on those, first the requests (催报, 谁没报, 导出, 报送), then what the question asks about.
 */
function question(tables: Tables, window: string, named: Mention[], today: Period, byCommand: boolean): Intent {
  const unnamed = named.reduce((s, m) => blank(s, m.start, m.end), window);
  const features = readFeatures(compact(unnamed).text, unnamed);
  // 去年同期 compares with last year; it does not ask about last year.
  const rest = blankComparisons(unnamed);
  const periods = findPeriods(rest, today);
  const when = resolvePeriod(periods.mentions, today);
  const zh = compact(rest).text;
  if (!byCommand) {
    if (named.length === 0 && words.hasWords(words.DASHBOARD, zh, rest)) return { kind: 'dashboard' };
    if (words.hasWords(words.ANNUAL_DRAFT, zh, rest)) return { kind: 'annual_draft', ...asYear(when) };
    if (words.hasWords(words.BULLETIN, zh, rest)) return { kind: 'bulletin', ...asPeriod(when) };
    if (words.hasWords(words.CHART, zh, rest)) return { kind: 'chart', ...when };
    if (features.nudge) return { kind: 'nudge', text: window.trim(), indicators: keysOf(named), ...asPeriod(when) };
    if (features.unreported || words.hasWords(words.MISSING, zh, rest)) {
      const overdue = words.hasWords(words.OVERDUE, zh, rest) ? { overdue: true as const } : {};
      // A later year alone (2027年谁还没报 in 2026) is its first month, which answerMissing says is not open yet.
      const later = when.year !== undefined && when.month === undefined && when.year > today.year ? { period: { year: when.year, month: 1 } } : asPeriod(when);
      return { kind: 'missing', text: window.trim(), ...(named.length > 0 ? { indicators: keysOf(named) } : {}), ...overdue, ...later };
    }
    if (words.hasWords(words.REVISIONS, zh, rest)) return { kind: 'revisions', indicators: keysOf(named), ...when };
    const csv = asksCsv(rest);
    if (words.hasWords(words.EXPORT, zh, rest) || csv.format) return { kind: 'export', ...asYear(when), ...csv };
    if (words.hasWords(words.REPORT, zh, rest.trim())) {
      return { kind: 'report', ...asPeriod(when), ...(words.hasWords(words.CORRECTING, zh, rest.trim()) ? { correcting: true as const } : {}) };
    }
  }
  if (named.length > 0) return aboutNamed(named, when, features);
  const hints = blankVocabulary(periods.rest);
  const fuzzy = findFuzzy(tables.index, hints, compact(hints));
  const plain = periods.rest.trim().replace(/\s+/g, ' ');
  const asksProgress = words.hasWords(words.PROGRESS, compact(plain).text, plain);
  const asksOfIt = features.rate || asksProgress || measureAsked(features, [], when) !== undefined;
  const guess = fuzzy && fuzzy.keys.length === 1 && (fuzzy.strong || (fuzzy.opening && asksOfIt)) ? fuzzy.keys : undefined;
  if (!byCommand) {
    const asked = measureAsked(features, guess ?? [], when);
    if (asked && (guess || !fuzzy)) return asked;
    if (features.behind && !guess) return { kind: 'behind', ...when };
    if (features.ahead && !guess && !features.remaining) return { kind: 'ahead', ...when };
  }
  if (words.hasWords(words.OVERVIEW, zh, rest)) return { kind: 'overview', ...when };
  // 目标完成得怎么样, 任务完成了多少: progress with nothing named is the overview.
  if (!byCommand && !fuzzy && features.rate && onlyFiller(periods.rest)) return { kind: 'overview', ...when };
  if (fuzzy && fuzzy.keys.length >= 2 && fuzzy.keys.length <= MAX_CANDIDATES)
    return { kind: 'ambiguous', candidates: fuzzy.keys, ...when };
  if (guess) return { kind: 'progress', indicators: guess, ...when };
  // 重点项目建设进度 is about something untracked; the overview would answer a question nobody asked.
  if (fuzzy) return UNKNOWN;
  if (byCommand || asksProgress) return { kind: 'overview', ...when };
  return UNKNOWN;
}

/** A question about a reason, a comparison, what is left or a target, of `keys` (none: every indicator, or those behind). */
function measureAsked(features: Features, keys: string[], when: PeriodQuery): Intent | undefined {
  if (features.why && (features.behind || keys.length > 0)) return { kind: 'why', indicators: keys, ...when };
  if (features.details && keys.length > 0) return { kind: 'details', indicators: keys, ...when };
  if (features.sequential) return { kind: 'compare', indicators: keys, basis: 'month', ...when };
  if (features.compare) return { kind: 'compare', indicators: keys, ...when };
  // 离目标还差多少 asks what is left of the target, not what the target is.
  if (features.remaining) return { kind: 'remaining', indicators: keys, ...when };
  // 哪些达到目标了, which met their targets: what is ahead, not what the targets are.
  if (features.target && !features.rate && !features.ahead) return { kind: 'target', indicators: keys, ...asYear(when) };
  return undefined;
}

function keysOf(named: Mention[]): string[] {
  return [...new Set(named.flatMap((m) => m.keys))];
}

function aboutNamed(named: Mention[], when: PeriodQuery, features: Features): Intent {
  const keys = keysOf(named);
  if (named.some((m) => m.keys.length > 1)) return { kind: 'ambiguous', candidates: keys.slice(0, MAX_CANDIDATES), ...when };
  return measureAsked(features, keys, when) ?? { kind: 'progress', indicators: keys, ...when };
}

// What may stand between a one-line report's figure and a month named after it (`3.6 in October`, `2.5亿（10月）`),
// at the end of what precedes the month: the whole of that stretch when nothing is left once it is cut.
const MONTH_LEAD = /[\s,，;；(（]*(?:in|for|of)?\s*$/i;

// 2.43亿 对吗, 2.43亿吧？: the note asks whether the figure is right.
const QUESTION_END = /[吗呢么嘛吧]\s*$/;

/**
 * `5G站点 本月新增12个` → the indicator and the words after it, when those read as a figure in its unit.
 * Only a reporting verb or a period may stand before the indicator. A month named before it or at the
 * start of the value (1–11月累计 19.6亿) goes into `period`; a year alone makes it no report.
 */
function oneShot(
  tables: Tables,
  text: string,
  window: string,
  named: Mention[],
  today: Period,
): { intent: Extract<Intent, { kind: 'one_shot' }>; told: string } | undefined {
  const [first] = named;
  const key = first?.keys.length === 1 ? first.keys[0] : undefined;
  const unit = key === undefined ? undefined : tables.units.get(key);
  if (!first || key === undefined || unit === undefined) return undefined;
  // A second indicator before the figure, or followed by a figure of its own, means two figures in one
  // message, which one_shot cannot carry; one named in the note is a word of it (新设外资企业 1家 丹霞外资酒店).
  const others = named.filter((m) => !m.keys.includes(key));

  const { mentions } = findPeriods(blank(window, first.start, first.end), today);
  let from = first.end + (words.ONE_SHOT_LEAD.exec(window.slice(first.end))?.[0].length ?? 0);
  const chosen: PeriodMention[] = mentions.filter((p) => p.end <= first.start && !p.current);
  const label = mentions.find((p) => p.start === from && !p.current);
  if (label) {
    chosen.push(label);
    from = label.end + (words.ONE_SHOT_LEAD.exec(window.slice(label.end))?.[0].length ?? 0);
  }
  if (chosen.some((p) => p.month === undefined)) return undefined;

  const prefix = mentions.filter((p) => p.end <= first.start).reduce((s, p) => blank(s, p.start, p.end), window.slice(0, first.start));
  if (!words.ONE_SHOT_PREFIX.test(compact(prefix).text)) return undefined;

  let value = text.slice(from, window.trimEnd().length).trim();
  // `工业投资 2020` asks about 2020 rather than reporting 2020亿.
  if (/^(?:20\d\d|2100)$/.test(fold(value))) return undefined;
  let parsed = parseAnswer(value, unit);
  // A month named right after the figure (`3.6 in October`, `2.5亿 10月`) is the report's month, not its note.
  if (parsed.ok && chosen.length === 0) {
    const end = text.indexOf(parsed.value.given, from) + parsed.value.given.length;
    const after = mentions.find((p) => p.start >= end && !p.current && p.month !== undefined && window.slice(end, p.start).replace(MONTH_LEAD, '') === '');
    if (after && end >= from) {
      chosen.push(after);
      value = `${text.slice(from, after.start).replace(MONTH_LEAD, '')} ${text.slice(after.end).replace(/^[\s)）,，;；]+/, '')}`.trim();
      parsed = parseAnswer(value, unit);
    }
  }
  const period = asPeriod(resolvePeriod(chosen, today)).period;
  // A figure in a unit that does not fit (78公里 for one kept in 个, 3只) is still a report: the dialogue
  // says what is wrong with it, where taking it for a question would answer something else in silence.
  if (!parsed.ok) {
    if (others.length > 0 || (parsed.error.code !== 'unit_mismatch' && parsed.error.code !== 'unknown_unit')) return undefined;
    return { intent: { kind: 'one_shot', indicator: key, text: value, ...(period ? { period } : {}) }, told: text };
  }
  // What the message says up to the figure and its unit; the note follows.
  const figureAt = text.indexOf(parsed.value.given, from);
  const figureEnd = figureAt < 0 ? text.length : figureAt + parsed.value.given.length;
  const ownFigure = (m: Mention) => m.keys.some((other) => parseAnswer(text.slice(m.end).trim(), tables.units.get(other)!).ok);
  if (others.some((m) => m.start < figureEnd || ownFigure(m))) return undefined;
  const told = text.slice(0, figureEnd);
  return { intent: { kind: 'one_shot', indicator: key, text: value, ...(period ? { period } : {}) }, told };
}

function asPeriod(when: PeriodQuery): { period?: Period } {
  return when.year !== undefined && when.month !== undefined ? { period: { year: when.year, month: when.month } } : {};
}

function asYear(when: PeriodQuery): { year?: number } {
  return when.year === undefined ? {} : { year: when.year };
}
