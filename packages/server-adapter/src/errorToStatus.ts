import { isPersianHubError, type PersianHubErrorCode } from '@persian-hub/core';

/**
 * Codes the HTTP layer adds on top of core's: they never come from the manager.
 * HOST_NOT_ALLOWED: the Host header is not one of `allowedHosts` (DNS rebinding);
 * CROSS_ORIGIN: a browser request from another site tried to change something;
 * SERVER_BUSY: too many uploads or exports at once (sent with Retry-After);
 * REQUEST_TIMEOUT: the request body stopped arriving.
 */
export type HttpOnlyErrorCode =
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_IMPLEMENTED'
  | 'HOST_NOT_ALLOWED'
  | 'CROSS_ORIGIN'
  | 'SERVER_BUSY'
  | 'REQUEST_TIMEOUT';

export type HttpErrorCode = PersianHubErrorCode | HttpOnlyErrorCode;

/**
 * The one code → HTTP status table (tRPC's getHTTPStatusCodeFromError). Typed as a full
 * Record so a code added to core's ERROR_CODES does not compile until it has a status here.
 */
export const HTTP_STATUS_BY_CODE = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  GATED_REPO: 403,
  FORBIDDEN: 403,
  // 403, not 421 Misdirected Request: a client may retry a 421 on another connection.
  HOST_NOT_ALLOWED: 403,
  CROSS_ORIGIN: 403,
  NOT_FOUND: 404,
  REPO_NOT_FOUND: 404,
  REVISION_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  CONFLICT: 409,
  // A request cancelled under it (a DELETE on the import job, or the manager closing) lost a race
  // with another request: the server did not fail.
  CANCELLED: 409,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SERVER_BUSY: 429,
  DISK_FULL: 507,
  NETWORK: 502,
  BLOCKED: 502,
  STALLED: 502,
  // The Hub answered something unexpected: an upstream failure, not ours.
  HUB_ERROR: 502,
  CLI_NOT_FOUND: 501,
  NOT_IMPLEMENTED: 501,
  CHECKSUM_MISMATCH: 500,
  CLI_FAILED: 500,
  // The client's bundle is at fault, not the server: 422 Unprocessable Content. Over HTTP an
  // unsafe path can only come from a bundle (downloads fail inside their job, not in a request);
  // the export route answers 500 itself for a cache whose links leave the repo folder.
  BUNDLE_INVALID: 422,
  UNSAFE_PATH: 422,
  // Well formed, but not signed by a key this server trusts (requireSignedBundles).
  BUNDLE_UNTRUSTED: 422,
  // Only ever a job's error (an import cut short by a restart), never a request's.
  INTERRUPTED: 500,
  // A shared job store (Redis) that cannot be reached, or an instance that did not answer a
  // command: the server is fine, a service behind it is not; try again later.
  JOB_STORE_UNAVAILABLE: 503,
  RUNNER_GONE: 503,
  INTERNAL: 500,
} as const satisfies Record<HttpErrorCode, number>;

export function errorToStatus(code: string): number {
  return Object.hasOwn(HTTP_STATUS_BY_CODE, code)
    ? HTTP_STATUS_BY_CODE[code as HttpErrorCode]
    : 500;
}

/** The JSON error body of the REST contract. */
export interface ErrorBody {
  readonly error: {
    readonly code: HttpErrorCode;
    readonly message: string;
    readonly issues?: readonly unknown[];
    readonly details?: Record<string, unknown>;
  };
}

/** Said instead of the message of anything that is not a PersianHubError: those may hold paths or tokens. */
export const GENERIC_ERROR_MESSAGE = 'Internal error';

/**
 * Turns anything thrown into the status and body we send. Only a PersianHubError's own
 * message and details travel (core promises they hold no paths or tokens); `cause` never does.
 */
export function errorToResponse(error: unknown): { status: number; body: ErrorBody } {
  if (isPersianHubError(error) && error.code !== 'INTERNAL') {
    const details = error.details;
    const body: ErrorBody =
      details && Object.keys(details).length > 0
        ? { error: { code: error.code, message: error.message, details: { ...details } } }
        : { error: { code: error.code, message: error.message } };
    return { status: errorToStatus(error.code), body };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: GENERIC_ERROR_MESSAGE } } };
}
