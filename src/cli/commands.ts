import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../app/deps.js';
import { loadDemoFigures } from '../app/demo-data.js';
import { exportYear } from '../app/export-figures.js';
import { importFigures, readFiguresFile } from '../app/import-figures.js';
import { type Binding, DEFAULT_INVITE_HOURS, type MemberNamedError, createInvite, memberNotFoundText, unbindMember } from '../app/invites.js';
import { missingLines, missingReport, stillOwedBefore } from '../app/missing-report.js';
import { type OrgSourceError, describeOrgSourceError, readOrgSource } from '../app/org-source.js';
import { overviewReport } from '../app/overview.js';
import { renderOverview } from '../core/render-answers.js';
import { ensureOrganisation, loadOrgFile } from '../app/startup.js';
import { type CivilDate, civilDateInZone, formatCivilDate, formatLocalTime, instantAt } from '../core/calendar.js';
import { draftYear, reportingYear } from '../core/schedule.js';
import type { IndicatorDef, Locale } from '../core/domain.js';
import type { Unit } from '../core/units.js';
import type { OrgChanges } from '../core/org/changes.js';
import { type TableProblem, formatTableProblem } from '../core/figures-table.js';
import { type Translate, joinList, translator } from '../core/i18n.js';
import { type Period, addMonths, comparePeriods, formatPeriod } from '../core/period.js';
import { indicatorName, periodLabel, renderFigure, sectionName } from '../core/render.js';
import { type StoredIndicator, getOrganisation, listIndicators } from '../db/org-repository.js';
import { classifyMessage, createIntentMatcher, namedRetiredOnly } from '../core/intents.js';
import { retiredProgress } from '../app/chat/retired-answers.js';
import { AppError } from '../core/errors.js';
import { planDueReminders, queuedReminderKeys } from '../app/reminders/plan.js';
import { createDashboardLink } from '../app/dashboard-login.js';
import { dashboardLink } from '../web/dashboard.js';
import { buildAnnualReport } from '../app/reports/annual-report.js';
import { buildBulletin, bulletinNotYet, bulletinPeriod } from '../app/reports/bulletin.js';
import { confirmFigure } from '../app/confirm-figure.js';
import { formatFigure } from '../core/progress.js';
import { figureText } from '../core/dialogue/format.js';
import { Decimal, formatDecimal } from '../core/decimal.js';

/** What a command may use: the use cases' dependencies, the reader's language, and where to print. */
export interface CommandContext {
  deps: AppDeps;
  t: Translate;
  locale: Locale;
  orgFile?: string;
  /** BOT_TIMEZONE, overriding the organisation file's timezone. */
  timeZone?: string;
  print(line: string): void;
  /** The dashboard's address for its sign-in links (PUBLIC_URL, else where the bot listens). */
  publicUrl?: string;
  /** Known that no bot runs on this data (the embedded database was free): nothing serves the dashboard now. */
  botStopped?: boolean;
}

/** Exit codes: 0 done, 1 refused or failed (the message says why). */
export type ExitCode = 0 | 1;

/** Prints an organisation file's problems, or its summary; touches no database. */
export async function validateCommand(out: Pick<CommandContext, 't' | 'print'>, file: string): Promise<ExitCode> {
  const source = await readOrgSource(file);
  if (!source.ok) return printOrgError(out, source.error);
  const { config } = source.value;
  out.print(
    out.t('cli.org_valid', {
      sections: config.sections.length,
      members: config.members.length,
      indicators: config.indicators.length,
      targets: config.targets.length,
    }),
  );
  return 0;
}

/** Prints why the organisation file was refused: the file unreadable, or every problem by path and line. */
export function printOrgError(out: Pick<CommandContext, 't' | 'print'>, error: OrgSourceError): ExitCode {
  if (error.kind === 'invalid') out.print(out.t('cli.org_invalid', { count: error.problems.length }));
  out.print(describeOrgSourceError(error, out.t));
  return 1;
}

