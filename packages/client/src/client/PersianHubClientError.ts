import type { PersianHubErrorCode, PersianHubErrorDetails } from '../PersianHubError.js';

/**
 * What a failed REST call throws. `code` is the server's stable code (core's table plus the
 * adapter's own, such as FORBIDDEN), so UIs translate it the same way as a job error.
 */
export class PersianHubClientError extends Error {
  override readonly name = 'PersianHubClientError';
  /** The server's `error.code`, or NETWORK when no answer came. */
  readonly code: PersianHubErrorCode | (string & {});
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly details: PersianHubErrorDetails;
  /** Validation issues (zod) the server sent with INVALID_INPUT. */
  readonly issues: readonly unknown[] | undefined;
  /**
   * Who answered, so a UI blames the right party: `server` (a Persian Hub error body: the server
   * itself refused or failed, perhaps because the Hub did), `intermediary` (an answer that is not
   * ours: a proxy's or a filter's page, a gateway in front of a stopped server) or `network`
   * (no answer at all: the server or the connection to it is down).
   */
  readonly origin: PersianHubClientErrorOrigin;

  constructor(
    code: PersianHubErrorCode | (string & {}),
    message: string,
    options: {
      status: number;
      details?: PersianHubErrorDetails;
      issues?: readonly unknown[];
      cause?: unknown;
      /** @default 'network' for status 0, else 'server' */
      origin?: PersianHubClientErrorOrigin;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.details = options.details ?? {};
    this.issues = options.issues;
    this.origin = options.origin ?? (options.status === 0 ? 'network' : 'server');
  }
}

export type PersianHubClientErrorOrigin = 'server' | 'intermediary' | 'network';

/** Checks the name, not only `instanceof`: two copies of this package may meet in one app. */
export function isPersianHubClientError(value: unknown): value is PersianHubClientError {
  if (value instanceof PersianHubClientError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PersianHubClientError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

const codeForStatus: Record<number, string> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  501: 'CLI_NOT_FOUND',
  502: 'NETWORK',
  507: 'DISK_FULL',
};

/** Builds the error from a non-2xx answer, falling back to the status when the body is not ours (a proxy's HTML page). */
export async function errorFromResponse(response: Response): Promise<PersianHubClientError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    const e = error as { code: string; message?: unknown; details?: unknown; issues?: unknown };
    return new PersianHubClientError(e.code, typeof e.message === 'string' ? e.message : e.code, {
      status: response.status,
      details: typeof e.details === 'object' && e.details !== null ? (e.details as PersianHubErrorDetails) : undefined,
      issues: Array.isArray(e.issues) ? e.issues : undefined,
    });
  }
  const code = codeForStatus[response.status] ?? 'INTERNAL';
  return new PersianHubClientError(code, `HTTP ${response.status} ${response.statusText}`.trim(), {
    status: response.status,
    origin: 'intermediary',
  });
}
