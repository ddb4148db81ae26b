import type { JobSnapshot } from '@persian-hub/client';
import { useCallback } from 'react';
import type { PersianHubState } from '../store/types.js';
import { usePersianHubSelector } from './usePersianHubStore.js';

/** One job, live; undefined until the store knows it. */
export function useJob(jobId: string | null | undefined): JobSnapshot | undefined {
  const selector = useCallback((s: PersianHubState) => (jobId ? s.jobs[jobId] : undefined), [jobId]);
  return usePersianHubSelector(selector);
}
