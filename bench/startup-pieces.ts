// Where the bot's start-up memory goes: loads one piece of it alone in a fresh process and prints what
// the process then holds (rss, V8 heap, external and array buffers — WebAssembly memory is in rss only).
//
//   npx tsx bench/startup-pieces.ts              every piece, each in its own process
//   npx tsx bench/startup-pieces.ts <piece>      one piece, here
//
// Node flags given to this script (`node --liftoff-only --import tsx bench/startup-pieces.ts`) are passed on
// to every piece's process, to see what a flag changes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';

const here = fileURLToPath(import.meta.url);
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`.padStart(4);

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** A data folder with the migrations applied, made once by the parent and copied for each piece. */
const template = process.env.PIECES_TEMPLATE ?? '';

/** A scratch folder, removed when the process exits. */
const scratch: string[] = [];
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pieces-'));
  scratch.push(dir);
  return dir;
}

const pieces: Record<string, () => Promise<unknown>> = {
  nothing: async () => undefined,
  pino: () => import('pino'),
  zod: () => import('zod'),
  telegraf: () => import('telegraf'),
  wechaty: () => import('wechaty'),
  exceljs: () => import('exceljs'),
  'prisma client': async () => {
    const { PrismaClient } = await import('../src/generated/prisma/client.js');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const { PGlite } = await import('@electric-sql/pglite');
    return new PrismaClient({ adapter: new PrismaPGlite(undefined as unknown as InstanceType<typeof PGlite>) });
  },
  'pglite open existing': async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite(copyTemplate(), { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
    await pglite.waitReady;
    await pglite.query('SELECT count(*) FROM _prisma_migrations');
    return pglite;
  },
  'pglite create new': async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite(path.join(scratchDir(), 'pglite'), {
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
    });
    await pglite.waitReady;
    return pglite;
  },
  'schema engine wasm alone': async () => {
    // Instantiated as src/db/schema-engine.ts does, without a database to talk to.
    const { createRequire } = await import('node:module');
    const { readFile } = await import('node:fs/promises');
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as Record<string, unknown> & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const file = path.join(path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array, i: unknown): Promise<{ instance: { exports: Record<string, unknown> } }> } }).WebAssembly;
    const { instance } = await wasm.instantiate(await readFile(file), { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  },
  'pglite existing + migrate': async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const { applyMigrations } = await import('../src/db/migrate.js');
    const pglite = new PGlite(copyTemplate(), { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
    await pglite.waitReady;
    await applyMigrations(new PrismaPGlite(pglite));
    return pglite;
  },
  'openDatabase existing': async () => {
    const { openDatabase } = await import('../src/db/database.js');
    return openDatabase({ dataDir: path.dirname(copyTemplate()) });
  },
  'openDatabase new': async () => {
    const { openDatabase } = await import('../src/db/database.js');
    return openDatabase({ dataDir: scratchDir() });
  },
  'main.ts imports': async () => {
    // Everything main.ts imports before it knows which channels are on, without running it.
    await Promise.all([
      import('../src/config.js'), import('../src/app/org-source.js'), import('../src/core/i18n.js'), import('../src/db/database.js'),
      import('../src/app/startup.js'), import('../src/app/chat/runtime.js'), import('../src/db/org-repository.js'),
      import('../src/scheduler/reminder-scheduler.js'), import('../src/logger.js'), import('../src/cli/bot-admin.js'),
      import('../src/channels/terminal/terminal-hub.js'),
    ]);
  },
  'telegram adapter': () => import('../src/channels/telegram/telegram-adapter.js'),
  'wechat adapter': () => import('../src/channels/wechat/wechat-adapter.js'),
};

/*
 * Memory glibc's malloc holds outside the main heap: the 64 MiB-aligned arenas of other threads (V8 compiles
 * WebAssembly on them), told apart from V8's own mappings by their flags in /proc/self/smaps.
 */
function mallocArenas(): number {
  let total = 0;
  let arena = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-[0-9a-f]+ rw-p 00000000 00:00 0\s*$/.exec(line);
    if (mapping) arena = BigInt(`0x${mapping[1]}`) % BigInt(64 * 2 ** 20) === 0n;
    else if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) arena = false;
    else if (arena && line.startsWith('VmFlags:') && line.includes(' dc')) arena = false;
    else if (arena && line.startsWith('Rss:')) total += Number(/\d+/.exec(line)![0]) * 1024;
  }
  return total;
}

function copyTemplate(): string {
  const dir = scratchDir();
  cpSync(template, path.join(dir, 'pglite'), { recursive: true });
  return path.join(dir, 'pglite');
}

async function one(name: string): Promise<void> {
  const piece = pieces[name];
  if (!piece) throw new Error(`no piece ${name}; pieces: ${Object.keys(pieces).join(', ')}`);
  const started = performance.now();
  const held = await piece();
  const seconds = (performance.now() - started) / 1000;
  await settle();
  const usage = process.memoryUsage();
  const { peak_malloced_memory: peakMalloced } = getHeapStatistics();
  console.log(
    `${name.padEnd(28)} rss ${mib(usage.rss)}  heap ${mib(usage.heapUsed)}/${mib(usage.heapTotal)}  external ${mib(usage.external)}  arrayBuffers ${mib(usage.arrayBuffers)}  malloc arenas ${mib(mallocArenas())} (V8 peak ${mib(peakMalloced)})  MiB  ${seconds.toFixed(2)} s`,
  );
  void held;
  process.exit(0);
}

/** The node flags this script was given, without tsx's own (`--require …preflight`, `--import …loader`). */
function ownFlags(): string[] {
  const flags: string[] = [];
  const given = process.execArgv;
  for (let index = 0; index < given.length; index += 1) {
    const flag = given[index]!;
    if ((flag === '--require' || flag === '--import') && /tsx/.test(given[index + 1] ?? '')) index += 1;
    else if (!/tsx/.test(flag)) flags.push(flag);
  }
  return flags;
}

async function all(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pieces-template-'));
  try {
    const { openDatabase } = await import('../src/db/database.js');
    const database = await openDatabase({ dataDir: dir });
    await database.close();
    for (const name of Object.keys(pieces)) {
      const output = execFileSync(process.execPath, [...ownFlags(), '--expose-gc', '--import', 'tsx', here, name], {
        env: { ...process.env, PIECES_TEMPLATE: path.join(dir, 'pglite') },
        encoding: 'utf8',
      });
      process.stdout.write(output);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const name = process.argv[2];
await (name ? one(name) : all());
