// The terminal chat: talk to the bot as a member, on the same database and core as every channel.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { startChatRuntime } from '../app/chat/runtime.js';
import { ensureOrganisation } from '../app/startup.js';
import { createTerminalAdapter } from '../channels/terminal/terminal-adapter.js';
import { formatSettingProblems, loadConfig } from '../config.js';
import { translator } from '../core/i18n.js';
import { describeFailure, printOrgError } from './commands.js';
import { openDatabase } from '../db/database.js';

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
  const { values } = parseArgs({ args: options.argv, options: { as: { type: 'string' } }, strict: false });
  const memberKey = typeof values.as === 'string' ? values.as : undefined;
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
  } catch (error) {
    // Most often the bot itself holds the embedded database: say so plainly, no stack trace.
    say(options.error, describeFailure(t, error));
    return 1;
  }
  const now = options.now ?? (() => new Date());
  try {
    const ensured = await ensureOrganisation({ prisma: database.prisma, now }, { file: config.value.orgFile, timeZone: config.value.timeZone }, 'cli');
    if (!ensured.ok) return printOrgError({ t, print: (line) => say(options.error, line) }, ensured.error);
    const member = await database.prisma.member.findFirst({ where: { key: memberKey, active: true } });
    if (!member) {
      say(options.error, t('cli.unknown_member', { key: memberKey }));
      return 1;
    }
    // The terminal is the administrator's own: it speaks as the member named, bound like any chat account.
    const identity = `terminal:${member.key}`;
    await database.prisma.chatIdentity.upsert({
      where: { identity },
      create: { identity, memberId: member.id, source: 'terminal' },
      update: { memberId: member.id, source: 'terminal' },
    });
    const own = translator(member.locale === 'en' ? 'en' : 'zh-CN');
    say(options.output, own('chat.terminal_intro', { name: member.name }));
    const adapter = createTerminalAdapter({
      memberKey: member.key,
      input: options.input,
      output: options.output,
      saveFile: async (file) => {
        // Next to the data, not wherever the command happened to be run (often the repository itself).
        const folder = path.join(config.value.dataDir, 'exports');
        await mkdir(folder, { recursive: true });
        const target = path.join(folder, path.basename(file.name));
        await writeFile(target, file.content);
        return target;
      },
    });
    const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [adapter], now, sweepIntervalMs: 0, soleSender: database.kind === 'pglite' });
    await adapter.done;
    await runtime.stop();
    return 0;
  } finally {
    await database.close();
  }
}

