import type { DownloadManagerApi, JobSnapshot, JobStatus } from '@persian-hub/core';

/**
 * The manager as the adapter sees it: core's `DownloadManagerApi` plus optional methods a newer
 * core offers. Each is used when present and has a fallback (or a 501) when not, so the adapter
 * works with any `DownloadManagerApi`.
 */
export interface PersianHubManager extends DownloadManagerApi {
  /** `{ files: false }` asks for jobs without per-file detail; a manager may ignore it. */
  list(options?: { readonly files?: boolean }): JobSnapshot[];
  /** Drops a finished job from the list and from persisted state. */
  forget?(jobId: string): Promise<unknown> | unknown;
  /** Drops every finished job. */
  forgetFinished?(): Promise<unknown> | unknown;
}

/** Jobs that will not change any more: the ones a user may forget. */
export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Every job with totals but no per-file array: a job of a 6,000-file dataset is about 1 MB with
 * its files and under 1 kB without. `GET /download/:jobId/status` still has the files.
 */
export function listSlimJobs(manager: DownloadManagerApi): JobSnapshot[] {
  return (manager as PersianHubManager).list({ files: false }).map(slimJob);
}

export function slimJob(job: JobSnapshot): JobSnapshot {
  // A manager that honours `{ files: false }` may leave `files` out or empty: nothing to copy.
  return !job.files || job.files.length === 0 ? job : { ...job, files: [] };
}
