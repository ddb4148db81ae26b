// How the example host apps decide what to listen on and who may change things. Shared by both.
import { isIP } from 'node:net';

/** Addresses only this machine can reach. */
export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `HOST` unset: 127.0.0.1, nothing else needed. `HOST` beyond this machine (0.0.0.0, a LAN
 * address, a name): every change needs `PERSIAN_HUB_ADMIN_TOKEN`, and without one the app refuses
 * to start rather than let anyone on the network start, remove, import and upload 32 GiB.
 * `PERSIAN_HUB_ALLOWED_HOSTS` (comma-separated, `.example.com` for subdomains) adds host names the
 * page may be opened by; IP addresses and localhost always work.
 *
 * @param {{ host?: string, env?: Record<string, string | undefined> }} [options]
 * @returns {{ host: string, token: string | undefined, allowedHosts: string[] }}
 */
export function resolveHostSecurity({ host, env = process.env } = {}) {
  const listen = host || env.HOST || '127.0.0.1';
  const token = env.PERSIAN_HUB_ADMIN_TOKEN || undefined;
  if (!isLoopback(listen) && token === undefined) {
    throw new Error(
      `Refusing to listen on ${listen} without an admin token: anyone who can reach it could start and remove downloads and upload bundles.\n` +
        '  Set PERSIAN_HUB_ADMIN_TOKEN to a long random string (e.g. PERSIAN_HUB_ADMIN_TOKEN=$(openssl rand -hex 32)) and open the page as http://<host>:<port>/#token=<that string>,\n' +
        '  or leave HOST unset to listen on 127.0.0.1 only.',
    );
  }
  if (token !== undefined && token.length < 16) {
    throw new Error('PERSIAN_HUB_ADMIN_TOKEN is too short: use at least 16 random characters (e.g. $(openssl rand -hex 32)).');
  }
  const allowedHosts = (env.PERSIAN_HUB_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  // Bound to a name (HOST=hub.lan): the page is opened by that name, so it must pass the Host check.
  if (isIP(listen) === 0 && !isLoopback(listen)) allowedHosts.push(listen);
  return { host: listen, token, allowedHosts };
}
