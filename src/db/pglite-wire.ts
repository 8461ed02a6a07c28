import type { PGlite } from '@electric-sql/pglite';

/*
 * One statement on the embedded database in one call. PGlite's own `query` makes five calls into
 * PostgreSQL for a statement with parameters (parse, describe, bind, describe, execute, then sync), and
 * copies its table of type parsers for every query the Prisma adapter sends; here Parse, Bind, Describe,
 * Execute and Sync go in as one message and the answer is read in one pass. A statement is prepared
 * once under a name (the connection is the process's, for its whole life) and only bound afterwards:
 * parsing and planning were most of PostgreSQL's time for the chat's small statements. Values come back
 * as text but for int2/int4 (numbers) and bool (booleans): the SQL casts what it selects.
 */

const INT2 = 21;
const INT4 = 23;
const BOOL = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An error PostgreSQL answered with: `code` is its SQLSTATE. */
export class PgliteStatementError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly severity: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PgliteStatementError';
  }
}

/** A parameter as PostgreSQL's text format has it; null for NULL. */
export type WireParam = string | number | boolean | null;

/*
 * The transaction's first statements: BEGIN, and generic plans for its prepared statements. PostgreSQL
 * plans a prepared statement afresh for each execution ("custom" plans) until a generic plan looks about
 * as cheap; the chat's statements go by keys, so on a database without statistics (the embedded one
 * before its first night, a new server) it soon takes the generic plan and stops planning. With
 * statistics, estimates such as `indicator_id = ANY($n)` make the generic plan look several times dearer
 * than the custom ones — which are the same plans — so it planned every execution again: the turn's first
 * statement went from 0.25 to 0.69 ms on the embedded database once analysed (BENCHMARKS.md). `SET
 * LOCAL` holds until the transaction ends, and only the transactions of `transactionWithSql` begin so;
 * Prisma's own queries are planned as before.
 */
export const TRANSACTION_START = ['BEGIN', 'SET LOCAL plan_cache_mode = force_generic_plan'] as const;

/** What travels with the statement in the same call: BEGIN (`TRANSACTION_START`) before it, COMMIT after it. */
export interface Around {
  begin?: boolean;
  commit?: boolean;
}

/**
 * Runs one statement inside a transaction the caller holds on `pglite` (nothing else may use the
 * connection meanwhile); its rows as objects. With `around`, the transaction's BEGIN or COMMIT goes in
 * the same call; should anything in it fail, PostgreSQL skips the rest up to the Sync, COMMIT included.
 */
export async function runStatement<Row extends object>(
  pglite: PGlite,
  text: string,
  params: readonly WireParam[],
  around: Around = {},
): Promise<Row[]> {
  // Under PGlite's query lock: a Prisma query of the same transaction is several calls with awaits in
  // between, and this statement's Bind would replace its unnamed portal if it came between them.
  // PostgreSQL's answer as it is written, a copy of its own: PGlite's other calls also parse it into
  // message objects, and keep them until its next query.
  return pglite.runExclusive(() =>
    exchange<Row>(pglite, text, params, around, (message) => pglite.execProtocolRaw(message, { syncToFs: false })),
  );
}

