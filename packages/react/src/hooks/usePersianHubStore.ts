import { useContext, useMemo, useSyncExternalStore } from 'react';
import type { PersianHubState, PersianHubStore } from '../store/types.js';
import { PersianHubContext } from './PersianHubContext.js';

/** The store of the nearest `<PersianHubProvider>`. */
export function usePersianHubStore(): PersianHubStore {
  const store = useContext(PersianHubContext);
  if (!store) throw new Error('usePersianHubStore: wrap the tree in <PersianHubProvider>.');
  return store;
}

/**
 * Reads a slice of the store. `selector` must be stable (module scope or useCallback) and
 * return the same reference for the same state; the result is cached per state object, so a
 * change elsewhere in the state does not re-render this component.
 */
export function usePersianHubSelector<T>(selector: (state: PersianHubState) => T): T {
  const store = usePersianHubStore();
  const getSnapshot = useMemo(() => {
    let lastState: PersianHubState | undefined;
    let lastValue: T;
    return () => {
      const state = store.getSnapshot();
      if (state !== lastState) {
        lastState = state;
        lastValue = selector(state);
      }
      return lastValue;
    };
  }, [store, selector]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}
