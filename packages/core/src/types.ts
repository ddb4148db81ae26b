// The shared vocabulary (jobs, files, catalog entries, manager events) lives in @persian-hub/client,
// which browsers can install without Node-only packages. Core re-exports it unchanged.
export type {
  AvailableModel,
  CatalogEntry,
  CatalogKind,
  DownloadManagerApi,
  DownloadManagerEventName,
  DownloadManagerEvents,
  DownloadRequest,
  FileDetail,
  FileSnapshot,
  FileStatus,
  InstalledSnapshot,
  JobError,
  JobRetry,
  JobSnapshot,
  JobStatus,
  ManagerWarning,
  RepoType,
  StartInput,
} from '@persian-hub/client';
export { JOB_EVENT_NAMES } from '@persian-hub/client';
