import { createHash, timingSafeEqual } from 'node:crypto';
import { headerValue } from './createBodyReader.js';
import type { HandlerAction, HandlerRequest } from './PersianHubHandlerOptions.js';

/** The actions that only read: anyone who may open the page may do these. */
export const READ_ACTIONS: ReadonlySet<HandlerAction> = new Set(['available', 'list', 'status', 'installed', 'events', 'mirror']);

export interface AdminTokenAuthorizeOptions {
  /** Whether reads need the token too. The event stream cannot send headers (EventSource). @default false */
  readonly protectReads?: boolean;
}

/**
 * An `authorize` for a server reachable beyond localhost: reads are open, every change (start,
 * pause, cancel, forget, remove, export, import, upload) needs `Authorization: Bearer <token>`.
 * Compared in constant time (over hashes, so the length does not leak either).
 */
export function createAdminTokenAuthorize(
  token: string,
  options: AdminTokenAuthorizeOptions = {},
): (request: HandlerRequest, action: HandlerAction) => boolean {
  if (typeof token !== 'string' || token.length < 16) {
    throw new TypeError('The admin token must be a string of at least 16 characters (e.g. `openssl rand -hex 32`)');
  }
  const expected = digest(token);
  return (request, action) => {
    if (!options.protectReads && READ_ACTIONS.has(action)) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request.headers, 'authorization') ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
