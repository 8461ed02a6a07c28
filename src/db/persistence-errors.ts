import { AppError } from '../core/errors.js';

/*
 * What PostgreSQL, PGlite and Prisma throw, translated once, here, into the application's typed codes:
 * - `write_conflict`: the transaction met another one (a serialization failure, a deadlock, a unique key
 *   taken meanwhile, a row revised meanwhile). Handling the same input again is correct and will see the
 *   other transaction's work.
 * - `database_unavailable`: the database could not be reached or dropped the connection.
 * Anything else is left as it was: a bug, not an expected outcome.
 */

/** SQLSTATEs and Prisma codes of a transaction that met another one. */
const CONFLICT_CODES = new Set(['40001', '40P01', '23505', 'P2002', 'P2034']);
/** Driver adapters' kinds for the same. */
const CONFLICT_KINDS = new Set(['TransactionWriteConflict', 'UniqueConstraintViolation']);
/**
 * The server could not be reached, is shutting down or starting up, or dropped the connection: SQLSTATE
 * class 08 and 57P01–57P03, Prisma's P1001/P1002/P1017, the socket's own codes.
 */
const UNAVAILABLE_CODE = /^(?:08...|57P0[123]|P1001|P1002|P1017|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/;
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
/** When a driver gave only a message (PGlite's errors, some adapter paths). */
const CONFLICT_TEXT = /could not serialize|deadlock detected|duplicate key value|write conflict/i;
const UNAVAILABLE_TEXT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|Connection ended|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (?:shutting down|starting up|in recovery mode)|Can't reach database server|Server has closed the connection/i;

/** An error and the errors it wraps, nearest first (Prisma nests the driver's under meta and cause). */
function chainOf(error: unknown, depth = 0): object[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
  return [error, ...chainOf(e.meta?.driverAdapterError, depth + 1), ...chainOf(e.cause, depth + 1)];
}

/** The codes an error and its causes carry. */
function codesOf(error: unknown): string[] {
  return chainOf(error).flatMap((link) => {
    const e = link as { code?: unknown; originalCode?: unknown; kind?: unknown };
    return [e.code, e.originalCode, e.kind].filter((value): value is string => typeof value === 'string');
  });
}

/** The messages of an error and its causes. */
function messagesOf(error: unknown): string[] {
  const own = error instanceof Error || (error && typeof error === 'object') ? [] : [String(error)];
  return [...own, ...chainOf(error).flatMap((link) => {
    const message = (link as { message?: unknown }).message;
    return typeof message === 'string' ? [message] : [];
  })];
}

/** The typed code a persistence failure stands for, if it stands for one. */
export function persistenceErrorCode(error: unknown): 'write_conflict' | 'database_unavailable' | undefined {
  if (error instanceof AppError && (error.code === 'write_conflict' || error.code === 'database_unavailable')) return error.code;
  const codes = codesOf(error);
  if (codes.some((code) => CONFLICT_CODES.has(code) || CONFLICT_KINDS.has(code))) return 'write_conflict';
  if (codes.some((code) => UNAVAILABLE_CODE.test(code) || UNAVAILABLE_KINDS.has(code))) return 'database_unavailable';
  const messages = messagesOf(error);
  if (messages.some((message) => CONFLICT_TEXT.test(message))) return 'write_conflict';
  if (messages.some((message) => UNAVAILABLE_TEXT.test(message))) return 'database_unavailable';
  return undefined;
}

/** The error as the application sees it: an AppError with a typed code when it is a persistence failure. */
export function translatePersistenceError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = persistenceErrorCode(error);
  if (!code) return error;
  const what = code === 'write_conflict' ? 'the transaction met another one' : 'the database is unavailable';
  return new AppError(code, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Whether a failure means the database cannot be reached at all, as opposed to a statement it refused. */
export function isDatabaseUnreachable(error: unknown): boolean {
  return persistenceErrorCode(error) === 'database_unavailable';
}
