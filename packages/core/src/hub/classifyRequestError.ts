import { PersianHubError, isPersianHubError } from '../PersianHubError.js';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns what undici or the socket threw into a PersianHubError. The abort reason wins:
 * a pause or cancel must never be reported as a network failure.
 */
export function classifyRequestError(error: unknown, url: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (isPersianHubError(error)) return error;
  const code = errorCode(error);
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new PersianHubError('STALLED', `No data from ${host} for too long; the transfer stalled.`, { cause: error });
  }
  if (code && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) {
    return new PersianHubError('NETWORK', `Network error talking to ${host} (${code}).`, { cause: error, details: { errno: code } });
  }
  if (error instanceof Error && (error.name === 'SocketError' || /socket|terminated|other side closed/i.test(error.message))) {
    return new PersianHubError('NETWORK', `The connection to ${host} was closed (${error.message}).`, { cause: error });
  }
  return new PersianHubError('NETWORK', `Could not reach ${host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
