import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Translate } from './core/i18n.js';
import { problemSentence } from './core/problems.js';
import { type SendPace, TELEGRAM_PACE, WECOM_PACE } from './app/send-pacer.js';

/**
 * WeChat's pace: far below Telegram's, since an account that sends fast is soon restricted. At least
 * `sendIntervalMs` between any two messages of the account, `chatIntervalMs` between two to one chat.
 */
export const WECHAT_PACE = { sendIntervalMs: 3000, chatIntervalMs: 5000 };

/*
 * The only reader of process.env. Every setting is validated once, at start; a bad one stops the start
 * with a message that names it. Documented, with examples, in .env.example.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const port = z
  .string()
  .regex(/^\d{1,5}$/, 'not_a_port')
  .transform(Number)
  .pipe(z.number().min(1, 'not_a_port').max(65535, 'not_a_port'));

/** Where a server listens: 0 takes any free port (tests; the address is logged). */
const listenPort = z
  .string()
  .regex(/^\d{1,5}$/, 'not_a_port')
  .transform(Number)
  .pipe(z.number().max(65535, 'not_a_port'));

/** The settings of a WeCom app that go together: one of them without the others is a mistake. */
const WECOM_REQUIRED = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_AES_KEY'] as const;

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not_a_time_zone' },
);

/** What can be wrong with a setting; each is a sentence under `problems.settings` in locales/. */
export const SETTING_PROBLEM_CODES = [
  'not_a_time_zone',
  'not_a_postgres_url',
  'not_a_url',
  'not_a_web_url',
  'not_a_bot_token',
  'not_a_webhook_secret',
  'not_a_port',
  'not_a_whole_number',
  'not_milliseconds',
  'not_a_puppet',
  'not_a_corp_id',
  'not_an_agent_id',
  'not_a_wecom_token',
  'not_an_aes_key',
  'not_a_path',
  'wecom_setting_required',
  'not_one_of',
  'too_small',
  'empty',
  'secret_required',
  'bad_value',
] as const;
export type SettingProblemCode = (typeof SETTING_PROBLEM_CODES)[number];

/** One bad setting: the variable, what is wrong, and the values the sentence quotes. */
export interface SettingProblem {
  variable: string;
  code: SettingProblemCode;
  params: Readonly<Record<string, string | number | readonly string[]>>;
}

const isSettingProblemCode = (text: string): text is SettingProblemCode => (SETTING_PROBLEM_CODES as readonly string[]).includes(text);

export const configSchema = z
  .object({
    DATA_DIR: z.string().trim().min(1).default('./data'),
    DATABASE_URL: optionalText.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'not_a_postgres_url' }).optional(),
    ),
    ORG_FILE: optionalText,
    BOT_TIMEZONE: optionalText.pipe(timeZone.optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TELEGRAM_BOT_TOKEN: optionalText.pipe(
      z.string().regex(/^\d+:[\w-]+$/, 'not_a_bot_token').optional(),
    ),
    TELEGRAM_API_ROOT: optionalText.pipe(z.url({ error: 'not_a_url' }).optional()),
    TELEGRAM_WEBHOOK_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'not_a_web_url' }).optional()),
    TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'not_a_webhook_secret').optional(),
    ),
    TELEGRAM_WEBHOOK_PORT: optionalText.pipe(port.optional()),
    TELEGRAM_WEBHOOK_HOST: optionalText,
    TELEGRAM_MAX_PER_SECOND: optionalText.pipe(z.string().regex(/^\d+$/, 'not_a_whole_number').transform(Number).pipe(z.number().min(1)).optional()),
    TELEGRAM_CHAT_INTERVAL_MS: optionalText.pipe(z.string().regex(/^\d+$/, 'not_milliseconds').transform(Number).optional()),
    WECHATY_PUPPET: optionalText.pipe(
      z
        .string()
        .regex(/^(@[\w.-]+\/)?wechaty-puppet-[\w.-]+$/, 'not_a_puppet')
        .optional(),
    ),
    WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
    WECHAT_SEND_INTERVAL_MS: optionalText.pipe(z.string().regex(/^\d+$/, 'not_milliseconds').transform(Number).optional()),
    WECHAT_CHAT_INTERVAL_MS: optionalText.pipe(z.string().regex(/^\d+$/, 'not_milliseconds').transform(Number).optional()),
    WECOM_CORP_ID: optionalText.pipe(z.string().regex(/^[\w-]{1,64}$/, 'not_a_corp_id').optional()),
    WECOM_AGENT_ID: optionalText.pipe(z.string().regex(/^\d{1,10}$/, 'not_an_agent_id').transform(Number).optional()),
    WECOM_SECRET: optionalText,
    WECOM_TOKEN: optionalText.pipe(z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'not_a_wecom_token').optional()),
    WECOM_AES_KEY: optionalText.pipe(z.string().regex(/^[A-Za-z0-9]{43}$/, 'not_an_aes_key').optional()),
    WECOM_API_ROOT: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'not_a_web_url' }).optional()),
    // Not the root, which leads to the dashboard.
    WECOM_CALLBACK_PATH: optionalText.pipe(z.string().regex(/^\/[\w\-.~][\w\-./~]*$/, 'not_a_path').optional()),
    HTTP_PORT: optionalText.pipe(listenPort.optional()),
    HTTP_HOST: optionalText,
    PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'not_a_web_url' }).optional()),
  })
  .superRefine((env, ctx) => {
    if (WECOM_REQUIRED.some((name) => env[name] !== undefined)) {
      for (const name of WECOM_REQUIRED) {
        if (env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'wecom_setting_required' });
      }
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'secret_required',
      });
    }
  });

