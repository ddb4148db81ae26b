import type { DownloadManagerApi, JobSnapshot, JobStatus } from '@persian-hub/core';

/** Jobs that will not change any more: the ones a user may forget. */
export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Every job with totals but no per-file array: a job of a 6,000-file dataset is about 1 MB with
 * its files and under 1 kB without. Core's `list()` gives summaries already; another
 * `DownloadManagerApi` may not, so `files` is stripped here too. `GET /download/:jobId/status`
 * and `GET /downloads?files=1` still have the files.
 */
export function listSlimJobs(manager: DownloadManagerApi): JobSnapshot[] {
  return manager.list().map(slimJob);
}

export function slimJob(job: JobSnapshot): JobSnapshot {
  return !job.files || job.files.length === 0 ? job : { ...job, files: [], fileDetail: 'none' };
}