/** Loads an organisation file (default ORG_FILE, else the built-in demo) into the database. */
export async function loadCommand(ctx: CommandContext, file?: string, options: { dryRun?: boolean } = {}): Promise<ExitCode> {
  const chosen = file ?? ctx.orgFile;
  const loaded = await loadOrgFile(ctx.deps, { file: chosen, timeZone: ctx.timeZone }, 'cli', options);
  if (!loaded.ok) return printOrgError(ctx, loaded.error);
  const source = chosen ?? ctx.t('cli.demo_source');
  const result = loaded.value;
  if (result.status === 'kept') {
    ctx.print(ctx.t('cli.org_kept', { organisation: result.organisation }));
    return 1;
  }
  // Only a start leaves a later load standing; a command loads what it is given.
  if (result.status === 'kept_later') return 0;
  if (result.status === 'unchanged') {
    ctx.print(ctx.t('cli.org_unchanged', { source }));
  } else {
    const { sections, members, indicators, targets, deactivated } = result;
    ctx.print(ctx.t(options.dryRun ? 'cli.org_dry_run' : 'cli.org_loaded', { source, sections, members, indicators, targets }));
    // What the file no longer lists is kept inactive: said by name and key, so a line deleted by mistake is seen.
    for (const kind of ['sections', 'members', 'indicators'] as const) {
      const keys = deactivated[kind];
      if (keys.length === 0) continue;
      const key = options.dryRun ? (`cli.org_deactivated_${kind}_dry` as const) : (`cli.org_deactivated_${kind}` as const);
      ctx.print(ctx.t(key, { count: keys.length, keys: await namedKeys(ctx, kind, keys) }));
    }
    for (const { year, count } of result.targetsKept) ctx.print(ctx.t('cli.org_targets_kept', { year, count }));
    for (const line of await orgChangeLines(ctx, result.changes)) ctx.print(line);
    // A new indicator without `from` is owed at once: said, with how to write a later start (next month).
    for (const { key, name, period } of result.undated) {
      ctx.print(ctx.t('cli.org_new_indicator_owed_now', { key, name, period: periodLabel(ctx.t, period), next: formatPeriod(addMonths(period, 1)) }));
    }
    if (result.overDemo) ctx.print(ctx.t(options.dryRun ? 'cli.org_over_demo_dry' : 'cli.org_over_demo', { demo: result.overDemo }));
  }
  // Another file than ORG_FILE: it stands across restarts until ORG_FILE is edited, which a start then loads.
  if (!options.dryRun && chosen !== undefined && ctx.orgFile !== undefined && path.resolve(chosen) !== path.resolve(ctx.orgFile)) {
    ctx.print(ctx.t('cli.org_not_org_file', { file: chosen, orgFile: ctx.orgFile }));
  }
  return 0;
}

/**
 * Keys as people know them, `孙丽（sunl）`, from the database (a dry run's new ones are not in it: by key);
 * the list joined.
 */
async function namedKeys(ctx: OrgChangeReader, kind: 'sections' | 'members' | 'indicators', keys: string[]): Promise<string> {
  if (keys.length === 0) return '';
  const where = { key: { in: keys } };
  const rows: Array<{ key: string; name: string; nameEn?: string | null }> =
    kind === 'sections'
      ? await ctx.deps.prisma.section.findMany({ where, select: { key: true, name: true, nameEn: true } })
      : kind === 'members'
        ? await ctx.deps.prisma.member.findMany({ where, select: { key: true, name: true } })
        : await ctx.deps.prisma.indicator.findMany({ where, select: { key: true, name: true, nameEn: true } });
  // In the reader's language where the file gives an English name (a section's or an indicator's rule alike).
  const names = new Map(rows.map((row) => [row.key, sectionName(row, ctx.locale)]));
  return joinList(ctx.t, keys.map((key) => (names.has(key) ? ctx.t('cli.org_named_key', { name: names.get(key) ?? key, key }) : key)));
}

const MAX_ORG_CHANGES_SHOWN = 30;

/** What `orgChangeLines` reads: the database, and the reader's language. */
export type OrgChangeReader = Pick<CommandContext, 'deps' | 't' | 'locale'>;

/**
 * What a load changed in an organisation loaded before, a line each under a header (all of it is in the
 * audit log); none when nothing did. `load` prints them, and so does a start that reloads ORG_FILE over a
 * file loaded after it.
 */
