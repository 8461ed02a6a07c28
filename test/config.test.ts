import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { configSchema, loadConfig } from '../src/config.js';

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
    expect(config.error).toContain('DATABASE_URL');
    expect(config.error).toContain('LOG_LEVEL');
    expect(config.error).toContain('BOT_TIMEZONE: not an IANA time zone');
    expect(config.error).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('require a webhook secret with a webhook URL', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook' });
    expect(config.ok).toBe(false);
    if (!config.ok) expect(config.error).toContain('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
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
