import { TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TelegramSender, createSendThread } from '../../src/channels/telegram/send-thread.js';
import { createFakeBotApi, type FakeBotApi } from '../helpers/fake-bot-api.js';

describe('telegram send thread', () => {
  let fake: FakeBotApi;
  let sender: TelegramSender & { running(): boolean };

  beforeEach(async () => {
    fake = await createFakeBotApi();
    sender = createSendThread({ token: fake.token, apiRoot: fake.url, idleMs: 50 });
  });

  afterEach(async () => {
    await sender.close();
    await fake.close();
  });

  it('sends texts and files through the Bot API, each answered by its own call', async () => {
    await Promise.all([
      sender.sendMessage(880001, '您好'),
      sender.sendMessage(880002, '再见'),
      sender.sendDocument(880001, { name: '完成情况表.xlsx', content: Buffer.from('PK-bytes'), caption: '2026年1–10月' }),
    ]);
    const byChat = fake.sent.map((call) => [call.chat_id, call.text ?? call.document?.filename, call.caption]);
    expect(byChat).toHaveLength(3);
    expect(byChat).toEqual(
      expect.arrayContaining([
        [880001, '您好', undefined],
        [880002, '再见', undefined],
        [880001, '完成情况表.xlsx', '2026年1–10月'],
      ]),
    );
    expect(fake.sent.find((call) => call.method === 'sendDocument')?.document?.bytes.toString()).toBe('PK-bytes');
  });

  it("rejects with telegraf's own error, code, description and retry_after kept", async () => {
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    const error = await sender.sendMessage(880001, '提醒').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(429);
    expect((error as TelegramError).parameters?.retry_after).toBe(7);
    expect((error as TelegramError).on).toMatchObject({ method: 'sendMessage', payload: { chat_id: 880001 } });
  });

  it('rejects a failure that is not a Bot API answer as a plain error, without the token', async () => {
    const unreachable = createSendThread({ token: fake.token, apiRoot: 'http://127.0.0.1:1', idleMs: 50 });
    try {
      const error = await unreachable.sendMessage(880001, '提醒').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TelegramError);
      expect(String((error as Error).message)).not.toContain(fake.token.split(':')[1]);
    } finally {
      await unreachable.close();
    }
  });

  it('stops after a quiet spell and starts again with the next send', async () => {
    expect(sender.running()).toBe(false);
    await sender.sendMessage(880001, '第一条');
    expect(sender.running()).toBe(true);
    await expect.poll(() => sender.running(), { timeout: 10_000, interval: 20 }).toBe(false);
    await sender.sendMessage(880001, '第二条');
    expect(fake.sent.map((call) => call.text)).toEqual(['第一条', '第二条']);
  });

  it('once closed, fails a send under way and every later one, so the dispatcher retries them', async () => {
    const underWay = sender.sendMessage(880001, '路上').catch((e: unknown) => e);
    await sender.close();
    expect(String(await underWay)).toMatch(/closed/);
    await expect(sender.sendMessage(880001, '之后')).rejects.toThrow(/closed/);
  });
});
