export * from './PersianHubError.js';
export type * from './types.js';
export { JOB_EVENT_NAMES } from './types.js';
export { DownloadManager, createDownloadManager, defaultStateDir, type DownloadManagerOptions } from './manager/DownloadManager.js';
export { createJobStore, type JobStore, type FileJobStoreOptions } from './manager/createJobStore.js';
export {
  isSharedJobBackend,
  type JobCommand,
  type RunOutcome,
  type SharedJobBackend,
  type SharedMessage,
} from './manager/SharedJobBackend.js';
export { HubClient, type HubClientOptions, type TreeFile, type RepoInfo } from './hub/HubClient.js';
export { fnmatch, filterRepoPaths } from './hub/fnmatch.js';
export { resolveCacheDir, resolveEndpoint, resolveHfHome, resolveToken, DEFAULT_ENDPOINT } from './hub/resolveHfEnv.js';
export { downloadSnapshot, type DownloadSnapshotOptions, type SnapshotPlan, type SnapshotRequest } from './engine/downloadSnapshot.js';
export { repoFolderName, repoCachePaths, localDirPaths } from './storage/cacheLayout.js';
export { scanInstalled } from './storage/scanInstalled.js';
export { PATTERN_LIMITS } from './manager/validateInput.js';
export type { RetryPolicy } from './transfer/retry.js';
export * from './catalog/index.js';
export * from './hfCli/index.js';
export * from './bundles/index.js';
export { VERSION } from './version.js';
export type { EndpointProbe } from './manager/DownloadManager.js';
export { trimTrailingSlashes } from '@persian-hub/client';
export { HUB_HOSTS } from './hub/classifyRequestError.js';
export { readCachedTree, type CachedTree, type CachedTreeEntry } from './storage/readCachedTree.js';
