/* The WeChat channel's settings, as src/config.ts reads them from the environment. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('the WeChat settings', () => {
  it('are off unless WECHATY_PUPPET names a puppet', () => {
    const config = loadConfig({ WECHATY_PUPPET_SERVICE_TOKEN: 'secret' });
    expect(config.ok && config.value.wechat).toBeUndefined();
  });

  it('pace WeChat far below Telegram by default: one message every 3 s in all, one every 5 s per chat', () => {
    const config = loadConfig({ DATA_DIR: '/srv/baoshu', WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_token' });
    expect(config.ok && config.value.wechat).toEqual({
      puppet: 'wechaty-puppet-service',
      token: 'puppet_token',
      session: path.join('/srv/baoshu', 'wechat-session'),
      sendIntervalMs: 3000,
      rateLimit: { perSecond: 1, chatIntervalMs: 5000, minIntervalMs: 3000 },
    });
  });

  it('take a pace of their own', () => {
    const config = loadConfig({ WECHATY_PUPPET: '@juzibot/wechaty-puppet-donut', WECHAT_SEND_INTERVAL_MS: '6000', WECHAT_CHAT_INTERVAL_MS: '20000' });
    expect(config.ok && config.value.wechat).toMatchObject({ sendIntervalMs: 6000, rateLimit: { chatIntervalMs: 20000 } });
  });

  it('refuse a puppet that is no wechaty puppet package, and a pace that is no number, naming them', () => {
    const config = loadConfig({ WECHATY_PUPPET: 'wechat4u', WECHAT_CHAT_INTERVAL_MS: '5s' });
    expect(config.ok).toBe(false);
    if (!config.ok) {
      expect(config.error.map((problem) => [problem.variable, problem.code])).toEqual([
        ['WECHATY_PUPPET', 'not_a_puppet'],
        ['WECHAT_CHAT_INTERVAL_MS', 'not_milliseconds'],
      ]);
    }
  });
});
