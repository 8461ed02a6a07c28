/*
 * Whether a failure means the database cannot be reached at all (a stopped or restarting server, a cut
 * network), as opposed to a statement it refused: only then is a message worth keeping for later.
 */

const MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|Connection ended|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (?:shutting down|starting up|in recovery mode)|Can't reach database server|Server has closed the connection/i;
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection exceptions;
// P1001 can't reach, P1002 timed out, P1017 connection closed (Prisma); an AppError already translated.
const CODES = /^(?:57P0[123]|08\d{3}|08P01|P1001|P1002|P1017|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|database_unavailable)$/;

/** True when `error`, or an error it wraps, says the database server could not be reached. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && CODES.test(code)) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}
