import type { AvailableModel, CatalogKind } from '@persian-hub/client';
import { useCallback, useEffect, useMemo } from 'react';
import { filterModels } from '../store/selectors.js';
import type { PersianHubState } from '../store/types.js';
import { usePersianHubSelector, usePersianHubStore } from './usePersianHubStore.js';

const selectModels = (s: PersianHubState) => s.models;
const selectStatus = (s: PersianHubState) => s.modelsStatus;
const selectError = (s: PersianHubState) => s.modelsError;
const selectFetching = (s: PersianHubState) => s.modelsFetching;
const NO_MODELS: readonly AvailableModel[] = Object.freeze([]);

export interface UseAvailableModelsOptions {
  readonly kind?: CatalogKind;
  /** Matched against ids, repo ids, names, descriptions, provider and tags, in Persian and English. */
  readonly query?: string;
}

export interface UseAvailableModelsResult {
  /** Catalog entries with install status and their live job; empty while loading. */
  readonly models: readonly AvailableModel[];
  /** True until the catalog has been fetched once. */
  readonly loading: boolean;
  /** True while a refresh of the shown list is in flight. */
  readonly fetching: boolean;
  readonly error: Error | null;
  refetch(): Promise<void>;
}

/**
 * The catalog, joined with install status and live jobs. The whole (small, curated) catalog is
 * fetched once and shared; `kind` and `query` filter it locally, so typing narrows and widens
 * the list at once with no request per keystroke.
 */
export function useAvailableModels(options: UseAvailableModelsOptions = {}): UseAvailableModelsResult {
  const { kind, query } = options;
  const store = usePersianHubStore();
  const models = usePersianHubSelector(selectModels);
  const status = usePersianHubSelector(selectStatus);
  const error = usePersianHubSelector(selectError);
  const fetching = usePersianHubSelector(selectFetching);

  useEffect(() => {
    void store.loadModels();
  }, [store]);

  const filtered = useMemo(
    () => (models ? filterModels(models, { kind, query }) : NO_MODELS),
    [models, kind, query],
  );
  const refetch = useCallback(() => store.refreshModels(), [store]);

  return useMemo(
    () => ({
      models: filtered,
      loading: status === 'idle' || (status === 'loading' && models === null),
      fetching,
      error,
      refetch,
    }),
    [filtered, status, models, fetching, error, refetch],
  );
}
