import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/cacheLayout.js';
import type { JobSnapshot } from '../types.js';

export interface JobStore {
  readonly dir: string;
  /** Every readable job; unreadable files are reported through `onCorrupt` and skipped. */
  loadAll(onCorrupt: (file: string, error: unknown) => void): Promise<JobSnapshot[]>;
  save(job: JobSnapshot): Promise<void>;
  delete(jobId: string): Promise<void>;
}

const JOB_ID_RE = /^job_[a-z0-9]{6,40}$/;

function isJobSnapshot(v: unknown): v is JobSnapshot {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return (
    typeof j.id === 'string' &&
    JOB_ID_RE.test(j.id) &&
    typeof j.repoId === 'string' &&
    (j.repoType === 'model' || j.repoType === 'dataset') &&
    typeof j.revision === 'string' &&
    typeof j.status === 'string' &&
    Array.isArray(j.files) &&
    Array.isArray(j.include) &&
    Array.isArray(j.exclude)
  );
}

/**
 * One JSON file per job under `dir`, each written atomically (temp + rename), so a crash at
 * any moment leaves either the old or the new state, never half a file. Writes of one job
 * are serialised so an older snapshot can never land after a newer one.
 */
export function createJobStore(dir: string): JobStore {
  const chains = new Map<string, Promise<void>>();
  const pathOf = (id: string) => join(dir, `${id}.json`);
  return {
    dir,
    async loadAll(onCorrupt) {
      // Reading creates nothing: a manager made only to list the catalog leaves no folders behind.
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
      const jobs: JobSnapshot[] = [];
      for (const name of names) {
        try {
          const parsed: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
          if (!isJobSnapshot(parsed)) throw new Error('not a job snapshot');
          jobs.push(parsed);
        } catch (error) {
          onCorrupt(name, error);
        }
      }
      return jobs;
    },
    save(job) {
      const prev = chains.get(job.id) ?? Promise.resolve();
      const next = prev
        .catch(() => undefined)
        .then(() => writeFileAtomic(pathOf(job.id), JSON.stringify(job, null, 2)));
      chains.set(job.id, next);
      void next.finally(() => {
        if (chains.get(job.id) === next) chains.delete(job.id);
      }).catch(() => undefined);
      return next;
    },
    async delete(jobId) {
      await (chains.get(jobId) ?? Promise.resolve()).catch(() => undefined);
      await unlink(pathOf(jobId)).catch(() => undefined);
    },
  };
}
