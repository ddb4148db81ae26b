import { isIPv4, isIPv6 } from 'node:net';

/**
 * Host names a browser may use to reach the routes, besides IP literals and localhost names
 * (Vite's `server.allowedHosts`): `'example.com'` exactly, `'.example.com'` for it and every
 * subdomain; `true` turns the check off (a proxy in front already checks Host).
 */
export type AllowedHosts = readonly string[] | true;

/** `example.com:3001` → `example.com`, `[::1]:3001` → `[::1]`; null for anything that is not a host. */
export function hostnameOf(hostHeader: string): string | null {
  let host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end === -1) return null;
    const rest = host.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return isIPv6(host.slice(1, end)) ? host.slice(0, end + 1) : null;
  }
  const colon = host.indexOf(':');
  if (colon !== -1) {
    if (!/^\d{1,5}$/.test(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }
  // A fully qualified name may end with a dot; `localhost.` is still localhost.
  if (host.endsWith('.')) host = host.slice(0, -1);
  return /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(host) ? host : null;
}

/** Lower-cases the configured names once and refuses what could never match. */
export function normalizeAllowedHosts(allowed: AllowedHosts | undefined): AllowedHosts {
  if (allowed === true) return true;
  return (allowed ?? []).map((entry) => {
    if (typeof entry !== 'string' || !/^\.?[A-Za-z0-9_.\-[\]:]+$/.test(entry)) {
      throw new TypeError(`allowedHosts: ${JSON.stringify(entry)} is not a host name (use "example.com" or ".example.com")`);
    }
    return entry.toLowerCase();
  });
}

/**
 * DNS rebinding needs a name the attacker controls that resolves to this server, so a request
 * whose Host is an IP literal or a localhost name cannot be one: those are always allowed, and
 * so is a request without Host (no browser sends one). Any other name must be listed.
 */
export function isHostAllowed(hostHeader: string | undefined, allowed: AllowedHosts): boolean {
  if (allowed === true || hostHeader === undefined) return true;
  const host = hostnameOf(hostHeader);
  if (host === null) return false;
  if (isIPv4(host) || host.startsWith('[')) return true;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return allowed.some((entry) =>
    entry.startsWith('.') ? host === entry.slice(1) || host.endsWith(entry) : host === entry,
  );
}
