import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { translatePersistenceError } from '../../src/db/persistence-errors.js';
import { type Sql, intArray, sqlOf, textArray, transactionWithSql } from '../../src/db/sql.js';
import { describeEachDatabase } from '../helpers/databases.js';

/*
 * The chat turn's plain SQL (src/db/sql.ts, src/db/pglite-wire.ts): statements that travel past Prisma
 * into the very transaction Prisma opened, prepared once and bound afterwards. Each suite has a database
 * of its own, so every test keeps to message ids of its own.
 */

const VALUES = 'SELECT 1::int AS a, true AS b, 12.5::numeric::text AS c, NULL::text AS d';
const PARAMS = `SELECT $1::int + 1 AS n, $2::text AS t, $3::boolean AS b,
  to_char($4::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  $5::text AS nothing, ($6::bigint + 1)::text AS big`;
const AT = new Date('2026-11-25T02:00:00.123Z');
const INSERT = 'INSERT INTO processed_message (message_id) VALUES ($1)';
const IDS_LIKE = 'SELECT message_id FROM processed_message WHERE message_id LIKE $1 ORDER BY message_id';

/** The values every path is to give for `VALUES` and `PARAMS`. */
async function expectPromisedValues(sql: Sql): Promise<void> {
  expect(await sql.query(VALUES)).toEqual([{ a: 1, b: true, c: '12.5', d: null }]);
  expect(await sql.query(PARAMS, [41, '报数', false, AT, null, 9007199254740993n])).toEqual([
    { n: 42, t: '报数', b: false, at: '2026-11-25T02:00:00.123Z', nothing: null, big: '9007199254740994' },
  ]);
}

