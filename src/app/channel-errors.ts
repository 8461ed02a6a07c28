/*
 * How a chat platform refused to deliver, translated at the edge so the outbox can decide without
 * knowing the platform: retry later, wait `retryAfterMs`, or give up on this recipient.
 */

/**
 * A platform refused or failed a send; `permanent` means retrying the same send cannot succeed.
 * `giveUpAfter` is for a failure that is probably, not certainly, permanent (a platform that cannot tell
 * an unknown recipient from a lookup that failed on the way): retried, but failed for good once the
 * message has been tried that many times, so a passing hiccup loses nothing and a real refusal ends.
 */
export class ChannelError extends Error {
  readonly channel: string;
  readonly permanent: boolean;
  /** Attempts (this one included) after which this failure counts as permanent; unbounded when absent. */
  readonly giveUpAfter?: number;

  constructor(channel: string, message: string, options: { permanent: boolean; giveUpAfter?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.channel = channel;
    this.permanent = options.permanent;
    this.giveUpAfter = options.giveUpAfter;
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
