/** What went wrong, as a stable string that code and tests match on and locales translate. */
export type AppErrorCode =
  | 'database_unavailable'
  | 'database_locked'
  | 'org_invalid'
  | 'org_not_loaded'
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'internal';

/** The one failure type of the application; platform and Prisma errors are translated into it at the edge. */
export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}
