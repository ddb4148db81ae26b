import type { AvailableModel } from '@persian-hub/client';
import { useCallback } from 'react';
import { selectModelMap } from '../store/selectors.js';
import type { PersianHubState } from '../store/types.js';
import { usePersianHubSelector } from './usePersianHubStore.js';

/**
 * One catalog entry, live: its install status and its newest job. Re-renders only when that
 * entry changes, so a progress tick of one download renders one card, not the whole list.
 */
export function useModel(id: string): AvailableModel | undefined {
  const selector = useCallback((s: PersianHubState) => selectModelMap(s).get(id), [id]);
  return usePersianHubSelector(selector);
}