export async function orgChangeLines(ctx: OrgChangeReader, changes: OrgChanges): Promise<string[]> {
  const lines: string[] = [];
  for (const kind of ['sections', 'members', 'indicators'] as const) {
    if (changes.added[kind].length > 0) lines.push(ctx.t(`cli.org_added_${kind}`, { keys: await namedKeys(ctx, kind, changes.added[kind]) }));
  }
  // Every indicator, dropped ones included: a target gone with its indicator is said in its unit too.
  const indicators = await ctx.deps.prisma.indicator.findMany({ select: { key: true, name: true, nameEn: true, unit: true, decimals: true, unitEn: true } });
  const byKey = new Map(indicators.map((row) => [row.key, { ...row, unit: row.unit as Unit, unitEn: row.unitEn ?? undefined }]));
  const target = (indicator: Pick<IndicatorDef, 'unit' | 'unitEn' | 'decimals'> | undefined, value: string) =>
    indicator ? renderFigure(ctx.t, formatDecimal(new Decimal(value), indicator.decimals), indicator) : value;
  for (const change of changes.changes) {
    if (change.kind === 'target_set_by') {
      const indicator = byKey.get(change.key);
      const none = ctx.t('cli.org_no_section');
      lines.push(ctx.t('cli.org_target_set_by', {
        name: indicator ? indicatorName(indicator, ctx.locale) : change.key,
        year: change.year ?? 0,
        from: change.from ?? none,
        to: change.to ?? none,
      }));
      continue;
    }
    if (change.kind !== 'target') {
      // A key changed says both keys itself: the name alone.
      const rekeyed = change.kind.endsWith('_rekeyed');
      const name = change.name === undefined ? change.key : rekeyed ? change.name : ctx.t('cli.org_named_key', { name: change.name, key: change.key });
      // Two sections of one name: each with its key (运营股（ops） → 运营股（operations）).
      const side = (value: string | undefined, key: string | undefined) =>
        value === undefined ? ctx.t('cli.org_no_section') : key === undefined ? value : ctx.t('cli.org_named_key', { name: value, key });
      // A frequency in the reader's words (按月 → 按季度).
      const said = (value: string | undefined) =>
        change.kind === 'indicator_frequency' && (value === 'monthly' || value === 'quarterly') ? ctx.t(`cli.frequency_${value}`) : value;
      lines.push(ctx.t(`cli.org_${change.kind}`, { key: change.key, name, from: side(said(change.from), change.keys?.from), to: side(said(change.to), change.keys?.to) }));
      continue;
    }
    const indicator = byKey.get(change.key);
    const params = { name: indicator ? indicatorName(indicator, ctx.locale) : change.key, year: change.year ?? 0 };
    if (change.from === undefined) lines.push(ctx.t('cli.org_target_set', { ...params, to: target(indicator, change.to ?? '') }));
    else if (change.to === undefined) lines.push(ctx.t('cli.org_target_removed', { ...params, from: target(indicator, change.from) }));
    else lines.push(ctx.t('cli.org_target_changed', { ...params, from: target(indicator, change.from), to: target(indicator, change.to) }));
  }
  if (lines.length === 0) return [];
  const more = lines.length > MAX_ORG_CHANGES_SHOWN ? [ctx.t('cli.org_changes_more', { count: lines.length - MAX_ORG_CHANGES_SHOWN })] : [];
  return [ctx.t('cli.org_changes_header'), ...lines.slice(0, MAX_ORG_CHANGES_SHOWN), ...more];
}

/** The organisation must be in the database before anything else: load ORG_FILE or the demo if not. */
async function requireOrganisation(ctx: CommandContext): Promise<boolean> {
  const ensured = await ensureOrganisation(ctx.deps, { file: ctx.orgFile, timeZone: ctx.timeZone }, 'cli');
  if (!ensured.ok) {
    printOrgError(ctx, ensured.error);
    return false;
  }
  return true;
}

/** Creates a one-time binding code for a member (by key or name), saying which accounts they are bound to already. */
export async function inviteCommand(ctx: CommandContext, member: string, hours = DEFAULT_INVITE_HOURS): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const created = await createInvite(ctx.deps, { member, hours, actor: 'cli' });
  if (!created.ok) return printMemberNotFound(ctx, member, created.error);
  const invite = created.value;
  const { timezone } = await getOrganisation(ctx.deps.prisma);
  ctx.print(ctx.t('cli.invite_created', { name: invite.memberName, code: invite.code, expires: formatLocalTime(invite.expiresAt, timezone) }));
  // A new code adds an account: one lost with a phone is unbound, not replaced.
  if (invite.bound.length > 0) {
    // Accounts the file lists are unbound by the file, not by unbind: the hint says which way applies.
    const key = invite.bound.every((binding) => binding.source === 'org_file') ? 'cli.invite_bound_file' : 'cli.invite_bound_already';
    ctx.print(ctx.t(key, { name: invite.memberName, key: invite.memberKey, accounts: bindingsText(ctx, invite.bound, timezone) }));
  }
  if (invite.pending > 0) ctx.print(ctx.t('cli.invite_pending', { name: invite.memberName, count: invite.pending, key: invite.memberKey }));
  return 0;
}

/** Unbinds a member's chat account (`identity`), or every one bound by an invite; the file's are the file's. */
export async function unbindCommand(ctx: CommandContext, member: string, identity: string | undefined): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const unbound = await unbindMember(ctx.deps, { member, identity, actor: 'cli' });
  if (!unbound.ok) {
    const error = unbound.error;
    if (error.code !== 'not_bound' && error.code !== 'in_org_file') return printMemberNotFound(ctx, member, error);
    const params = { name: error.memberName, key: error.memberKey, identity: identity ?? '' };
    if (error.code === 'in_org_file') ctx.print(ctx.t('cli.unbind_in_org_file', params));
    else if (error.bound.length === 0) ctx.print(ctx.t('cli.unbind_not_bound_any', params));
    else ctx.print(ctx.t('cli.unbind_not_bound', { ...params, accounts: bindingsText(ctx, error.bound, (await getOrganisation(ctx.deps.prisma)).timezone) }));
    return 1;
  }
  const { memberName: name, memberKey: key, removed, kept, voided } = unbound.value;
  if (removed.length > 0) {
    const accounts = joinList(ctx.t, removed.map((binding) => binding.identity));
    ctx.print(ctx.t(removed.length === 1 ? 'cli.unbound_one' : 'cli.unbound', { name, accounts }));
  } else {
    ctx.print(ctx.t('cli.unbind_nothing', { name }));
  }
  if (kept.length > 0) ctx.print(ctx.t('cli.unbind_kept_file', { key, accounts: joinList(ctx.t, kept.map((binding) => binding.identity)) }));
  if (voided > 0) ctx.print(ctx.t('cli.unbind_voided', { count: voided }));
  return 0;
}