export interface Config {
  dataDir: string;
  /** undefined: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  orgFile?: string;
  /** Overrides the organisation file's timezone when set; periods and reminders are computed in it. */
  timeZone?: string;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  telegram?: {
    token: string;
    apiRoot?: string;
    /** Webhook mode: Telegram calls `url`; the bot listens on host:port (behind a TLS-terminating proxy). */
    webhook?: { url: string; secret: string; port: number; host: string };
    rateLimit: SendPace;
  };
  wechat?: {
    /** The wechaty puppet's package name (WECHATY_PUPPET). */
    puppet: string;
    token?: string;
    /** Where the login session is kept, so that a restart may not need a new scan. */
    session: string;
    /** At least this long between any two messages of the account (the adapter keeps it). */
    sendIntervalMs: number;
    /** The outbox's pace for the channel: the account's interval and the per-chat one, replies first. */
    rateLimit: SendPace;
  };
  /** The bot's one HTTP server: the web dashboard and WeCom's callback. */
  http: { port: number; host: string };
  /**
   * The dashboard's address as people open it (PUBLIC_URL: the reverse proxy's https address); undefined:
   * http://HTTP_HOST:HTTP_PORT, where the server listens.
   */
  publicUrl?: string;
  wecom?: {
    corpId: string;
    agentId: number;
    secret: string;
    /** The callback's Token and EncodingAESKey, as entered in the app's 接收消息 settings. */
    token: string;
    aesKey: string;
    /** The API's base URL up to and including /cgi-bin (WeCom's unless set: 政务微信, a fake in tests). */
    apiRoot?: string;
    callbackPath: string;
    /** WeCom's per-member limits, kept by the outbox. */
    rateLimit: SendPace;
  };
}

export type ConfigResult = { ok: true; value: Config } | { ok: false; error: SettingProblem[] };

