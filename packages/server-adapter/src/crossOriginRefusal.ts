import type { HandlerRequest } from './PersianHubHandlerOptions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a browser request from another origin must not run, or null when it may (the algorithm of
 * Go 1.25's `http.CrossOriginProtection`). `Sec-Fetch-Site`, sent by every browser since 2023,
 * decides first: `same-origin` and `none` (typed in the address bar, a bookmark) pass; `cross-site`
 * and `same-site` do not: same-site includes every other port on localhost and every sibling
 * subdomain, i.e. any other dev server or app on the machine. Older browsers send `Origin`,
 * compared with `Host`. A request with neither header is not from a browser (curl, a script) and
 * is left to `authorize`. Safe methods always pass: no route changes anything on GET.
 */
export function crossOriginRefusal(request: HandlerRequest, trustedOrigins: ReadonlySet<string>): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const origin = header(request, 'origin');
  if (origin !== undefined && trustedOrigins.has(origin.toLowerCase())) return null;
  const site = header(request, 'sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined) {
    return site === 'same-origin' || site === 'none' ? null : `a ${site} request (Sec-Fetch-Site: ${site.slice(0, 20)})`;
  }
  if (origin === undefined) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `a request from an opaque origin (Origin: ${origin.slice(0, 100)})`;
  }
  const host = header(request, 'host')?.trim().toLowerCase();
  return originHost !== '' && originHost === host ? null : `a request from ${JSON.stringify(origin.slice(0, 100))}`;
}

/** `http://localhost:5173/` → `http://localhost:5173`: the form browsers send in `Origin`. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TypeError(`trustedOrigins: ${JSON.stringify(origin)} is not an origin like "https://example.com"`);
  }
  if (url.origin === 'null') throw new TypeError(`trustedOrigins: ${JSON.stringify(origin)} has no origin`);
  return url.origin;
}

function header(request: HandlerRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : value?.[0];
}
