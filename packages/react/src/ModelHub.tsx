import type { CatalogKind } from '@persian-hub/client';
import { useCallback, useMemo, useState } from 'react';
import type { ModelCardAction } from './components/ModelCard.js';
import { HubMirrorNotice } from './components/HubMirrorNotice.js';
import { ModelHubView, type HubNotification, type ModelHubViewProps } from './components/ModelHubView.js';
import { useAvailableModels } from './hooks/useAvailableModels.js';
import { useDownloads } from './hooks/useDownloads.js';
import { useHubMirrorUrl } from './hooks/useHubMirrorUrl.js';
import { usePersianHubNotifications } from './hooks/usePersianHubNotifications.js';
import type { KindFilter } from './i18n/Messages.js';
import { BUNDLE_UPLOAD_KEY } from './store/createPersianHubStore.js';
import type { PendingAction } from './store/types.js';

type Managed =
  | 'models'
  | 'loading'
  | 'error'
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
  | 'importBundleError';

export interface ModelHubProps extends Omit<ModelHubViewProps, Managed> {
  /** @default '' */
  readonly initialQuery?: string;
  /** @default 'all' */
  readonly initialKind?: KindFilter;
  /**
   * Offer "Install from offline bundle…" (uploads the picked `.tar` to `POST /bundles/upload`).
   * Turn on when the server sets `bundleUploadLimit`. @default false
   */
  readonly allowBundleImport?: boolean;
}

const CARD_ACTION: Record<Exclude<PendingAction, 'import'>, ModelCardAction> = {
  start: 'download',
  pause: 'pause',
  resume: 'resume',
  cancel: 'cancel',
  remove: 'remove',
};

/** Swallow here: the outcome reaches the page through the job's own events (failed, cancelled …). */
const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

/**
 * The seed's Model Hub page: `ModelHubView` wired to the store through the hooks. Needs a
 * `PersianHubProvider` above it. Everything visual is in the view; this only connects data.
 */
export function ModelHub({ initialQuery = '', initialKind = 'all', allowBundleImport = false, ...view }: ModelHubProps) {
  const [query, setQuery] = useState(initialQuery);
  const [kind, setKind] = useState<KindFilter>(initialKind);
  const { models, loading, error, refetch } = useAvailableModels({
    kind: kind === 'all' ? undefined : (kind as CatalogKind),
    query,
  });
  const { jobs, pending, start, pause, resume, cancel, remove, importBundle } = useDownloads();
  const [importError, setImportError] = useState<Error | null>(null);
  const onImportBundle = useCallback(
    (file: File) => {
      setImportError(null);
      // Success shows up as the import job's own toasts; a refusal stays on the page.
      importBundle(file).catch((error: unknown) => setImportError(error instanceof Error ? error : new Error(String(error))));
    },
    [importBundle],
  );
  const [notifications, setNotifications] = useState<readonly HubNotification[]>([]);
  const mirror = useHubMirrorUrl();

  usePersianHubNotifications((n) => {
    const type = n.type;
    if (type === 'cancelled') return;
    setNotifications((prev) => [...prev.slice(-19), { id: `${n.job.id}:${type}`, type, job: n.job }]);
  });

  const pendingActions = useMemo(() => {
    const out: Record<string, ModelCardAction | undefined> = {};
    for (const m of models) {
      const action = pending[m.id] ?? (m.job ? pending[m.job.id] : undefined);
      if (action && action !== 'import') out[m.id] = CARD_ACTION[action];
    }
    return out;
  }, [models, pending]);

  // The manager reports speed 0 once nothing arrived for 2 s: that is a stall worth showing.
  const stalledJobIds = useMemo(
    () => jobs.filter((j) => j.status === 'downloading' && j.speed === 0 && j.bytesDownloaded > 0 && !j.waitingFor).map((j) => j.id),
    [jobs],
  );

  return (
    <>
      {mirror ? <HubMirrorNotice url={mirror.url} tokenRequired={mirror.tokenRequired} {...(view.locale ? { locale: view.locale } : {})} /> : null}
      <ModelHubView
        {...view}
        models={models}
        loading={loading}
        error={error ? { message: error.message, code: (error as { code?: string }).code } : null}
        query={query}
        kind={kind}
        onQueryChange={setQuery}
        onKindChange={setKind}
        onRetry={useCallback(() => quietly(refetch()), [refetch])}
        onDownload={(id) => quietly(start(id))}
        onPause={(jobId) => quietly(pause(jobId))}
        onResume={(jobId) => quietly(resume(jobId))}
        onCancel={(jobId) => quietly(cancel(jobId))}
        onRemove={(id) => quietly(remove(id))}
        notifications={notifications}
        pendingActions={pendingActions}
        stalledJobIds={stalledJobIds}
        filterLocally={false}
        {...(allowBundleImport
          ? { onImportBundle, importingBundle: pending[BUNDLE_UPLOAD_KEY] === 'import', importBundleError: importError }
          : {})}
      />
    </>
  );
}
