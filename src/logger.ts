import { pino, type Logger } from 'pino';

export type { Logger };

/** A structured JSON logger on stderr, so that stdout stays free for the CLI's and the chat's output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'baoshu' } }, pino.destination(2));
}