/** Nobody or several members answer to what was typed: said, with the members to choose from. */
function printMemberNotFound(ctx: CommandContext, given: string, error: MemberNamedError): ExitCode {
  ctx.print(memberNotFoundText(ctx.t, given, error));
  return 1;
}

/** A member's chat accounts, each with how it was bound. */
function bindingsText(ctx: CommandContext, bound: Binding[], timezone: string): string {
  return joinList(
    ctx.t,
    bound.map((binding) =>
      binding.source === 'org_file'
        ? ctx.t('cli.binding_by_file', { identity: binding.identity })
        : ctx.t('cli.binding_by_invite', { identity: binding.identity, date: formatCivilDate(civilDateInZone(binding.boundAt, timezone)) }),
    ),
  );
}

/** Every indicator's completion and 序时进度, behind-schedule first: what a director gets in chat. */
export async function progressCommand(
  ctx: CommandContext,
  options: { year?: number; month?: number; indicator?: string },
): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  let key: string | undefined;
  if (options.indicator) {
    const named = await indicatorNamed(ctx, options.indicator);
    if (named === undefined) return 1;
    // One the file no longer lists: what the chat says of it, its history's line.
    if ('retired' in named) {
      const reader = { t: ctx.t, locale: ctx.locale, organisation: await getOrganisation(ctx.deps.prisma) };
      ctx.print(await retiredProgress(ctx.deps, reader, [named.retired], options));
      return 0;
    }
    key = named.key;
  }
  const overview = await overviewReport(ctx.deps, { year: options.year, month: options.month, indicatorKeys: key ? [key] : undefined });
  // The same overview the chat gives for 总体进度 (one indicator: its line under the same header).
  const text = renderOverview(ctx.t, ctx.locale, overview);
  ctx.print(options.indicator ? text.split('\n').slice(0, 2).join('\n') : text);
  return 0;
}

/** The key of the one indicator `words` name (its key, name or alias); undefined, said, when none or several. */
async function indicatorKeyNamed(ctx: CommandContext, words: string): Promise<string | undefined> {
  const named = await indicatorNamed(ctx, words);
  if (named && 'retired' in named) {
    ctx.print(ctx.t('cli.indicator_retired', { name: indicatorName(named.retired, ctx.locale), key: named.retired.key }));
    return undefined;
  }
  return named?.key;
}

/**
 * What `words` name: one active indicator (its key, name or alias), or one the file no longer lists when
 * they name no active one (not taken for an active one it resembles); undefined, said, when none or several.
 */
async function indicatorNamed(ctx: CommandContext, words: string): Promise<{ key: string } | { retired: StoredIndicator } | undefined> {
  const [active, retired] = await Promise.all([listIndicators(ctx.deps.prisma), listIndicators(ctx.deps.prisma, 'retired')]);
  const [goneKey] = namedRetiredOnly(createIntentMatcher(active), createIntentMatcher(retired), words);
  const gone = retired.find((indicator) => indicator.key === goneKey);
  if (gone) return { retired: gone };
  const named = namedIndicator(active, words);
  if (named?.length === 1) return { key: named[0]!.key };
  const candidates = named?.map((indicator) => indicatorName(indicator, ctx.locale)).join(ctx.t('list.separator'));
  ctx.print(candidates ? ctx.t('cli.indicator_ambiguous', { value: words, candidates }) : ctx.t('cli.unknown_indicator', { key: words }));
  return undefined;
}

/**
 * The indicators `--indicator` may mean: the one with that key, else what the chat takes the words for
 * (技改, 工业技改投资, tech upgrade); several when they are ambiguous (投资), none when nothing matches.
 */
function namedIndicator(indicators: StoredIndicator[], named: string): StoredIndicator[] | undefined {
  const byKey = indicators.find((indicator) => indicator.key === named);
  if (byKey) return [byKey];
  // The month given to the matcher only dates a month named in the words, which an indicator's name has not.
  const intent = classifyMessage(named, { indicators, today: { year: 2000, month: 1 } });
  const keys = intent.kind === 'progress' ? intent.indicators : intent.kind === 'ambiguous' ? intent.candidates : [];
  const found = keys.flatMap((key) => indicators.find((indicator) => indicator.key === key) ?? []);
  return found.length > 0 ? found : undefined;
}

