import { createElement, useEffect, useState, type ReactNode } from 'react';
import type { PersianHubClient, PersianHubClientOptions } from '@persian-hub/client';
import { PersianHubContext } from './hooks/PersianHubContext.js';
import { createPersianHubStore, type PersianHubStoreOptions } from './store/createPersianHubStore.js';
import type { PersianHubStore } from './store/types.js';

export interface PersianHubProviderProps extends PersianHubClientOptions, Pick<PersianHubStoreOptions, 'refreshRetryMs' | 'refreshRetryMaxMs'> {
  /** Share a store made outside React (tests, stories, several roots). */
  readonly store?: PersianHubStore;
  /** Build the store on this client instead of one made from the other options. */
  readonly client?: PersianHubClient;
  /** Open live updates while mounted. @default true */
  readonly autoConnect?: boolean;
  readonly children?: ReactNode;
}

/**
 * Makes the store once and keeps live updates open while mounted. Connections are counted by
 * the store, so StrictMode's mount–unmount–mount keeps one event stream.
 */
export function PersianHubProvider({
  store,
  client,
  autoConnect = true,
  children,
  ...clientOptions
}: PersianHubProviderProps) {
  const [ownStore] = useState(() => store ?? createPersianHubStore({ ...clientOptions, client }));
  const active = store ?? ownStore;
  useEffect(() => (autoConnect ? active.connect() : undefined), [active, autoConnect]);
  return createElement(PersianHubContext.Provider, { value: active }, children);
}
