import { showFigure } from '../../core/dialogue/format.js';
import type { MessageKey } from '../../core/i18n.js';
import { indicatorName, monthName, periodLabel, queriedMark, sectionName } from '../../core/render.js';
import { reportingYear } from '../../core/schedule.js';
import { toDecimal } from '../../db/org-repository.js';
import { channelName } from '../reports/workbook.js';
import { type AnswerContext, visibleIndicators } from './questions.js';

/**
 * 新增规上企业是哪几家, 技改是谁报的: each named indicator's figures of the year (the month's, when one is named),
 * month by month, with who reported each (the latest version's reporter, or the channel of an import) and its
 * note — the firms' names as the reporter typed them (3家 博昇乐、创睿极光、金丰), which no other answer shows.
 */
export async function answerDetails(ctx: AnswerContext, keys: string[], when: { year?: number; month?: number }): Promise<string[]> {
  const indicators = visibleIndicators(ctx).filter((indicator) => keys.includes(indicator.key));
  if (indicators.length === 0) return [ctx.t('chat.not_your_section')];
  const organisation = ctx.org.organisation();
  const year = when.year ?? reportingYear(ctx.now(), organisation.timezone, organisation.schedule);
  const rows = await ctx.tx.submission.findMany({
    where: { year, ...(when.month === undefined ? {} : { month: when.month }), indicatorId: { in: indicators.map((indicator) => indicator.id) } },
    orderBy: [{ month: 'asc' }],
    select: {
      indicatorId: true,
      month: true,
      value: true,
      queried: true,
      revisions: { orderBy: { revision: 'desc' }, take: 1, select: { note: true, channel: true, member: { select: { name: true } } } },
    },
  });
  const locale = ctx.member.locale;
  const scope = { year, period: when.month === undefined ? '' : periodLabel(ctx.t, { year, month: when.month }) };
  const blocks = indicators.map((indicator) => {
    const name = indicatorName(indicator, locale);
    const months = rows.filter((row) => row.indicatorId === indicator.id);
    if (months.length === 0) return ctx.t(when.month === undefined ? 'answers.details_none' : 'answers.details_none_month', { name, ...scope });
    const header = ctx.t(when.month === undefined ? 'answers.details_header' : 'answers.details_header_month', {
      name,
      section: sectionName(indicator.section, locale),
      ...scope,
    });
    const lines = months.map((row) => {
      const latest = row.revisions[0];
      const note = latest?.note ? ctx.t('answers.details_note', { note: latest.note }) : '';
      return ctx.t('answers.details_line', {
        month: monthName(ctx.t, row.month),
        basis: ctx.t(`answers.details_basis_${indicator.kind}` as MessageKey),
        figure: `${showFigure(ctx.t, indicator, toDecimal(row.value))}${queriedMark(ctx.t, row.queried)}`,
        who: latest?.member?.name ?? channelName(ctx.t, latest?.channel ?? ''),
        note,
      });
    });
    return [header, ...lines].join('\n');
  });
  return [blocks.join('\n')];
}
