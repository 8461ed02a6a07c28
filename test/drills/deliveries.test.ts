import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { createTelegramAdapter } from '../../src/channels/telegram/telegram-adapter.js';
import type { Database } from '../../src/db/database.js';
import { NOV_25, FIGURES_2026, bind, seedFigures } from '../helpers/chat.js';
import { withDemoFigures } from '../helpers/databases.js';
import { type FakeBotApi, createFakeBotApi } from '../helpers/fake-bot-api.js';
import { describeOnPostgres } from '../helpers/postgres.js';
import { freePort } from '../helpers/processes.js';

/*
 * Drill: every update delivered three times, to two replicas behind one webhook URL (Telegram retries a
 * delivery it saw no answer to, and a load balancer may send the retry to the other replica). Two chat
 * runtimes on one PostgreSQL database, each with the real Telegram adapter in webhook mode, one fake Bot
 * API. A whole monthly report and a director's question: each is answered once, stored once.
 */

const SECRET = 'drill-webhook_secret';
const WANG = 1001;
const DIRECTOR = 1002;

type Runtime = Awaited<ReturnType<typeof startChatRuntime>>;

function post(url: string, update: Update): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(update));
  });
}

describeOnPostgres('drill: the same update three times, at two replicas', (pg) => {
  let fake: FakeBotApi;
  const replicas: Array<{ database: Database; runtime: Runtime; url: string }> = [];

  beforeAll(async () => {
    fake = await createFakeBotApi();
    for (let i = 0; i < 2; i += 1) {
      const database = await pg.open();
      if (i === 0) {
        const deps = { prisma: database.prisma, now: () => new Date(NOV_25) };
        await withDemoFigures(deps);
        await seedFigures(deps, FIGURES_2026);
        await bind(database.prisma, `telegram:${WANG}`, 'wang');
        await bind(database.prisma, `telegram:${DIRECTOR}`, 'director');
      }
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/tg`;
      const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.url, webhook: { url, secret: SECRET, port, host: '127.0.0.1' } });
      const runtime = await startChatRuntime({ prisma: database.prisma, adapters: [adapter], now: () => NOV_25, sweepIntervalMs: 0 });
      replicas.push({ database, runtime, url });
    }
  }, 60_000);

  afterAll(async () => {
    for (const { runtime } of replicas) await runtime.stop();
    await fake?.close();
  });

  /** One update as Telegram sends it (to the URL's current replica), then again to each replica, all at once. */
  async function sayThrice(userId: number, text: string): Promise<string[]> {
    const before = fake.sent.length;
    const update = fake.userSays(userId, text);
    const statuses = await Promise.all(replicas.map((replica) => post(replica.url, update)));
    expect(statuses).toEqual([200, 200]);
    for (const { runtime } of replicas) await runtime.idle();
    await waitForDeliveries(update.update_id);
    for (const { runtime } of replicas) await runtime.idle();
    return fake.sent.slice(before).filter((call) => call.chat_id === userId).map((call) => call.text ?? '');
  }

  async function waitForDeliveries(updateId: number): Promise<void> {
    for (let i = 0; i < 200 && !fake.webhookDeliveries.some((d) => d.update.update_id === updateId); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(fake.webhookDeliveries.find((d) => d.update.update_id === updateId)?.status).toBe(200);
  }

  it('takes a whole report once: one question per answer, one summary, one submission, one revision each', async () => {
    const { prisma } = replicas[0]!.database;
    const replies = [
      ...(await sayThrice(WANG, '/report')),
      ...(await sayThrice(WANG, '41亿')),
      ...(await sayThrice(WANG, '11亿')),
      ...(await sayThrice(WANG, '19亿')),
      ...(await sayThrice(WANG, '3家')),
      ...(await sayThrice(WANG, '确认')),
    ].join('\n');
    for (const question of ['(1/4)', '(2/4)', '(3/4)', '(4/4)', '请核对', '已提交']) {
      expect(replies.split(question).length - 1, question).toBe(1);
    }
    const member = await prisma.member.findUniqueOrThrow({ where: { key: 'wang' }, include: { conversation: true } });
    expect(member.conversation?.version).toBe(6);
    const stored = await prisma.submission.findMany({ where: { year: 2026, month: 11 }, include: { revisions: true, indicator: true } });
    expect(stored.map((row) => [row.indicator.key, row.value.toFixed(), row.revisions.length]).sort()).toEqual(
      [
        ['industrial_added_value', '11', 1],
        ['industrial_investment', '19', 1],
        ['industrial_output_value', '41', 1],
        ['new_above_scale_firms', '3', 1],
      ].sort(),
    );
    expect(await prisma.outboxMessage.count({ where: { chat: `telegram:${WANG}`, status: { not: 'sent' } } })).toBe(0);
  });

  it('answers a director’s question once', async () => {
    const replies = await sayThrice(DIRECTOR, '2020年工业投资完成率');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('119.76%');
  });
});
