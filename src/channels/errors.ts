/*
 * How a chat platform refused to deliver, translated at the edge so the outbox can decide without
 * knowing the platform: retry later, wait `retryAfterMs`, or give up on this recipient.
 */

/** A platform refused or failed a send; `permanent` means retrying the same send cannot succeed. */
export class ChannelError extends Error {
  readonly channel: string;
  readonly permanent: boolean;

  constructor(channel: string, message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.channel = channel;
    this.permanent = options.permanent;
  }
}

/** The platform asked us to slow down: nothing was delivered, try again after `retryAfterMs`. */
export class RateLimitError extends ChannelError {
  readonly retryAfterMs: number;

  constructor(channel: string, message: string, options: { retryAfterMs: number; cause?: unknown }) {
    super(channel, message, { permanent: false, cause: options.cause });
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
}