describeEachDatabase('plain SQL in the chat turn’s transaction', (ctx) => {
  const fastPath = () => (ctx.kind === 'pglite' ? 'wire' : 'pg');

  it('gives an answer of a few megabytes back whole, row by row, and the next statement its own rows', async () => {
    // Larger than one write of the database's output: the answer comes in several parts, in order.
    const rows = 40;
    await transactionWithSql(ctx.db().prisma, async (_tx, sql) => {
      const big = await sql.query<{ n: number; text: string }>(
        `SELECT g AS n, g::text || ':' || repeat('报数', 50000) AS text FROM generate_series(1, $1::int) g ORDER BY g`,
        [rows],
      );
      expect(big.map((row) => row.n)).toEqual(Array.from({ length: rows }, (_, i) => i + 1));
      for (const row of big) expect(row.text).toBe(`${row.n}:${'报数'.repeat(50_000)}`);
      expect(await sql.query('SELECT $1::text AS after', ['next'])).toEqual([{ after: 'next' }]);
    });
  });

  it('takes the fast path inside transactionWithSql, and sqlOf the transaction gives that same Sql', async () => {
    const prisma = ctx.db().prisma;
    await transactionWithSql(prisma, async (tx, sql) => {
      expect(sql.path).toBe(fastPath());
      expect(sqlOf(tx)).toBe(sql);
    });
  });

  it('passes lists of texts and of integers as one array parameter each, whatever the texts hold', async () => {
    const texts = ['plain', 'with "quotes"', 'back\\slash', 'comma, {braces}', '', 'NULL', '报数 提醒:2026-11:3:m12', ' spaced '];
    await transactionWithSql(ctx.db().prisma, async (_tx, sql) => {
      const rows = await sql.query<{ value: string; n: number }>(
        'SELECT value, n FROM unnest($1::text[], $2::int[]) AS t(value, n)',
        [textArray(texts), intArray(texts.map((_, i) => i * 7))],
      );
      expect(rows).toEqual(texts.map((value, i) => ({ value, n: i * 7 })));
    });
  });

  it('gives int4 as numbers, booleans as booleans, everything else as text, and binds every kind of parameter', async () => {
    await transactionWithSql(ctx.db().prisma, (_tx, sql) => expectPromisedValues(sql));
  });

  it('gives Chinese text and a 5,000-character string back unchanged', async () => {
    const chinese = '本月报数：一号指标完成 98.5%，请核对。😀';
    const long = Array.from({ length: 5_000 }, (_, i) => '报数助手abc'[i % 7]).join('');
    expect(long).toHaveLength(5_000);
    await transactionWithSql(ctx.db().prisma, async (_tx, sql) => {
      const rows = await sql.query('SELECT $1::text AS short, $2::text AS long, char_length($2::text) AS length', [chinese, long]);
      expect(rows).toEqual([{ short: chinese, long, length: 5_000 }]);
    });
  });

  it('runs its statements and Prisma’s calls of the same callback in one transaction: a row it inserts is Prisma’s to read', async () => {
    const prisma = ctx.db().prisma;
    const seen = await transactionWithSql(prisma, async (tx, sql) => {
      await sql.query(INSERT, ['one-tx-raw']);
      await tx.processedMessage.create({ data: { messageId: 'one-tx-prisma' } });
      const byPrisma = await tx.processedMessage.findMany({ where: { messageId: { startsWith: 'one-tx-' } }, orderBy: { messageId: 'asc' } });
      const bySql = await sql.query<{ message_id: string }>(IDS_LIKE, ['one-tx-%']);
      return { byPrisma: byPrisma.map((row) => row.messageId), bySql: bySql.map((row) => row.message_id) };
    });
    expect(seen).toEqual({ byPrisma: ['one-tx-prisma', 'one-tx-raw'], bySql: ['one-tx-prisma', 'one-tx-raw'] });
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'one-tx-' } } })).toBe(2);
  });

  it('stores neither its own insert nor Prisma’s when the callback throws afterwards', async () => {
    const prisma = ctx.db().prisma;
    const thrown = await transactionWithSql(prisma, async (tx, sql) => {
      await sql.query(INSERT, ['rolled-back-raw']);
      await tx.processedMessage.create({ data: { messageId: 'rolled-back-prisma' } });
      expect(await tx.processedMessage.count({ where: { messageId: { startsWith: 'rolled-back-' } } })).toBe(2);
      throw new Error('the turn failed');
    }).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ message: 'the turn failed' });
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'rolled-back-' } } })).toBe(0);
  });

  it('fails a unique violation as a write conflict, rolls the transaction back, and runs the same statement again afterwards', async () => {
    const prisma = ctx.db().prisma;
    // This text is met here only: prepared by the statement that fails, its first run.
    const insertOnce = 'INSERT INTO processed_message (message_id) VALUES ($1) RETURNING message_id';
    const thrown = await transactionWithSql(prisma, async (_tx, sql) => {
      await sql.query(INSERT, ['twice']);
      await sql.query(insertOnce, ['twice']);
    }).catch((error: unknown) => error);
    expect(translatePersistenceError(thrown)).toMatchObject({ name: 'AppError', code: 'write_conflict' });
    expect(await prisma.processedMessage.count({ where: { messageId: 'twice' } })).toBe(0);

    const inserted = await transactionWithSql(prisma, async (_tx, sql) => {
      const rows = await sql.query(insertOnce, ['twice']);
      return [...rows, ...(await sql.query(insertOnce, ['twice-again']))];
    });
    expect(inserted).toEqual([{ message_id: 'twice' }, { message_id: 'twice-again' }]);
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'twice' } } })).toBe(2);
  });

  it('refuses a statement met first in a transaction already failed, and runs that statement in the next one', async () => {
    const prisma = ctx.db().prisma;
    // Met here only: its first Parse is refused, the transaction having failed before it.
    const firstInAFailedTransaction = 'SELECT count(*)::int AS n FROM processed_message WHERE message_id = $1';
    const thrown = await transactionWithSql(prisma, async (_tx, sql) => {
      const failed = await sql.query('SELECT 1 / $1::int AS never', [0]).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: '22012' });
      await sql.query(firstInAFailedTransaction, ['aborted']);
    }).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ code: '25P02' });

    const rows = await transactionWithSql(prisma, (_tx, sql) => sql.query(firstInAFailedTransaction, ['aborted']));
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('answers statements of one turn sent at once, new texts among them, each with its own rows', async () => {
    const prisma = ctx.db().prisma;
    const rows = await transactionWithSql(prisma, (_tx, sql) =>
      Promise.all([
        sql.query('SELECT $1::int AS at_once', [1]),
        sql.query('SELECT $1::int AS at_once', [2]),
        sql.query('SELECT $1::text AS also_at_once', ['三']),
        sql.query('SELECT $1::int + 3 AS at_once_too', [1]),
      ]),
    );
    expect(rows).toEqual([[{ at_once: 1 }], [{ at_once: 2 }], [{ also_at_once: '三' }], [{ at_once_too: 4 }]]);
    // Each text prepared once, under a name of its own: the next turn binds all of them.
    const again = await transactionWithSql(prisma, async (_tx, sql) => [
      await sql.query('SELECT $1::int AS at_once', [5]),
      await sql.query('SELECT $1::text AS also_at_once', ['六']),
      await sql.query('SELECT $1::int + 3 AS at_once_too', [4]),
    ]);
    expect(again).toEqual([[{ at_once: 5 }], [{ also_at_once: '六' }], [{ at_once_too: 7 }]]);
  });

  it('keeps each of several turns at once to the transaction Prisma opened for it', async () => {
    const prisma = ctx.db().prisma;
    const xid = 'SELECT pg_current_xact_id()::text AS xid';
    const turns = Array.from({ length: 8 }, () =>
      transactionWithSql(
        prisma,
        async (tx, sql) => {
          const [bySql] = await sql.query<{ xid: string }>(xid);
          await new Promise((resolve) => setImmediate(resolve));
          const [byPrisma] = await tx.$queryRawUnsafe<{ xid: string }[]>(xid);
          return { bySql: bySql?.xid, byPrisma: byPrisma?.xid, path: sql.path };
        },
        { timeout: 60_000, maxWait: 30_000 },
      ),
    );
    const results = await Promise.all(turns);
    for (const { bySql, byPrisma, path } of results) {
      expect(path).toBe(fastPath());
      expect(bySql).toMatch(/^\d+$/);
      expect(bySql).toBe(byPrisma);
    }
    expect(new Set(results.map((result) => result.bySql)).size).toBe(8);
  });

  it('runs the same statement turn after turn, with fresh parameters and fresh results each time', async () => {
    const prisma = ctx.db().prisma;
    const turn = 'SELECT $1::int * 2 AS doubled, (SELECT count(*)::int FROM processed_message WHERE message_id LIKE $2) AS stored';
    for (let i = 0; i < 50; i += 1) {
      const rows = await transactionWithSql(prisma, async (_tx, sql) => {
        await sql.query(INSERT, [`turn-${String(i).padStart(2, '0')}`]);
        return sql.query(turn, [i, 'turn-%']);
      });
      expect(rows).toEqual([{ doubled: i * 2, stored: i + 1 }]);
    }
  });

  it('runs a callback that needs only SQL once, in a transaction of its own, and commits it', async () => {
    const prisma = ctx.db().prisma;
    let runs = 0;
    await transactionWithSql(prisma, async (_tx, sql) => {
      runs += 1;
      expect(sql.path).toBe(fastPath());
      await sql.query(INSERT, ['own-tx']);
    });
    expect(runs).toBe(1);
    expect(await prisma.processedMessage.count({ where: { messageId: 'own-tx' } })).toBe(1);
  });

  it('runs a callback that reaches for Prisma again inside Prisma’s transaction, keeping nothing of the first run', async () => {
    const prisma = ctx.db().prisma;
    let runs = 0;
    const paths: string[] = [];
    await transactionWithSql(prisma, async (tx, sql) => {
      runs += 1;
      paths.push(sql.path);
      await sql.query(INSERT, [`again-raw-${runs}`]);
      await tx.processedMessage.create({ data: { messageId: 'again-prisma' } });
    });
    expect(runs).toBe(2);
    // The second run is Prisma's transaction, its statements still on the fast path of that transaction.
    expect(paths).toEqual([fastPath(), fastPath()]);
    const stored = await prisma.processedMessage.findMany({ where: { messageId: { startsWith: 'again-' } }, orderBy: { messageId: 'asc' } });
    expect(stored.map((row) => row.messageId)).toEqual(['again-prisma', 'again-raw-2']);
  });

  it('goes straight into Prisma’s transaction when Prisma is likely needed, running the callback once', async () => {
    const prisma = ctx.db().prisma;
    let runs = 0;
    await transactionWithSql(
      prisma,
      async (tx, sql) => {
        runs += 1;
        expect(sql.path).toBe(fastPath());
        await sql.query(INSERT, ['likely-raw']);
        await tx.processedMessage.create({ data: { messageId: 'likely-prisma' } });
      },
      { prismaLikely: true },
    );
    expect(runs).toBe(1);
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'likely-' } } })).toBe(2);
  });

  it('runs a callback again with Prisma even when it caught what reaching for Prisma threw', async () => {
    const prisma = ctx.db().prisma;
    let runs = 0;
    const counted = await transactionWithSql(prisma, async (tx, sql) => {
      runs += 1;
      await sql.query(INSERT, [`caught-${runs}`]);
      return tx.processedMessage.count({ where: { messageId: { startsWith: 'caught-' } } }).catch(() => -1);
    });
    expect(runs).toBe(2);
    expect(counted).toBe(1);
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'caught-' } } })).toBe(1);
  });

  it('leaves no call of Prisma’s begun together rejected unseen when it reruns the callback with Prisma', async () => {
    const prisma = ctx.db().prisma;
    let runs = 0;
    const counted = await transactionWithSql(prisma, async (tx) => {
      runs += 1;
      // The first call is under way (an async function's promise) when the second is begun.
      const [count, rows] = await Promise.all([
        (async () => tx.processedMessage.count({ where: { messageId: 'none-such' } }))(),
        tx.processedMessage.findMany({ where: { messageId: 'none-such' } }),
      ]);
      return { count, rows: rows.length };
    });
    expect(runs).toBe(2);
    expect(counted).toEqual({ count: 0, rows: 0 });
  });

  it('rolls its own transaction back when the callback throws, and frees the connection every time', async () => {
    const prisma = ctx.db().prisma;
    // More failures than a pool has connections: a connection kept after a failure would stall the next.
    for (let i = 0; i < 25; i += 1) {
      const thrown = await transactionWithSql(prisma, async (_tx, sql) => {
        await sql.query(INSERT, [`failed-${i}`]);
        throw new Error(`failure ${i}`);
      }).catch((error: unknown) => error);
      expect(thrown).toMatchObject({ message: `failure ${i}` });
    }
    await transactionWithSql(prisma, (_tx, sql) => sql.query(INSERT, ['after-failures']));
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'failed-' } } })).toBe(0);
    expect(await prisma.processedMessage.count({ where: { messageId: 'after-failures' } })).toBe(1);
  });

  it('gives up a transaction that outlasts its timeout, keeps nothing of it, and refuses its later statements', async () => {
    const prisma = ctx.db().prisma;
    let late: unknown;
    let resume: () => void = () => {};
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const thrown = await transactionWithSql(
      prisma,
      async (_tx, sql) => {
        await sql.query(INSERT, ['timed-out']);
        // Held until the transaction has been given up (no real time is waited on).
        await resumed;
        late = await sql.query(INSERT, ['timed-out-late']).catch((error: unknown) => error);
      },
      { timeout: 50 },
    ).catch((error: unknown) => error);
    expect(thrown).toMatchObject({ message: expect.stringContaining('took too long') });
    resume();
    await expect.poll(() => late).toMatchObject({ message: 'the transaction is over' });
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'timed-out' } } })).toBe(0);
  });

  it('keeps the first statement and the last in the transaction, however often the statements were met before', async () => {
    const prisma = ctx.db().prisma;
    // now() is the transaction's start: the same for every statement of one transaction, only then.
    const started = 'SELECT now()::text AS at, $1::int AS n';
    for (let i = 0; i < 15; i += 1) {
      const [first, middle, last] = await transactionWithSql(prisma, async (_tx, sql) => {
        const one = await sql.query<{ at: string }>(started, [1]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        const two = await sql.query<{ at: string }>(started, [2]);
        await new Promise((resolve) => setTimeout(resolve, 2));
        const three = await sql.finish<{ at: string }>(started, [3]);
        return [one[0]?.at, two[0]?.at, three[0]?.at];
      });
      expect(first).toBeDefined();
      expect([middle, last]).toEqual([first, first]);
    }
  });

  it('plans its statements once, generically, in its own transactions, and leaves Prisma’s queries planned as before', async () => {
    const prisma = ctx.db().prisma;
    const mode = "SELECT current_setting('plan_cache_mode') AS mode, $1::int AS n /* plan-mode */";
    const plans = `SELECT custom_plans::int AS custom, generic_plans::int AS generic FROM pg_prepared_statements
                    WHERE statement LIKE '%plan-mode */'`;
    // The first time the text is new on the connection (on a server BEGIN then goes on its own), then prepared.
    for (let i = 0; i < 4; i += 1) {
      const [first, counted] = await transactionWithSql(prisma, async (_tx, sql) => {
        const [row] = await sql.query<{ mode: string }>(mode, [i]);
        return [row?.mode, await sql.finish<{ custom: number; generic: number }>(plans)];
      });
      expect(first).toBe('force_generic_plan');
      // Never planned for its parameters: a plan made once serves every execution.
      expect(counted).toEqual([{ custom: 0, generic: expect.any(Number) }]);
      expect(counted[0]!.generic).toBeGreaterThan(0);
    }
    expect(await prisma.$queryRawUnsafe("SELECT current_setting('plan_cache_mode') AS mode")).toEqual([{ mode: 'auto' }]);
  });

  it('commits with the last statement, and refuses any statement after it', async () => {
    const prisma = ctx.db().prisma;
    let after: unknown;
    await transactionWithSql(prisma, async (_tx, sql) => {
      await sql.query(INSERT, ['finish-a']);
      await sql.finish(INSERT, ['finish-b']);
      after = await sql.query(INSERT, ['finish-c']).catch((error: unknown) => error);
    });
    expect(after).toMatchObject({ message: 'the transaction is over' });
    const stored = await prisma.processedMessage.findMany({ where: { messageId: { startsWith: 'finish-' } }, orderBy: { messageId: 'asc' } });
    expect(stored.map((row) => row.messageId)).toEqual(['finish-a', 'finish-b']);
  });

  it('keeps nothing when the last statement fails, and the next transaction goes on as usual', async () => {
    const prisma = ctx.db().prisma;
    for (let i = 0; i < 12; i += 1) {
      const thrown = await transactionWithSql(prisma, async (_tx, sql) => {
        await sql.query(INSERT, [`failed-last-${i}`]);
        await sql.finish(INSERT, [`failed-last-${i}`]);
      }).catch((error: unknown) => error);
      expect(translatePersistenceError(thrown)).toMatchObject({ code: 'write_conflict' });
    }
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'failed-last-' } } })).toBe(0);
    await transactionWithSql(prisma, (_tx, sql) => sql.finish(INSERT, ['after-failed-last']));
    expect(await prisma.processedMessage.count({ where: { messageId: 'after-failed-last' } })).toBe(1);
  });

  it('runs on the client itself through the adapter once Prisma has connected, with the same values', async () => {
    const prisma = ctx.db().prisma;
    await prisma.processedMessage.count();
    const sql = sqlOf(prisma);
    expect(sql.path).toBe('adapter');
    await expectPromisedValues(sql);
    await sql.query(INSERT, ['on-the-client']);
    expect(await prisma.processedMessage.count({ where: { messageId: 'on-the-client' } })).toBe(1);
  });

  it('runs in a plain prisma.$transaction through Prisma’s raw queries, with the same values', async () => {
    const prisma = ctx.db().prisma;
    await prisma.$transaction(async (tx) => {
      const sql = sqlOf(tx);
      expect(sql.path).toBe('prisma');
      await expectPromisedValues(sql);
      await sql.query(INSERT, ['plain-tx']);
      expect(await tx.processedMessage.count({ where: { messageId: 'plain-tx' } })).toBe(1);
    });
    expect(await prisma.processedMessage.count({ where: { messageId: 'plain-tx' } })).toBe(1);
  });
});

