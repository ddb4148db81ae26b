import { readFileSync, statSync } from 'node:fs';
import { localDirPaths, repoCachePaths } from '../storage/cacheLayout.js';
import { partialBytesOnDiskSync } from '../transfer/segmentMap.js';
import type { JobRecord } from './JobRecord.js';

/**
 * A job that was running when its process died (kill -9 included): its files' bytes and statuses
 * as the disk has them, synchronously (a restore happens while the manager is being made).
 */
export function recountFromDisk(job: JobRecord, cacheDir: string): void {
  if (!job.snap.commit) return;
  const cache = repoCachePaths(cacheDir, job.snap.repoType, job.snap.repoId);
  const local = job.snap.localDir ? localDirPaths(job.snap.localDir) : null;
  const sizeOf = (path: () => string): number | null => {
    try {
      const s = statSync(path());
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  };
  let total = 0;
  for (const f of job.files.values()) {
    if (!f.etag) continue;
    const etag = f.etag;
    const done = sizeOf(() => (local ? local.file(f.path) : cache.blob(etag)));
    const metaOk = () => {
      try {
        return readFileSync(local!.metadata(f.path), 'utf8').split('\n')[1] === etag;
      } catch {
        return false;
      }
    };
    if (done === f.size && (!local || metaOk())) {
      if (f.status !== 'cached') f.status = 'completed';
      f.bytesDownloaded = f.size;
    } else {
      // The plain partial, or the pieces of a segmented one.
      f.bytesDownloaded = partialBytesOnDiskSync(local ? local.incomplete(f.path, etag) : cache.incomplete(etag), f.size, etag);
      f.status = 'pending';
    }
    total += f.bytesDownloaded;
  }
  job.snap.bytesDownloaded = total;
  job.lastSampleBytes = total;
}
