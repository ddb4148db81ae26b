import type { AvailableModel, JobSnapshot } from '@persian-hub/client';
import type { PersianHubNotification } from './types.js';

const time = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

/** True when `next` adds nothing to `prev`: older, or the same snapshot again (an action's answer and its SSE echo). */
export function isStaleOrSame(next: JobSnapshot, prev: JobSnapshot): boolean {
  const n = time(next.updatedAt);
  const p = time(prev.updatedAt);
  if (n !== p) return n < p;
  return next === prev || JSON.stringify(next) === JSON.stringify(prev);
}

/** Newest by `createdAt`, then `updatedAt`. */
export function isNewer(a: JobSnapshot, b: JobSnapshot): boolean {
  const ca = time(a.createdAt);
  const cb = time(b.createdAt);
  return ca !== cb ? ca > cb : time(a.updatedAt) > time(b.updatedAt);
}

export function orderJobs(jobs: Readonly<Record<string, JobSnapshot>>, previous: readonly string[]): readonly string[] {
  const next = Object.values(jobs)
    .sort((a, b) => (isNewer(a, b) ? -1 : isNewer(b, a) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((j) => j.id);
  return next.length === previous.length && next.every((id, i) => id === previous[i]) ? previous : next;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * Events carry only the files that changed (`fileDetail: 'changed'`) and listings none
 * (`'none'`), so a job of thousands of files stays small on the wire: what the store already
 * knows of a job's files is kept and updated path by path.
 */
export function mergeJobFiles(prev: JobSnapshot | undefined, next: JobSnapshot): JobSnapshot {
  const detail = next.fileDetail ?? 'all';
  if (!prev || detail === 'all' || prev.files.length === 0) return next;
  if (detail === 'none') return { ...next, files: prev.files, fileDetail: prev.fileDetail ?? 'all' };
  const byPath = new Map(prev.files.map((f) => [f.path, f]));
  for (const f of next.files) byPath.set(f.path, f);
  return { ...next, files: [...byPath.values()], fileDetail: prev.fileDetail === 'changed' ? 'changed' : 'all' };
}

/**
 * Puts a job fetched with all its files (`fileDetail: 'all'`) into what the store knows. When an
 * event overtook the fetch, the event's fields stay and only the file list is taken, with the
 * files that event carried laid over it (they are newer).
 */
export function withAllFiles(current: JobSnapshot | undefined, full: JobSnapshot): JobSnapshot {
  if (!current || time(full.updatedAt) >= time(current.updatedAt)) return mergeJobFiles(current, { ...full, fileDetail: 'all' });
  if (current.fileDetail === 'all' && current.files.length > 0) return current;
  const byPath = new Map(full.files.map((f) => [f.path, f]));
  for (const f of current.files) byPath.set(f.path, f);
  return { ...current, files: [...byPath.values()], fileDetail: 'all' };
}

export function notificationFor(prev: JobSnapshot | undefined, next: JobSnapshot): PersianHubNotification | null {
  if (prev?.status === next.status) return null;
  if (next.status === 'completed' || next.status === 'failed' || next.status === 'cancelled') {
    return { type: next.status, job: next };
  }
  // A job we had not seen, or one that left a final state (a retry), has started.
  if (!prev || TERMINAL.has(prev.status)) return { type: 'started', job: next };
  return null;
}

/**
 * Puts the newest known job of each catalog entry on it: one started from the catalog
 * (`catalogId`), or one started for the same repo by hand. Before the first snapshot the
 * server's own `job` stands in. Entries whose job did not change keep their reference.
 */
export function joinModels(
  raw: readonly AvailableModel[],
  jobs: Readonly<Record<string, JobSnapshot>>,
  jobsLoaded: boolean,
  previous: readonly AvailableModel[] | null,
  /** The raw list `previous` was built from; when it is `raw`, entries need no deep comparison. */
  previousRaw: readonly AvailableModel[] | null,
): readonly AvailableModel[] {
  const byCatalog = new Map<string, JobSnapshot>();
  const byRepo = new Map<string, JobSnapshot>();
  const keep = (map: Map<string, JobSnapshot>, key: string, job: JobSnapshot) => {
    const current = map.get(key);
    if (!current || isNewer(job, current)) map.set(key, job);
  };
  for (const job of Object.values(jobs)) {
    if (job.catalogId) keep(byCatalog, job.catalogId, job);
    else keep(byRepo, `${job.repoType}:${job.repoId}`, job);
  }
  let changed = previous === null || previous.length !== raw.length;
  const next = raw.map((model, i) => {
    const candidates = [byCatalog.get(model.id), byRepo.get(`${model.repoType}:${model.repoId}`)];
    if (!jobsLoaded && model.job) candidates.push(jobs[model.job.id] ?? model.job);
    let job: JobSnapshot | null = null;
    for (const c of candidates) if (c && (!job || isNewer(c, job))) job = c;
    // The server already knew this job had completed when it listed the model, and still says
    // "not installed": the model was removed since. The card must offer Download again.
    if (job?.status === 'completed' && model.installed === null && model.job?.id === job.id && model.job.status === 'completed') job = null;
    const before = previous?.[i];
    if (before && before.id === model.id && before.job === job && (raw === previousRaw || sameCatalogEntry(before, model))) return before;
    changed = true;
    return job === model.job ? model : { ...model, job };
  });
  return changed ? next : (previous ?? next);
}

function sameCatalogEntry(a: AvailableModel, b: AvailableModel): boolean {
  if (a === b) return true;
  const { job: _a, ...restA } = a;
  const { job: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
