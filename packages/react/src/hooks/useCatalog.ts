import type { AvailableModel, CatalogKind } from '@persian-hub/client';
import { useCallback, useEffect, useMemo } from 'react';
import { filterModels } from '../store/selectors.js';
import type { PersianHubState } from '../store/types.js';
import { usePersianHubSelector, usePersianHubStore } from './usePersianHubStore.js';

const selectCatalog = (s: PersianHubState) => s.catalog;
const selectStatus = (s: PersianHubState) => s.modelsStatus;
const selectError = (s: PersianHubState) => s.modelsError;
const selectFetching = (s: PersianHubState) => s.modelsFetching;
const selectRetryAt = (s: PersianHubState) => s.modelsRetryAt;
const NO_MODELS: readonly AvailableModel[] = Object.freeze([]);

export interface UseCatalogOptions {
  readonly kind?: CatalogKind;
  /** Every word must be found (names, descriptions, tags, repo id, kind labels; Persian or English). */
  readonly query?: string;
}

export interface UseCatalogResult {
  /**
   * The catalog as last fetched, filtered: the same array across progress ticks (entries carry
   * the server's `job` from that fetch; read a live entry with `useModel(id)`).
   */
  readonly models: readonly AvailableModel[];
  /** True until the catalog has been fetched once. */
  readonly loading: boolean;
  /** True while a fetch is in flight. */
  readonly fetching: boolean;
  /** The first load failed: nothing can be shown. */
  readonly error: Error | null;
  /** A later refresh failed: `models` is what was fetched before, possibly out of date. */
  readonly refreshError: Error | null;
  /** When the store tries again by itself (epoch ms), or null. */
  readonly retryAt: number | null;
  refetch(): Promise<void>;
}

/**
 * The catalog for a list: unlike `useAvailableModels`, it does not change while downloads
 * progress, so a list of a hundred entries renders once, and each card follows its own entry
 * (`useModel`). A failed refresh keeps the list (`refreshError`), and the store retries by itself.
 */
export function useCatalog(options: UseCatalogOptions = {}): UseCatalogResult {
  const { kind, query } = options;
  const store = usePersianHubStore();
  const catalog = usePersianHubSelector(selectCatalog);
  const status = usePersianHubSelector(selectStatus);
  const error = usePersianHubSelector(selectError);
  const fetching = usePersianHubSelector(selectFetching);
  const retryAt = usePersianHubSelector(selectRetryAt);

  useEffect(() => {
    void store.loadModels();
  }, [store]);

  const models = useMemo(() => (catalog ? filterModels(catalog, { kind, query }) : NO_MODELS), [catalog, kind, query]);
  const refetch = useCallback(() => store.refreshModels(), [store]);
  const shown = catalog !== null;

  return useMemo(
    () => ({
      models,
      loading: !shown && (status === 'idle' || status === 'loading'),
      fetching,
      error: shown ? null : error,
      refreshError: shown ? error : null,
      retryAt,
      refetch,
    }),
    [models, shown, status, fetching, error, retryAt, refetch],
  );
}
