import type { HttpErrorCode } from './errorToStatus.js';

/** Thrown inside the handler to answer with an error body; never leaves it. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly issues?: readonly unknown[],
    readonly extra: {
      /** Instead of the table's status for `code` (the same code can be the server's fault on one route). */
      readonly status?: number;
      readonly details?: Record<string, unknown>;
      /** Seconds, sent as Retry-After. */
      readonly retryAfter?: number;
    } = {},
  ) {
    super(message);
  }
}

export function tooLarge(limit: number, what = 'The body'): HttpError {
  return new HttpError('PAYLOAD_TOO_LARGE', `${what} is larger than ${limit} bytes`, undefined, { details: { limit } });
}
