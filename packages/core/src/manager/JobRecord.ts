import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { FileSnapshot, JobSnapshot, JobStatus } from '../types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type FileState = Mutable<FileSnapshot>;

/** Everything of a snapshot but its file list and the fields derived from it. */
export type JobFields = Mutable<Omit<JobSnapshot, 'files' | 'fileDetail' | 'fileCount' | 'filesCompleted'>>;

/** One job as the manager holds it: the snapshot's fields, its files, and what the queue and the ticker need. */
export interface JobRecord {
  readonly snap: JobFields;
  files: Map<string, FileState>;
  /** Files whose bytes or status changed since the job's previous event: what the next event carries. */
  readonly changed: Set<string>;
  /** The file list (or a file's status) changed since it was last saved. */
  filesDirty: boolean;
  readonly key: string;
  controller: AbortController | null;
  running: Promise<void> | null;
  lastSampleBytes: number;
  lastSampleAt: number;
  lastByteAt: number;
  lastEmitted: string;
  lastPersistAt: number;
}

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);
export const RUNNING: ReadonlySet<JobStatus> = new Set(['resolving', 'downloading', 'verifying']);

/** At most this many files ride on one event; the rest follow in the next. */
export const MAX_FILES_PER_EVENT = 256;

function newJobId(): string {
  return `job_${randomBytes(9).toString('hex')}`;
}

/** A fresh `queued` job: what the request says, everything else at its starting value. */
export function newJobSnapshot(
  fields: Pick<JobSnapshot, 'catalogId' | 'repoId' | 'repoType' | 'revision' | 'backend'> & Partial<JobSnapshot>,
): JobSnapshot {
  const now = new Date().toISOString();
  return {
    id: newJobId(),
    commit: null,
    include: [],
    exclude: [],
    localDir: null,
    status: 'queued',
    progress: 0,
    bytesDownloaded: 0,
    bytesTotal: null,
    speed: 0,
    eta: null,
    currentFile: null,
    waitingFor: null,
    retry: null,
    files: [],
    path: null,
    endpoint: null,
    error: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    ...fields,
  };
}

/** Two requests with the same key would write the same files: the second joins the first. */
export function requestKey(r: {
  repoType: string;
  repoId: string;
  revision: string;
  include: readonly string[];
  exclude: readonly string[];
  localDir?: string | null | undefined;
}): string {
  return JSON.stringify([r.repoType, r.repoId, r.revision, [...r.include].sort(), [...r.exclude].sort(), r.localDir ? resolve(r.localDir) : null]);
}

/** A record for a snapshot (a new job, or one read back from the job store). */
export function createJobRecord(snapshot: JobSnapshot): JobRecord {
  const { files, fileDetail: _detail, fileCount: _count, filesCompleted: _completed, ...rest } = snapshot;
  return {
    snap: {
      ...rest,
      localDir: rest.localDir ?? null,
      catalogId: rest.catalogId ?? null,
      backend: rest.backend ?? 'native',
      completedAt: rest.completedAt ?? null,
      endpoint: rest.endpoint ?? null,
      waitingFor: null,
      retry: null,
    },
    files: new Map(files.map((f) => [f.path, { ...f }])),
    changed: new Set(),
    filesDirty: false,
    key: requestKey(snapshot),
    controller: null,
    running: null,
    lastSampleBytes: snapshot.bytesDownloaded,
    lastSampleAt: Date.now(),
    lastByteAt: 0,
    lastEmitted: '',
    lastPersistAt: 0,
  };
}

function filesCompleted(job: JobRecord): number {
  let n = 0;
  for (const f of job.files.values()) if (f.status === 'completed' || f.status === 'cached') n++;
  return n;
}

function withFiles(job: JobRecord, files: FileSnapshot[], fileDetail: JobSnapshot['fileDetail']): JobSnapshot {
  return { ...job.snap, files, fileDetail, fileCount: job.files.size, filesCompleted: filesCompleted(job) };
}

/** The whole job, every file included (`get`, `waitFor`, the job store). */
export function fullSnapshot(job: JobRecord): JobSnapshot {
  return withFiles(job, [...job.files.values()].map((f) => ({ ...f })), 'all');
}

/** Totals only (`list`, `file-completed`): small whatever the job's size. */
export function summarySnapshot(job: JobRecord): JobSnapshot {
  return withFiles(job, [], 'none');
}

/** What an event carries: totals and the files changed since the job's previous event (then forgotten). */
export function eventSnapshot(job: JobRecord): JobSnapshot {
  const files: FileSnapshot[] = [];
  for (const path of job.changed) {
    if (files.length >= MAX_FILES_PER_EVENT) break;
    job.changed.delete(path);
    const f = job.files.get(path);
    if (f) files.push({ ...f });
  }
  return withFiles(job, files, 'changed');
}

/** Marks a file as changed for the next event. */
export function touchFile(job: JobRecord, path: string): void {
  job.changed.add(path);
}

/** `updatedAt` now, and `progress` from the bytes. */
export function touch(job: JobRecord): void {
  job.snap.updatedAt = new Date().toISOString();
  const total = job.snap.bytesTotal;
  job.snap.progress = total ? Math.min(100, Math.round((job.snap.bytesDownloaded / total) * 1000) / 10) : total === 0 ? 100 : 0;
}

/** What a user sees of a job's progress: an event is only worth sending when this changed. */
export function progressSignature(job: JobRecord): string {
  const s = job.snap;
  return `${s.status}|${s.bytesDownloaded}|${s.bytesTotal}|${s.speed}|${s.currentFile}|${s.waitingFor ?? ''}|${s.retry?.nextAttemptAt ?? ''}|${job.changed.size}`;
}

/**
 * One speed sample: bytes since the previous sample over the time since it, smoothed (EWMA) so
 * the number is readable; a stall shows as 0 rather than the last good speed.
 */
export function sampleSpeed(job: JobRecord, now: number): void {
  const dt = (now - job.lastSampleAt) / 1000;
  if (dt <= 0) return;
  const delta = job.snap.bytesDownloaded - job.lastSampleBytes;
  const instant = Math.max(0, delta) / dt;
  job.lastSampleAt = now;
  job.lastSampleBytes = job.snap.bytesDownloaded;
  const smoothed = job.snap.speed === 0 ? instant : 0.3 * instant + 0.7 * job.snap.speed;
  job.snap.speed = now - job.lastByteAt > 2000 ? 0 : Math.round(smoothed);
  const total = job.snap.bytesTotal;
  job.snap.eta = total !== null && job.snap.speed > 0 ? Math.ceil((total - job.snap.bytesDownloaded) / job.snap.speed) : null;
}
