import { HubMirrorNotice } from '../components/HubMirrorNotice.js';
import { useHubMirrorUrl } from '../hooks/useHubMirrorUrl.js';
import type { Locale } from '../i18n/Messages.js';

/** HubMirrorNotice fed from the store's capabilities; nothing when the server has no mirror. Its own subscriber, so ModelHub does not re-render for it. */
export function LiveHubMirrorNotice({ locale, dir }: { readonly locale?: Locale; readonly dir?: 'rtl' | 'ltr' }) {
  const mirror = useHubMirrorUrl();
  return mirror ? <HubMirrorNotice url={mirror.url} tokenRequired={mirror.tokenRequired} {...(locale ? { locale } : {})} {...(dir ? { dir } : {})} /> : null;
}
