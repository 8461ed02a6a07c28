/*
 * Everything the rush bench knows about the product, in one place. The bench drives the bot only from
 * outside, as an operator and Telegram would: it starts `src/main.ts` with settings (environment
 * variables, .env.example), an organisation file (bench/rush/org.ts), and reads its JSON log on stderr
 * (the line with msg 'running'). It imports no module of src/. If the product changes, these are the
 * lines to adapt.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes.js';
import type { Turn } from './reporters.js';

/** The composition root `npm start` runs (`tsx src/main.ts`); spawned as `node --import tsx src/main.ts`. */
export const BOT_ENTRY = 'src/main.ts';
/**
 * The node flags `npm start` runs the bot with (package.json's start script, e.g. `--liftoff-only`), so
 * that the bench measures the process a bureau runs.
 */
export const BOT_NODE_FLAGS: string[] = (() => {
  // BENCH_NODE_FLAGS="--flag …" measures other flags instead (empty: none).
  const override = process.env.BENCH_NODE_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts.start ?? '').split(/\s+/);
  return words.slice(1, words.indexOf('--import')).filter((word) => word.startsWith('--'));
})();

/** Preloaded into bot processes that must run at a chosen moment (see clock.ts). */
export const CLOCK_PRELOAD = './bench/rush/clock.ts';

/** Telegram's documented pace, the product's default (TELEGRAM_MAX_PER_SECOND, TELEGRAM_CHAT_INTERVAL_MS). */
export const DEFAULT_PACE = { perSecond: 30, chatIntervalMs: 1000 };

/** The settings of the bot for a scenario. */
export function botSettings(input: {
  dataDir: string;
  databaseUrl?: string;
  orgFile: string;
  token: string;
  apiRoot: string;
  pace: 'off' | 'default';
  clockAt?: string;
}): Record<string, string> {
  const pace = input.pace === 'off' ? { perSecond: 1_000_000, chatIntervalMs: 0 } : DEFAULT_PACE;
  return {
    DATA_DIR: input.dataDir,
    ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl } : {}),
    ORG_FILE: input.orgFile,
    TELEGRAM_BOT_TOKEN: input.token,
    TELEGRAM_API_ROOT: input.apiRoot,
    TELEGRAM_MAX_PER_SECOND: String(pace.perSecond),
    TELEGRAM_CHAT_INTERVAL_MS: String(pace.chatIntervalMs),
    LOG_LEVEL: 'info',
    ...(input.clockAt ? { BENCH_CLOCK_AT: input.clockAt } : {}),
  };
}

/*
 * Moments of the reporting month the bot is run at (Asia/Shanghai, the generated organisation's zone,
 * default schedule: the window opens on the 20th, the deadline is the last working day, reminders 3 and
 * 1 working days before it at 09:00, 催报 for 5 working days after it, quiet hours 21:00–08:00).
 * - QUIET: Tuesday 10 November 2026, 10:00 — October's 催报 and escalation ended on 9 November, November's
 *   window opens on the 20th: no reminder is due, and /report asks for October's figures.
 * - ROUND: Wednesday 25 November 2026, 09:00 — three working days before the deadline (Monday 30th):
 *   the "before-3" reminder of every reporter whose section has not reported November is due.
 */
export const QUIET_MOMENT = '2026-11-10T10:00:00+08:00';
export const ROUND_MOMENT = '2026-11-25T09:00:00+08:00';
/** The year of the generated organisation's targets. */
export const YEAR = 2026;

const zh = JSON.parse(readFileSync(path.join(ROOT, 'locales/zh-CN.json'), 'utf8')) as {
  dialogue: { review_instruction: string; submitted: string };
  chat: { error: string };
};
/** A template's words before its first placeholder. */
const lead = (template: string) => template.split('{')[0]!;

/** Whether a message holds a part that starts with `start`: a turn's replies may arrive joined by blank lines. */
const hasPart = (text: string, start: string) => text.split('\n\n').some((part) => part.startsWith(start));

/**
 * The reporting dialogue of a section head with two indicators (src/core/dialogue/report.ts): `/report`
 * (greeting, then question 1/2), a figure (question 2/2), a figure (the summary, then how to confirm),
 * `确认` (submitted). Each turn's `done` is the last part of its answer (Telegram joins a turn's parts into
 * one message where they fit).
 */
export const REPORT_TURNS: Turn[] = [
  { text: '/report', done: (text) => hasPart(text, '(1/') },
  { text: '12.5', done: (text) => hasPart(text, '(2/') },
  { text: '30', done: (text) => text.includes(lead(zh.dialogue.review_instruction)) },
  { text: '确认', done: (text) => hasPart(text, lead(zh.dialogue.submitted)) },
];

/** The same four messages to the echo bot, each answered by itself. */
export const ECHO_TURNS: Turn[] = REPORT_TURNS.map(({ text }) => ({ text, done: (reply) => reply === text }));

/** The bot's apology when handling a message failed (src/app/chat/runtime.ts onError). */
export const isApology = (text: string) => text === zh.chat.error;

/** The log line that counts a round (src/scheduler/reminder-scheduler.ts): `{ reminders: n }`. */
export const ROUND_QUEUED_MSG = 'reminders queued';
