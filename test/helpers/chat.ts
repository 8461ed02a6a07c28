import { pino } from 'pino';
import { afterEach, beforeAll } from 'vitest';
import type { AppDeps } from '../../src/app/deps.js';
import { importFigures } from '../../src/app/import-figures.js';
import { readFiguresCsv } from '../../src/app/io/figures-csv.js';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import type { Db } from '../../src/db/database.js';
import type { Logger } from '../../src/logger.js';
import { type DatabaseContext, withDemoFigures } from './databases.js';
import { type MemoryChannel, createMemoryChannel } from './memory-channel.js';

/*
 * The chat as a person meets it, on a suite's database: the demo organisation with its 2019–2020 series,
 * illustrative September and October 2026 figures, and every member bound on Telegram as `telegram:<key>`.
 */

/** 2026-11-25 10:00 in Asia/Shanghai: November's window is open, its deadline is Monday 30 November. */
export const NOV_25 = new Date('2026-11-25T02:00:00Z');

/** Illustrative 2026 figures (示例数据), so that questions have 上月 values and answers have a current year. */
export const FIGURES_2026 = [
  'industrial_output_value,2026-09,36.00',
  'industrial_added_value,2026-09,9.40',
  'industrial_investment,2026-09,15.10',
  'new_above_scale_firms,2026-09,1',
  'industrial_output_value,2026-10,40.00',
  'industrial_added_value,2026-10,10.50',
  'industrial_investment,2026-10,18.20',
  'new_above_scale_firms,2026-10,2',
  'tech_upgrade_investment,2026-10,2.05',
];

const MEMBERS = ['director', 'deputy', 'admin', 'wang', 'li', 'zhang', 'chen', 'liu', 'zhao', 'zhou', 'huang'];

/** A clock a test can move. */
export function createClock(start: Date) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advance(ms: number) {
      at += ms;
    },
  };
}

/** Log lines as objects, for tests that check what was logged. */
export function createLogSink() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

export type ChatRuntime = Awaited<ReturnType<typeof startChatRuntime>>;

export interface StartedChat {
  runtime: ChatRuntime;
  /** The first channel (Telegram unless told otherwise). */
  channel: MemoryChannel;
  channels: Map<string, MemoryChannel>;
}

/** One running bot (a "process") on `prisma`, with one in-memory channel per name; the sweep is off. */
export async function startChat(prisma: Db, options: { now: () => Date; channels?: string[]; logger?: Logger }): Promise<StartedChat> {
  const list = (options.channels ?? ['telegram']).map((name) => createMemoryChannel(name));
  const runtime = await startChatRuntime({ prisma, adapters: list, now: options.now, logger: options.logger, sweepIntervalMs: 0 });
  return { runtime, channel: list[0]!, channels: new Map(list.map((channel) => [channel.name, channel])) };
}

/**
 * Prepares the suite's database once (organisation, figures, bindings) and stops every bot a test
 * started after that test; `start` starts one at NOV_25 unless given a clock.
 */
export function useChat(ctx: DatabaseContext) {
  const started: ChatRuntime[] = [];
  beforeAll(async () => {
    const deps = ctx.deps(NOV_25);
    await withDemoFigures(deps);
    await seedFigures(deps, FIGURES_2026);
    for (const key of MEMBERS) await bind(ctx.db().prisma, `telegram:${key}`, key);
  });
  afterEach(async () => {
    for (const runtime of started.splice(0)) await runtime.stop();
  });
  return {
    async start(options: { now?: () => Date; channels?: string[]; logger?: Logger } = {}): Promise<StartedChat> {
      const chat = await startChat(ctx.db().prisma, { now: () => NOV_25, ...options });
      started.push(chat.runtime);
      return chat;
    },
  };
}

/** Binds a chat identity (`wechat:chen`) to a member as the organisation file would. */
export async function bind(prisma: Db, identity: string, memberKey: string): Promise<void> {
  const member = await prisma.member.findUniqueOrThrow({ where: { key: memberKey } });
  await prisma.chatIdentity.upsert({
    where: { identity },
    create: { identity, memberId: member.id, source: 'org_file', boundAt: NOV_25 },
    update: {},
  });
}

/** Stores figures given as CSV lines `indicator,YYYY-MM,value` through the ordinary import. */
export async function seedFigures(deps: AppDeps, lines: string[]): Promise<void> {
  const rows = readFiguresCsv(['indicator,period,value', ...lines].join('\n'));
  if (!rows.ok) throw new Error(`bad seed rows: ${JSON.stringify(rows.error)}`);
  const imported = await importFigures(deps, rows.value, { channel: 'import', actor: 'test', reason: 'seed', source: 'test' });
  if (!imported.ok) throw new Error(`seed rows refused: ${JSON.stringify(imported.error)}`);
}

/** One figure as stored: the current value and every revision, oldest first; undefined when none. */
export async function storedFigure(prisma: Db, indicatorKey: string, period: string) {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const indicator = await prisma.indicator.findUniqueOrThrow({ where: { key: indicatorKey } });
  const row = await prisma.submission.findUnique({
    where: { indicatorId_year_month: { indicatorId: indicator.id, year, month } },
    include: { revisions: { orderBy: { revision: 'asc' } } },
  });
  if (!row) return undefined;
  return {
    value: row.value.toString(),
    revisions: row.revisions.map((revision) => ({
      value: revision.value.toString(),
      channel: revision.channel,
      note: revision.note,
      reason: revision.reason,
    })),
  };
}

/** The texts of `sent`, in order (a file's caption stands for it). */
export function texts(sent: Array<{ text?: string }>): string[] {
  return sent.flatMap((message) => (message.text === undefined ? [] : [message.text]));
}
