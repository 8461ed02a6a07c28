import { type Decimal, formatDecimal } from '../../core/decimal.js';
import type { IndicatorDef } from '../../core/domain.js';
import { englishMoney, readerDigits } from '../../core/english-money.js';
import type { MessageKey, Translate } from '../../core/i18n.js';
import { type IndicatorProgress, formatFigure, formatPercent, formatPoints, levelShortfall } from '../../core/progress.js';
import { type YearOnYearKeys, amountText, indicatorName, figureNotes, quarterSpan, unitWord, yearOnYear } from '../../core/render.js';
import { monthParams } from './report-data.js';

/*
 * An indicator's progress in the phrasing of the bureau's own documents (the 2020 self-evaluation):
 * 1-12月我市完成工业投资25.15亿元，同比增长33.7%，完成韶关下达年度目标任务（21亿元）的119.76%（我市: `weOf`).
 * Every number comes from IndicatorProgress; the words from locales/ (reports.sentence.*).
 */

/**
 * A value with its unit, written as documents write it ("25.15亿元", "0.50%", "5家"; "2.515 billion yuan" in
 * English); given the indicator, English uses its own word for the unit (5 institutions, not 5 firms).
 */
export function documentFigure(t: Translate, value: string, unit: IndicatorDef['unit'] | Pick<IndicatorDef, 'unit' | 'unitEn'>): string {
  const indicator = typeof unit === 'string' ? { unit } : unit;
  if (indicator.unit === '%') return t('figure.percent', { value });
  return englishMoney(t, value, indicator.unit) ?? t('reports.unit_figure', { value: readerDigits(t, value), unit: unitWord(t, indicator, value) });
}

/** A difference of the indicator, written as documents write it ("0.19个百分点" for a share, "3家"). */
export function documentAmount(t: Translate, indicator: IndicatorDef, value: Decimal): string {
  return amountText(t, indicator, value, (t, shown, unit) => documentFigure(t, shown, unit));
}

function span(t: Translate, indicator: IndicatorDef, month: number): string {
  const params = monthParams(t, month);
  if (indicator.kind === 'level') return t('reports.span.level', params);
  const quarters = quarterSpan(t, indicator, month, 'reports.span.quarters');
  if (quarters !== undefined) return quarters;
  const first = month === 1 ? '_first' : '';
  return t(`reports.span.${indicator.kind}${first}` as MessageKey, params);
}

const SENTENCE_YOY: YearOnYearKeys = {
  up: 'reports.sentence.yoy_up',
  down: 'reports.sentence.yoy_down',
  flat: 'reports.sentence.yoy_flat',
  pointsUp: 'reports.sentence.yoy_points_up',
  pointsDown: 'reports.sentence.yoy_points_down',
};

const PLACES = { 省: 'province', 市: 'city', 县: 'county', 区: 'district', 州: 'prefecture', 旗: 'banner' } as const;

/**
 * How the bureau's documents name its own area: 我市 for 乐昌市工业和信息化局, 我县 for 仁化县…, 我区 for
 * 韶关市曲江区… (the last division its name begins with); 我局 when the name begins with none.
 */
export function weOf(t: Translate, organisation: string): string {
  const divisions = /^(?:[\u4e00-\u9fff]{1,8}?[省市县区州旗])+/.exec(organisation)?.[0] ?? '';
  const last = divisions.at(-1) as keyof typeof PLACES | undefined;
  const place = last ? PLACES[last] : 'bureau';
  return t('reports.sentence.we', { place: t(`reports.place.${place}`) });
}

/**
 * The indicator's name where its figure follows at once (我县电商培训120人次, not 电商培训人次120人次): a name that
 * ends in its unit's counting word loses it. Only a word of two characters or more: 农户5户 is not 农5户.
 */
export function nameBeforeFigure(indicator: Pick<IndicatorDef, 'name' | 'nameEn' | 'unit'>, locale: string): string {
  const name = indicatorName(indicator, locale);
  if (locale === 'en') return name;
  const word = indicator.unit.replace(/^[万亿]/, '');
  return word.length >= 2 && name.length > word.length && name.endsWith(word) ? name.slice(0, -word.length) : name;
}

/**
 * The indicator's name inside a sentence, its figure after it (`nameBeforeFigure`); in English its first
 * word in lower case when that is an ordinary capitalised word (In January–October, industrial investment
 * in our city reached…), kept as written when it is an acronym, a figure or a word with capitals inside
 * (R&D, GDP, 5G, WeChat).
 */
export function nameInSentence(indicator: Pick<IndicatorDef, 'name' | 'nameEn' | 'unit'>, locale: string): string {
  const name = nameBeforeFigure(indicator, locale);
  return locale === 'en' && /^[A-Z][a-z]+(?![A-Za-z0-9&])/.test(name) ? name[0]!.toLowerCase() + name.slice(1) : name;
}

