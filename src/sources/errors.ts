// A failed poll, with a typed reason that becomes the reason label (never free text).
export const FAILURE_REASONS = [
  'timeout', 'connection_refused', 'unreachable', 'rate_limited', 'server_error', 'client_error',
  'malformed_body', 'too_large', 'invalid_output', 'refusal', 'empty_output', 'circuit_open', 'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export class SourceError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    /** Seconds the source asked us to wait (Retry-After), if it did. */
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** Retryable within a cycle: transient failures, never a rate limit (retries make 429s worse). */
export const isTransient = (e: unknown): boolean =>
  e instanceof SourceError && ['timeout', 'connection_refused', 'server_error'].includes(e.reason) && e.retryAfterSeconds === undefined;
