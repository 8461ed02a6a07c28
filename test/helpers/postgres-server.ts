import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redact } from '../../src/db/database.js';

/*
 * The PostgreSQL server the tests use: `TEST_DATABASE_URL`, or the local one CI and developers' machines
 * run. Probed once per test process; suites create scratch databases on it and drop them after.
 */

export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const SHOWN_URL = redact(SERVER_URL);

/** Why the server does not answer, or undefined when it does. */
export const serverProblem: string | undefined = await probeServer();

/** CI always has a server: there an unreachable one fails the suite instead of skipping it. */
export const serverRequired = process.env.CI === 'true';

/** The error a suite that needs the server raises when it is unreachable under CI. */
export function serverMissing(): Error {
  return new Error(`PostgreSQL not reachable at ${SHOWN_URL} (${serverProblem}); CI=true requires it`);
}

/** Creates an empty database on the server; `drop` removes it even with connections left open. */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `baoshu_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function probeServer(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2_000 });
  // A server that drops the connection later must not crash the test process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}