/** An embedded database that takes a whole transaction in one request, without waiting for its locks (pglite-thread.ts). */
export interface AloneCapable {
  execAlone(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Runs one statement as a transaction of its own (BEGIN, the statement, COMMIT in one request), sent at
 * once: the database's thread runs it when no other transaction holds the connection, in the order sent.
 */
export function runAlone<Row extends object>(pglite: PGlite & AloneCapable, text: string, params: readonly WireParam[]): Promise<Row[]> {
  return exchange<Row>(pglite, text, params, { begin: true, commit: true }, (message) => pglite.execAlone(message));
}

/**
 * Prepares the statement under a name the first time its text is sent, and only binds it after: parsing
 * and planning were most of PostgreSQL's time for the chat's small statements. A name is the statement's
 * once PostgreSQL said it parsed it; until then (another call preparing the same text is under way) and
 * past the cache's bound, the statement goes unnamed, parsed again.
 */
async function exchange<Row extends object>(
  pglite: PGlite,
  text: string,
  params: readonly WireParam[],
  around: Around,
  send: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<Row[]> {
  let names = preparedOn.get(pglite);
  if (!names) preparedOn.set(pglite, (names = { ready: new Map(), preparing: new Map(), next: 1 }));
  const known = names.ready.get(text);
  let name = known ?? '';
  if (known === undefined && !names.preparing.has(text) && names.ready.size + names.preparing.size < MAX_PREPARED) {
    name = `baoshu_${names.next++}`;
    names.preparing.set(text, name);
  }
  let reply: Uint8Array;
  try {
    reply = await send(encodeStatement(known === undefined ? text : undefined, name, params, around));
  } finally {
    if (known === undefined && name) names.preparing.delete(text);
  }
  const { rows, parsed, error } = decodeRows<Row>(reply, around);
  // Named once PostgreSQL said it parsed it (not in a transaction that had already failed, say), even
  // when executing it then failed: the name is taken on the connection from then on.
  if (known === undefined && name && parsed) names.ready.set(text, name);
  if (error) throw error;
  return rows;
}

const MAX_PREPARED = 500;

/** Per database: the statements prepared (text → name), those being prepared, the next name's number. */
const preparedOn = new WeakMap<PGlite, { ready: Map<string, string>; preparing: Map<string, string>; next: number }>();

/**
 * Parse (when `text` is given), Bind, Describe, Execute, Sync; BEGIN and COMMIT as asked. A named
 * statement's Parse goes first, so that the first ParseComplete of the answer is its own (`decodeRows`);
 * an unnamed one goes after BEGIN, whose own unnamed Parse would otherwise replace it. Every statement of
 * every turn comes through here: the Bind is written straight into a buffer of the right size, and the
 * messages that never change are made once.
 */
function encodeStatement(text: string | undefined, name: string, params: readonly WireParam[], around: Around): Uint8Array {
  const values = params.map((param) => (param === null ? null : typeof param === 'boolean' ? (param ? 'true' : 'false') : String(param)));
  const nameBytes = Buffer.byteLength(name);
  // Bind: code, length, portal '', statement name, 0 formats, the count, each value, 0 result formats.
  let bind = 4 + 1 + nameBytes + 1 + 2 + 2 + 2;
  for (const value of values) bind += 4 + (value === null ? 0 : Buffer.byteLength(value));
  const parse = text === undefined ? undefined : parseMessage(text, name);
  const size = (parse?.length ?? 0) + (around.begin ? BEGIN.length : 0) + 1 + bind + TAIL.length + (around.commit ? COMMIT.length : 0) + SYNC.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const put = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  if (parse && name) put(parse);
  if (around.begin) put(BEGIN);
  if (parse && !name) put(parse);
  out[at] = 0x42;
  at = out.writeInt32BE(bind, at + 1);
  out[at++] = 0;
  at += out.write(name, at);
  out[at++] = 0;
  at = out.writeInt16BE(0, at);
  at = out.writeInt16BE(values.length, at);
  for (const value of values) {
    if (value === null) {
      at = out.writeInt32BE(-1, at);
    } else {
      const length = out.write(value, at + 4);
      out.writeInt32BE(length, at);
      at += 4 + length;
    }
  }
  at = out.writeInt16BE(0, at);
  put(TAIL);
  if (around.commit) put(COMMIT);
  put(SYNC);
  return out;
}

/** Parse: no parameter types (PostgreSQL infers them; the SQL casts where it matters). */
function parseMessage(text: string, name: string): Uint8Array {
  const writer = new Writer();
  writer.message(0x50, () => {
    writer.cstring(name);
    writer.cstring(text);
    writer.int16(0);
  });
  return writer.done();
}

/** Parse, Bind and Execute of a statement without parameters, on the unnamed statement and portal. */
function simple(writer: Writer, text: string): void {
  writer.message(0x50, () => {
    writer.cstring('');
    writer.cstring(text);
    writer.int16(0);
  });
  writer.message(0x42, () => {
    writer.cstring('');
    writer.cstring('');
    writer.int16(0);
    writer.int16(0);
    writer.int16(0);
  });
  writer.message(0x45, () => {
    writer.cstring('');
    writer.int32(0);
  });
}

function decodeRows<Row extends object>(reply: Uint8Array, around: Around): { rows: Row[]; parsed: boolean; error?: PgliteStatementError } {
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  let names: string[] = [];
  let types: number[] = [];
  const rows: Row[] = [];
  let error: PgliteStatementError | undefined;
  let parsed = false;
  let offset = 0;
  while (offset + 5 <= reply.length) {
    const code = reply[offset]!;
    const end = offset + 1 + view.getInt32(offset + 1);
    let at = offset + 5;
    if (code === 0x54) {
      // RowDescription
      const count = view.getInt16(at);
      at += 2;
      names = [];
      types = [];
      for (let i = 0; i < count; i += 1) {
        const zero = reply.indexOf(0, at);
        names.push(decoder.decode(reply.subarray(at, zero)));
        at = zero + 1;
        types.push(view.getInt32(at + 6));
        at += 18;
      }
    } else if (code === 0x44) {
      // DataRow
      const count = view.getInt16(at);
      at += 2;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < count; i += 1) {
        const length = view.getInt32(at);
        at += 4;
        if (length < 0) {
          row[names[i]!] = null;
          continue;
        }
        const value = decoder.decode(reply.subarray(at, at + length));
        at += length;
        const type = types[i];
        row[names[i]!] = type === INT4 || type === INT2 ? Number(value) : type === BOOL ? value === 't' : value;
      }
      rows.push(row as Row);
    } else if (code === 0x31) {
      parsed = true;
    } else if (code === 0x45) {
      error = decodeError(reply.subarray(at, end));
    } else if (code === 0x43 && around.commit && decoder.decode(reply.subarray(at, end - 1)) === 'ROLLBACK') {
      // COMMIT answers ROLLBACK in a transaction that had failed: not after a statement that succeeded,
      // but were it to happen, nothing may count as stored.
      error = new PgliteStatementError('the transaction was rolled back at COMMIT', '40000', 'ERROR');
    }
    offset = end;
  }
  return { rows, parsed, error };
}

function decodeError(body: Uint8Array): PgliteStatementError {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const zero = body.indexOf(0, at + 1);
    fields.set(String.fromCharCode(body[at]!), decoder.decode(body.subarray(at + 1, zero)));
    at = zero + 1;
  }
  return new PgliteStatementError(fields.get('M') ?? 'statement failed', fields.get('C') ?? '', fields.get('S') ?? 'ERROR', fields.get('D'));
}

/** Frontend messages into one growing buffer. */
class Writer {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  message(code: number, body: () => void): void {
    this.byte(code);
    const lengthAt = this.length;
    this.int32(0);
    body();
    this.view.setInt32(lengthAt, this.length - lengthAt);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length] = value;
    this.length += 1;
  }

  int16(value: number): void {
    this.reserve(2);
    this.view.setInt16(this.length, value);
    this.length += 2;
  }

  int32(value: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, value);
    this.length += 4;
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  cstring(value: string): void {
    this.bytes(encoder.encode(value));
    this.byte(0);
  }

  done(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** The messages every call ends with, made once: Describe and Execute the unnamed portal; Sync. */
const TAIL = made((writer) => {
  writer.message(0x44, () => {
    writer.byte(0x50);
    writer.cstring('');
  });
  writer.message(0x45, () => {
    writer.cstring('');
    writer.int32(0);
  });
});
const SYNC = made((writer) => writer.message(0x53, () => {}));
const BEGIN = made((writer) => TRANSACTION_START.forEach((text) => simple(writer, text)));
const COMMIT = made((writer) => simple(writer, 'COMMIT'));

function made(write: (writer: Writer) => void): Uint8Array {
  const writer = new Writer();
  write(writer);
  return writer.done();
}
