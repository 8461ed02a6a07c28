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
/** SQLSTATE classes 08 (connection exception) and 57P01–57P03 (the server shut down), Prisma's P1001/P1017. */
const UNAVAILABLE_CODE = /^(08...|57P0[123]|P1001|P1017|ECONNREFUSED|ECONNRESET|EPIPE)$/;
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
/** When a driver gave only a message (PGlite's errors, some adapter paths). */
const CONFLICT_TEXT = /could not serialize|deadlock detected|duplicate key value|write conflict/i;
const UNAVAILABLE_TEXT = /ECONNREFUSED|ECONNRESET|Connection terminated|connection (?:is )?closed|terminating connection/i;

/** The codes an error and its causes carry, nearest first (Prisma nests the driver's under meta and cause). */
function codesOf(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 4) return [];
  const e = error as { code?: unknown; originalCode?: unknown; kind?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const own = [e.code, e.originalCode, e.kind].filter((value): value is string => typeof value === 'string');
  return [...own, ...codesOf(e.meta?.driverAdapterError, depth + 1), ...codesOf(e.cause, depth + 1)];
}

/** The typed code a persistence failure stands for, if it stands for one. */
export function persistenceErrorCode(error: unknown): 'write_conflict' | 'database_unavailable' | undefined {
  if (error instanceof AppError) return error.code === 'write_conflict' || error.code === 'database_unavailable' ? error.code : undefined;
  const codes = codesOf(error);
  if (codes.some((code) => CONFLICT_CODES.has(code) || CONFLICT_KINDS.has(code))) return 'write_conflict';
  if (codes.some((code) => UNAVAILABLE_CODE.test(code) || UNAVAILABLE_KINDS.has(code))) return 'database_unavailable';
  const message = error instanceof Error ? error.message : String(error);
  if (CONFLICT_TEXT.test(message)) return 'write_conflict';
  if (UNAVAILABLE_TEXT.test(message)) return 'database_unavailable';
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