it('commits 20 concurrent turns on the embedded database, each seeing its own rows only [PGlite]', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const prisma = database.prisma;
    // Before Prisma has connected, the client's plain SQL is Prisma's raw queries, which connect it.
    expect(sqlOf(prisma).path).toBe('prisma');
    expect(await sqlOf(prisma).query('SELECT 1::int AS one')).toEqual([{ one: 1 }]);
    expect(sqlOf(prisma).path).toBe('adapter');

    const turns = Array.from({ length: 20 }, (_, i) =>
      transactionWithSql(
        prisma,
        async (tx, sql) => {
          const prefix = `turn-${String(i).padStart(2, '0')}-`;
          for (let j = 0; j < 3; j += 1) {
            await sql.query(INSERT, [`${prefix}${j}`]);
            // Gives the other turns every chance to run in between.
            await new Promise((resolve) => setImmediate(resolve));
          }
          const bySql = await sql.query<{ message_id: string }>(IDS_LIKE, [`${prefix}%`]);
          const all = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_message WHERE message_id LIKE 'turn-%'");
          const byPrisma = await tx.processedMessage.count({ where: { messageId: { startsWith: prefix } } });
          return { path: sql.path, ids: bySql.map((row) => row.message_id), byPrisma, all: all[0]?.n };
        },
        { timeout: 60_000, maxWait: 30_000 },
      ),
    );
    const results = await Promise.all(turns);
    results.forEach((result, i) => {
      const prefix = `turn-${String(i).padStart(2, '0')}-`;
      expect(result).toMatchObject({ path: 'wire', ids: [`${prefix}0`, `${prefix}1`, `${prefix}2`], byPrisma: 3 });
    });
    // One turn at a time: each saw the committed turns before it and its own three rows, never a turn half done.
    expect(results.map((result) => result.all).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => 3 * (i + 1)));
    expect(await prisma.processedMessage.count({ where: { messageId: { startsWith: 'turn-' } } })).toBe(60);
  } finally {
    await database.close();
  }
});
