import { useEffect, useState } from 'react';
import { usePersianHubStore } from './usePersianHubStore.js';

/**
 * The server's Hub mirror as other machines reach it (`http://192.168.1.5:3001/hub`), with
 * whether it needs a token; null while unknown, when the server has none, or when asking failed
 * (the page works the same without it).
 */
export function useHubMirrorUrl(): { readonly url: string; readonly tokenRequired: boolean } | null {
  const { client } = usePersianHubStore();
  const [mirror, setMirror] = useState<{ url: string; tokenRequired: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    client.mirror().then(
      (info) => {
        if (!live || !info.enabled || info.path === null) return;
        // Relative to the page, as the client's baseUrl is: the origin the user opened is the one the LAN reaches.
        const base = new URL(client.baseUrl, globalThis.location?.href ?? 'http://localhost/');
        setMirror({ url: new URL(info.path, base).href.replace(/\/+$/, ''), tokenRequired: info.tokenRequired });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  return mirror;
}