/** Sections and people who have not reported a period (default: the current one). */
export async function missingCommand(ctx: CommandContext, period?: Period): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const report = await missingReport(ctx.deps, period);
  const label = periodLabel(ctx.t, report.period);
  if (comparePeriods(report.period, report.current) > 0) {
    ctx.print(ctx.t('missing.not_yet', { period: label, current: periodLabel(ctx.t, report.current) }));
    return 1;
  }
  if (report.sections.length === 0) ctx.print(ctx.t('missing.none', { period: label }));
  else for (const line of missingLines(ctx.t, ctx.locale, report, report.sections)) ctx.print(line);
  // Without --period: the month before, still owed though its deadline has passed, is said after.
  const earlier = period === undefined ? await stillOwedBefore(ctx.deps, report) : undefined;
  if (earlier) for (const line of missingLines(ctx.t, ctx.locale, earlier, earlier.sections, true)) ctx.print(line);
  return 0;
}

const MAX_CHANGES_SHOWN = 30;

/** Imports past figures from a .csv or .xlsx file: all rows or none. */
export async function importCommand(ctx: CommandContext, file: string, options: { dryRun?: boolean } = {}): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const rows = await readFiguresFile(file);
  if (!rows.ok) {
    if (rows.error.some((problem) => problem.code === 'unsupported_file')) {
      ctx.print(ctx.t('cli.unsupported_file', { file }));
      return 1;
    }
    return printTableProblems(ctx, file, rows.error);
  }
  // A file with a header and nothing under it is most likely the wrong file or one not yet filled in.
  if (rows.value.length === 0) {
    ctx.print(ctx.t('cli.import_empty', { file }));
    return 1;
  }
  const imported = await importFigures(ctx.deps, rows.value, {
    channel: 'import',
    actor: 'cli',
    // Stored, and read in the workbook's revision sheet: in the words of the organisation's language.
    reason: translator('zh-CN')('cli.import_reason', { file: path.basename(file) }),
    source: path.basename(file),
    dryRun: options.dryRun,
    locale: ctx.locale,
  });
  if (!imported.ok) return printTableProblems(ctx, file, imported.error);
  const { changes, added, notesOnly, queried, unmarked, dryRun, count, created, revised, unchanged } = imported.value;
  ctx.print(ctx.t(dryRun ? 'cli.import_dry_run' : 'cli.import_done', { file, count, created, revised, unchanged }));
  const indicators = new Map((await listIndicators(ctx.deps.prisma)).map((indicator) => [indicator.key, indicator]));
  const name = (key: string) => {
    const indicator = indicators.get(key);
    return indicator ? indicatorName(indicator, ctx.locale) : key;
  };
  // Every digit the file has: 0.00018 亿元 (1.8 万元 in an indicator kept in 亿元) must not read as 0.00.
  const figure = (key: string, value: string) => {
    const indicator = indicators.get(key);
    return indicator ? renderFigure(ctx.t, figureText(new Decimal(value), indicator.decimals), indicator) : value;
  };
  // What the file changed is said figure by figure: an older file imported by mistake undoes later corrections.
  if (changes.length > 0) {
    ctx.print(ctx.t(dryRun ? 'cli.import_dry_changes_header' : 'cli.import_changes_header', { count: changes.length }));
    for (const change of changes.slice(0, MAX_CHANGES_SHOWN)) {
      const [period, from, to] = [formatPeriod(change.period), figure(change.indicatorKey, change.from), figure(change.indicatorKey, change.to)];
      ctx.print(ctx.t('cli.import_change', { name: name(change.indicatorKey), period, from, to }));
      // What stood was a correction made in chat: the file undoes it, which its author should hear of.
      if (change.corrected) ctx.print(ctx.t(dryRun ? 'cli.import_dry_undoes_correction' : 'cli.import_undoes_correction', change.corrected));
    }
    if (changes.length > MAX_CHANGES_SHOWN) ctx.print(ctx.t('cli.import_changes_more', { count: changes.length - MAX_CHANGES_SHOWN }));
  }
  // A preview shows what each new figure would be stored as: 2.1亿 in a 万元 column is 2.10 亿元, as it should be.
  if (dryRun && added.length > 0) {
    ctx.print(ctx.t('cli.import_dry_added_header', { count: added.length }));
    for (const item of added.slice(0, MAX_CHANGES_SHOWN)) {
      ctx.print(ctx.t('cli.import_added', { name: name(item.indicatorKey), period: formatPeriod(item.period), value: figure(item.indicatorKey, item.value) }));
    }
    if (added.length > MAX_CHANGES_SHOWN) ctx.print(ctx.t('cli.import_changes_more', { count: added.length - MAX_CHANGES_SHOWN }));
  }
  if (notesOnly > 0) ctx.print(ctx.t('cli.import_notes_only', { count: notesOnly }));
  // What the chat would have asked about: stored, but marked for the directors until confirmed or corrected.
  if (queried.length > 0) {
    ctx.print(ctx.t(dryRun ? 'cli.import_dry_queried_header' : 'cli.import_queried_header', { count: queried.length }));
    for (const item of queried.slice(0, MAX_CHANGES_SHOWN)) {
      const value = figure(item.indicatorKey, item.value);
      ctx.print(ctx.t(item.stored ? 'cli.import_queried_stored' : 'cli.import_queried', { name: name(item.indicatorKey), period: formatPeriod(item.period), value }));
      for (const reason of item.reasons) ctx.print(ctx.t('cli.import_queried_reason', { reason }));
    }
    if (queried.length > MAX_CHANGES_SHOWN) ctx.print(ctx.t('cli.import_changes_more', { count: queried.length - MAX_CHANGES_SHOWN }));
    if (!dryRun) ctx.print(ctx.t('cli.import_queried_next'));
  }
  if (unmarked.length > 0) {
    ctx.print(ctx.t(dryRun ? 'cli.import_dry_unmarked_header' : 'cli.import_unmarked_header', { count: unmarked.length }));
    for (const item of unmarked.slice(0, MAX_CHANGES_SHOWN)) {
      ctx.print(ctx.t('cli.import_unmarked', { name: name(item.indicatorKey), period: formatPeriod(item.period) }));
    }
    if (unmarked.length > MAX_CHANGES_SHOWN) ctx.print(ctx.t('cli.import_changes_more', { count: unmarked.length - MAX_CHANGES_SHOWN }));
  }
  return 0;
}

