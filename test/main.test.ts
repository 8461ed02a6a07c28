import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';

/** Starts the bot as `npm start` does, in its own process. */
function startBot(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', ENV_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(output: () => string, needle: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!output().includes(needle)) {
    if (Date.now() > deadline) throw new Error(`"${needle}" did not appear; output so far:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baoshu-main-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the embedded database, loads the demo organisation, and stops cleanly on SIGTERM', async () => {
    const bot = startBot({ DATA_DIR: path.join(dir, 'data'), HTTP_PORT: '0' });
    await waitFor(bot.output, 'running with no chat channel');
    // Besides the logs, one plain line says it runs, on what, and how to chat with it.
    await waitFor(bot.output, '报数助手已在运行。聊天渠道：无（可用终端对话');
    expect(bot.output()).toMatch(/数据库：pglite（.*data.*）。数据看板：http:\/\/127\.0\.0\.1:\d+\/dashboard（登录链接：npm run cli -- dashboard-link）。在另一个终端输入 npm run chat -- --as director/);
    expect(bot.output()).toContain('"database":"pglite"');
    expect(bot.output()).toContain('"sections":8');
    // The dashboard is on by default, on the one HTTP server, and refuses whoever has not signed in.
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/dashboard)"/.exec(bot.output())?.[1];
    if (!url) throw new Error(`no dashboard address in:\n${bot.output()}`);
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    // The server's root leads there.
    const root = await fetch(url.replace(/\/dashboard$/, '/'), { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/dashboard']);
    expect(await refused.text()).not.toContain('工业技改投资');
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
  });

  it('refuses to start when a setting is bad, naming it', async () => {
    const bot = startBot({ DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'loud' });
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('设置有误，未启动（参见 .env.example）：\n  LOG_LEVEL：“loud”不可用');
  });

  it('refuses to start on a port already taken, saying which and the setting that moves it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const bot = startBot({ DATA_DIR: path.join(dir, 'data'), HTTP_PORT: String(port) });
      expect(await bot.exited).toBe(1);
      expect(bot.output()).toContain(`数据看板的端口 127.0.0.1:${port} 无法使用（EADDRINUSE），未启动。被占用时可设置 HTTP_PORT 换一个端口`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses a broken organisation file, listing its problems, and changes nothing', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'organisation:\n  name: 测试局\nsections:\n  - key: a\n    name: 甲股\nindicators:\n  - key: x\n    name: 某指标\n    name_en: X\n    section: nowhere\n    kind: cumulative\n    unit: 亿美元\n');
    const bot = startBot({ DATA_DIR: path.join(dir, 'data'), ORG_FILE: file });
    expect(await bot.exited).toBe(1);
    // The log line is English; the problems in it are for the administrator, in Chinese.
    expect(bot.output()).toContain('indicators[0].unit（第 12 行）：未知单位“亿美元”，可用：亿元、万元');
    expect(bot.output()).toContain('indicators[0].section（第 10 行）：未知股室“nowhere”，已有股室：a');
    expect(bot.output()).toContain('"msg":"the organisation file cannot be loaded; nothing was changed"');
    // And readably, one problem to a line, not only inside the JSON log line.
    expect(bot.output()).toContain(
      `组织文件 ${file} 有误，未启动（没有改动任何数据）：\n  indicators[0].section（第 10 行）：未知股室“nowhere”，已有股室：a\n  indicators[0].unit（第 12 行）`,
    );
    const database = await openDatabase({ dataDir: path.join(dir, 'data') });
    const organisation = await database.prisma.organisation.findUnique({ where: { id: 1 } });
    await database.close();
    expect(organisation?.name).toBe('乐昌市工业和信息化局');
  });

  it('refuses a second process on the same embedded database', async () => {
    const first = startBot({ DATA_DIR: path.join(dir, 'data'), HTTP_PORT: '0' });
    await waitFor(first.output, 'running with no chat channel');
    const second = startBot({ DATA_DIR: path.join(dir, 'data'), HTTP_PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is in use by process');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
  });
});
