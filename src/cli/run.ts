import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { LOCALES, type Locale } from '../core/domain.js';
import { translator } from '../core/i18n.js';
import { type Period, parsePeriod } from '../core/period.js';
import { openDatabase } from '../db/database.js';
import {
  type CommandContext,
  type ExitCode,
  demoDataCommand,
  describeFailure,
  exportCommand,
  importCommand,
  inviteCommand,
  loadCommand,
  missingCommand,
  remindersCommand,
  progressCommand,
  validateCommand,
} from './commands.js';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  io?: CliIo;
  /** The clock; tests fix it. */
  now?: () => Date;
}

const consoleIo: CliIo = { stdout: (line) => console.log(line), stderr: (line) => console.error(line) };

/** Exit codes: 0 done, 1 refused or failed, 2 a usage mistake. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<0 | 1 | 2> {
  const io = options.io ?? consoleIo;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        locale: { type: 'string' },
        year: { type: 'string' },
        month: { type: 'string' },
        indicator: { type: 'string' },
        period: { type: 'string' },
        hours: { type: 'string' },
        at: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr((error as Error).message);
    io.stderr(translator('zh-CN')('cli.usage'));
    return 2;
  }
  const { values, positionals } = parsed;
  const locale: Locale = (LOCALES as readonly string[]).includes(values.locale ?? '') ? (values.locale as Locale) : 'zh-CN';
  const t = translator(locale);
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    io.stdout(t('cli.usage'));
    return command || values.help ? 0 : 2;
  }
  const usage = (key: 'missing_argument' | 'bad_option', params: Record<string, string>) => {
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
  const at = values.at === undefined ? undefined : new Date(values.at);
  if (at && Number.isNaN(at.getTime())) return usage('bad_option', { option: '--at', value: values.at ?? '' });
  if (command === 'reminders' && !at) return usage('missing_argument', { argument: '--at <ISO time>' });

  if (command === 'validate') {
    const file = args[0];
    if (!file) return usage('missing_argument', { argument: '<file>' });
    return validateCommand({ t, print: io.stdout }, file);
  }
  const known = ['load', 'invite', 'progress', 'missing', 'import', 'export', 'demo-data', 'reminders'];
  if (!known.includes(command)) {
    io.stderr(t('cli.unknown_command', { command }));
    io.stderr(t('cli.usage'));
    return 2;
  }
  if (['invite', 'import', 'export'].includes(command) && !args[0]) {
    return usage('missing_argument', { argument: command === 'invite' ? '<member key>' : '<file>' });
  }

  const config = loadConfig(options.env ?? process.env);
  if (!config.ok) {
    io.stderr(config.error);
    return 1;
  }
  let database;
  try {
    database = await openDatabase({ url: config.value.databaseUrl, dataDir: config.value.dataDir });
  } catch (error) {
    io.stderr(describeFailure(t, error));
    return 1;
  }
  const ctx: CommandContext = {
    deps: { prisma: database.prisma, now: options.now ?? (() => new Date()) },
    t,
    locale,
    orgFile: config.value.orgFile,
    timeZone: config.value.timeZone,
    print: io.stdout,
  };
  try {
    return await dispatch(ctx, command, args, { ...numbers, at, indicator: values.indicator, period: period?.ok ? period.value : undefined });
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
  options: { year?: number; month?: number; hours?: number; at?: Date; indicator?: string; period?: Period },
): Promise<ExitCode> {
  const first = args[0] ?? '';
  switch (command) {
    case 'load':
      return loadCommand(ctx, args[0]);
    case 'invite':
      return inviteCommand(ctx, first, options.hours);
    case 'progress':
      return progressCommand(ctx, { year: options.year, month: options.month, indicator: options.indicator });
    case 'missing':
      return missingCommand(ctx, options.period);
    case 'import':
      return importCommand(ctx, first);
    case 'reminders':
      return remindersCommand(ctx, options.at ?? new Date(), options.period);
    case 'export':
      return exportCommand(ctx, first, options.year);
    default:
      return demoDataCommand(ctx);
  }
}