function printTableProblems(ctx: CommandContext, file: string, problems: TableProblem[]): ExitCode {
  ctx.print(ctx.t('cli.import_invalid', { file, count: problems.length }));
  // The same problem of the same column on many lines (a unit the file writes on every row) is one line
  // naming them all, where the first is met.
  const lines = new Map<string, { lines: number[]; column: string; message: string }>();
  for (const problem of problems) {
    const message = formatTableProblem(problem, ctx.t);
    const column = problem.column ? ` [${problem.column}]` : '';
    const same = lines.get(`${column}\n${message}`);
    if (same) same.lines.push(problem.line);
    else lines.set(`${column}\n${message}`, { lines: [problem.line], column, message });
  }
  for (const { lines: at, column, message } of lines.values()) {
    // Line 0 is the file as a whole (an unreadable workbook), not a line of it.
    ctx.print(
      at[0] === 0
        ? `  ${ctx.t('problems.where.file', { message })}`
        : ctx.t('cli.import_problem', { line: at.join(ctx.t('list.separator')), column, message }),
    );
  }
  return 1;
}

/** Why a file could not be written, as locales/ says it (`cli.export_not_written.*`). */
const WRITE_ERRORS: Record<string, 'no_folder' | 'no_permission' | 'is_directory'> = { ENOENT: 'no_folder', EACCES: 'no_permission', EPERM: 'no_permission', EROFS: 'no_permission', EISDIR: 'is_directory' };

/** Writes a year's figures to .xlsx (figures and progress sheets) or .csv (default: the current period's year). */
export async function exportCommand(ctx: CommandContext, file: string, year?: number): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.xlsx' && extension !== '.csv') {
    ctx.print(ctx.t('cli.unsupported_file', { file }));
    return 1;
  }
  const organisation = await getOrganisation(ctx.deps.prisma);
  const chosenYear = year ?? reportingYear(ctx.deps.now(), organisation.timezone, organisation.schedule);
  const { content, count } = await exportYear(ctx.deps, {
    year: chosenYear,
    format: extension === '.xlsx' ? 'xlsx' : 'csv',
    t: ctx.t,
    locale: ctx.locale,
  });
  if (!(await writeOut(ctx, file, content))) return 1;
  ctx.print(ctx.t('cli.export_done', { year: chosenYear, file, count }));
  return 0;
}

/** Writes a file the command made; false (and says why) when it cannot be written. */
async function writeOut(ctx: CommandContext, file: string, content: Buffer): Promise<boolean> {
  try {
    await writeFile(file, content);
    return true;
  } catch (error) {
    ctx.print(ctx.t(`cli.export_not_written.${WRITE_ERRORS[(error as NodeJS.ErrnoException).code ?? ''] ?? 'other'}`, {
      file,
      error: error instanceof Error ? error.message : String(error),
    }));
    return false;
  }
}

function isDocx(ctx: CommandContext, file: string): boolean {
  if (path.extname(file).toLowerCase() === '.docx') return true;
  ctx.print(ctx.t('reports.cli.docx_only', { file }));
  return false;
}

