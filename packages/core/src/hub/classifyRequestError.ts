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

/** Hosts of the public Hub. A mirror that points back at them is rewritten (see HubClient). */
export const HUB_HOSTS: ReadonlySet<string> = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);

const BLOCKED_HINT = 'It looks blocked from this network: try a mirror (HF_ENDPOINT), a proxy (HTTPS_PROXY), or an offline bundle.';

/**
 * Turns what undici or the socket threw into a PersianHubError. The abort reason wins:
 * a pause or cancel must never be reported as a network failure.
 *
 * `phase` tells whether the failure came before any response (`request`) or while the body
 * streamed (`body`). A connection reset before any answer, or a DNS failure for the Hub's own
 * host, is what filtering looks like on the networks our users live on: BLOCKED, not NETWORK.
 */
export function classifyRequestError(error: unknown, url: string, signal?: AbortSignal, phase: 'request' | 'body' = 'body'): unknown {
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
  const hostname = (() => {
    try {
      return new URL(url).hostname;
    } catch {
      return '';
    }
  })();
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && HUB_HOSTS.has(hostname)) {
    return new PersianHubError('BLOCKED', `${host} cannot be resolved (DNS). ${BLOCKED_HINT}`, { cause: error, details: { errno: code } });
  }
  if (phase === 'request' && (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')) {
    return new PersianHubError('BLOCKED', `The connection to ${host} was reset before any answer. ${BLOCKED_HINT}`, {
      cause: error,
      details: { errno: code },
    });
  }
  if (code && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) {
    return new PersianHubError('NETWORK', `Network error talking to ${host} (${code}).`, { cause: error, details: { errno: code } });
  }
  if (error instanceof Error && (error.name === 'SocketError' || /socket|terminated|other side closed/i.test(error.message))) {
    return new PersianHubError('NETWORK', `The connection to ${host} was closed (${error.message}).`, { cause: error });
  }
  return new PersianHubError('NETWORK', `Could not reach ${host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
