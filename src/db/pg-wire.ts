import pg from 'pg';
import { type Around, TRANSACTION_START } from './pglite-wire.js';

/*
 * One statement on a PostgreSQL server, with the transaction's BEGIN before it or its COMMIT after it in
 * the same round trip. node-postgres sends one query at a time and waits for its answer; a chat turn is
 * three or four short statements, so BEGIN and COMMIT on their own were a third of its round trips, and
 * each round trip costs the bot a socket write and a wake-up of the server's backend. In the extended
 * protocol the messages up to one Sync are one pipeline: Parse, Bind, Execute of BEGIN, then of the
 * statement, then of COMMIT, then Sync. Should any of them fail the server skips the rest up to the Sync,
 * so a COMMIT never follows a statement that failed.
 */

/** A pg client, as a pool hands it out or the adapter keeps one for each transaction. */
export interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: object[] }>;
  query(submittable: pg.Query): pg.Query;
}

interface Connection {
  parse(query: { text: string; name?: string }): void;
  bind(config: { portal: string; statement?: string; values: unknown[]; valueMapper?: (value: unknown) => unknown }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config: { portal: string; rows: number }): void;
  sync(): void;
  submittedNamedStatements: Record<string, string>;
}

interface CommandComplete {
  text: string;
}

type Callback = (error: Error | null, result?: { rows: object[] }) => void;

// pg's Query, whose handling of the answer (rows, types, errors) is kept; only what is sent differs.
const Query = pg.Query as unknown as new (config: object) => pg.Query & {
  name?: string;
  text: string;
  values: unknown[];
  prepare(connection: Connection): void;
  hasBeenParsed(connection: Connection): boolean;
  handleCommandComplete(message: CommandComplete, connection: Connection): void;
  _canceledDueToError: Error | false;
};

class PipelinedQuery extends Query {
  constructor(
    config: { name?: string; text: string; values: unknown[]; callback: Callback },
    private readonly around: Around,
  ) {
    super(config);
  }

  override prepare(connection: Connection): void {
    if (this.around.begin) for (const text of TRANSACTION_START) sendSimple(connection, text);
    if (!this.hasBeenParsed(connection)) {
      connection.parse({ text: this.text, name: this.name ?? '' });
      if (this.name) connection.submittedNamedStatements[this.name] = this.text;
    }
    connection.bind({ portal: '', statement: this.name ?? '', values: this.values, valueMapper: asText });
    connection.describe({ type: 'P', name: '' });
    connection.execute({ portal: '', rows: 0 });
    if (this.around.commit) sendSimple(connection, 'COMMIT');
    connection.sync();
  }

  override handleCommandComplete(message: CommandComplete, connection: Connection): void {
    if (message.text === 'BEGIN' || message.text === 'SET' || message.text === 'COMMIT') return;
    // COMMIT answers ROLLBACK in a transaction that had failed: not after a statement that succeeded, but
    // were it to happen, the turn must not count as stored.
    if (this.around.commit && message.text === 'ROLLBACK') {
      this._canceledDueToError = new Error('the transaction was rolled back at COMMIT');
      return;
    }
    super.handleCommandComplete(message, connection);
  }
}

/** Parameters as text (the SQL casts them); null stays NULL. */
function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Parse, Bind and Execute of a statement without parameters, on the unnamed statement and portal. */
function sendSimple(connection: Connection, text: string): void {
  connection.parse({ text, name: '' });
  connection.bind({ portal: '', statement: '', values: [] });
  connection.execute({ portal: '', rows: 0 });
}

// The statement names each connection has prepared (known from a statement that succeeded there).
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * Runs `statement` (prepared under its name on the client the first time), with BEGIN and COMMIT around
 * it as asked. BEGIN travels with a statement the connection has prepared already, or one without a name:
 * pg takes a name for prepared at the first ParseComplete of the round trip, which BEGIN's own would be.
 */
export async function runPipelined(
  client: PgClient,
  statement: { name?: string; text: string; values: unknown[] },
  around: Around,
): Promise<object[]> {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Set()));
  if (around.begin && statement.name !== undefined && !prepared.has(statement.name)) {
    // One round trip, in the simple protocol (no values), which takes several statements.
    await client.query({ text: TRANSACTION_START.join('; '), values: [] });
    around = { ...around, begin: false };
  }
  const rows =
    around.begin || around.commit
      ? await new Promise<object[]>((resolve, reject) => {
          const callback: Callback = (error, result) => (error ? reject(error) : resolve(result?.rows ?? []));
          client.query(new PipelinedQuery({ ...statement, callback }, around));
        })
      : (await client.query(statement)).rows;
  if (statement.name !== undefined) prepared.add(statement.name);
  return rows;
}
