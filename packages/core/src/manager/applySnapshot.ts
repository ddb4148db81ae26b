import type { DownloadManagerEventName, JobSnapshot, JobStatus } from '../types.js';
import { createJobRecord, type JobRecord } from './JobRecord.js';

/**
 * Brings a replica up to a snapshot another instance sent: its totals, and its files (all of
 * them when it carries all, else only the changed ones it carries, merged by path as the React
 * store merges event deltas). A new job gets a new record.
 */
export function applySnapshot(job: JobRecord | undefined, snapshot: JobSnapshot): JobRecord {
  if (!job) return createJobRecord(snapshot);
  const { files, fileDetail, fileCount: _count, filesCompleted: _completed, ...fields } = snapshot;
  Object.assign(job.snap, fields, { localDir: fields.localDir ?? null, catalogId: fields.catalogId ?? null });
  if (fileDetail === 'all') job.files = new Map(files.map((f) => [f.path, { ...f }]));
  else for (const f of files) job.files.set(f.path, { ...f });
  return job;
}

/** The event that tells a listener a job reached `status` (after a reload that may have missed the real one). */
export function eventForStatus(status: JobStatus): Exclude<DownloadManagerEventName, 'file-completed' | 'removed' | 'warning' | 'forgotten'> {
  switch (status) {
    case 'queued':
      return 'queued';
    case 'paused':
      return 'paused';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'progress';
  }
}
