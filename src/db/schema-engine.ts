import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';

/*
 * Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm), driven through a driver adapter, so
 * migrations run offline and identically on PGlite and on a PostgreSQL server. The package's main entry
 * imports a .wasm file, which Node 20 cannot import; the module is instantiated here by hand instead.
 */

const require = createRequire(import.meta.url);

type WasmExports = Record<string, unknown>;
type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg') & {
  __wbg_set_wasm(exports: WasmExports): void;
};

// The WebAssembly global, typed just as far as it is used here (@types/node 20 leaves it out).
const wasmApi = (globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
  };
}).WebAssembly;

let bindings: Promise<Bindings> | undefined;

async function loadBindings(): Promise<Bindings> {
  const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Bindings;
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const { instance } = await wasmApi.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': unrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/*
 * The engine arms 10-second timers (timeouts raced against its queries) and never clears them; left as
 * they are they hold every CLI run open for ten seconds after its work is done. Unref'd, they still fire
 * while the process has other work, but no longer keep it alive.
 */
function unrefTimers(glue: Bindings): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue)) {
    if (name.startsWith('__wbg_setTimeout_')) {
      imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
  }
  return imports;
}

export const SCHEMA_PATH = 'prisma/schema.prisma';
export const MIGRATIONS_DIR = 'prisma/migrations';

/** A schema engine and the release of what it holds (its database connections). */
export interface OpenSchemaEngine {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * Starts a schema engine on `adapterFactory`, with `schema` (the text of schema.prisma) as its datamodel.
 * Freeing the engine does not close the connections it opened — on PostgreSQL one of them holds Prisma's
 * migration advisory lock, which would stall every later start for ten seconds — so they are tracked
 * here and disposed of by `close`.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: string,
): Promise<OpenSchemaEngine> {
  bindings ??= loadBindings();
  const glue = await bindings;
  const opened: SqlDriverAdapter[] = [];
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(adapterFactory.connect()),
    connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
  };
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => {})));
    },
  };
}

/** Reads `prisma/migrations` in the shape the engine takes. */
export async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const directories = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(migrationsDir, name, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (text) => ({ tag: 'ok' as const, value: text }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}
