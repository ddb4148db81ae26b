/**
 * Stable error codes. They travel over HTTP and SSE and are what UIs translate into
 * Persian and English messages, so a code is never renamed once published.
 */
export const ERROR_CODES = [
  'REPO_NOT_FOUND',
  'REVISION_NOT_FOUND',
  'ENTRY_NOT_FOUND',
  'GATED_REPO',
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'NETWORK',
  'BLOCKED',
  'STALLED',
  'CHECKSUM_MISMATCH',
  'DISK_FULL',
  'UNSAFE_PATH',
  'CANCELLED',
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'CLI_NOT_FOUND',
  'CLI_FAILED',
  'HUB_ERROR',
  'BUNDLE_INVALID',
  'BUNDLE_UNTRUSTED',
  'INTERRUPTED',
  'JOB_STORE_UNAVAILABLE',
  'RUNNER_GONE',
  'INTERNAL',
] as const;

export type PersianHubErrorCode = (typeof ERROR_CODES)[number];

/** Extra facts a UI can use to say something precise (never filesystem paths or tokens). */
export interface PersianHubErrorDetails {
  /** HTTP status of the Hub answer that caused the error, when there was one. */
  readonly status?: number;
  /** Bytes still needed on disk (DISK_FULL). */
  readonly requiredBytes?: number;
  /** Bytes free on disk (DISK_FULL). */
  readonly availableBytes?: number;
  /** Seconds the Hub asked us to wait (RATE_LIMITED). */
  readonly retryAfter?: number;
  /** The repo path the error is about, e.g. `model.bin` (ENTRY_NOT_FOUND, CHECKSUM_MISMATCH, UNSAFE_PATH). */
  readonly file?: string;
  readonly repoId?: string;
  readonly revision?: string;
  readonly [key: string]: unknown;
}

export interface PersianHubErrorJSON {
  readonly code: PersianHubErrorCode;
  readonly message: string;
  readonly details?: PersianHubErrorDetails;
}

export class PersianHubError extends Error {
  override readonly name = 'PersianHubError';
  readonly code: PersianHubErrorCode;
  readonly details: PersianHubErrorDetails;

  constructor(
    code: PersianHubErrorCode,
    message: string,
    options: { cause?: unknown; details?: PersianHubErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  toJSON(): PersianHubErrorJSON {
    return Object.keys(this.details).length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

const codeSet: ReadonlySet<string> = new Set(ERROR_CODES);

export function isPersianHubErrorCode(value: unknown): value is PersianHubErrorCode {
  return typeof value === 'string' && codeSet.has(value);
}

/**
 * Checks name and code rather than only `instanceof`: two copies of this package in one
 * app (a common npm outcome) would otherwise make a real PersianHubError fail the check.
 */
export function isPersianHubError(value: unknown): value is PersianHubError {
  if (value instanceof PersianHubError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PersianHubError' &&
    isPersianHubErrorCode((value as { code?: unknown }).code)
  );
}
