// How the example host apps configure the Hub mirror at /hub. Shared by both.

/**
 * `PERSIAN_HUB_MIRROR`: `installed` (the default: serve what is complete in the cache),
 * `pullThrough` (a miss downloads it first; only repos in `PERSIAN_HUB_MIRROR_PULL`,
 * comma-separated `org/*` or `org/name`), or `off`. `PERSIAN_HUB_MIRROR_TOKEN`: a read-only token
 * LAN clients send as `HF_TOKEN`. Returns null when the mirror is off.
 *
 * @param {Record<string, string | undefined>} [env]
 * @returns {null | { mode: 'installed' | 'pullThrough', token?: string, policy?: { pull: string[] } }}
 */
export function resolveMirrorOptions(env = process.env) {
  const mode = env.PERSIAN_HUB_MIRROR || 'installed';
  if (mode === 'off') return null;
  if (mode !== 'installed' && mode !== 'pullThrough') {
    throw new Error(`PERSIAN_HUB_MIRROR must be installed, pullThrough or off, not ${JSON.stringify(mode)}`);
  }
  const token = env.PERSIAN_HUB_MIRROR_TOKEN || undefined;
  const pull = (env.PERSIAN_HUB_MIRROR_PULL ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return { mode, ...(token ? { token } : {}), ...(mode === 'pullThrough' ? { policy: { pull } } : {}) };
}
