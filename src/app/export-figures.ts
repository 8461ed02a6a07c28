import type { FigureExportRow, FigureHeaders } from '../core/figures-table.js';
import type { Translate } from '../core/i18n.js';
import { formatZonedTimestamp } from '../core/calendar.js';
import { getOrganisation, listIndicators, toDecimal } from '../db/org-repository.js';
import type { ReadDeps } from './deps.js';
import { writeFiguresCsv } from './io/figures-csv.js';
import { buildWorkbook, channelName } from './reports/workbook.js';

/**
 * A year's figures, those of indicators the organisation file no longer lists included: the latest revision of each, with who submitted it (a member, else the channel in the
 * reader's words: 批量导入) and when (the organisation's clock).
 */
export async function collectYear(deps: ReadDeps, year: number, t: Translate): Promise<FigureExportRow[]> {
  const { timezone } = await getOrganisation(deps.prisma);
  // An indicator the file no longer lists keeps its figures, and the year's file holds them (they re-import unchanged).
  const [active, retired] = await Promise.all([listIndicators(deps.prisma), listIndicators(deps.prisma, 'retired')]);
  const indicators = [...active, ...retired];
  const rows = await deps.prisma.submission.findMany({
    where: { year, indicatorId: { in: indicators.map((indicator) => indicator.id) } },
    orderBy: [{ indicatorId: 'asc' }, { month: 'asc' }],
    include: { revisions: { orderBy: { revision: 'desc' }, take: 1, include: { member: { select: { name: true } } } } },
  });
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
  return rows.flatMap((row): FigureExportRow[] => {
    const indicator = byId.get(row.indicatorId);
    if (!indicator) return [];
    const latest = row.revisions[0];
    return [{
      indicator: indicator.key,
      period: { year: row.year, month: row.month },
      value: toDecimal(row.value),
      unit: indicator.unit,
      decimals: indicator.decimals,
      note: latest?.note ?? undefined,
      submittedBy: latest?.member?.name ?? (latest ? channelName(t, latest.channel) : undefined),
      submittedAt: latest ? formatZonedTimestamp(latest.createdAt, timezone) : undefined,
    }];
  });
}

/** Header texts of the CSV export in the reader's language; they re-import as the same columns. */
export function exportHeaders(t: Translate): FigureHeaders {
  return {
    indicator: t('export.indicator'),
    period: t('export.period'),
    value: t('export.value'),
    unit: t('export.unit'),
    note: t('export.note'),
    submittedBy: t('export.submitted_by'),
    submittedAt: t('export.submitted_at'),
  };
}

/** What an exported year's file is called, in chat and on the dashboard: 乐昌市工业和信息化局-2020.xlsx. */
export function exportFileName(organisation: string, year: number, format: 'xlsx' | 'csv'): string {
  return `${organisation}-${year}.${format}`;
}

/** The year as a file: the bureau's .xlsx workbook (src/app/reports/workbook.ts) or a .csv of the figures. */
export async function exportYear(
  deps: ReadDeps,
  options: { year: number; format: 'xlsx' | 'csv'; t: Translate; locale: string },
): Promise<{ content: Buffer; count: number }> {
  const figures = await collectYear(deps, options.year, options.t);
  const content =
    options.format === 'xlsx'
      ? await buildWorkbook(deps, { year: options.year, locale: options.locale === 'en' ? 'en' : 'zh-CN' })
      : Buffer.from(writeFiguresCsv(figures, exportHeaders(options.t)), 'utf8');
  return { content, count: figures.length };
}
