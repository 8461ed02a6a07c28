import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SETTING_PROBLEM_CODES, configSchema, formatSettingProblems, loadConfig, readSettingsFile, settingsFileProblem } from '../src/config.js';
import { translator } from '../src/core/i18n.js';

describe('settings', () => {
  it('default to the embedded database under ./data with no channel', () => {
    const config = loadConfig({});
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.dataDir).toMatch(/[/\\]data$/);
    expect(config.value.databaseUrl).toBeUndefined();
    expect(config.value.telegram).toBeUndefined();
    expect(config.value.logLevel).toBe('info');
  });

  it('treat empty variables as unset, as an unedited .env file leaves them', () => {
    const config = loadConfig({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '  ', ORG_FILE: '' });
    expect(config.ok && config.value.databaseUrl === undefined && config.value.orgFile === undefined).toBe(true);
  });

  it('name every bad variable and say what is wrong', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://localhost/x',
      LOG_LEVEL: 'loud',
      BOT_TIMEZONE: 'Mars/Olympus',
      TELEGRAM_BOT_TOKEN: 'not-a-token',
    });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error.map((problem) => [problem.variable, problem.code])).toEqual([
      ['DATABASE_URL', 'not_a_postgres_url'],
      ['BOT_TIMEZONE', 'not_a_time_zone'],
      ['LOG_LEVEL', 'not_one_of'],
      ['TELEGRAM_BOT_TOKEN', 'not_a_bot_token'],
    ]);
    expect(formatSettingProblems(config.error, translator('zh-CN')).split('\n')).toEqual([
      '设置有误，未启动（参见 .env.example）：',
      '  DATABASE_URL：应为 postgres:// 或 postgresql:// 开头的地址',
      '  BOT_TIMEZONE：“Mars/Olympus”不是时区名，应如 Asia/Shanghai',
      '  LOG_LEVEL：“loud”不可用，可用：fatal、error、warn、info、debug、trace、silent',
      '  TELEGRAM_BOT_TOKEN：不像机器人令牌，应如 123456:ABC-DEF…（由 @BotFather 发放）',
    ]);
    expect(formatSettingProblems(config.error, translator('en'))).toContain('  BOT_TIMEZONE: "Mars/Olympus" is not a time zone name such as Asia/Shanghai');
  });

  it('have a sentence in both languages for every problem', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = translator(locale);
      for (const code of SETTING_PROBLEM_CODES) {
        const text = formatSettingProblems([{ variable: 'X', code, params: { value: 'v', allowed: ['a', 'b'], minimum: 1 } }], t);
        expect(text, `${locale} ${code}`).not.toMatch(/[{}]|problems\./);
      }
    }
  });

  it('require a webhook secret with a webhook URL', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook' });
    expect(config.ok).toBe(false);
    if (!config.ok) expect(config.error).toEqual([{ variable: 'TELEGRAM_WEBHOOK_SECRET', code: 'secret_required', params: { value: expect.any(String) } }]);
  });

  it('take a PostgreSQL URL and the Telegram settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://bot:secret@db:5432/baoshu',
      TELEGRAM_BOT_TOKEN: '123456:ABC-def_1',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
    });
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.databaseUrl).toBe('postgres://bot:secret@db:5432/baoshu');
    expect(config.value.telegram).toEqual({
      token: '123456:ABC-def_1',
      apiRoot: 'http://127.0.0.1:8081',
      rateLimit: { perSecond: 30, chatIntervalMs: 1000 },
    });
  });
});

