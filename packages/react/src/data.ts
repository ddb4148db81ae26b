// The data layer of @persian-hub/react: framework-free store, hooks, provider (and the HTTP/SSE client).
// Browser-safe: nothing here imports node:*.
// The client itself lives in @persian-hub/client (no React needed); re-exported so one import serves a React app.
export { createPersianHubClient, PersianHubClientError, isPersianHubClientError } from '@persian-hub/client';
export type {
  AvailableFilter,
  ConnectionStatus,
  EventSourceConstructorLike,
  EventSourceLike,
  EventSourceMessageLike,
  ImportBundleResult,
  JobEventName,
  PersianHubClient,
  PersianHubClientOptions,
  PersianHubLiveEvent,
  RemoveInstalledResult,
  ServerCapabilities,
  StartRepoRequest,
  StartResult,
} from '@persian-hub/client';

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
export {
  filterModels as filterAvailableModels,
  matchesModel,
  selectActiveJobCount,
  selectActiveProgress,
  selectJobList,
  selectModelMap,
} from './store/selectors.js';

export { PersianHubProvider } from './PersianHubProvider.js';
export type { PersianHubProviderProps } from './PersianHubProvider.js';
export { PersianHubContext } from './hooks/PersianHubContext.js';
export { usePersianHubStore, usePersianHubSelector } from './hooks/usePersianHubStore.js';
export { useDownloads } from './hooks/useDownloads.js';
export type { UseDownloadsResult } from './hooks/useDownloads.js';
export { useAvailableModels } from './hooks/useAvailableModels.js';
export { useCatalog } from './hooks/useCatalog.js';
export type { UseCatalogOptions, UseCatalogResult } from './hooks/useCatalog.js';
export { useModel } from './hooks/useModel.js';
export type { UseAvailableModelsOptions, UseAvailableModelsResult } from './hooks/useAvailableModels.js';
export { useJob } from './hooks/useJob.js';
export { usePersianHubNotifications } from './hooks/usePersianHubNotifications.js';

export type { JobStatus } from '@persian-hub/client';
