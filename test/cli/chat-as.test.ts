import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTerminalHub } from '../../src/channels/terminal/terminal-hub.js';
import { startChatRuntime } from '../../src/app/chat/runtime.js';
import { chatSession } from '../../src/cli/chat.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { withDemoOrganisation } from '../helpers/databases.js';

/* `npm run chat -- --as …` takes a member's key or name, and lists the choices when it finds none. */

describe('the terminal chat’s --as', () => {
  const hub = createTerminalHub();
  const now = () => new Date('2026-11-25T02:00:00Z');
  let database: Database;
  let runtime: Awaited<ReturnType<typeof startChatRuntime>>;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    await withDemoOrganisation({ prisma: database.prisma, now });
    runtime = await startChatRuntime({ prisma: database.prisma, adapters: [hub], now, sweepIntervalMs: 0, soleSender: true });
  });
  afterAll(async () => {
    await runtime.stop();
    await database.close();
  });

  async function session(given: string) {
    let out = '';
    let err = '';
    const output = new PassThrough().on('data', (chunk: Buffer) => (out += chunk.toString()));
    const error = new PassThrough().on('data', (chunk: Buffer) => (err += chunk.toString()));
    const options = { memberKey: given, input: Readable.from([]), output, error, dataDir: 'memory://' };
    const code = await chatSession({ prisma: database.prisma, now: () => new Date() }, hub, options);
    return { code, out, err };
  }

  it('takes a member by key, by name and by name typed with spaces or full-width letters', async () => {
    for (const given of ['wang', '王明', ' 王 明', 'ＷＡＮＧ']) {
      const chat = await session(given);
      expect([given, chat.code, chat.out]).toEqual([given, 0, '以 王明 的身份与报数助手对话。输入问题或数字后回车；Ctrl-D 结束。\n']);
    }
    expect((await session('huang')).out).toContain('Talking to the figures assistant as 黄磊.');
  });

  it('lists every member as key（name） when none has that key or name', async () => {
    const chat = await session('王股长');
    expect(chat.code).toBe(1);
    expect(chat.err).toMatch(/^没有 key 或姓名为“王股长”的人员。可选：director（林志强）、deputy（吴建国）、admin（郑丽）、wang（王明）、/);
    expect(chat.err).toContain('huang（黄磊）');
    expect(chat.out).toBe('');
  });
});
