import { formatLocalTime } from '../../core/calendar.js';
import type { Decimal } from '../../core/decimal.js';
import { showFigure } from '../../core/dialogue/format.js';
import { joinList } from '../../core/i18n.js';
import { indicatorName, periodLabel } from '../../core/render.js';
import { reportingYear } from '../../core/schedule.js';
import { toDecimal } from '../../db/org-repository.js';
import { channelName } from '../reports/workbook.js';
import { type AnswerContext, visibleIndicators } from './questions.js';

/** At most this many corrections in one answer, newest first; the workbook's 修订记录 has them all. */
const SHOWN = 10;

/**
 * 修改记录, 更正记录, who changed what: the corrections of a year's figures (a month's, when one is named),
 * newest first, each with the figure before and after, who made it, when and why. None named: every
 * indicator the member may see. A first report corrects nothing and is not listed.
 */
export async function answerRevisions(ctx: AnswerContext, keys: string[], when: { year?: number; month?: number }): Promise<string[]> {
  const visible = visibleIndicators(ctx);
  const indicators = keys.length > 0 ? visible.filter((indicator) => keys.includes(indicator.key)) : visible;
  if (indicators.length === 0) return [ctx.t('chat.not_your_section')];
  const organisation = ctx.org.organisation();
  const year = when.year ?? reportingYear(ctx.now(), organisation.timezone, organisation.schedule);
  const corrections = await ctx.tx.submissionRevision.findMany({
    where: {
      revision: { gte: 2 },
      submission: { year, ...(when.month === undefined ? {} : { month: when.month }), indicatorId: { in: indicators.map((indicator) => indicator.id) } },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { member: { select: { name: true } }, submission: { select: { year: true, month: true, indicatorId: true } } },
  });
  const scope = {
    period: when.month === undefined ? ctx.t('answers.revisions_year', { year }) : periodLabel(ctx.t, { year, month: when.month }),
    names: keys.length > 0 ? joinList(ctx.t, indicators.map((indicator) => indicatorName(indicator, ctx.member.locale))) : '',
  };
  if (corrections.length === 0) return [ctx.t(keys.length > 0 ? 'answers.revisions_none_named' : 'answers.revisions_none', scope)];
  // The value each correction replaced: the revision before it, of the same figure.
  const before = await ctx.tx.submissionRevision.findMany({
    where: { OR: corrections.map((row) => ({ submissionId: row.submissionId, revision: row.revision - 1 })) },
    select: { submissionId: true, revision: true, value: true },
  });
  const previous = new Map(before.map((row) => [`${row.submissionId}:${row.revision}`, toDecimal(row.value)]));
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
  const lines = corrections.slice(0, SHOWN).flatMap((row) => {
    const indicator = byId.get(row.submission.indicatorId);
    if (!indicator) return [];
    const figure = (value: Decimal) => showFigure(ctx.t, indicator, value);
    const old = previous.get(`${row.submissionId}:${row.revision - 1}`);
    return [
      ctx.t(row.reason ? 'answers.revisions_line' : 'answers.revisions_line_no_reason', {
        name: indicatorName(indicator, ctx.member.locale),
        period: periodLabel(ctx.t, row.submission),
        from: old ? figure(old) : '—',
        to: figure(toDecimal(row.value)),
        who: row.member?.name ?? channelName(ctx.t, row.channel),
        at: formatLocalTime(row.createdAt, organisation.timezone),
        reason: row.reason ?? '',
      }),
    ];
  });
  const header = ctx.t(keys.length > 0 ? 'answers.revisions_header_named' : 'answers.revisions_header', { ...scope, count: corrections.length });
  const more = corrections.length > SHOWN ? [ctx.t('answers.revisions_more', { count: corrections.length - SHOWN })] : [];
  return [[header, ...lines, ...more].join('\n')];
}
