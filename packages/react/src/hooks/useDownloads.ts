import type { ConnectionStatus, JobSnapshot } from '@persian-hub/client';
import { useMemo } from 'react';
import { selectJobList } from '../store/selectors.js';
import type { PendingAction, PersianHubState, PersianHubStore } from '../store/types.js';
import { usePersianHubSelector, usePersianHubStore } from './usePersianHubStore.js';

const selectPending = (s: PersianHubState) => s.pending;
const selectConnection = (s: PersianHubState) => s.connection;

export interface UseDownloadsResult {
  /** Newest first. */
  readonly jobs: readonly JobSnapshot[];
  readonly start: PersianHubStore['start'];
  readonly pause: PersianHubStore['pause'];
  readonly resume: PersianHubStore['resume'];
  readonly cancel: PersianHubStore['cancel'];
  readonly remove: PersianHubStore['remove'];
  /** Uploads an offline bundle `.tar` (the server must allow it with `bundleUploadLimit`). */
  readonly importBundle: PersianHubStore['importBundle'];
  /** In-flight actions by id, for button loading states. */
  readonly pending: Readonly<Record<string, PendingAction>>;
  readonly connection: ConnectionStatus;
}

/** Every job, live, with the actions on them. */
export function useDownloads(): UseDownloadsResult {
  const store = usePersianHubStore();
  const jobs = usePersianHubSelector(selectJobList);
  const pending = usePersianHubSelector(selectPending);
  const connection = usePersianHubSelector(selectConnection);
  return useMemo(
    () => ({
      jobs,
      pending,
      connection,
      start: store.start,
      pause: store.pause,
      resume: store.resume,
      cancel: store.cancel,
      remove: store.remove,
      importBundle: store.importBundle,
    }),
    [store, jobs, pending, connection],
  );
}
