// The data layer of @persian-hub/react: HTTP/SSE client, framework-free store, hooks, provider.
// Browser-safe: nothing here imports node:*.
export { createPersianHubClient } from './client/createPersianHubClient.js';
export type { PersianHubClient, PersianHubClientOptions } from './client/createPersianHubClient.js';
export { PersianHubClientError, isPersianHubClientError } from './client/PersianHubClientError.js';
export type {
  AvailableFilter,
  ConnectionStatus,
  EventSourceConstructorLike,
  EventSourceLike,
  EventSourceMessageLike,
  ImportBundleResult,
  JobEventName,
  PersianHubLiveEvent,
  RemoveInstalledResult,
  StartRepoRequest,
  StartResult,
} from './client/types.js';

export { BUNDLE_UPLOAD_KEY, createPersianHubStore } from './store/createPersianHubStore.js';
export type { PersianHubStoreOptions } from './store/createPersianHubStore.js';
export type {
  ModelsStatus,
  PendingAction,
  PersianHubNotification,
  PersianHubState,
  PersianHubStore,
} from './store/types.js';
// `filterModels` of the components is the same idea for view props; the store's is exported under its own name.
export { filterModels as filterAvailableModels, matchesModel, selectJobList } from './store/selectors.js';

export { PersianHubProvider } from './PersianHubProvider.js';
export type { PersianHubProviderProps } from './PersianHubProvider.js';
export { PersianHubContext } from './hooks/PersianHubContext.js';
export { usePersianHubStore, usePersianHubSelector } from './hooks/usePersianHubStore.js';
export { useDownloads } from './hooks/useDownloads.js';
export type { UseDownloadsResult } from './hooks/useDownloads.js';
export { useAvailableModels } from './hooks/useAvailableModels.js';
export type { UseAvailableModelsOptions, UseAvailableModelsResult } from './hooks/useAvailableModels.js';
export { useJob } from './hooks/useJob.js';
export { usePersianHubNotifications } from './hooks/usePersianHubNotifications.js';

export type { JobStatus } from '@persian-hub/core/client';