describe('WeCom settings', () => {
  const app = {
    WECOM_CORP_ID: 'ww1234567890abcdef',
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 'app-secret_1',
    WECOM_TOKEN: 'QDG6eK',
    WECOM_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  };

  it("turn the channel on with the app's five settings, serving the callback on 127.0.0.1:3000 by default", () => {
    const config = loadConfig(app);
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.wecom).toMatchObject({
      corpId: 'ww1234567890abcdef',
      agentId: 1000002,
      token: 'QDG6eK',
      callbackPath: '/wecom/callback',
      apiRoot: undefined,
      rateLimit: { chatLimits: [{ count: 30, perMs: 60_000 }, { count: 1000, perMs: 3_600_000 }] },
    });
    expect(config.value.http).toEqual({ port: 3000, host: '127.0.0.1' });
    const none = loadConfig({});
    expect(none.ok && none.value.wecom).toBeUndefined();
  });

  it('name each of the five that is missing when some are set, and a key or path that cannot be right', () => {
    const config = loadConfig({ WECOM_CORP_ID: 'ww1234567890abcdef', WECOM_AES_KEY: 'too-short', WECOM_CALLBACK_PATH: 'wecom', HTTP_PORT: '70000' });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error.map((problem) => [problem.variable, problem.code])).toEqual([
      ['WECOM_AES_KEY', 'not_an_aes_key'],
      ['WECOM_CALLBACK_PATH', 'not_a_path'],
      ['HTTP_PORT', 'not_a_port'],
      ['WECOM_AGENT_ID', 'wecom_setting_required'],
      ['WECOM_SECRET', 'wecom_setting_required'],
      ['WECOM_TOKEN', 'wecom_setting_required'],
    ]);
    expect(formatSettingProblems(config.error, translator('zh-CN'))).toContain('WECOM_AES_KEY：应为 43 位英文字母或数字');
    // The root leads to the dashboard: no callback there.
    const root = loadConfig({ WECOM_CALLBACK_PATH: '/' });
    expect(!root.ok && root.error.map((problem) => [problem.variable, problem.code])).toEqual([['WECOM_CALLBACK_PATH', 'not_a_path']]);
  });
});

describe('the dashboard settings', () => {
  it('serve on 127.0.0.1:3000 with links to it by default; PUBLIC_URL sets the links, HTTP_PORT=0 any free port', () => {
    const none = loadConfig({});
    expect(none.ok && [none.value.http, none.value.publicUrl]).toEqual([{ port: 3000, host: '127.0.0.1' }, undefined]);
    const set = loadConfig({ PUBLIC_URL: 'https://baoshu.example.gov.cn/', HTTP_PORT: '0' });
    expect(set.ok && [set.value.http.port, set.value.publicUrl]).toEqual([0, 'https://baoshu.example.gov.cn']);
  });

  it('name a PUBLIC_URL that is no web address', () => {
    const config = loadConfig({ PUBLIC_URL: 'ftp://example.org' });
    expect(!config.ok && config.error.map((problem) => [problem.variable, problem.code])).toEqual([['PUBLIC_URL', 'not_a_web_url']]);
  });
});

describe('.env.example', () => {
  it('names exactly the variables the settings read', () => {
    const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]).sort();
    expect(documented).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('is itself a valid set of settings', () => {
    const values = Object.fromEntries([...readFileSync('.env.example', 'utf8').matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(loadConfig(values).ok).toBe(true);
  });
});

describe('the settings file', () => {
  const variable = 'BAOSHU_SETTINGS_FILE_TEST';
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'settings-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env[variable];
    delete process.env[`${variable}_TOO`];
  });

  it('is read into the environment, as .env.example says to use it, where the environment has no value', () => {
    const file = path.join(dir, 'settings.env');
    writeFileSync(file, `${variable}=from the file\n${variable}_TOO=also from the file\n`);
    process.env[`${variable}_TOO`] = 'from the environment';
    expect(readSettingsFile({ ENV_FILE: file })).toEqual({ read: file });
    expect(process.env[variable]).toBe('from the file');
    expect(process.env[`${variable}_TOO`]).toBe('from the environment');
  });

  it('is .env in the working directory unless ENV_FILE says otherwise, and none when ENV_FILE is empty', () => {
    writeFileSync(path.join(dir, 'settings.env'), `${variable}=x\n`);
    expect(readSettingsFile({ ENV_FILE: '' })).toEqual({});
    expect(process.env[variable]).toBeUndefined();
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      // No .env here: nothing to read, and nothing wrong.
      expect(readSettingsFile({})).toEqual({});
      writeFileSync(path.join(dir, '.env'), `${variable}=from .env\n`);
      expect(readSettingsFile({})).toEqual({ read: path.join(dir, '.env') });
      expect(process.env[variable]).toBe('from .env');
    } finally {
      process.chdir(cwd);
    }
  });

  it('stops the start with a sentence naming the file when the file ENV_FILE names cannot be read', () => {
    const missing = path.join(dir, 'missing.env');
    expect(settingsFileProblem(translator('zh-CN'), { ENV_FILE: missing })).toBe(`无法读取设置文件 ${missing}（ENOENT），未启动。`);
    expect(settingsFileProblem(translator('en'), { ENV_FILE: missing })).toBe(`Cannot read the settings file ${missing} (ENOENT); not started.`);
  });
});
