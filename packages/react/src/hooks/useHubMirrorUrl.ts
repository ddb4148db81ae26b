import { useMemo } from 'react';
import type { PersianHubState } from '../store/types.js';
import { usePersianHubSelector, usePersianHubStore } from './usePersianHubStore.js';

const selectHubMirror = (s: PersianHubState) => s.capabilities?.hubMirror ?? null;

/**
 * The server's Hub mirror as other machines reach it (`http://192.168.1.5:3001/hub`), from
 * `GET /capabilities`, with whether it needs a token; null while unknown or when there is none.
 * Needs `store.loadCapabilities()` (ModelHub calls it).
 */
export function useHubMirrorUrl(): { readonly url: string; readonly tokenRequired: boolean } | null {
  const { client } = usePersianHubStore();
  const mirror = usePersianHubSelector(selectHubMirror);
  return useMemo(() => {
    if (!mirror) return null;
    // Relative to the page, as the client's baseUrl is: the origin the user opened is the one the LAN reaches.
    const base = new URL(client.baseUrl, globalThis.location?.href ?? 'http://localhost/');
    return { url: new URL(mirror.path, base).href.replace(/\/+$/, ''), tokenRequired: mirror.tokenRequired };
  }, [client, mirror]);
}
