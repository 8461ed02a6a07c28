import { spawn } from 'node:child_process';
import { readdir, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations } from './migrate.js';

/*
 * PostgreSQL's default 128 MB of shared buffers is sized for a server; a bureau's whole database is a few
 * megabytes. 16 MB keeps the embedded engine about 150 MiB smaller (npm run bench: rss ~540 MiB instead of
 * ~690 MiB after 320 chat turns) at the same latency.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** Whether `folder` holds no embedded database yet: it is missing or empty. */
export async function isNewFolder(folder: string): Promise<boolean> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.length === 0;
}

/**
 * Creates the embedded database in `folder` (which must not exist) and applies the migrations; returns
 * their names. What a child process runs (see createFolderInChild).
 */
export async function createPgliteFolder(folder: string): Promise<string[]> {
  const pglite = new PGlite(folder, { startParams: PGLITE_START_PARAMS });
  try {
    await pglite.waitReady;
    return await applyMigrations(new PrismaPGlite(pglite));
  } finally {
    await pglite.close();
  }
}

/*
 * Creating a database (PostgreSQL's initdb, inside PGlite's WebAssembly) grows its process by a few hundred
 * MiB, and neither WebAssembly memory nor what compiling it took is given back: a bot that had created its
 * folder itself idled some 100–150 MiB larger, for as long as it ran, than one that opened an existing
 * folder (npm run bench:startup). So a short-lived child process creates the folder and applies the
 * migrations, and exits; the bot then opens the folder as on any later start. The child builds it under a
 * temporary name, renamed into place only once complete, so a creation cut short (Ctrl-C, a crash) leaves
 * no half-made database behind: the next start begins it again.
 */
const CHILD_SCRIPT = fileURLToPath(new URL('./create-pglite-folder.ts', import.meta.url));
// The child runs TypeScript as the bot does, through tsx's loader, found from here whatever the working directory.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Creates the embedded database in `folder` in a child process; returns the migrations it applied. */
export async function createFolderInChild(folder: string): Promise<string[]> {
  const building = `${folder}.new`;
  await rm(building, { recursive: true, force: true });
  // PGlite compiled by V8's baseline compiler only: initdb is faster so (no optimising compiles on the side).
  const { code, stdout, stderr } = await runChild([process.execPath, '--liftoff-only', '--import', TSX_LOADER, CHILD_SCRIPT, building]);
  if (code !== 0) {
    await rm(building, { recursive: true, force: true });
    throw new Error(`creating the database failed (exit ${code}): ${stderr.trim().split('\n').slice(-20).join('\n')}`);
  }
  // The child's last line; anything a library printed before it is not ours to read.
  const { applied } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { applied: string[] };
  // An empty folder in the way (made by hand) gives way to the complete one; a full one would stop here.
  await rmdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(building, folder);
  return applied;
}

function runChild([command, ...args]: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
