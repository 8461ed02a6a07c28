import { formatDecimal } from '../core/decimal.js';
import type { FigureExportRow, FigureHeaders } from '../core/figures-table.js';
import type { MessageKey, Translate } from '../core/i18n.js';
import { computeProgress, formatFigure, formatPercent } from '../core/progress.js';
import { listIndicators, targetsOf, toDecimal } from '../db/org-repository.js';
import type { ReadDeps } from './deps.js';
import { figuresByIndicator } from './figures.js';
import { writeFiguresCsv } from './io/figures-csv.js';
import type { ProgressSheetRow } from './io/figures-xlsx.js';
import { buildWorkbook } from './reports/workbook.js';

export interface YearExport {
  figures: FigureExportRow[];
  progress: ProgressSheetRow[];
}

/** A year's figures (latest revisions, with who and when) and its month-by-month progress table. */
export async function collectYear(deps: ReadDeps, year: number, t: Translate, locale: string): Promise<YearExport> {
  const indicators = await listIndicators(deps.prisma);
  const [rows, targets, figures] = await Promise.all([
    deps.prisma.submission.findMany({
      where: { year, indicatorId: { in: indicators.map((indicator) => indicator.id) } },
      orderBy: [{ indicatorId: 'asc' }, { month: 'asc' }],
      include: { revisions: { orderBy: { revision: 'desc' }, take: 1, include: { member: { select: { name: true } } } } },
    }),
    targetsOf(deps.prisma, year),
    figuresByIndicator(deps.prisma, [year - 1, year]),
  ]);
  const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
  const figureRows = rows.flatMap((row): FigureExportRow[] => {
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
      submittedBy: latest?.member?.name ?? (latest ? latest.channel : undefined),
      submittedAt: latest?.createdAt.toISOString(),
    }];
  });
  const progress = indicators.map((indicator): ProgressSheetRow => {
    const target = targets.get(indicator.key);
    const own = figures.get(indicator.key) ?? [];
    const months = Array.from({ length: 12 }, (_, index) => {
      const item = computeProgress({ indicator, figures: own, year, throughMonth: index + 1, target });
      return item.throughMonth === index + 1 && item.ytd ? formatFigure(item.ytd, indicator.decimals) : undefined;
    });
    const atYearEnd = computeProgress({ indicator, figures: own, year, throughMonth: 12, target });
    return {
      indicator: locale === 'en' ? indicator.nameEn : indicator.name,
      unit: t(`units.${indicator.unit}` as MessageKey),
      months,
      target: target ? formatDecimal(target, indicator.decimals) : undefined,
      rate: atYearEnd.rate ? `${formatPercent(atYearEnd.rate)}%` : undefined,
    };
  });
  return { figures: figureRows, progress };
}

/** Header texts of the export in the reader's language; they re-import as the same columns. */
export function exportHeaders(t: Translate) {
  const figures: FigureHeaders = {
    indicator: t('export.indicator'),
    period: t('export.period'),
    value: t('export.value'),
    unit: t('export.unit'),
    note: t('export.note'),
    submittedBy: t('export.submitted_by'),
    submittedAt: t('export.submitted_at'),
  };
  const months = Array.from({ length: 12 }, (_, index) =>
    t('export.month', { month: index + 1, monthName: t(`month_names.${index + 1}` as MessageKey) }),
  );
  return {
    figuresSheet: t('export.sheet_figures'),
    progressSheet: t('export.sheet_progress'),
    figures,
    progress: { indicator: t('export.name'), unit: t('export.unit'), months, target: t('export.target'), rate: t('export.rate') },
  };
}

/** The year as a file: the bureau's .xlsx workbook (src/app/reports/workbook.ts) or a .csv of the figures. */
export async function exportYear(
  deps: ReadDeps,
  options: { year: number; format: 'xlsx' | 'csv'; t: Translate; locale: string },
): Promise<{ content: Buffer; count: number }> {
  const data = await collectYear(deps, options.year, options.t, options.locale);
  const headers = exportHeaders(options.t);
  const content =
    options.format === 'xlsx'
      ? await buildWorkbook(deps, { year: options.year, locale: options.locale === 'en' ? 'en' : 'zh-CN' })
      : Buffer.from(writeFiguresCsv(data.figures, headers.figures), 'utf8');
  return { content, count: data.figures.length };
}
