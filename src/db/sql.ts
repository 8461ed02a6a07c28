import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { PGlite } from '@electric-sql/pglite';
import type { Db, Tx } from './client-types.js';
import { type PgClient, runPipelined } from './pg-wire.js';
import { isDatabaseUnreachable } from './persistence-errors.js';
import { type AloneCapable, type Around, runAlone, runStatement } from './pglite-wire.js';

/*
 * Plain SQL for the chat's hot path. A chat turn runs a handful of statements; through Prisma's query
 * interpreter each costs three to four times what the database itself spends on it, and Prisma's
 * interactive transaction around them cost more than the statements (measured in BENCHMARKS.md). So a
 * turn runs in a transaction of this module's own (`transactionWithSql`), BEGIN and COMMIT travelling with
 * its first and last statements; one that needs Prisma runs again in Prisma's transaction, its statements
 * then going to the very connection and transaction Prisma opened, so that they and its Prisma calls are
 * one transaction. Statements select only int4, text and boolean columns (cast in SQL: `value::text`),
 * so that every path returns the same JavaScript values.
 */

/** A parameter: bound as text (or a number) and cast in the SQL where its type matters (`$1::timestamptz`). */
export type SqlParam = string | number | boolean | bigint | Date | null;

/** Runs statements in one transaction. */
export interface Sql {
  /**
   * How statements travel: `wire` (the embedded database, one call each, prepared), `pg` (the server
   * transaction's own client, prepared), `adapter` (the driver adapter's raw queries), `prisma` (Prisma's
   * raw queries, outside `transactionWithSql`).
   */
  readonly path: 'wire' | 'pg' | 'adapter' | 'prisma';
  /** One statement with `$n` parameters; its rows as objects keyed by column name. */
  query<Row extends object>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /**
   * The transaction's last statement: none may follow it. Where the transaction is this module's own, its
   * COMMIT travels with it in the same round trip (a PostgreSQL server) or the same call (PGlite).
   */
  finish<Row extends object>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

interface Holder {
  tx?: Transaction;
  /** The fastest plain SQL on `tx` there is. */
  sql?: Sql;
}

// Set around `prisma.$transaction`: the adapter below records there the transaction it starts for it.
const opening = new AsyncLocalStorage<Holder>();
// The plain SQL of each open `transactionWithSql`, by its Prisma transaction client.
const registered = new WeakMap<object, Sql>();

/**
 * Wraps a driver adapter factory so that a transaction started by `transactionWithSql` can be reached
 * from plain SQL, and so can the connection itself once `bindClient` has named the client made with it.
 * Everything else passes through unchanged.
 */
export function exposeTransactions<F extends SqlMigrationAwareDriverAdapterFactory>(
  factory: F,
  /** The embedded database under the factory: its transactions then take statements in one call each. */
  pglite?: PGlite,
): F & { bindClient(prisma: Db): void } {
  let connected: SqlDriverAdapter | undefined;
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, property) {
        if (property === 'startTransaction') {
          return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
            const tx = await target.startTransaction(...args);
            const holder = opening.getStore();
            if (holder && !holder.tx) {
              holder.tx = tx;
              // The one connection is this transaction's until it ends: nothing else can run on it meanwhile.
              if (pglite) holder.sql = statementsOn('wire', (text, params) => runStatement(pglite, text, params.map(bindable)));
              else holder.sql = pgClientSql(tx);
            }
            return tx;
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const bindClient = (prisma: Db) => {
    // Until Prisma has connected, its own raw queries (which connect it).
    const fallback = prismaSql(prisma);
    const query = <Row extends object>(text: string, params?: readonly SqlParam[]) =>
      (connected ? adapterSql(connected) : fallback).query<Row>(text, params);
    registered.set(prisma, {
      get path() {
        return connected ? 'adapter' : 'prisma';
      },
      query,
      finish: query,
    });
    // Prisma's pool on a server, once Prisma has made it.
    const serverPool = (): PgPool | undefined => {
      const pool = (connected as { underlyingDriver?: () => unknown } | undefined)?.underlyingDriver?.() as Partial<PgPool> | undefined;
      return typeof pool?.connect === 'function' ? (pool as PgPool) : undefined;
    };
    // Statements that are transactions of their own: the embedded database on its thread, sent at once; a
    // server, on a connection of the pool.
    if (pglite && isAloneCapable(pglite)) {
      const threaded = pglite;
      const alone: AloneStatement = (text, params) => runAlone(threaded, text, params.map(bindable));
      aloneStatements.set(prisma, () => alone);
    } else if (!pglite) {
      aloneStatements.set(prisma, () => {
        const pool = serverPool();
        return pool ? (text, params) => pgAlone(pool, text, params) : undefined;
      });
    }
    // Transactions without Prisma: on the embedded database at once, on a server once Prisma has made its pool.
    ownTransactions.set(prisma, () => {
      if (pglite) return pgliteTransaction(pglite);
      const pool = serverPool();
      return pool ? pgPoolTransaction(pool) : undefined;
    });
  };
  return new Proxy(factory, {
    get(target, property) {
      if (property === 'bindClient') return bindClient;
      if (property === 'connect') {
        return async () => {
          const adapter = await target.connect();
          connected = adapter;
          return wrap(adapter);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as F & { bindClient(prisma: Db): void };
}

/**
 * Runs `fn` in one transaction, with its statements as plain SQL (`sql`) and `tx` for anything that needs
 * Prisma. Where the database allows (a client opened with `exposeTransactions`), the transaction is first
 * one of this module's own, without Prisma at all: Prisma's interactive transaction costs a chat turn more
 * than the turn's own statements. Should `fn` reach for Prisma there (a question, a correction, a changed
 * organisation), that transaction is rolled back and `fn` runs again from the start inside
 * `prisma.$transaction`, where `tx` and `sql` are one transaction. So `fn` must be safe to run twice, as
 * any transaction retried after a conflict must: what it does outside the database is not undone.
 */
export async function transactionWithSql<T>(
  prisma: Db,
  fn: (tx: Tx, sql: Sql) => Promise<T>,
  options?: {
    timeout?: number;
    maxWait?: number;
    /** `fn` will most likely need Prisma (a director's question): straight into Prisma's transaction. */
    prismaLikely?: boolean;
  },
): Promise<T> {
  const own = options?.prismaLikely ? undefined : ownTransactions.get(prisma)?.();
  if (own) {
    const reached = { prisma: false };
    const standIn = prismaFreeTx(reached);
    try {
      return await own((sql) => {
        registered.set(standIn, sql);
        return fn(standIn, sql).then((result) => {
          // Even where `fn` caught what the stand-in threw, its work must not be kept: run again with Prisma.
          if (reached.prisma) throw new PrismaNeeded();
          return result;
        });
      }, options);
    } catch (error) {
      if (!reached.prisma) throw error;
    }
  }
  return viaPrisma(prisma, fn, options);
}

/** `prisma.$transaction(fn)` with the adapter's transaction behind it also as plain SQL. */
function viaPrisma<T>(prisma: Db, fn: (tx: Tx, sql: Sql) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T> {
  const holder: Holder = {};
  let close = () => {};
  // The context is needed only until the adapter has started the transaction; while any asynchronous
  // context is in use, Node runs a hook on every promise of the process, so it is let go after.
  let starting = true;
  startsUnderWay += 1;
  const started = () => {
    if (!starting) return;
    starting = false;
    startsUnderWay -= 1;
    if (startsUnderWay === 0) opening.disable();
  };
  return opening.run(holder, () =>
    prisma
      .$transaction((tx) => {
        started();
        const fast = holder.sql ?? (holder.tx ? adapterSql(holder.tx) : prismaSql(tx));
        const scope = scoped(fast.path, (text, params) => fast.query(text, params));
        close = scope.close;
        registered.set(tx, scope.sql);
        return fn(tx, scope.sql);
      }, options)
      .finally(() => {
        started();
        close();
      }),
  );
}

let startsUnderWay = 0;

/** What the stand-in for Prisma throws: the transaction is then run again inside Prisma's. */
class PrismaNeeded extends Error {
  constructor() {
    super('this transaction needs Prisma: it is run again inside prisma.$transaction');
    this.name = 'PrismaNeeded';
  }
}

/**
 * Takes the place of Prisma's transaction client in a transaction without Prisma: `sqlOf` finds the
 * transaction's plain SQL by it, and anything else asked of it is remembered in `reached` and fails. It
 * fails as Prisma's calls do, asynchronously: `tx.member.findMany()` is a rejected promise, so that calls
 * begun together (`Promise.all([a(tx), tx.b.findMany()])`) are all settled, none left rejected unseen.
 */
function prismaFreeTx(reached: { prisma: boolean }): Tx {
  const refused = (): Promise<never> => {
    const rejected = Promise.reject(new PrismaNeeded());
    rejected.catch(() => {});
    return rejected;
  };
  const deadEnd: object = new Proxy(function deadEnd() {}, {
    get: (_target, property) => (property === 'then' || typeof property === 'symbol' ? undefined : deadEnd),
    apply: refused,
  });
  return new Proxy(Object.create(null) as object, {
    get(_target, property) {
      // Not a promise (`await tx` looks for `then`), and no symbol makes it a Prisma client.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      reached.prisma = true;
      return deadEnd;
    },
  }) as Tx;
}

/** One statement that is a transaction of its own; its rows. */
export type AloneStatement = <Row extends object>(text: string, params: readonly SqlParam[]) => Promise<Row[]>;

const aloneStatements = new WeakMap<object, () => AloneStatement | undefined>();

/**
 * Where the database takes a statement as a transaction of its own without holding anyone up meanwhile
 * (the embedded database on its thread: `runAlone`; a server, once Prisma has made its pool), the way to
 * send one; elsewhere undefined.
 */
export function aloneStatementOf(prisma: Db): AloneStatement | undefined {
  return aloneStatements.get(prisma)?.();
}

/**
 * One statement on a connection of the server's pool, a transaction of its own (prepared as on the `pg`
 * path). A connection that dropped is not given back to the pool.
 */
async function pgAlone<Row extends object>(pool: PgPool, text: string, params: readonly SqlParam[]): Promise<Row[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return (await runPipelined(client, pgStatement(text, params), {})) as Row[];
  } catch (error) {
    if (isDatabaseUnreachable(error)) broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}

function isAloneCapable(pglite: PGlite): pglite is PGlite & AloneCapable {
  return typeof (pglite as Partial<AloneCapable>).execAlone === 'function';
}

/**
 * A stand-in for a transaction, for deciding something without one: every statement (`sqlOf`) and every
 * Prisma call asked of it fails, and `reached()` then says so — the work is done in a transaction after all.
 */
export function noTransaction(): { tx: Tx; reached: () => boolean; refuse: () => Promise<never> } {
  const reached = { prisma: false };
  const tx = prismaFreeTx(reached);
  const refuse = (): Promise<never> => {
    reached.prisma = true;
    return Promise.reject(new PrismaNeeded());
  };
  registered.set(tx, { path: 'wire', query: refuse, finish: refuse });
  return { tx, reached: () => reached.prisma, refuse };
}

/** Opens a transaction of this module's own and runs `fn` in it; commits what `fn` returns, else rolls back. */
type OwnTransaction = <T>(fn: (sql: Sql) => Promise<T>, options?: { timeout?: number; maxWait?: number }) => Promise<T>;

// By Prisma client: how to open a transaction without Prisma on its database, when it can be done now.
const ownTransactions = new WeakMap<object, () => OwnTransaction | undefined>();

/**
 * A transaction's plain SQL. Its statements are refused once it is over (on the embedded database one
 * would otherwise run outside any transaction, past PGlite's lock) and after its last one (`finish`).
 */
function scoped(
  path: Sql['path'],
  run: (text: string, params: readonly SqlParam[], last: boolean) => Promise<object[]>,
): { sql: Sql; close(): void } {
  let open = true;
  const send = (text: string, params: readonly SqlParam[] = [], last: boolean) => {
    if (!open) return Promise.reject(new Error('the transaction is over'));
    if (last) open = false;
    return run(text, params, last);
  };
  return {
    sql: {
      path,
      query: <Row extends object>(text: string, params?: readonly SqlParam[]) => send(text, params, false) as Promise<Row[]>,
      finish: <Row extends object>(text: string, params?: readonly SqlParam[]) => send(text, params, true) as Promise<Row[]>,
    },
    close: () => {
      open = false;
    },
  };
}

/**
 * On the embedded database: PGlite's transaction lock (Prisma's transactions and queries wait for it, as
 * for each other), the statements on the wire path.
 */
function pgliteTransaction(pglite: PGlite): OwnTransaction {
  return (fn, options) =>
    pglite._runExclusiveTransaction(() =>
      runOwn('wire', fn, options, {
        statement: (text, params, around) => runStatement(pglite, text, params.map(bindable), around),
        end: (command) => runStatement(pglite, command, []),
      }),
    );
}

/** The part of node-postgres' pool used here. */
interface PgPool {
  connect(): Promise<PgClient & { release(destroy?: boolean | Error): void }>;
}

/**
 * On a PostgreSQL server: a connection of Prisma's own pool, the statements prepared as on the `pg` path.
 * A connection that failed is not given back to the pool.
 */
function pgPoolTransaction(pool: PgPool): OwnTransaction {
  return async (fn, options) => {
    const client = await withinMs(pool.connect(), options?.maxWait, 'no database connection became free');
    let broken: Error | undefined;
    try {
      return await runOwn('pg', fn, options, {
        statement: (text, params, around) => runPipelined(client, pgStatement(text, params), around),
        end: (command) => {
          const ended = client.query({ text: command, values: [] });
          // A failed ROLLBACK leaves the connection unusable: it is not given back to the pool.
          return command === 'COMMIT'
            ? ended
            : ended.catch((rollbackError: unknown) => {
                broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
              });
        },
      });
    } finally {
      client.release(broken);
    }
  };
}

/**
 * `fn` in a transaction on one connection: BEGIN sent with its first statement and COMMIT with its last
 * (`finish`), or COMMIT on its own when it ends without `finish`; ROLLBACK when it fails before committing.
 */
async function runOwn<T>(
  path: Sql['path'],
  fn: (sql: Sql) => Promise<T>,
  options: { timeout?: number } | undefined,
  connection: {
    statement(text: string, params: readonly SqlParam[], around: Around): Promise<object[]>;
    end(command: 'COMMIT' | 'ROLLBACK'): Promise<unknown>;
  },
): Promise<T> {
  let begun = false;
  let committed = false;
  const scope = scoped(path, async (text, params, last) => {
    const begin = !begun;
    begun = true;
    const rows = await connection.statement(text, params, { begin, commit: last });
    if (last) committed = true;
    return rows;
  });
  try {
    const result = await withinMs(fn(scope.sql), options?.timeout, 'the transaction took too long');
    scope.close();
    if (begun && !committed) await connection.end('COMMIT');
    return result;
  } catch (error) {
    scope.close();
    if (begun && !committed) await connection.end('ROLLBACK');
    throw error;
  }
}

/** `promise`, or a rejection once `ms` have passed (no limit without `ms`). */
function withinMs<T>(promise: Promise<T>, ms: number | undefined, what: string): Promise<T> {
  if (ms === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (${ms} ms)`)), ms);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The plain SQL of a Prisma client or transaction: the fast one inside `transactionWithSql`, else
 * Prisma's raw queries on it. Lets a use case take a `Tx` as before and still run the turn's statements fast.
 */
export function sqlOf(db: Db | Tx): Sql {
  return registered.get(db) ?? prismaSql(db);
}

/** Plain SQL through Prisma's raw queries, on `tx` (a test's or a script's transaction, or the client). */
export function prismaSql(tx: Db | Tx): Sql {
  return statementsOn('prisma', (text, params) => tx.$queryRawUnsafe<object[]>(text, ...params.map(bindable)));
}

/** Statements where no transaction of this module's ends with them: `finish` is `query`. */
function statementsOn(path: Sql['path'], run: (text: string, params: readonly SqlParam[]) => Promise<object[]>): Sql {
  const query = <Row extends object>(text: string, params: readonly SqlParam[] = []) => run(text, params) as Promise<Row[]>;
  return { path, query, finish: query };
}

function adapterSql(tx: Pick<Transaction, 'queryRaw'>): Sql {
  return statementsOn('adapter', async (text, params) => {
    const query: SqlQuery = {
      sql: text,
      args: params.map(bindable),
      argTypes: params.map((param) => ({ scalarType: typeof param === 'number' ? 'int' : 'string', arity: 'scalar' })),
    };
    const result = await tx.queryRaw(query);
    const names = result.columnNames;
    return result.rows.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i += 1) row[names[i]!] = values[i];
      return row;
    });
  });
}

// Statement names by text, the same on every connection: node-postgres prepares a name on a connection
// the first time it meets it there, and only binds it afterwards.
const pgStatementNames = new Map<string, string>();
const MAX_PG_STATEMENTS = 500;

/** A statement as node-postgres takes it: named once per text (within a bound, past it unnamed). */
function pgStatement(text: string, params: readonly SqlParam[]): { name?: string; text: string; values: unknown[] } {
  let name = pgStatementNames.get(text);
  if (name === undefined && pgStatementNames.size < MAX_PG_STATEMENTS) {
    name = `baoshu_${pgStatementNames.size + 1}`;
    pgStatementNames.set(text, name);
  }
  return { name, text, values: params.map(bindable) };
}

/**
 * On a PostgreSQL server, the transaction's own pg client, with each statement prepared once per
 * connection (parsing and planning are most of the server's time for the turn's small statements).
 * Undefined when the adapter's transaction holds no such client: then the adapter's raw queries serve.
 */
function pgClientSql(tx: Transaction): Sql | undefined {
  const client = (tx as unknown as { client?: Partial<PgClient> }).client;
  if (typeof client?.query !== 'function') return undefined;
  const pg = client as PgClient;
  return statementsOn('pg', (text, params) => runPipelined(pg, pgStatement(text, params), {}));
}

/** Dates as ISO text, big integers as text: the SQL casts them. */
function bindable(param: SqlParam): string | number | boolean | null {
  if (param instanceof Date) return param.toISOString();
  if (typeof param === 'bigint') return param.toString();
  return param;
}

/** A list of integers as one parameter, for `= ANY($n::int[])` (or `::bigint[]`). */
export function intArray(values: readonly (number | bigint)[]): string {
  return `{${values.map((value) => String(typeof value === 'bigint' ? value : Math.trunc(value))).join(',')}}`;
}

/** A list of texts as one parameter, for `= ANY($n::text[])`: each quoted, backslashes and quotes escaped. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
