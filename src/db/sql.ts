import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { PGlite } from '@electric-sql/pglite';
import type { Db, Tx } from './client-types.js';
import { runStatement } from './pglite-wire.js';

/*
 * Plain SQL for the chat's hot path. A chat turn runs a handful of statements; through Prisma's query
 * interpreter each costs three to four times what the database itself spends on it (measured in
 * BENCHMARKS.md). Here a turn's statements go straight to the driver adapter's transaction — the very
 * connection and transaction Prisma opened — so they and any Prisma call of the same turn are one
 * transaction. Statements select only int4, text and boolean columns (cast in SQL: `value::text`),
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
              if (pglite) holder.sql = { path: 'wire', query: (text, params = []) => runStatement(pglite, text, params.map(bindable)) };
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
    registered.set(prisma, {
      get path() {
        return connected ? 'adapter' : 'prisma';
      },
      query: (text, params) => (connected ? adapterSql(connected) : fallback).query(text, params),
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
 * `prisma.$transaction(fn)` with the same transaction also as plain SQL. Where the client was not opened
 * with `exposeTransactions` (or the adapter's transaction cannot be seen), the SQL runs through Prisma's
 * raw queries instead: slower, the same results.
 */
export function transactionWithSql<T>(
  prisma: Db,
  fn: (tx: Tx, sql: Sql) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  const holder: Holder = {};
  let open = true;
  return opening.run(holder, () =>
    prisma
      .$transaction((tx) => {
        const fast = holder.sql ?? (holder.tx ? adapterSql(holder.tx) : prismaSql(tx));
        // Once the transaction is over its statements are refused: on the embedded database one would
        // otherwise run outside any transaction, past PGlite's lock.
        const sql: Sql = {
          path: fast.path,
          query: (text, params) => (open ? fast.query(text, params) : Promise.reject(new Error('the transaction is over'))),
        };
        registered.set(tx, sql);
        return fn(tx, sql);
      }, options)
      .finally(() => {
        open = false;
      }),
  );
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
  return {
    path: 'prisma',
    query: <Row extends object>(text: string, params: readonly SqlParam[] = []) =>
      tx.$queryRawUnsafe<Row[]>(text, ...params.map(bindable)),
  };
}

function adapterSql(tx: Pick<Transaction, 'queryRaw'>): Sql {
  return {
    path: 'adapter',
    async query<Row extends object>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
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
        return row as Row;
      });
    },
  };
}

/** A pg client, as PostgreSQL's adapter keeps one for each transaction. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: object[] }>;
}

// Statement names by text, the same on every connection: node-postgres prepares a name on a connection
// the first time it meets it there, and only binds it afterwards.
const pgStatementNames = new Map<string, string>();
const MAX_PG_STATEMENTS = 500;

/**
 * On a PostgreSQL server, the transaction's own pg client, with each statement prepared once per
 * connection (parsing and planning are most of the server's time for the turn's small statements).
 * Undefined when the adapter's transaction holds no such client: then the adapter's raw queries serve.
 */
function pgClientSql(tx: Transaction): Sql | undefined {
  const client = (tx as unknown as { client?: Partial<PgClient> }).client;
  if (typeof client?.query !== 'function') return undefined;
  const pg = client as PgClient;
  return {
    path: 'pg',
    async query<Row extends object>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
      let name = pgStatementNames.get(text);
      if (name === undefined && pgStatementNames.size < MAX_PG_STATEMENTS) {
        name = `baoshu_${pgStatementNames.size + 1}`;
        pgStatementNames.set(text, name);
      }
      const result = await pg.query({ name, text, values: params.map(bindable) });
      return result.rows as Row[];
    },
  };
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
