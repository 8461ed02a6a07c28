import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { formatSettingProblems, loadConfig } from '../config.js';
import { LOCALES, type Locale } from '../core/domain.js';
import { translator } from '../core/i18n.js';
import { type Period, parsePeriod } from '../core/period.js';
import { type Db, openDatabase } from '../db/database.js';
import { handToRunningBot } from './admin-socket.js';
import type { CliIo } from './io.js';
import {
  type CommandContext,
  type ExitCode,
  dashboardLinkCommand,
  demoDataCommand,
  describeFailure,
  annualReportCommand,
  bulletinCommand,
  confirmCommand,
  queriedCommand,
  exportCommand,
  importCommand,
  inviteCommand,
  unbindCommand,
  loadCommand,
  missingCommand,
  remindersCommand,
  progressCommand,
  validateCommand,
  type Moment,
  parseMoment,
} from './commands.js';

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  io?: CliIo;
  /** The clock; tests fix it. */
  now?: () => Date;
  /** Where relative file names start; the current directory by default. */
  cwd?: string;
  /** An open database to run on (the running bot's, for a command that reached it); else opened here. */
  database?: Db;
}

const consoleIo: CliIo = { stdout: (line) => console.log(line), stderr: (line) => console.error(line) };

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  locale: { type: 'string' },
  year: { type: 'string' },
  month: { type: 'string' },
  indicator: { type: 'string' },
  period: { type: 'string' },
  hours: { type: 'string' },
  at: { type: 'string' },
  member: { type: 'string' },
  out: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** The values of OPTIONS: text for an option that takes a value, true for a flag. */
type OptionValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

/** Mistakes in the command line itself; each is a sentence under `problems.args` in locales/. */
export const ARG_PROBLEM_CODES = ['unknown_option', 'missing_value', 'takes_no_value'] as const;
export type ArgProblemCode = (typeof ARG_PROBLEM_CODES)[number];

