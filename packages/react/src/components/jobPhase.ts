import type { JobSnapshot } from '@persian-hub/client';

/**
 * What a job is doing, as a person would say it. `resolving` is "preparing" (asking the Hub for
 * the file list), a job with `retry` set is "waiting to retry", a download that received nothing
 * for a while is "stalled", one waiting on another program is "waiting".
 */
export type JobPhase =
  | 'queued'
  | 'preparing'
  | 'downloading'
  | 'stalled'
  | 'waiting'
  | 'retrying'
  | 'verifying'
  | 'paused'
  | 'failed'
  | 'cancelled'
  | 'completed';

/**
 * The manager reports speed 0 once nothing arrived for 2 s: with bytes already in and no retry
 * or other program to wait for, that is a stall worth telling the person about.
 */
export function isJobStalled(job: JobSnapshot): boolean {
  return job.status === 'downloading' && job.speed === 0 && job.bytesDownloaded > 0 && !job.waitingFor && !job.retry;
}

export function jobPhase(job: JobSnapshot, stalled: boolean = isJobStalled(job)): JobPhase {
  switch (job.status) {
    case 'queued':
      return 'queued';
    case 'resolving':
      return job.retry ? 'retrying' : 'preparing';
    case 'downloading':
      if (job.retry) return 'retrying';
      if (job.waitingFor) return 'waiting';
      return stalled ? 'stalled' : 'downloading';
    default:
      return job.status;
  }
}

const ACTIVE = new Set<JobSnapshot['status']>(['queued', 'resolving', 'downloading', 'verifying']);

/** Queued, preparing, downloading or verifying: pausing (or cancelling) it means something. */
export function isJobActive(job: JobSnapshot | null | undefined): boolean {
  return job !== null && job !== undefined && ACTIVE.has(job.status);
}
