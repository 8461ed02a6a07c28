// The terminal chat: talk to the bot as a member, on the same database and core as every channel.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { startChatRuntime } from '../app/chat/runtime.js';
import { ensureOrganisation } from '../app/startup.js';
import { type TerminalHub, createTerminalHub } from '../channels/terminal/terminal-hub.js';
import { formatSettingProblems, loadConfig } from '../config.js';
import { translator } from '../core/i18n.js';
import { describeFailure, printOrgError } from './commands.js';
import { openDatabase } from '../db/database.js';
import { bindTerminal, memberNotFoundText } from '../app/invites.js';
import type { AppDeps } from '../app/deps.js';
import { handToRunningBot } from './admin-socket.js';

export interface TerminalChatOptions {
  argv: string[];
  env?: NodeJS.ProcessEnv;
  input: Readable;
  output: Writable;
  error: Writable;
  now?: () => Date;
}

/** Runs the terminal chat until the input ends; returns the exit code. */
export async function runTerminalChat(options: TerminalChatOptions): Promise<number> {
  const t = translator('zh-CN');
  const say = (stream: Writable, text: string) => stream.write(`${text}\n`);
  const memberKey = chatMemberKey(options.argv);
  if (!memberKey) {
    say(options.error, t('chat.terminal_usage'));
    return 2;
  }
  const config = loadConfig(options.env ?? process.env);
  if (!config.ok) {
    say(options.error, formatSettingProblems(config.error, t));
    return 1;
  }
  let database;
  try {
    database = await openDatabase({ url: config.value.databaseUrl, dataDir: config.value.dataDir });
    if (database.created) say(options.error, t('cli.new_data_dir', { dir: path.dirname(database.location) }));
  } catch (error) {
    // The embedded database is the running bot's: the chat goes on in the bot, through its socket.
    const io = { t, stdout: (line: string) => say(options.output, line), stderr: (line: string) => say(options.error, line) };
    const exit = await handToRunningBot(error, config.value, { kind: 'chat', argv: options.argv, cwd: process.cwd() }, io, options.input);
    if (exit !== undefined) return exit;
    say(options.error, describeFailure(t, error));
    return 1;
  }
  const now = options.now ?? (() => new Date());
  const deps = { prisma: database.prisma, now };
  try {
    const ensured = await ensureOrganisation(deps, { file: config.value.orgFile, timeZone: config.value.timeZone }, 'cli');
    if (!ensured.ok) return printOrgError({ t, print: (line) => say(options.error, line) }, ensured.error);
    const hub = createTerminalHub();
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [hub], now, sweepIntervalMs: 0, soleSender: database.kind === 'pglite' });
    try {
      return await chatSession(deps, hub, { memberKey, input: options.input, output: options.output, error: options.error, dataDir: config.value.dataDir });
    } finally {
      await runtime.stop();
    }
  } finally {
    await database.close();
  }
}

/** The member key of `--as`, or undefined when it is missing. */
export function chatMemberKey(argv: string[]): string | undefined {
  const { values } = parseArgs({ args: argv, options: { as: { type: 'string' } }, strict: false });
  return typeof values.as === 'string' && values.as !== '' ? values.as : undefined;
}

/**
 * One terminal chat as a member, on a running chat runtime whose terminal channel is `hub` (the terminal
 * chat's own, or the running bot's); resolves with the exit code when the input ends.
 */
export async function chatSession(
  deps: AppDeps,
  hub: TerminalHub,
  options: { memberKey: string; input: Readable; output: Writable; error: Writable; dataDir: string },
): Promise<number> {
  const say = (stream: Writable, text: string) => stream.write(`${text}\n`);
  // The terminal is the administrator's own: it speaks as the member named (by key or by name), bound like
  // any chat account.
  const bound = await bindTerminal(deps, { member: options.memberKey, actor: 'cli' });
  if (!bound.ok) {
    say(options.error, memberNotFoundText(translator('zh-CN'), options.memberKey, bound.error));
    return 1;
  }
  const member = bound.value;
  say(options.output, translator(member.locale)('chat.terminal_intro', { name: member.name }));
  const { done } = hub.open({
    memberKey: member.memberKey,
    input: options.input,
    output: options.output,
    saveFile: async (file) => {
      // Next to the data, not wherever the command happened to be run (often the repository itself).
      const folder = path.join(options.dataDir, 'exports');
      await mkdir(folder, { recursive: true });
      const target = path.join(folder, path.basename(file.name));
      await writeFile(target, file.content);
      return target;
    },
  });
  await done;
  return 0;
}
