import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeUtf8OrGb18030 } from '../core/decode-text.js';
import { type FigureRecord, type FigureTableRow, type TableProblem, normaliseFigureRows } from '../core/figures-table.js';
import { type Period, formatPeriod } from '../core/period.js';
import { type Result, err, ok } from '../core/result.js';
import { currentPeriod } from '../core/schedule.js';
import { type StoredIndicator, type StoredOrganisation, getOrganisation, listIndicators, toDecimal } from '../db/org-repository.js';
import type { Locale } from '../core/domain.js';
import { translator } from '../core/i18n.js';
import { importQueriesWithStored } from '../core/import-queries.js';
import { type Unmarked, clearResolvedMarks, setQueried } from './queried-marks.js';
import { relationsOf } from './chat/dialogue-context.js';
import { figuresByIndicator } from './figures.js';
import type { AppDeps, Tx } from './deps.js';
import { readFiguresCsv } from './io/figures-csv.js';
import { readFiguresXlsx } from './io/figures-xlsx.js';
import { type RecordStatus, recordFigure } from './record-figure.js';

export interface ImportSummary {
  count: number;
  created: number;
  revised: number;
  unchanged: number;
  /**
   * Each figure the file changed: what was stored and what the file had (a revision each, reason: the
   * import); `corrected`, when what was stored was someone's correction in chat, which the file undoes.
   */
  changes: Array<{ indicatorKey: string; period: Period; from: string; to: string; corrected?: { by: string; reason: string } }>;
  /** Each figure the file adds, in the indicator's unit as it is stored (a preview shows them, conversions done). */
  added: Array<{ indicatorKey: string; period: Period; value: string }>;
  /** Revisions of a figure whose number the file left as it was: only its note changed. */
  notesOnly: number;
  /**
   * New or changed figures the chat would have queried: stored marked 待核实, each with the reasons; and
   * stored figures (`stored`) the file's make look wrong, marked as well.
   */
  queried: Array<{ indicatorKey: string; period: Period; value: string; reasons: string[]; stored?: true }>;
  /** Figures the file does not hold whose 待核实 mark it took off: what it stored resolved their query. */
  unmarked: Unmarked[];
  /** Nothing was written: the summary says what the import would do. */
  dryRun: boolean;
}

/** Reads a .csv or .xlsx figures file into rows; the format follows the file's extension. */
export async function readFiguresFile(file: string): Promise<Result<FigureTableRow[], TableProblem[]>> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.xlsx') return err([{ line: 0, code: 'unsupported_file', params: {} }]);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    // A path mistyped is said as such, not as the system's ENOENT; anything else is the system's to say.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return err([{ line: 0, code: 'file_not_found', params: { file } }]);
  }
  return extension === '.csv' ? readFiguresCsv(decodeUtf8OrGb18030(bytes)) : readFiguresXlsx(bytes);
}

/**
 * Stores past figures, all or nothing: every row is checked against the organisation's indicators first
 * and one problem anywhere imports nothing. Figures already stored with the same value are left alone;
 * different ones become a new revision with `reason`, so re-importing a file is harmless. A new or changed
 * figure the chat would query (a fall, a jump, a relation broken, a figure shown as zero) is stored marked
 * 待核实 for the directors, and listed; one the file leaves as it was is never marked anew and loses its
 * mark once nothing queries it (`queryMarks`). `dryRun` works all of it out in a transaction that is then
 * rolled back.
 */