/** Exit codes: 0 done, 1 refused or failed, 2 a usage mistake. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<0 | 1 | 2> {
  const io = options.io ?? consoleIo;
  // Leniently, so that the mistake is ours to name in the reader's language (node's own text is English).
  const parsed = parseArgs({ args: argv, allowPositionals: true, strict: false, tokens: true, options: OPTIONS });
  const requested = parsed.values.locale;
  const locale: Locale = LOCALES.find((candidate) => candidate === requested) ?? 'zh-CN';
  const t = translator(locale);
  const mistake = argumentMistake(parsed.tokens);
  if (mistake) {
    io.stderr(t(`problems.args.${mistake.code}`, { option: mistake.option }));
    io.stderr(t('cli.usage'));
    return 2;
  }
  // argumentMistake found every option known, with a value exactly when it takes one.
  const values = parsed.values as OptionValues;
  const [command, ...args] = parsed.positionals;
  if (values.help || !command || command === 'help') {
    io.stdout(t('cli.usage'));
    return command || values.help ? 0 : 2;
  }
  const usage = (key: 'missing_argument' | 'bad_option' | 'dry_run_not_here', params: Record<string, string>) => {
    io.stderr(t(`cli.${key}`, params));
    return 2 as const;
  };

  const numbers: Record<string, number | undefined> = {};
  for (const name of ['year', 'month', 'hours'] as const) {
    const raw = values[name];
    if (raw === undefined) continue;
    const value = Number(raw);
    const valid = Number.isInteger(value) && (name === 'year' ? value >= 2000 && value <= 2100 : name === 'month' ? value >= 1 && value <= 12 : value > 0);
    if (!valid) return usage('bad_option', { option: `--${name}`, value: raw });
    numbers[name] = value;
  }
  const period = values.period === undefined ? undefined : parsePeriod(values.period);
  if (period && !period.ok) return usage('bad_option', { option: '--period', value: values.period ?? '' });
  const at = values.at === undefined ? undefined : parseMoment(values.at);
  if (values.at !== undefined && !at) return usage('bad_option', { option: '--at', value: values.at });
  if (command === 'reminders' && !at) return usage('missing_argument', { argument: t('cli.arg_at') });
  if ((command === 'bulletin' || command === 'annual-report') && !values.out) return usage('missing_argument', { argument: t('cli.arg_out') });
  if (command === 'confirm' && (!args[0] || !period)) return usage('missing_argument', { argument: t('cli.arg_confirm') });

  const cwd = options.cwd ?? process.cwd();
  if (command === 'validate') {
    const file = args[0];
    if (!file) return usage('missing_argument', { argument: t('cli.arg_file') });
    return validateCommand({ t, print: io.stdout }, path.resolve(cwd, file));
  }
  const known = ['load', 'invite', 'unbind', 'progress', 'missing', 'import', 'export', 'demo-data', 'reminders', 'dashboard-link', 'bulletin', 'annual-report', 'confirm', 'queried'];
  if (!known.includes(command)) {
    io.stderr(t('cli.unknown_command', { command }));
    io.stderr(t('cli.usage'));
    return 2;
  }
  // A preview asked of a command that has none must not run it for real.
  if (values['dry-run'] === true && !['import', 'load'].includes(command)) return usage('dry_run_not_here', { command });
  if (['invite', 'unbind', 'import', 'export'].includes(command) && !args[0]) {
    return usage('missing_argument', { argument: t(['invite', 'unbind'].includes(command) ? 'cli.arg_member' : 'cli.arg_file') });
  }

  const config = loadConfig(options.env ?? process.env);
  if (!config.ok) {
    io.stderr(formatSettingProblems(config.error, t));
    return 1;
  }
  // File names as typed, made absolute: the command may run in the bot, which started elsewhere.
  const files = ['load', 'import', 'export'].includes(command) && args[0] ? [path.resolve(cwd, args[0])] : args;
  let database: { prisma: Db; close(): Promise<void> };
  if (options.database) {
    database = { prisma: options.database, close: async () => {} };
  } else {
    try {
      const opened = await openDatabase({ url: config.value.databaseUrl, dataDir: config.value.dataDir });
      database = opened;
      // A command run without the bot's DATA_DIR makes a database of its own: said, or it works on the wrong one.
      if (opened.created) io.stderr(t('cli.new_data_dir', { dir: path.dirname(opened.location) }));
    } catch (error) {
      // The embedded database is the running bot's: the command runs there.
      const exit = await handToRunningBot(error, config.value, { argv, cwd }, { ...io, t });
      if (exit !== undefined) return exit === 0 || exit === 2 ? exit : 1;
      io.stderr(describeFailure(t, error));
      return 1;
    }
  }
  const ctx: CommandContext = {
    deps: { prisma: database.prisma, now: options.now ?? (() => new Date()) },
    t,
    locale,
    orgFile: config.value.orgFile,
    timeZone: config.value.timeZone,
    print: io.stdout,
    publicUrl: config.value.publicUrl ?? `http://${config.value.http.host}:${config.value.http.port}`,
    // The embedded database opened here is no running bot's (a running bot's is handed the command).
    botStopped: options.database === undefined && config.value.databaseUrl === undefined,
  };
  try {
    if (command === 'dashboard-link') return await dashboardLinkCommand(ctx, values.member);
    const out = values.out === undefined ? undefined : path.resolve(cwd, values.out);
    return await dispatch(ctx, command, files, { ...numbers, at, out, indicator: values.indicator, period: period?.ok ? period.value : undefined, dryRun: values['dry-run'] === true });
  } catch (error) {
    io.stderr(describeFailure(t, error));
    return 1;
  } finally {
    await database.close();
  }
}

function dispatch(
  ctx: CommandContext,
  command: string,
  args: string[],
  options: { year?: number; month?: number; hours?: number; at?: Moment; out?: string; indicator?: string; period?: Period; dryRun?: boolean },
): Promise<ExitCode> {
  const first = args[0] ?? '';
  switch (command) {
    case 'load':
      return loadCommand(ctx, args[0], { dryRun: options.dryRun });
    case 'invite':
      return inviteCommand(ctx, first, options.hours);
    case 'unbind':
      return unbindCommand(ctx, first, args[1]);
    case 'progress':
      return progressCommand(ctx, { year: options.year, month: options.month, indicator: options.indicator });
    case 'missing':
      return missingCommand(ctx, options.period);
    case 'import':
      return importCommand(ctx, first, { dryRun: options.dryRun });
    case 'reminders':
      return remindersCommand(ctx, options.at ?? { instant: new Date() }, options.period);
    case 'export':
      return exportCommand(ctx, first, options.year);
    case 'bulletin':
      return bulletinCommand(ctx, options.out ?? '', options.period);
    case 'annual-report':
      return annualReportCommand(ctx, options.out ?? '', options.year);
    case 'confirm':
      return confirmCommand(ctx, first, options.period ?? { year: 0, month: 0 });
    case 'queried':
      return queriedCommand(ctx);
    default:
      return demoDataCommand(ctx);
  }
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** The first option that is unknown, lacks its value or has one it does not take. */
function argumentMistake(tokens: Token[]): { code: ArgProblemCode; option: string } | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name as keyof typeof OPTIONS] : undefined;
    if (!option) return { code: 'unknown_option', option: token.rawName };
    // `--year --month 3` would take "--month" as the year: a value that looks like an option is a missing one.
    const looksLikeOption = !token.inlineValue && token.value?.startsWith('-');
    if (option.type === 'string' && (token.value === undefined || looksLikeOption)) return { code: 'missing_value', option: token.rawName };
    if (option.type === 'boolean' && token.value !== undefined) return { code: 'takes_no_value', option: token.rawName };
  }
  return undefined;
}
