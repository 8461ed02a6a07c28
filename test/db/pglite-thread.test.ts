import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadedPGlite } from '../../src/db/pglite-thread.js';
import { PGLITE_START_PARAMS } from '../../src/db/pglite-folder.js';
import { runAlone } from '../../src/db/pglite-wire.js';

/*
 * The embedded database on its own thread: PGlite's query layer on this side, PostgreSQL on the other. A
 * transaction holds the one connection from its first statement to its end; a statement sent as a
 * transaction of its own (`runAlone`) never lands inside it, and waits on the thread, not here.
 */
describe('the embedded database on a thread of its own', () => {
  let db: Awaited<ReturnType<typeof ThreadedPGlite.open>>;

  beforeAll(async () => {
    db = await ThreadedPGlite.open('memory://', { startParams: PGLITE_START_PARAMS });
    await db.exec('CREATE TABLE t (n int, at text)');
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers queries and transactions as PGlite does: rows, types, errors, a rolled-back transaction', async () => {
    const { rows } = await db.query<{ n: number; d: string; a: number[] }>("SELECT 1::int AS n, '2.43'::numeric::text AS d, ARRAY[1, 2] AS a");
    expect(rows).toEqual([{ n: 1, d: '2.43', a: [1, 2] }]);
    await expect(db.query('SELECT * FROM nowhere')).rejects.toMatchObject({ code: '42P01' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES (0, 'rolled back')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query('SELECT count(*)::int AS c FROM t')).rows).toEqual([{ c: 0 }]);
  });

  it('runs statements sent alone during a transaction after it, in the order sent, none inside it', async () => {
    const alone: Promise<unknown>[] = [];
    const seen = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (1, 'transaction')");
      alone.push(runAlone(db, "INSERT INTO t VALUES ($1::int, 'alone')", [2]));
      alone.push(runAlone(db, "INSERT INTO t VALUES ($1::int, 'alone')", [3]));
      // Answered only once the transaction has ended: the thread holds them back.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (await tx.query<{ n: number }>('SELECT n FROM t ORDER BY n')).rows.map((row) => row.n);
    });
    await Promise.all(alone);
    expect(seen).toEqual([1]);
    expect((await db.query<{ n: number }>('SELECT n FROM t WHERE n > 0 ORDER BY n')).rows.map((row) => row.n)).toEqual([1, 2, 3]);
  });

  it('leaves no transaction open behind a statement sent alone that failed', async () => {
    await expect(runAlone(db, 'INSERT INTO t VALUES (1 / $1::int, NULL)', [0])).rejects.toMatchObject({ code: '22012' });
    expect(await runAlone(db, 'SELECT count(*)::int AS c FROM t WHERE n = $1::int', [1])).toEqual([{ c: 1 }]);
    expect((await db.query('SELECT 1::int AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps nothing of the answers it has sent: the thread does not grow with the statements it runs', async () => {
    // 40 MB of answers through a thread whose heap may hold 24 MB: one that kept them would run out.
    const small = await ThreadedPGlite.open('memory://', { startParams: PGLITE_START_PARAMS, resourceLimits: { maxOldGenerationSizeMb: 24 } });
    try {
      for (let i = 0; i < 4_000; i += 1) {
        const [row] = await runAlone<{ text: string }>(small, "SELECT repeat('答', $1::int) AS text", [3_300]);
        if (row?.text.length !== 3_300) throw new Error(`statement ${i} answered ${JSON.stringify(row)?.slice(0, 40)}`);
      }
      expect((await small.query('SELECT 1::int AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await small.close().catch(() => {});
    }
  });

  it('refuses every call once closed', async () => {
    const other = await ThreadedPGlite.open('memory://', { startParams: PGLITE_START_PARAMS });
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow(/closed/);
    await expect(runAlone(other, 'SELECT 1', [])).rejects.toThrow(/closed/);
  });
});
