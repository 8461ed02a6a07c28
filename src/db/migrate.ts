import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaFilter } from '@prisma/schema-engine-wasm';
import { openSchemaEngine, readMigrationList } from './schema-engine.js';

/** The repository root, where `prisma/` lives, whatever the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const schemaFile = path.join(PROJECT_ROOT, 'prisma/schema.prisma');
export const migrationsDir = path.join(PROJECT_ROOT, 'prisma/migrations');

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Applies every migration of `prisma/migrations` not yet applied (as `prisma migrate deploy` does). */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(adapterFactory, await readFile(schemaFile, 'utf8'));
  try {
    const migrationsList = await readMigrationList(migrationsDir);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    return appliedMigrationNames;
  } finally {
    await close();
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