/** The indicator's sentence: figure, growth and completion of the target where there is one; `we` from `weOf`. */
export function progressSentence(t: Translate, locale: string, progress: IndicatorProgress, we: string, setBy?: string): string {
  const { indicator } = progress;
  const name = indicatorName(indicator, locale);
  if (progress.ytd === undefined || progress.throughMonth === undefined) {
    return t('reports.sentence.no_data', { name, year: progress.year });
  }
  const level = indicator.kind === 'level';
  const params = {
    // A level's figure follows 为 (电商培训人次为…); the other leads put the figure right after the name.
    name: level && locale !== 'en' ? name : nameInSentence(indicator, locale),
    span: span(t, indicator, progress.throughMonth),
    // A figure kept despite a query says so wherever directors read it: 待核实 after it, as in the chat.
    // An increment's sum that lacks months names them, as the chat does: one month is not the year's.
    figure: `${documentFigure(t, formatFigure(progress.ytd, indicator.decimals), indicator)}${figureNotes(t, progress.queried, progress.unreportedMonths, true)}`,
    yoy: yearOnYear(t, progress, SENTENCE_YOY),
    we,
  };
  const lead = t(level ? 'reports.sentence.lead_level' : completes(indicator) ? 'reports.sentence.lead_completed' : 'reports.sentence.lead_plain', params);
  const target = progress.target === undefined || progress.rate === undefined ? '' : t('reports.sentence.target', {
    target: documentFigure(t, formatDecimal(progress.target, indicator.decimals), indicator),
    rate: formatPercent(progress.rate),
    setBy: setBy ? t('reports.sentence.set_by', { setBy }) : '',
  });
  return `${lead}${target}${t('reports.sentence.end')}`;
}

/*
 * 完成 goes with what a plan is carried out in, investment and output (完成工业投资25.15亿元, 完成规上工业总产值…).
 * Said of a stock, or of additions whose name says 新增, it is wrong Chinese (完成新增规上企业11家, 完成企业授信22.50
 * 亿元): those read 1-12月我市新增规上企业11家, 1-9月我市企业授信22.50亿元. The name says which: the organisation
 * file has no field.
 */
const COMPLETED_IN = /投资|产值|增加值/;
/*
 * A month's additions are work done, said with 完成 as the bureau's report says them (完成原址改造4G站址105个:
 * 完成5G基站建设84个, 完成清洁生产审核企业7家, not 我市清洁生产审核企业7家 with no verb at all) — unless the name
 * says its own verb of adding (新增规上企业11家, 引进…).
 */
const ADDS_ITSELF = /^(?:新增|新建|新开|新设|新培育|新认定|引进|招引)/;

function completes(indicator: IndicatorDef): boolean {
  if (indicator.kind === 'increment') return !ADDS_ITSELF.test(indicator.name);
  return indicator.kind === 'cumulative' && COMPLETED_IN.test(indicator.name);
}

/**
 * 序时进度 and the gap, for a progress bulletin ("序时进度91.67%，领先1.67个百分点。"); for a level, which has no
 * 序时进度, its distance from the target ("距年度目标尚差0.19个百分点。"); for one the file measures without it
 * (time_progress: false), that it is not ("不按序时进度考核。"); empty without a rate.
 */
export function scheduleSentence(t: Translate, progress: IndicatorProgress): string {
  const shortfall = levelShortfall(progress);
  if (shortfall !== undefined) {
    if (shortfall.isZero()) return t('reports.sentence.level_met');
    const amount = documentAmount(t, progress.indicator, shortfall.abs());
    return t(shortfall.isPositive() ? 'reports.sentence.level_short' : 'reports.sentence.level_over', { amount });
  }
  if (!progress.gap) return progress.rate !== undefined && progress.indicator.timeProgress === false ? t('reports.sentence.unscheduled') : '';
  return t('reports.sentence.schedule', {
    elapsed: formatPercent(progress.elapsed),
    gap: t(`reports.sentence.gap_${progress.gap.status}`, { points: formatPoints(progress.gap.points) }),
  });
}

/**
 * An indicator with a target and no figure in the year: 未报送, as of `month` (the month a document is
 * about) or, for a finished year, all year. It is one of the year's targets, so it is said, not left out.
 */
export function notReportedSentence(t: Translate, locale: string, progress: IndicatorProgress & { target: Decimal }, month: number | undefined): string {
  const { indicator } = progress;
  const params = {
    name: indicatorName(indicator, locale),
    target: documentFigure(t, formatDecimal(progress.target, indicator.decimals), indicator),
    year: progress.year,
  };
  return month === undefined
    ? t('reports.sentence.not_reported_year', params)
    : t('reports.sentence.not_reported', { ...params, ...monthParams(t, month) });
}
