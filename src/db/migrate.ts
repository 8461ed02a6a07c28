import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { type OpenSchemaEngine, openSchemaEngine, readMigrationList } from './schema-engine.js';

/** The repository root, where `prisma/` lives, whatever the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemaFile = path.join(PROJECT_ROOT, 'prisma/schema.prisma');
export const migrationsDir = path.join(PROJECT_ROOT, 'prisma/migrations');

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/**
 * Applies every migration of `prisma/migrations` not yet applied (as `prisma migrate deploy` does). When the
 * database already records each of them as applied, nothing is pending and the schema engine is not
 * started at all: it is WebAssembly of several megabytes, and starting it and asking it costs the bot's
 * start about 0.4 s and 25 MiB that it never gives back. `openEngine` is replaceable for tests.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  openEngine: (factory: SqlMigrationAwareDriverAdapterFactory, schema: string) => Promise<OpenSchemaEngine> = openSchemaEngine,
): Promise<string[]> {
  const migrationsList = await readMigrationList(migrationsDir);
  if (await migrationsAreCurrent(adapterFactory, migrationsList)) return [];
  const { engine, close } = await openEngine(adapterFactory, await readFile(schemaFile, 'utf8'));
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  } finally {
    await close();
  }
}

/*
 * Whether `_prisma_migrations` says exactly what the folder says: one row per migration of the folder, each
 * finished and not rolled back, with the checksum of its migration.sql as it is now, and no other row.
 * Anything else — no table yet, a migration pending, one that failed or was left half done (finished_at
 * empty), one rolled back, one edited since, one this version does not know — goes through the engine,
 * which applies what is pending and reports what is wrong just as before. So is a failure of the query
 * itself: the engine then meets the same problem and names it.
 */
async function migrationsAreCurrent(factory: SqlMigrationAwareDriverAdapterFactory, list: MigrationList): Promise<boolean> {
  let connection: SqlDriverAdapter | undefined;
  try {
    connection = await factory.connect();
    const result = await connection.queryRaw({
      sql: `SELECT migration_name, checksum,
                   CASE WHEN finished_at IS NOT NULL AND rolled_back_at IS NULL THEN 'applied' ELSE 'not applied' END AS state
              FROM _prisma_migrations`,
      args: [],
      argTypes: [],
    });
    const recorded = new Map<string, string>();
    for (const [name, checksum, state] of result.rows as [string, string, string][]) {
      if (state !== 'applied' || recorded.has(name)) return false;
      recorded.set(name, checksum);
    }
    const folder = list.migrationDirectories;
    return (
      recorded.size === folder.length &&
      folder.every(({ path: name, migrationFile: { content } }) =>
        content.tag === 'ok' && recorded.get(name) === createHash('sha256').update(content.value).digest('hex'))
    );
  } catch {
    return false;
  } finally {
    await connection?.dispose().catch(() => {});
  }
}

/**
 * The SQL that takes a database from the state of the existing migrations to `schema.prisma`; empty when
 * they agree. Replays the migrations on the adapter's shadow database.
 */
export async function pendingSchemaChange(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readFile(schemaFile, 'utf8');
  const { engine, close } = await openSchemaEngine(adapterFactory, schema);
  try {
    const migrationsList = await readMigrationList(migrationsDir);
    const from = migrationsList.migrationDirectories.length > 0
      ? ({ tag: 'migrations', ...migrationsList } as const)
      : ({ tag: 'empty' } as const);
    const { stdout } = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const sql = stdout ?? '';
    return /^\s*-- This is an empty migration\.\s*$/.test(sql) ? '' : sql.trim();
  } finally {
    await close();
  }
}
