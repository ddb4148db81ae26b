import { headerValue } from './createBodyReader.js';
import { crossOriginRefusal, normalizeOrigin } from './crossOriginRefusal.js';
import { HttpError } from './HttpError.js';
import { isHostAllowed, normalizeAllowedHosts, type AllowedHosts } from './isHostAllowed.js';
import type { HandlerRequest } from './PersianHubHandlerOptions.js';

/**
 * The checks every route runs before `authorize`: the Host header against DNS rebinding, then
 * (for POST and DELETE) Sec-Fetch-Site / Origin against cross-site requests. Throws 403
 * HOST_NOT_ALLOWED or CROSS_ORIGIN; options are validated once, here.
 */
export function createOriginGuard(options: {
  readonly allowedHosts?: AllowedHosts;
  readonly trustedOrigins?: readonly string[];
}): (request: HandlerRequest) => void {
  const allowedHosts = normalizeAllowedHosts(options.allowedHosts);
  const trustedOrigins = new Set((options.trustedOrigins ?? []).map(normalizeOrigin));
  return (request) => {
    const host = headerValue(request.headers, 'host') ?? headerValue(request.headers, ':authority');
    if (!isHostAllowed(host, allowedHosts)) {
      const shown = (host ?? '').slice(0, 100);
      throw new HttpError(
        'HOST_NOT_ALLOWED',
        `Requests for the host ${JSON.stringify(shown)} are refused (DNS rebinding protection); the server's allowedHosts option lists the names it answers to.`,
        undefined,
        { details: { host: shown } },
      );
    }
    const refusal = crossOriginRefusal(request, trustedOrigins);
    if (refusal !== null) {
      throw new HttpError(
        'CROSS_ORIGIN',
        `Refused ${refusal}: this server takes changes only from its own pages (or the origins in its trustedOrigins option).`,
      );
    }
  };
}
