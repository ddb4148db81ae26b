import type { CatalogKind, ConnectionStatus } from '@persian-hub/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ModelHubView, type HubNotification, type LiveStatus, type ModelHubViewProps } from './components/ModelHubView.js';
import { useCatalog } from './hooks/useCatalog.js';
import { usePersianHubNotifications } from './hooks/usePersianHubNotifications.js';
import { usePersianHubSelector, usePersianHubStore } from './hooks/usePersianHubStore.js';
import type { KindFilter } from './i18n/Messages.js';
import { useLocale } from './i18n/LocaleProvider.js';
import { getMessages } from './i18n/getMessages.js';
import { LiveDownloads } from './live/LiveDownloads.js';
import { LiveModelCard } from './live/LiveModelCard.js';
import { BUNDLE_UPLOAD_KEY } from './store/createPersianHubStore.js';
import type { PersianHubState } from './store/types.js';

type Managed =
  | 'models'
  | 'loading'
  | 'error'
  | 'refreshError'
  | 'retryAt'
  | 'liveStatus'
  | 'query'
  | 'kind'
  | 'onQueryChange'
  | 'onKindChange'
  | 'onRetry'
  | 'onDownload'
  | 'onPause'
  | 'onResume'
  | 'onCancel'
  | 'onRemove'
  | 'notifications'
  | 'pendingActions'
  | 'stalledJobIds'
  | 'filterLocally'
  | 'onImportBundle'
  | 'importingBundle'
  | 'importBundleError'
  | 'capabilities'
  | 'headerActions'
  | 'cardComponent';

export interface ModelHubProps extends Omit<ModelHubViewProps, Managed> {
  /** @default '' */
  readonly initialQuery?: string;
  /** @default 'all' */
  readonly initialKind?: KindFilter;
  /**
   * Offer "Install from offline bundle…" (uploads the picked `.tar` to `POST /bundles/upload`).
   * @default what the server says (`GET /capabilities`), else false
   */
  readonly allowBundleImport?: boolean;
  /** Put the overall progress in front of the tab title while something downloads. @default true */
  readonly titleProgress?: boolean;
}

const selectConnection = (s: PersianHubState) => s.connection;
const selectCapabilities = (s: PersianHubState) => s.capabilities;
const selectUploading = (s: PersianHubState) => s.pending[BUNDLE_UPLOAD_KEY] === 'import';

/** Swallow here: the outcome reaches the page through the job's own events (failed, cancelled …). */
const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

/**
 * `connecting` before the stream ever opened is just the page loading; after it was open, it is
 * a reconnect worth a notice.
 */
function useLiveStatus(connection: ConnectionStatus): LiveStatus {
  const wasOpen = useRef(false);
  if (connection === 'open') wasOpen.current = true;
  if (connection === 'polling') return 'polling';
  if (connection === 'connecting' && wasOpen.current) return 'reconnecting';
  return 'ok';
}

/**
 * The Model Hub page: `ModelHubView` wired to the store. Needs a `PersianHubProvider` above it.
 * The list renders from the catalog as fetched, and each card follows its own job, so a progress
 * tick renders one card; a failed refresh keeps everything on screen and retries by itself.
 */
export function ModelHub({ initialQuery = '', initialKind = 'all', allowBundleImport, titleProgress = true, ...view }: ModelHubProps) {
  const store = usePersianHubStore();
  const locale = useLocale(view.locale);
  const dir = view.dir ?? getMessages(locale).dir;
  const [query, setQuery] = useState(initialQuery);
  const [kind, setKind] = useState<KindFilter>(initialKind);
  const catalog = useCatalog({ kind: kind === 'all' ? undefined : (kind as CatalogKind), query });
  const liveStatus = useLiveStatus(usePersianHubSelector(selectConnection));
  const capabilities = usePersianHubSelector(selectCapabilities);
  const uploading = usePersianHubSelector(selectUploading);
  const [importError, setImportError] = useState<Error | null>(null);
  const [notifications, setNotifications] = useState<readonly HubNotification[]>([]);

  useEffect(() => {
    void store.loadCapabilities();
  }, [store]);

  usePersianHubNotifications((n) => {
    const type = n.type;
    if (type === 'cancelled') return;
    setNotifications((prev) => [...prev.slice(-19), { id: `${n.job.id}:${type}`, type, job: n.job }]);
  });

  // Stable callbacks: the cards are memoised, and a new function per render would re-render all of them.
  const onDownload = useCallback((id: string) => quietly(store.start(id)), [store]);
  const onPause = useCallback((jobId: string) => quietly(store.pause(jobId)), [store]);
  const onResume = useCallback((jobId: string) => quietly(store.resume(jobId)), [store]);
  const onCancel = useCallback((jobId: string) => quietly(store.cancel(jobId)), [store]);
  const onRemove = useCallback((id: string) => quietly(store.remove(id)), [store]);
  const onRetry = useCallback(() => quietly(catalog.refetch()), [catalog.refetch]);
  const onImportBundle = useCallback(
    (file: File) => {
      setImportError(null);
      // Success shows up as the import job's own toasts; a refusal stays on the page.
      store.importBundle(file).catch((error: unknown) => setImportError(error instanceof Error ? error : new Error(String(error))));
    },
    [store],
  );
  const bundles = allowBundleImport ?? capabilities?.bundleUpload ?? false;

  return (
    <ModelHubView
      {...view}
      locale={locale}
      dir={dir}
      models={catalog.models}
      loading={catalog.loading}
      error={catalog.error}
      refreshError={catalog.refreshError}
      retryAt={catalog.retryAt}
      liveStatus={liveStatus}
      query={query}
      kind={kind}
      onQueryChange={setQuery}
      onKindChange={setKind}
      onRetry={onRetry}
      onDownload={onDownload}
      onPause={onPause}
      onResume={onResume}
      onCancel={onCancel}
      onRemove={onRemove}
      notifications={notifications}
      filterLocally={false}
      capabilities={capabilities}
      cardComponent={LiveModelCard}
      headerActions={
        <LiveDownloads
          locale={locale}
          dir={dir}
          confirmDestructive={view.confirmDestructive}
          titleProgress={titleProgress}
          onPause={onPause}
          onResume={onResume}
          onCancel={onCancel}
        />
      }
      {...(bundles ? { onImportBundle, importingBundle: uploading, importBundleError: importError } : {})}
    />
  );
}