/** Validates the environment; the error names every bad variable with what is wrong with it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((issue) => settingProblem(issue, env)) };
  const e = parsed.data;
  return {
    ok: true,
    value: {
      dataDir: path.resolve(e.DATA_DIR),
      databaseUrl: e.DATABASE_URL,
      orgFile: e.ORG_FILE,
      timeZone: e.BOT_TIMEZONE,
      logLevel: e.LOG_LEVEL,
      telegram: e.TELEGRAM_BOT_TOKEN
        ? {
            token: e.TELEGRAM_BOT_TOKEN,
            apiRoot: e.TELEGRAM_API_ROOT,
            rateLimit: {
              perSecond: e.TELEGRAM_MAX_PER_SECOND ?? TELEGRAM_PACE.perSecond,
              chatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS ?? TELEGRAM_PACE.chatIntervalMs,
            },
            webhook:
              e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
                ? {
                    url: e.TELEGRAM_WEBHOOK_URL,
                    secret: e.TELEGRAM_WEBHOOK_SECRET,
                    port: e.TELEGRAM_WEBHOOK_PORT ?? 8080,
                    host: e.TELEGRAM_WEBHOOK_HOST ?? '0.0.0.0',
                  }
                : undefined,
          }
        : undefined,
      wechat: e.WECHATY_PUPPET
        ? {
            puppet: e.WECHATY_PUPPET,
            token: e.WECHATY_PUPPET_SERVICE_TOKEN,
            session: path.join(path.resolve(e.DATA_DIR), 'wechat-session'),
            sendIntervalMs: e.WECHAT_SEND_INTERVAL_MS ?? WECHAT_PACE.sendIntervalMs,
            rateLimit: {
              perSecond: Math.max(1, Math.floor(1000 / Math.max(1, e.WECHAT_SEND_INTERVAL_MS ?? WECHAT_PACE.sendIntervalMs))),
              chatIntervalMs: e.WECHAT_CHAT_INTERVAL_MS ?? WECHAT_PACE.chatIntervalMs,
              minIntervalMs: e.WECHAT_SEND_INTERVAL_MS ?? WECHAT_PACE.sendIntervalMs,
            },
          }
        : undefined,
      http: { port: e.HTTP_PORT ?? 3000, host: e.HTTP_HOST ?? '127.0.0.1' },
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      wecom:
        e.WECOM_CORP_ID && e.WECOM_AGENT_ID !== undefined && e.WECOM_SECRET && e.WECOM_TOKEN && e.WECOM_AES_KEY
          ? {
              corpId: e.WECOM_CORP_ID,
              agentId: e.WECOM_AGENT_ID,
              secret: e.WECOM_SECRET,
              token: e.WECOM_TOKEN,
              aesKey: e.WECOM_AES_KEY,
              apiRoot: e.WECOM_API_ROOT,
              callbackPath: e.WECOM_CALLBACK_PATH ?? '/wecom/callback',
              rateLimit: WECOM_PACE,
            }
          : undefined,
    },
  };
}

/**
 * A zod issue as a setting problem: our own checks carry their code as the message; zod's are mapped. The
 * value quoted is the variable as written (only sentences about names and lists quote it, never a token).
 */
function settingProblem(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): SettingProblem {
  const variable = issue.path.map(String).join('.') || '(environment)';
  const value = (env[variable] ?? '').trim();
  if (isSettingProblemCode(issue.message)) return { variable, code: issue.message, params: { value } };
  switch (issue.code) {
    case 'invalid_value':
      return { variable, code: 'not_one_of', params: { value, allowed: issue.values.map(String) } };
    case 'too_small':
      return issue.origin === 'string'
        ? { variable, code: 'empty', params: {} }
        : { variable, code: 'too_small', params: { minimum: Number(issue.minimum) } };
    default:
      return { variable, code: 'bad_value', params: { value } };
  }
}

/** The settings' problems as the reader's lines, under a heading that points to .env.example. */
export function formatSettingProblems(problems: readonly SettingProblem[], t: Translate): string {
  const lines = problems.map((problem) =>
    t('problems.settings.line', { variable: problem.variable, message: problemSentence(t, `problems.settings.${problem.code}`, problem.params) }),
  );
  return [t('problems.settings.header'), ...lines].join('\n');
}

/**
 * Reads the settings file into the environment, as `.env.example` says: `.env` in the working directory
 * (npm runs the scripts in the project's folder), or the file ENV_FILE names; ENV_FILE set empty reads
 * none. A variable already in the environment wins over the file. `read` is the file read, if any;
 * `error` says why a file that should be read could not be.
 */
export function readSettingsFile(env: NodeJS.ProcessEnv = process.env): { read?: string; error?: { file: string; reason: string } } {
  const named = env.ENV_FILE;
  if (named === '') return {};
  const file = path.resolve(named ?? '.env');
  if (named === undefined && !existsSync(file)) return {};
  try {
    process.loadEnvFile(file);
    return { read: file };
  } catch (error) {
    return { error: { file, reason: (error as NodeJS.ErrnoException).code ?? String(error) } };
  }
}

/** Reads the settings file (`readSettingsFile`); the sentence to stop on when it cannot be read. */
export function settingsFileProblem(t: Translate, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { error } = readSettingsFile(env);
  return error ? t('problems.settings.file_unreadable', error) : undefined;
}

/** Where the command was typed: npm runs scripts in the package's folder and says the first in INIT_CWD. */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.INIT_CWD || undefined;
}
