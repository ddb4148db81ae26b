// @persian-hub/client: what a browser (or any JS runtime with fetch) needs to talk to a Persian Hub
// server, and the vocabulary core, server and UI share. Browser-safe: nothing here or below imports
// node:* or a Node-only package, so a front-end install stays small.
export * from './PersianHubError.js';
export type * from './types.js';
export { JOB_EVENT_NAMES } from './types.js';
export { normalizePersian } from './normalizePersian.js';
export {
  CATALOG_KIND_TERMS,
  catalogSearchText,
  createCatalogSearch,
  matchesSearchWords,
  searchCatalog,
  searchWords,
  toSearchText,
} from './search/searchCatalog.js';
export type { CatalogSearchFilter, SearchableEntry, SearchText } from './search/searchCatalog.js';
export { trimTrailingSlashes } from './trimTrailingSlashes.js';
export { createPersianHubClient } from './client/createPersianHubClient.js';
export type { PersianHubClient, PersianHubClientOptions } from './client/createPersianHubClient.js';
export { PersianHubClientError, isPersianHubClientError } from './client/PersianHubClientError.js';
export type { PersianHubClientErrorOrigin } from './client/PersianHubClientError.js';
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
  ServerCapabilities,
  StartRepoRequest,
  StartResult,
} from './client/types.js';
