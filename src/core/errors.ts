/** What went wrong, as a stable string that code and tests match on and locales translate. */
export type AppErrorCode =
  | 'database_unavailable'
  | 'database_locked'
  | 'org_invalid'
  | 'org_not_loaded'
  | 'not_found'
  | 'invalid_input'
  /** The transaction met another one (a serialization failure, a key taken meanwhile): handle it again. */
  | 'write_conflict'
  | 'internal';

/** The one failure type of the application; platform and Prisma errors are translated into it at the edge. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  /** What a localised message about it needs (a folder, a process id …). */
  readonly details: Record<string, string | number>;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, string | number> }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details ?? {};
  }
}