export async function importFigures(
  deps: AppDeps,
  rows: FigureTableRow[],
  options: { channel: 'import' | 'demo'; actor: string; reason: string; source: string; dryRun?: boolean; locale?: Locale },
): Promise<Result<ImportSummary, TableProblem[]>> {
  const indicators = await listIndicators(deps.prisma);
  // A file's month after the one being reported is a typo, and its figures are checked as the chat's are;
  // the demo's fixed illustrative series is neither.
  const organisation = options.channel === 'import' ? await getOrganisation(deps.prisma) : undefined;
  const current = organisation && currentPeriod(deps.now(), organisation.timezone, organisation.schedule);
  // A year's export holds the figures of indicators the file stopped listing: kept as they are, never changed.
  const retired = options.channel === 'import' ? await listIndicators(deps.prisma, 'retired') : [];
  const normalised = normaliseFigureRows(rows, indicators, current, retired);
  if (!normalised.ok) return normalised;
  const kept = await keptAsStored(deps.prisma, normalised.value, [...indicators, ...retired]);
  if (!kept.ok) return kept;
  const records = normalised.value.filter((record) => !record.retired && !record.offQuarter);
  const byKey = new Map(indicators.map((indicator) => [indicator.key, indicator]));
  const locale = options.locale ?? 'zh-CN';
  let summary: ImportSummary | undefined;
  try {
    await deps.prisma.$transaction(
      async (tx) => {
        const looked = organisation ? await queryMarks(tx, records, byKey, organisation, locale) : undefined;
        const marks = looked?.marks;
        const counts: Record<RecordStatus, number> = { created: 0, revised: 0, unchanged: 0 };
        const changes: ImportSummary['changes'] = [];
        const added: ImportSummary['added'] = [];
        const queried: ImportSummary['queried'] = [];
        let notesOnly = 0;
        const at = deps.now();
        for (const [index, record] of records.entries()) {
          const mark = marks?.[index];
          const input = { ...toInput(record, byKey.get(record.indicatorKey)?.id ?? -1, options, at), ...(mark ? { queried: mark.queried } : {}) };
          const { status, previous, revision } = await recordFigure(tx, input);
          counts[status] += 1;
          if (status === 'created') added.push({ indicatorKey: record.indicatorKey, period: record.period, value: record.value.toFixed() });
          if (mark && mark.reasons.length > 0) {
            queried.push({ indicatorKey: record.indicatorKey, period: record.period, value: record.value.toFixed(), reasons: mark.reasons });
          }
          if (previous === undefined) continue;
          if (record.value.equals(previous)) notesOnly += 1;
          else {
            const corrected = await correctionUndone(tx, input.indicatorId, record.period, revision - 1);
            changes.push({ indicatorKey: record.indicatorKey, period: record.period, from: previous, to: record.value.toFixed(), ...(corrected ? { corrected } : {}) });
          }
        }
        // The file's own figures have their marks from queryMarks; the marks of the months around them may now go.
        const unmarked = organisation
          ? await clearResolvedMarks(
              tx,
              records.map((record) => ({ indicatorKey: record.indicatorKey, period: record.period })),
              { indicators, checks: organisation.checks },
              locale,
            )
          : [];
        // Stored figures the file's make look wrong (a November below the October the file brings) are marked too.
        const suspects = looked?.stored ?? [];
        await setQueried(tx, suspects.map(({ indicator, period }) => ({ indicatorId: byKey.get(indicator.key)!.id, ...period })), true);
        for (const suspect of suspects) {
          queried.push({ indicatorKey: suspect.indicator.key, period: suspect.period, value: suspect.value.toFixed(), reasons: suspect.reasons, stored: true });
        }
        await tx.auditLog.create({
          data: {
            at,
            actor: options.actor,
            action: `figures.${options.channel}`,
            subject: options.source,
            details: { ...counts, queried: queried.length, unmarked: unmarked.length },
          },
        });
        counts.unchanged += kept.value;
        summary = { count: records.length + kept.value, ...counts, changes, added, notesOnly, queried, unmarked, dryRun: options.dryRun === true };
        if (options.dryRun) throw DRY_RUN;
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    if (error !== DRY_RUN) throw error;
  }
  return ok(summary!);
}

/**
 * The rows of indicators the organisation file no longer lists (a year's export imported again), and those of
 * a quarterly indicator's months that end no quarter (its history from before it was quarterly), must be as
 * stored, note included where the file gives one: such history is kept, never added to or changed. How many
 * rows there are, or a problem for each that is not as stored.
 */
async function keptAsStored(db: AppDeps['prisma'], records: FigureRecord[], indicators: StoredIndicator[]): Promise<Result<number, TableProblem[]>> {
  const own = records.filter((record) => record.retired || record.offQuarter);
  if (own.length === 0) return ok(0);
  const byKey = new Map(indicators.map((indicator) => [indicator.key, indicator]));
  const indicatorOf = (record: FigureRecord) => byKey.get(record.indicatorKey)!;
  const stored = await db.submission.findMany({
    where: { indicatorId: { in: [...new Set(own.map((record) => indicatorOf(record).id))] }, year: { in: [...new Set(own.map((record) => record.period.year))] } },
    select: { indicatorId: true, year: true, month: true, value: true, revisions: { orderBy: { revision: 'desc' }, take: 1, select: { note: true } } },
  });
  const problems: TableProblem[] = [];
  for (const record of own) {
    const indicator = indicatorOf(record);
    const found = stored.find((row) => row.indicatorId === indicator.id && row.year === record.period.year && row.month === record.period.month);
    const line = record.line ?? 0;
    const named = { indicator: indicator.name, period: formatPeriod(record.period) };
    const figure = { ...named, value: record.value.toFixed(), unit: indicator.unit };
    const note = found?.revisions[0]?.note ?? null;
    if (record.offQuarter) {
      const same = found && record.value.equals(found.value.toString()) && (record.note === undefined || record.note === note);
      if (!same) problems.push({ line, code: 'not_quarter_end', params: { indicator: indicator.name, value: formatPeriod(record.period) } });
      continue;
    }
    if (!found) problems.push({ line, code: 'retired_new', params: figure });
    else if (!record.value.equals(found.value.toString())) problems.push({ line, code: 'retired_changed', params: { ...figure, stored: toDecimal(found.value).toFixed() } });
    else if (record.note !== undefined && record.note !== note) {
      problems.push(note === null ? { line, code: 'retired_note_none', params: named } : { line, code: 'retired_note', params: { ...named, stored: note } });
    }
  }
  return problems.length > 0 ? err(problems) : ok(own.length);
}

/**
 * Who corrected a figure in chat, and why, when its revision `revision` is such a correction (a second or
 * later revision by a member): an import that changes it undoes that, and says so.
 */
async function correctionUndone(tx: Tx, indicatorId: number, period: Period, revision: number): Promise<{ by: string; reason: string } | undefined> {
  if (revision < 2) return undefined;
  const row = await tx.submissionRevision.findFirst({
    where: { revision, submission: { indicatorId, year: period.year, month: period.month } },
    select: { reason: true, member: { select: { name: true } } },
  });
  return row?.member ? { by: row.member.name, reason: row.reason ?? '' } : undefined;
}

// Thrown at the end of a dry run's transaction, so that it rolls back.
const DRY_RUN = new Error('dry run: rolled back');

/**
 * Each record's 待核实 mark and why: a figure the file changes or adds is marked when the chat would query
 * it, against the stored figures as the file leaves them. One whose number is already stored is never
 * marked anew (a figure confirmed since is not queried again by importing the same file once more), but
 * loses its mark once nothing queries it any more (a neighbouring month the file corrects).
 */
async function queryMarks(
  tx: Tx,
  records: FigureRecord[],
  byKey: ReadonlyMap<string, StoredIndicator>,
  organisation: StoredOrganisation,
  locale: Locale,
): Promise<{ marks: Array<{ queried: boolean; reasons: string[] }>; stored: ReturnType<typeof importQueriesWithStored>['stored'] }> {
  // The years of the file, and the year before each (a January is compared with the December before).
  const years = [...new Set(records.flatMap((record) => [record.period.year, record.period.year - 1]))];
  const stored = await figuresByIndicator(tx, years);
  const figures = records.map((record) => ({ indicator: byKey.get(record.indicatorKey)!, period: record.period, value: record.value }));
  const relations = relationsOf(organisation.checks, [...byKey.values()]);
  const { reasons, stored: suspects } = importQueriesWithStored(figures, stored, relations, translator(locale), locale);
  const marks = records.map((record, index) => {
    const same = stored.get(record.indicatorKey)?.find((figure) => figure.year === record.period.year && figure.month === record.period.month);
    if (same && same.value.equals(record.value)) return { queried: same.queried === true && reasons[index]!.length > 0, reasons: [] };
    return { queried: reasons[index]!.length > 0, reasons: reasons[index]! };
  });
  return { marks, stored: suspects };
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
