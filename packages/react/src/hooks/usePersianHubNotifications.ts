import { useEffect, useRef } from 'react';
import type { PersianHubNotification } from '../store/types.js';
import { usePersianHubStore } from './usePersianHubStore.js';

/** Calls `onNotification` for job milestones (started, completed, failed, cancelled), e.g. to show toasts. */
export function usePersianHubNotifications(onNotification: (notification: PersianHubNotification) => void): void {
  const store = usePersianHubStore();
  // The latest callback without resubscribing on every render.
  const callback = useRef(onNotification);
  useEffect(() => {
    callback.current = onNotification;
  });
  useEffect(() => store.subscribeNotifications((n) => callback.current(n)), [store]);
}