/** Writes a period's progress bulletin (通报) as .docx (default: the period being reported now). */
export async function bulletinCommand(ctx: CommandContext, file: string, period?: Period): Promise<ExitCode> {
  if (!isDocx(ctx, file) || !(await requireOrganisation(ctx))) return 1;
  const notYet = await bulletinNotYet(ctx.deps, ctx.t, period);
  if (notYet) {
    ctx.print(notYet);
    return 1;
  }
  const chosen = await bulletinPeriod(ctx.deps, period);
  const content = await buildBulletin(ctx.deps, { period: chosen, locale: ctx.locale });
  if (!(await writeOut(ctx, file, content))) return 1;
  ctx.print(ctx.t('reports.cli.bulletin_done', { period: periodLabel(ctx.t, chosen), file }));
  return 0;
}

/** Writes the year's self-evaluation draft (部门整体支出绩效自评报告) as .docx (default: last year in January–March, else the current year). */
export async function annualReportCommand(ctx: CommandContext, file: string, year?: number): Promise<ExitCode> {
  if (!isDocx(ctx, file) || !(await requireOrganisation(ctx))) return 1;
  const { timezone } = await getOrganisation(ctx.deps.prisma);
  const chosenYear = year ?? draftYear(ctx.deps.now(), timezone);
  const content = await buildAnnualReport(ctx.deps, { year: chosenYear, locale: ctx.locale });
  if (!(await writeOut(ctx, file, content))) return 1;
  ctx.print(ctx.t('reports.cli.annual_done', { year: chosenYear, file }));
  return 0;
}

/** Loads the illustrative 2020 series of the demo organisation (loading the demo first if needed). */
export async function demoDataCommand(ctx: CommandContext): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const loaded = await loadDemoFigures(ctx.deps, 'cli');
  if (!loaded.ok) {
    // Another organisation's file is loaded: one sentence, not a line per figure it has no indicator for.
    if (loaded.error.some((problem) => problem.code === 'unknown_indicator' || problem.code === 'unknown_indicator_suggest')) {
      ctx.print(ctx.t('cli.demo_other_org', { org: (await getOrganisation(ctx.deps.prisma)).name }));
      return 1;
    }
    return printTableProblems(ctx, 'demo-figures.csv', loaded.error);
  }
  const { count, created, unchanged } = loaded.value;
  ctx.print(ctx.t('cli.demo_done', { count, created, unchanged }));
  return 0;
}

/**
 * A moment as `--at` gives it: an instant, when an offset or Z is written (2026-11-27T09:00+08:00), else a
 * time on the organisation's wall clock (2026-11-27T09:00, 2026-11-27 09:00, 2026-11-27: midnight) — what
 * a clerk means by 09:00, whatever zone the server runs in.
 */
export type Moment = { instant: Date } | { date: CivilDate; hour: number; minute: number; second: number };

export function parseMoment(text: string): Moment | undefined {
  const trimmed = text.trim();
  const wall = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (wall) {
    const [year, month, day, hour = 0, minute = 0, second = 0] = wall.slice(1).map((part) => Number(part ?? 0));
    const check = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
    const real = check.getUTCMonth() === month! - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
    return real ? { date: { year: year!, month: month!, day: day! }, hour, minute, second } : undefined;
  }
  if (!/(?:z|[+-]\d{2}(?::?\d{2})?)$/i.test(trimmed)) return undefined;
  const instant = new Date(trimmed);
  return Number.isNaN(instant.getTime()) ? undefined : { instant };
}

/** What the reminder job would send at a moment (who, which kind, which period, which indicators); sends nothing. */
export async function remindersCommand(ctx: CommandContext, moment: Moment, period?: Period): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const { timezone } = await getOrganisation(ctx.deps.prisma);
  const at =
    'instant' in moment ? moment.instant : new Date(instantAt(moment.date, moment.hour, moment.minute, timezone).getTime() + moment.second * 1000);
  const due = await planDueReminders({ prisma: ctx.deps.prisma, now: () => at }, at, period);
  const when = formatLocalTime(at, timezone);
  if (due.length === 0) {
    ctx.print(ctx.t('cli.reminders_none', { at: when }));
    return 0;
  }
  const indicators = await listIndicators(ctx.deps.prisma);
  const already = await queuedReminderKeys(ctx.deps, due);
  // The count is of what would go out: not a reminder to someone with no chat bound, nor one already sent.
  const skipped = due.filter((reminder) => reminder.chat === undefined || already.has(reminder.dedupeKey)).length;
  ctx.print(ctx.t('cli.reminders_header', {
    at: when,
    count: due.length - skipped,
    skipped: skipped > 0 ? ctx.t('cli.reminders_skipped', { count: skipped }) : '',
  }));
  for (const reminder of due) {
    const names = reminder.sections
      .flatMap((section) => section.missing)
      .map((key) => indicators.find((indicator) => indicator.key === key))
      .map((indicator) => (indicator ? indicatorName(indicator, ctx.locale) : ''))
      .join(ctx.t('list.separator'));
    ctx.print(
      ctx.t('cli.reminders_line', {
        send: formatLocalTime(reminder.sendAt, timezone),
        kind: ctx.t(`cli.reminder_kinds.${reminder.kind}`),
        period: formatPeriod(reminder.period),
        member: reminder.memberName,
        chat: reminder.chat ?? ctx.t('cli.reminders_unbound'),
        indicators: names,
        status: already.has(reminder.dedupeKey) ? ctx.t('cli.reminders_already') : '',
      }),
    );
  }
  return 0;
}

