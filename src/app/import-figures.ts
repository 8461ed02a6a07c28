import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeUtf8OrGb18030 } from '../core/decode-text.js';
import { type FigureRecord, type FigureTableRow, type TableProblem, normaliseFigureRows } from '../core/figures-table.js';
import type { Period } from '../core/period.js';
import { type Result, err, ok } from '../core/result.js';
import { currentPeriod } from '../core/schedule.js';
import { getOrganisation, listIndicators } from '../db/org-repository.js';
import type { AppDeps } from './deps.js';
import { readFiguresCsv } from './io/figures-csv.js';
import { readFiguresXlsx } from './io/figures-xlsx.js';
import { type RecordStatus, recordFigure } from './record-figure.js';

export interface ImportSummary {
  count: number;
  created: number;
  revised: number;
  unchanged: number;
  /** Each figure the file changed: what was stored and what the file had (a revision each, reason: the import). */
  changes: Array<{ indicatorKey: string; period: Period; from: string; to: string }>;
  /** Revisions of a figure whose number the file left as it was: only its note changed. */
  notesOnly: number;
}

/** Reads a .csv or .xlsx figures file into rows; the format follows the file's extension. */
export async function readFiguresFile(file: string): Promise<Result<FigureTableRow[], TableProblem[]>> {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return readFiguresCsv(decodeUtf8OrGb18030(await readFile(file)));
  if (extension === '.xlsx') return readFiguresXlsx(await readFile(file));
  return err([{ line: 0, code: 'unsupported_file', params: {} }]);
}

/**
 * Stores past figures, all or nothing: every row is checked against the organisation's indicators first
 * and one problem anywhere imports nothing. Figures already stored with the same value are left alone;
 * different ones become a new revision with `reason`, so re-importing a file is harmless.
 */
export async function importFigures(
  deps: AppDeps,
  rows: FigureTableRow[],
  options: { channel: 'import' | 'demo'; actor: string; reason: string; source: string },
): Promise<Result<ImportSummary, TableProblem[]>> {
  const indicators = await listIndicators(deps.prisma);
  // A file's month after the one being reported is a typo; the demo's fixed illustrative series is not checked.
  const organisation = options.channel === 'import' ? await getOrganisation(deps.prisma) : undefined;
  const current = organisation && currentPeriod(deps.now(), organisation.timezone, organisation.schedule);
  const normalised = normaliseFigureRows(rows, indicators, current);
  if (!normalised.ok) return normalised;
  const ids = new Map(indicators.map((indicator) => [indicator.key, indicator.id]));
  const summary = await deps.prisma.$transaction(
    async (tx) => {
      const counts: Record<RecordStatus, number> = { created: 0, revised: 0, unchanged: 0 };
      const changes: ImportSummary['changes'] = [];
      let notesOnly = 0;
      const at = deps.now();
      for (const record of normalised.value) {
        const { status, previous } = await recordFigure(tx, toInput(record, ids.get(record.indicatorKey) ?? -1, options, at));
        counts[status] += 1;
        if (previous === undefined) continue;
        if (record.value.equals(previous)) notesOnly += 1;
        else changes.push({ indicatorKey: record.indicatorKey, period: record.period, from: previous, to: record.value.toFixed() });
      }
      await tx.auditLog.create({
        data: { at, actor: options.actor, action: `figures.${options.channel}`, subject: options.source, details: { ...counts } },
      });
      return { count: normalised.value.length, ...counts, changes, notesOnly };
    },
    { timeout: 120_000 },
  );
  return ok(summary);
}

function toInput(record: FigureRecord, indicatorId: number, options: { channel: string; reason: string }, at: Date) {
  return {
    indicatorId,
    period: record.period,
    value: record.value,
    channel: options.channel,
    note: record.note,
    reason: options.reason,
    at,
  };
}
