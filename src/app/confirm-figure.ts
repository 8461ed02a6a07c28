import type { Period } from '../core/period.js';
import { formatPeriod } from '../core/period.js';
import type { Decimal } from '../core/decimal.js';
import { type Result, err, ok } from '../core/result.js';
import { type StoredIndicator, listIndicators, toDecimal } from '../db/org-repository.js';
import type { AppDeps } from './deps.js';

export type ConfirmOutcome = { indicator: StoredIndicator; value: Decimal; wasQueried: boolean };
export type ConfirmRefusal = { code: 'unknown_indicator' } | { code: 'no_figure'; indicator: StoredIndicator };

/**
 * Someone who checked a figure kept despite a query (a director, the office) confirms it: its 待核实 mark
 * goes, the figure stays, and the audit log says who confirmed it. A figure not marked is left as it is.
 */
export async function confirmFigure(
  deps: AppDeps,
  input: { indicatorKey: string; period: Period; actor: string },
): Promise<Result<ConfirmOutcome, ConfirmRefusal>> {
  const indicator = (await listIndicators(deps.prisma)).find((candidate) => candidate.key === input.indicatorKey);
  if (!indicator) return err({ code: 'unknown_indicator' });
  return deps.prisma.$transaction(async (tx) => {
    const where = { indicatorId_year_month: { indicatorId: indicator.id, year: input.period.year, month: input.period.month } };
    const row = await tx.submission.findUnique({ where });
    if (!row) return err({ code: 'no_figure' as const, indicator });
    if (row.queried) {
      await tx.submission.update({ where, data: { queried: false } });
      await tx.auditLog.create({
        data: {
          at: deps.now(),
          actor: input.actor,
          action: 'figures.confirm',
          subject: formatPeriod(input.period),
          details: { indicator: indicator.key, value: row.value.toString() },
        },
      });
    }
    return ok({ indicator, value: toDecimal(row.value), wasQueried: row.queried });
  });
}