/** A failure as the administrator should read it: known ones from locales/, others by their message. */
export function describeFailure(t: Translate, error: unknown): string {
  if (error instanceof AppError && error.code === 'database_locked') return t('cli.database_locked', error.details);
  if (error instanceof AppError && error.code === 'org_not_loaded') return t('cli.org_not_loaded');
  return t('cli.failed', { message: error instanceof Error ? error.message : String(error) });
}

/** Prints a one-time sign-in link to the web dashboard for a director or administrator (default: the first). */
export async function dashboardLinkCommand(ctx: CommandContext, memberKey?: string): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const made = await createDashboardLink(ctx.deps.prisma, { memberKey, actor: 'cli', now: ctx.deps.now() });
  if (!made.ok) {
    const key = memberKey ?? '';
    // The one refused is named as people know them (王明), with the key that was typed.
    const name = made.error === 'not_allowed' ? (await ctx.deps.prisma.member.findUnique({ where: { key }, select: { name: true } }))?.name : undefined;
    ctx.print(
      made.error === 'unknown_member'
        ? ctx.t('cli.unknown_member', { key })
        : made.error === 'not_allowed'
          ? ctx.t('dashboard.cli_not_allowed', { key, name: name ?? key })
          : ctx.t('dashboard.cli_nobody'),
    );
    return 1;
  }
  const { timezone } = await getOrganisation(ctx.deps.prisma);
  const url = dashboardLink(ctx.publicUrl ?? '', made.value.token);
  ctx.print(ctx.t('dashboard.cli_link', { name: made.value.memberName, expires: formatLocalTime(made.value.expiresAt, timezone), url }));
  // The link works once the bot serves the dashboard: said, rather than leave a link that opens nothing.
  if (ctx.botStopped) ctx.print(ctx.t('dashboard.cli_bot_stopped'));
  return 0;
}

/** Every figure marked 待核实, by month: what `confirm` clears, or a correction or an import replaces. */
export async function queriedCommand(ctx: CommandContext): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  const indicators = new Map((await listIndicators(ctx.deps.prisma)).map((indicator) => [indicator.id, indicator]));
  const rows = await ctx.deps.prisma.submission.findMany({
    where: { queried: true, indicatorId: { in: [...indicators.keys()] } },
    select: { indicatorId: true, year: true, month: true, value: true },
    orderBy: [{ year: 'asc' }, { month: 'asc' }, { indicatorId: 'asc' }],
  });
  if (rows.length === 0) {
    ctx.print(ctx.t('checks.queried_none'));
    return 0;
  }
  ctx.print(ctx.t('checks.queried_header', { count: rows.length }));
  for (const row of rows) {
    const indicator = indicators.get(row.indicatorId)!;
    const figure = renderFigure(ctx.t, figureText(new Decimal(row.value.toString()), indicator.decimals), indicator);
    ctx.print(ctx.t('checks.queried_line', { name: indicatorName(indicator, ctx.locale), period: formatPeriod(row), figure }));
  }
  return 0;
}

/** Clears the 待核实 mark of a figure someone has checked (docs/product.md, Checks on a figure). */
export async function confirmCommand(ctx: CommandContext, words: string, period: Period): Promise<ExitCode> {
  if (!(await requireOrganisation(ctx))) return 1;
  // By key, name or alias, as `progress --indicator`.
  const indicatorKey = await indicatorKeyNamed(ctx, words);
  if (indicatorKey === undefined) return 1;
  const confirmed = await confirmFigure(ctx.deps, { indicatorKey, period, actor: 'cli' });
  const label = periodLabel(ctx.t, period);
  if (!confirmed.ok) {
    const { error } = confirmed;
    if (error.code === 'unknown_indicator') ctx.print(ctx.t('checks.confirm_unknown_indicator', { key: indicatorKey }));
    else ctx.print(ctx.t('checks.confirm_no_figure', { name: indicatorName(error.indicator, ctx.locale), period: label }));
    return 1;
  }
  const { indicator, value, wasQueried } = confirmed.value;
  const params = {
    name: indicatorName(indicator, ctx.locale),
    period: label,
    figure: renderFigure(ctx.t, formatFigure(value, indicator.decimals), indicator),
  };
  ctx.print(ctx.t(wasQueried ? 'checks.confirmed' : 'checks.confirm_not_marked', params));
  return 0;
}
