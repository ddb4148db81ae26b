import type { SnapshotHooks, SnapshotPlan } from '../engine/downloadSnapshot.js';
import type { DownloadManagerEventName, DownloadManagerEvents } from '../types.js';
import { summarySnapshot, touch, touchFile, type JobRecord } from './JobRecord.js';

export interface JobHookDeps {
  /** A status change seen by the engine (no event of its own). */
  setStatus(status: 'downloading' | 'verifying'): void;
  /** Save the job with its file list (the plan is known). */
  persist(): void;
  emit<E extends DownloadManagerEventName>(event: E, ...args: Parameters<DownloadManagerEvents[E]>): void;
  /** Retries allowed per file, for the snapshot's `retry.maxAttempts`. */
  readonly retries: number;
}

/**
 * What the engine (native or hf-cli) reports about one job, written into its record: the plan,
 * bytes per file, files done, retries and waits. Nothing here emits progress: the ticker does.
 */
export function createJobHooks(job: JobRecord, deps: JobHookDeps): SnapshotHooks {
  return {
    onStatus: (status) => {
      if (status === 'downloading' || status === 'verifying') deps.setStatus(status);
    },
    onPlan: (plan: SnapshotPlan) => {
      job.snap.commit = plan.commit;
      job.snap.path = plan.path;
      job.files = new Map(
        plan.files.map((f) => [
          f.path,
          { path: f.path, size: f.size, bytesDownloaded: f.bytesOnDisk, status: f.cached ? 'cached' : 'pending', lfs: f.lfs, etag: f.etag },
        ]),
      );
      job.changed.clear();
      job.filesDirty = true;
      job.snap.bytesTotal = plan.files.reduce((s, f) => s + f.size, 0);
      job.snap.bytesDownloaded = plan.files.reduce((s, f) => s + f.bytesOnDisk, 0);
      job.lastSampleBytes = job.snap.bytesDownloaded;
      touch(job);
      deps.persist();
    },
    onFileStart: (path) => {
      const f = job.files.get(path);
      if (f) f.status = 'downloading';
      touchFile(job, path);
      job.snap.currentFile = path;
      if (job.snap.waitingFor === path) job.snap.waitingFor = null;
    },
    onBytes: (path, delta) => {
      const f = job.files.get(path);
      if (f) f.bytesDownloaded = Math.max(0, f.bytesDownloaded + delta);
      touchFile(job, path);
      job.snap.bytesDownloaded = Math.max(0, job.snap.bytesDownloaded + delta);
      if (delta > 0) {
        job.lastByteAt = Date.now();
        if (job.snap.retry?.file === path) job.snap.retry = null;
      }
    },
    onRetry: (path, error, attempt, delayMs) => {
      job.snap.retry = {
        file: path,
        attempt,
        maxAttempts: deps.retries,
        nextAttemptAt: new Date(Date.now() + delayMs).toISOString(),
        error: Object.keys(error.details).length ? { code: error.code, message: error.message, details: { ...error.details } } : { code: error.code, message: error.message },
      };
    },
    onFileWait: (path, holder) => {
      job.snap.waitingFor = path;
      const who = holder ? `process ${holder.pid} on ${holder.hostname}` : 'another process';
      deps.emit('warning', {
        code: 'WAITING_FOR_OTHER_PROCESS',
        message: `Job ${job.snap.id} (${job.snap.repoId}) waits: ${path} is being downloaded into the same cache by ${who}.`,
        details: { jobId: job.snap.id, repoId: job.snap.repoId, file: path, ...(holder ? { pid: holder.pid, hostname: holder.hostname } : {}) },
      });
    },
    onFileDone: (path, cached) => {
      if (job.snap.waitingFor === path) job.snap.waitingFor = null;
      if (job.snap.retry?.file === path) job.snap.retry = null;
      const f = job.files.get(path);
      if (!f) return;
      const before = f.bytesDownloaded;
      f.bytesDownloaded = f.size;
      f.status = cached ? 'cached' : 'completed';
      touchFile(job, path);
      job.snap.bytesDownloaded += f.size - before;
      if (job.snap.currentFile === path) {
        job.snap.currentFile = [...job.files.values()].find((x) => x.status === 'downloading')?.path ?? null;
      }
      touch(job);
      deps.emit('file-completed', summarySnapshot(job), { ...f });
    },
  };
}
