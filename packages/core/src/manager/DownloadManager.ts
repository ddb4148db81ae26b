import { dirname, resolve } from 'node:path';
import EventEmitter from 'eventemitter3';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import { createCatalog, persianHubCatalog, type Catalog } from '../catalog/index.js';
import { removeEmptyFolders } from '../engine/acquireFileLock.js';
import { isBlobLocked, withBlobLock } from '../engine/blobLocks.js';
import { connectionsPerJob, downloadSnapshot } from '../engine/downloadSnapshot.js';
import { discardPartialFiles } from '../transfer/segmentMap.js';
import { resolveCacheDir, resolveEndpoint, resolveToken } from '../hub/resolveHfEnv.js';
import { localDirPaths, repoCachePaths } from '../storage/cacheLayout.js';
import { scanInstalledDetail, type InstalledDetail } from '../storage/scanInstalled.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transfer/retry.js';
import { JOB_EVENT_NAMES } from '../types.js';
import type {
  AvailableModel,
  CatalogEntry,
  CatalogKind,
  DownloadManagerApi,
  DownloadManagerEventName,
  DownloadManagerEvents,
  FileSnapshot,
  InstalledSnapshot,
  JobSnapshot,
  JobStatus,
  StartInput,
} from '../types.js';
import { resolveHfCliCommand, type ResolvedHfCli } from '../hfCli/resolveHfCliCommand.js';
import { runHfCliSnapshot } from '../hfCli/runHfCliSnapshot.js';
import {
  exportBundle,
  importBundle,
  readBundleManifest,
  type BundleManifest,
  type BundlePrivateKey,
  type ImportBundleOptions,
  type ImportBundleResult,
} from '../bundles/index.js';
import { VERSION } from '../version.js';
import { createJobStore, type JobStore } from './createJobStore.js';
import { createJobHooks } from './createJobHooks.js';
import { defaultStateDir, optionsSchema, type DownloadManagerOptions } from './DownloadManagerOptions.js';
import { recountFromDisk } from './recountFromDisk.js';
import { EndpointPool, FAILOVER_CODES, type EndpointProbe } from './EndpointPool.js';
import {
  RUNNING,
  TERMINAL,
  createJobRecord,
  eventSnapshot,
  fullSnapshot,
  newJobSnapshot,
  progressSignature,
  requestKey,
  sampleSpeed,
  summarySnapshot,
  touch,
  touchFile,
  type JobRecord,
} from './JobRecord.js';
import { removeLocalDirFiles, removeSnapshotFiles } from './removeInstalled.js';
import { applySnapshot, eventForStatus } from './applySnapshot.js';
import { isSharedJobBackend, type JobCommand, type RunOutcome, type SharedJobBackend, type SharedMessage } from './SharedJobBackend.js';
import { inputSchemas, parseOrThrow, type ParsedDownloadRequest } from './validateInput.js';

export type { EndpointProbe } from './EndpointPool.js';
export { defaultStateDir, type DownloadManagerOptions } from './DownloadManagerOptions.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const SHARED_EVENTS: ReadonlySet<string> = new Set(JOB_EVENT_NAMES);

/** Why a running job was stopped: the abort reason of its signal. */
class JobInterrupt extends Error {
  constructor(readonly kind: 'pause' | 'cancel' | 'close') {
    super(`job ${kind}`);
  }
}

/**
 * Orchestrates jobs: a queue limited by `concurrency`, pause/resume/cancel as aborts with a
 * reason, persistence of every job (so a restart, even after kill -9, resumes from the bytes
 * on disk), and installed detection. The job records (JobRecord), their store, the endpoints,
 * one snapshot's download and removal from the cache are separate modules; this class wires them.
 */
export class DownloadManager implements DownloadManagerApi {
  readonly cacheDir: string;
  readonly stateDir: string;
  readonly catalog: Catalog;
  readonly #emitter = new EventEmitter();
  readonly #jobs = new Map<string, JobRecord>();
  /** The embedded store (files), or null with a shared backend. */
  readonly #store: JobStore | null;
  /** Several instances, one queue: `#jobs` is then this instance's replica of the backend's jobs. */
  readonly #shared: SharedJobBackend | null;
  readonly #ready: Promise<void>;
  #unsubscribe: (() => void) | null = null;
  readonly #pool: EndpointPool;
  readonly #options: DownloadManagerOptions;
  readonly #retry: RetryPolicy;
  readonly #token: string | undefined;
  readonly #concurrency: number;
  #ticker: NodeJS.Timeout | null = null;
  #cli: Promise<ResolvedHfCli> | null = null;
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DownloadManagerOptions = {}) {
    parseOrThrow(optionsSchema(), options, 'download manager options');
    this.#options = options;
    this.cacheDir = resolve(resolveCacheDir(options.cacheDir));
    this.stateDir = resolve(options.stateDir ?? defaultStateDir(this.cacheDir));
    this.#token = resolveToken(options.token);
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#concurrency = options.concurrency ?? 2;
    this.catalog = !options.catalog
      ? persianHubCatalog
      : Array.isArray(options.catalog)
        ? createCatalog(options.catalog as unknown[])
        : (options.catalog as Catalog);
    this.#pool = new EndpointPool({
      endpoints: options.endpoints ?? [resolveEndpoint(options.endpoint)],
      stateDir: this.stateDir,
      token: this.#token,
      proxy: options.proxy,
      stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
      retry: this.#retry,
      connections: Math.max(16, connectionsPerJob(options.fileConcurrency ?? 8, options.segments) * this.#concurrency),
    });
    if (isSharedJobBackend(options.jobStore)) {
      this.#shared = options.jobStore;
      this.#store = null;
      this.#ready = this.#connectShared();
      // Not a crash if the host never awaits ready(): operations report the outage themselves.
      this.#ready.catch(() => undefined);
    } else {
      this.#shared = null;
      this.#store = options.jobStore ?? createJobStore(this.stateDir);
      this.#restore();
      this.#ready = Promise.resolve();
    }
  }

  get endpoints(): readonly string[] {
    return this.#pool.endpoints;
  }

  get backend(): 'native' | 'hf-cli' {
    return this.#options.backend ?? 'native';
  }

  #resolveCli(): Promise<ResolvedHfCli> {
    if (!this.#cli) {
      this.#cli = resolveHfCliCommand(this.#options.hfCli);
      this.#cli.catch(() => (this.#cli = null));
    }
    return this.#cli;
  }

  /**
   * With the embedded store, resolves at once: persisted jobs are restored synchronously when the
   * manager is made, so `list()` and `get()` show them right away. With a shared backend, resolves
   * when every job of the backend is loaded (rejects with `JOB_STORE_UNAVAILABLE` if it cannot be
   * reached; the manager loads them when it is back).
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  // ---------- events ----------

  on<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): () => void {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  off<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): void {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  listenerCount(event: DownloadManagerEventName): number {
    return this.#emitter.listenerCount(event);
  }

  #emit<E extends DownloadManagerEventName>(event: E, ...args: Parameters<DownloadManagerEvents[E]>): void {
    this.#emitLocal(event, ...args);
    if (this.#shared && SHARED_EVENTS.has(event)) {
      const [job, file] = args as unknown as [JobSnapshot, FileSnapshot | undefined];
      // Lost while the backend is away: the other instances reload every job when it is back.
      this.#shared.publish({ type: 'event', event, job, ...(file ? { file } : {}), from: this.#shared.instanceId }).catch(() => undefined);
    }
  }

  #emitLocal<E extends DownloadManagerEventName>(event: E, ...args: Parameters<DownloadManagerEvents[E]>): void {
    try {
      this.#emitter.emit(event, ...args);
    } catch (error) {
      // A throwing listener must not break a download; report it once as a warning.
      if (event !== 'warning') this.#emitLocal('warning', { code: 'LISTENER_ERROR', message: String(error) });
    }
  }

  // ---------- persistence ----------

  async #persist(job: JobRecord, withFiles = job.filesDirty): Promise<void> {
    job.lastPersistAt = Date.now();
    if (withFiles) job.filesDirty = false;
    try {
      const snapshot = fullOrSummary(job, withFiles);
      await (this.#shared ? this.#shared.save(snapshot, withFiles) : this.#store!.save(snapshot, withFiles));
    } catch (error) {
      if (withFiles) job.filesDirty = true;
      this.#emit('warning', { code: 'STATE_WRITE_FAILED', message: `Could not save job ${job.snap.id}: ${String(error)}` });
    }
  }

  /** A state change: emitted and persisted at once (the file list too when the job ends). */
  #change(job: JobRecord, status: JobStatus, event?: Exclude<DownloadManagerEventName, 'file-completed' | 'removed' | 'warning' | 'forgotten'>): void {
    job.snap.status = status;
    if (!RUNNING.has(status)) {
      job.snap.speed = 0;
      job.snap.eta = null;
      job.snap.retry = null;
    }
    touch(job);
    void this.#persist(job, job.filesDirty || TERMINAL.has(status) || status === 'paused');
    if (this.#shared && TERMINAL.has(status)) this.#shared.release(job.key, job.snap.id).catch(() => undefined);
    if (event) {
      this.#emit(event, eventSnapshot(job));
      job.lastEmitted = progressSignature(job);
    }
  }

  #restore(): void {
    const corrupt: Array<[string, unknown]> = [];
    // Reported, skipped, never fatal: one bad file must not cost the user every other job.
    const snapshots = this.#store!.loadAll((file, error) => corrupt.push([file, error]));
    if (corrupt.length > 0) {
      queueMicrotask(() => {
        for (const [file, error] of corrupt) {
          this.#emit('warning', { code: 'CORRUPT_JOB_FILE', message: `Skipped unreadable job file ${file}: ${error instanceof Error ? error.message : String(error)}` });
        }
      });
    }
    for (const snap of snapshots) {
      const job = createJobRecord(snap);
      if (TERMINAL.has(snap.status)) {
        this.#jobs.set(snap.id, job);
        continue;
      }
      job.snap.speed = 0;
      job.snap.eta = null;
      job.snap.currentFile = null;
      if (job.snap.backend === 'bundle') {
        // An import cannot be resumed (its bundle may be gone); nothing of it entered the cache.
        // Left `paused`, it would hide the snapshot and block `rm` and `export` for good.
        job.snap.error = { code: 'INTERRUPTED', message: 'The import was interrupted before it finished; nothing of it was installed. Import the bundle again.' };
        job.snap.status = 'failed';
        for (const f of job.files.values()) if (f.status !== 'cached') f.status = 'pending';
      } else {
        // It was working when the process died (kill -9 included): count what is on disk.
        recountFromDisk(job, this.cacheDir);
        job.snap.status = 'paused';
      }
      touch(job);
      void this.#persist(job, true);
      this.#jobs.set(snap.id, job);
    }
    this.#pruneHistory();
    if (this.#options.autoResume) {
      // After the host had a chance to listen: the first events of a resumed job are `resumed`, `started`.
      queueMicrotask(() => {
        if (this.#closed) return;
        for (const job of this.#jobs.values()) if (job.snap.status === 'paused') this.#enqueue(job, 'resumed');
      });
    }
  }

  /** Forgets finished jobs beyond the history limits (count, then age). */
  #pruneHistory(): void {
    const maxJobs = this.#options.history?.maxJobs ?? 200;
    const maxAgeMs = (this.#options.history?.maxAgeDays ?? 30) * DAY_MS;
    const finished = [...this.#jobs.values()]
      .filter((j) => TERMINAL.has(j.snap.status) && !(j.snap.status === 'completed' && j.snap.localDir))
      .sort((a, b) => newestFirst(a.snap.updatedAt, b.snap.updatedAt) || newestFirst(a.snap.createdAt, b.snap.createdAt));
    const now = Date.now();
    finished.forEach((job, i) => {
      if (i >= maxJobs || now - Date.parse(job.snap.updatedAt) > maxAgeMs) void this.#drop(job).catch(() => undefined);
    });
  }

  async #drop(job: JobRecord): Promise<JobSnapshot> {
    // Shared: gone from the backend first, so an outage leaves the job listed rather than half forgotten.
    if (this.#shared) await this.#shared.delete(job.snap.id).catch((error: unknown) => Promise.reject(unavailable(error)));
    this.#jobs.delete(job.snap.id);
    const last = summarySnapshot(job);
    this.#emit('forgotten', last);
    if (!this.#shared) await this.#store!.delete(job.snap.id);
    return last;
  }

  // ---------- public API ----------

  async start(input: StartInput): Promise<JobSnapshot> {
    this.#assertOpen();
    await this.#ready;
    let catalogId: string | null = null;
    let raw: unknown = input;
    if (typeof input === 'string') {
      const entry = this.catalog.get(input);
      if (entry) {
        catalogId = entry.id;
        raw = { repoId: entry.repoId, repoType: entry.repoType, revision: entry.revision, include: [...entry.include], exclude: [...entry.exclude] };
      } else if (input.includes('/')) {
        raw = { repoId: input };
      } else {
        throw new PersianHubError('NOT_FOUND', `"${input}" is not in the catalog. Use a catalog id or "org/name".`, { details: { id: input } });
      }
    }
    const req: ParsedDownloadRequest = parseOrThrow(inputSchemas().downloadRequest, raw, 'download request');
    // A missing CLI fails here, at start, not later inside a job.
    if (this.backend === 'hf-cli') await this.#resolveCli();
    if (req.catalogId) catalogId = req.catalogId;
    const key = requestKey(req);
    // Never two writers on one file: the same request returns the job already on it.
    for (const job of this.#shared ? [] : this.#jobs.values()) {
      if (job.key !== key || TERMINAL.has(job.snap.status)) continue;
      if (job.snap.status === 'paused') return this.resume(job.snap.id);
      return summarySnapshot(job);
    }
    const job = createJobRecord(
      newJobSnapshot({
        catalogId,
        repoId: req.repoId,
        repoType: req.repoType,
        revision: req.revision,
        include: req.include,
        exclude: req.exclude,
        localDir: req.localDir ? resolve(req.localDir) : null,
        backend: this.backend,
      }),
    );
    if (this.#shared) return this.#startShared(job);
    this.#jobs.set(job.snap.id, job);
    this.#enqueue(job, 'queued');
    return summarySnapshot(job);
  }

  async pause(jobId: string): Promise<JobSnapshot> {
    await this.#ready;
    const job = this.#get(jobId);
    const s = job.snap.status;
    if (s === 'paused') return summarySnapshot(job);
    if (TERMINAL.has(s)) throw new PersianHubError('CONFLICT', `Job ${jobId} is ${s}; only a queued or running job can be paused.`, { details: { jobStatus: s } });
    if (job.snap.backend === 'bundle') throw new PersianHubError('CONFLICT', `Job ${jobId} imports a bundle; an import can be cancelled, not paused.`, { details: { jobStatus: s } });
    if (this.#shared && !job.running) return this.#stopShared(job, 'pause');
    if (s === 'queued') {
      this.#change(job, 'paused', 'paused');
      this.#drain();
      return summarySnapshot(job);
    }
    job.controller?.abort(new JobInterrupt('pause'));
    await job.running;
    return summarySnapshot(job);
  }

  async resume(jobId: string): Promise<JobSnapshot> {
    await this.#ready;
    const job = this.#get(jobId);
    this.#assertOpen();
    const s = job.snap.status;
    if (s === 'queued' || RUNNING.has(s)) return summarySnapshot(job);
    if (s === 'completed' || s === 'cancelled' || job.snap.backend === 'bundle') {
      throw new PersianHubError('CONFLICT', `Job ${jobId} is ${s}; start it again instead.`, { details: { jobStatus: s } });
    }
    job.snap.error = null;
    if (this.#shared) {
      await this.#enqueueShared(job, 'resumed');
      return summarySnapshot(job);
    }
    this.#enqueue(job, 'resumed');
    return summarySnapshot(job);
  }

  async cancel(jobId: string): Promise<JobSnapshot> {
    await this.#ready;
    const job = this.#get(jobId);
    const s = job.snap.status;
    if (s === 'cancelled') return summarySnapshot(job);
    if (s === 'completed') throw new PersianHubError('CONFLICT', `Job ${jobId} already completed; remove the model instead.`, { details: { jobStatus: s } });
    if (this.#shared && !job.running && (s === 'queued' || RUNNING.has(s))) return this.#stopShared(job, 'cancel');
    if (job.running) {
      job.controller?.abort(new JobInterrupt('cancel'));
      await job.running;
    } else {
      if (job.snap.backend !== 'bundle') await this.#discardPartials(job);
      job.snap.error = { code: 'CANCELLED', message: 'Cancelled.' };
      this.#change(job, 'cancelled', 'cancelled');
      this.#settleIdle();
    }
    return summarySnapshot(job);
  }

  /** The whole job, every file included. */
  get(jobId: string): JobSnapshot | undefined {
    const job = this.#jobs.get(jobId);
    return job ? fullSnapshot(job) : undefined;
  }

  /** Every job as a summary (`files: []`), or whole with `{ files: 'all' }`. */
  list(options: { readonly files?: 'all' | 'none' } = {}): JobSnapshot[] {
    const make = options.files === 'all' ? fullSnapshot : summarySnapshot;
    return [...this.#jobs.values()].map(make);
  }

  /** Drops the record of a finished job (completed, failed or cancelled). Nothing on disk changes. */
  async forget(jobId: string): Promise<JobSnapshot> {
    await this.#ready;
    const job = this.#get(jobId);
    if (!TERMINAL.has(job.snap.status)) {
      throw new PersianHubError('CONFLICT', `Job ${jobId} is ${job.snap.status}; only a finished job can be forgotten (cancel it first).`, {
        details: { jobStatus: job.snap.status },
      });
    }
    return this.#drop(job);
  }

  /** Drops every finished job's record; resolves to how many were dropped. */
  async forgetFinished(): Promise<number> {
    const finished = [...this.#jobs.values()].filter((j) => TERMINAL.has(j.snap.status));
    await Promise.all(finished.map((j) => this.#drop(j)));
    return finished.length;
  }

  async #installedDetail(): Promise<InstalledDetail[]> {
    return scanInstalledDetail({ cacheDir: this.cacheDir, catalog: this.catalog.entries, jobs: this.list({ files: 'all' }) });
  }

  /** Whether Hub requests carry a token (`token` option, HF_TOKEN or $HF_HOME/token); never the token itself. */
  hasToken(): boolean {
    return this.#token !== undefined;
  }

  async installed(): Promise<InstalledSnapshot[]> {
    return (await this.#installedDetail()).map((d) => d.row);
  }

  async available(filter: { kind?: CatalogKind; query?: string } = {}): Promise<AvailableModel[]> {
    const installed = await this.installed();
    const jobs = this.list();
    return this.catalog.list(filter).map((entry) => ({
      ...entry,
      installed: installed.find((i) => i.catalogId === entry.id) ?? null,
      job: latestJobFor(entry, jobs),
    }));
  }

  /**
   * Deletes what the user names and nothing else: a catalog entry's own files (two entries can
   * share one snapshot: the other keeps its files), a whole repo (`org/name`), or one installed
   * snapshot (its `key`). Emits `removed` for every installed row that is gone afterwards, and
   * resolves to those rows.
   */
  async remove(idOrRepo: string): Promise<InstalledSnapshot[]> {
    const entry = this.catalog.get(idOrRepo);
    const matches = (repoType: string, repoId: string) =>
      entry
        ? entry.repoId === repoId && entry.repoType === repoType
        : idOrRepo === repoId || idOrRepo === `${repoType}:${repoId}` || idOrRepo.startsWith(`${repoType}:${repoId}@`);
    // Refuse first: a job working on the repo makes its snapshot look incomplete, not absent.
    const busy = [...this.#jobs.values()].find((j) => matches(j.snap.repoType, j.snap.repoId) && !TERMINAL.has(j.snap.status));
    if (busy) {
      throw new PersianHubError('CONFLICT', `${busy.snap.repoId} is in use by job ${busy.snap.id} (${busy.snap.status}); cancel it first.`, {
        details: { jobId: busy.snap.id, jobStatus: busy.snap.status },
      });
    }
    const before = await this.#installedDetail();
    const isTarget = (d: InstalledDetail) =>
      entry ? d.row.catalogId === entry.id : d.row.key === idOrRepo || matches(d.row.repoType, d.row.repoId);
    const targets = before.filter(isTarget);
    if (targets.length === 0) throw new PersianHubError('NOT_FOUND', `Nothing installed matches "${idOrRepo}".`, { details: { id: idOrRepo } });
    const where = (d: InstalledDetail) => `${d.row.location}:${d.row.path}`;
    for (const t of targets) {
      // What the other entries installed in the same place still need.
      const keep = new Set<string>();
      for (const other of before) if (!isTarget(other) && where(other) === where(t)) for (const p of other.files) keep.add(p);
      if (t.row.location === 'cache') {
        await removeSnapshotFiles(this.cacheDir, {
          repoType: t.row.repoType,
          repoId: t.row.repoId,
          commit: t.row.commit,
          // A catalog entry owns its selection; a repo or a snapshot key means every file of it.
          paths: t.row.catalogId && entry ? new Set(t.files) : 'all',
          keep,
        });
      } else {
        const job = [...this.#jobs.values()].find((j) => j.snap.path === t.row.path && j.snap.status === 'completed' && j.snap.commit === t.row.commit);
        const kept = await removeLocalDirFiles({ root: t.row.path, files: job ? [...job.files.values()] : t.files.map((path) => ({ path, size: -1 })), keep });
        if (kept.length > 0) {
          this.#emit('warning', {
            code: 'LOCAL_FILES_KEPT',
            message: `Kept ${kept.length} file(s) in ${t.row.path} that changed since they were downloaded, e.g. ${kept[0]}.`,
            details: { files: kept.slice(0, 20) },
          });
        }
      }
    }
    const after = new Set((await this.#installedDetail()).map((d) => `${d.row.key}|${where(d)}`));
    const removed = before.filter((d) => !after.has(`${d.row.key}|${where(d)}`)).map((d) => d.row);
    for (const r of removed) this.#emit('removed', r);
    return removed;
  }

  async waitFor(jobId: string): Promise<JobSnapshot> {
    const job = this.#get(jobId);
    const settled = (): JobSnapshot | PersianHubError | null => {
      const s = job.snap.status;
      if (s === 'completed') return fullSnapshot(job);
      if (s === 'failed' || s === 'cancelled') {
        const e = job.snap.error ?? { code: s === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: s };
        return new PersianHubError(e.code as never, e.message, { details: { ...(e.details ?? {}), jobId } });
      }
      return null;
    };
    const now = settled();
    if (now instanceof PersianHubError) throw now;
    if (now) return now;
    return new Promise<JobSnapshot>((resolvePromise, reject) => {
      const check = (snap: JobSnapshot) => {
        if (snap.id !== jobId) return;
        const r = settled();
        if (!r) return;
        offs.forEach((off) => off());
        if (r instanceof PersianHubError) reject(r);
        else resolvePromise(r);
      };
      const offs = [this.on('completed', check), this.on('failed', check), this.on('cancelled', check)];
    });
  }

  onIdle(): Promise<void> {
    return this.#isIdle() ? Promise.resolve() : new Promise<void>((r) => this.#idleWaiters.push(r));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const running = [...this.#jobs.values()].filter((j) => j.running);
    for (const j of running) j.controller?.abort(new JobInterrupt('close'));
    await Promise.all(running.map((j) => j.running));
    // Shared: queued jobs stay in the cluster's queue (the other instances take them).
    if (!this.#shared) {
      for (const j of this.#jobs.values()) {
        if (j.snap.status === 'queued') this.#change(j, 'paused');
      }
    }
    this.#stopTicker();
    await this.#pool.close();
    // Let in-flight state writes land before the host exits, then let other managers take these jobs.
    await Promise.all([...this.#jobs.values()].map((j) => (j.filesDirty ? this.#persist(j) : undefined)));
    this.#unsubscribe?.();
    await (this.#shared ? this.#shared.close() : this.#store!.close());
    this.#settleIdle();
    this.#emitter.removeAllListeners();
  }

  // ---------- endpoints ----------

  /** The endpoint tried first: the last one that worked, else the first configured. */
  preferredEndpoint(): string {
    return this.#pool.preferred();
  }

  /**
   * Asks every endpoint for a small, public answer and reports latency or the error class
   * (BLOCKED, NETWORK, …). The fastest good one becomes the preferred endpoint.
   */
  async probeEndpoints(options: { repoId?: string; timeoutMs?: number } = {}): Promise<EndpointProbe[]> {
    const repoId = options.repoId ?? this.catalog.entries[0]?.repoId ?? 'HooshvareLab/bert-fa-base-uncased';
    return this.#pool.probe(repoId, options.timeoutMs);
  }

  // ---------- queue ----------

  #assertOpen(): void {
    if (this.#closed) throw new PersianHubError('CONFLICT', 'This download manager is closed.');
  }

  #get(jobId: string): JobRecord {
    const job = this.#jobs.get(jobId);
    if (!job) throw new PersianHubError('NOT_FOUND', `No job "${jobId}".`, { details: { jobId } });
    return job;
  }

  #enqueue(job: JobRecord, event: 'queued' | 'resumed'): void {
    job.snap.speed = 0;
    job.snap.eta = null;
    this.#change(job, 'queued', event);
    this.#drain();
  }

  #runningCount(): number {
    let n = 0;
    for (const j of this.#jobs.values()) if (j.running) n++;
    return n;
  }

  #drain(): void {
    // Shared: the cluster's queue decides (#runShared).
    if (this.#closed || this.#shared) return;
    for (const job of this.#jobs.values()) {
      if (this.#runningCount() >= this.#concurrency) break;
      if (job.snap.status === 'queued' && !job.running) {
        job.running = this.#run(job).finally(() => {
          job.running = null;
          job.controller = null;
          this.#drain();
          this.#settleIdle();
        });
      }
    }
  }

  #isIdle(): boolean {
    for (const j of this.#jobs.values()) if (j.running || j.snap.status === 'queued') return false;
    return true;
  }

  #settleIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    waiters.forEach((w) => w());
  }

  async #run(job: JobRecord): Promise<void> {
    // A shared run made its controller first, so that a command could reach it before it started.
    const controller = job.controller ?? new AbortController();
    job.controller = controller;
    job.snap.error = null;
    job.snap.waitingFor = null;
    job.lastSampleAt = Date.now();
    job.lastSampleBytes = job.snap.bytesDownloaded;
    job.lastByteAt = 0;
    this.#change(job, 'resolving', 'started');
    this.#startTicker();
    const hooks = createJobHooks(job, {
      setStatus: (status) => this.#change(job, status),
      persist: () => void this.#persist(job, true),
      emit: (event, ...args) => this.#emit(event, ...args),
      retries: this.#retry.retries,
    });
    try {
      let lastError: unknown;
      let done = false;
      for (const endpoint of this.#pool.order(job.snap.endpoint)) {
        job.snap.endpoint = endpoint;
        try {
          const common = {
            client: this.#pool.client(endpoint),
            cacheDir: this.cacheDir,
            request: { ...job.snap, localDir: job.snap.localDir ?? undefined },
            signal: controller.signal,
            fileConcurrency: this.#options.fileConcurrency ?? 8,
            ...(this.#options.segments ? { segments: this.#options.segments } : {}),
            checkDiskSpace: this.#options.checkDiskSpace ?? true,
            hooks,
          };
          if (job.snap.backend === 'hf-cli') {
            await runHfCliSnapshot({
              ...common,
              cli: { ...(await this.#resolveCli()), env: this.#options.hfCli?.env },
              endpoint,
              token: this.#token,
              proxy: this.#options.proxy,
              pollIntervalMs: this.#options.progressIntervalMs ?? 250,
            });
          } else {
            await downloadSnapshot(common);
          }
          done = true;
          void this.#pool.remember(endpoint);
          break;
        } catch (error) {
          lastError = error;
          if (controller.signal.aborted || !isPersianHubError(error) || !FAILOVER_CODES.has(error.code)) throw error;
          // A network-class failure: the next endpoint (mirror) gets its turn.
        }
      }
      if (!done) throw lastError;
      for (const f of job.files.values()) {
        if (f.status !== 'cached' && f.status !== 'completed') {
          f.status = 'completed';
          touchFile(job, f.path);
        }
        f.bytesDownloaded = f.size;
      }
      this.#complete(job);
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      job.snap.currentFile = null;
      job.snap.waitingFor = null;
      for (const f of job.files.values()) {
        if (f.status === 'downloading') {
          f.status = 'pending';
          touchFile(job, f.path);
        }
      }
      if (reason instanceof JobInterrupt && reason.kind === 'close' && this.#shared) {
        // Handed back to the cluster's queue: another instance resumes it from the bytes on disk.
        this.#change(job, 'queued', 'queued');
      } else if (reason instanceof JobInterrupt && reason.kind !== 'cancel') {
        this.#change(job, 'paused', 'paused');
      } else if (reason instanceof JobInterrupt) {
        await this.#discardPartials(job);
        job.snap.error = { code: 'CANCELLED', message: 'Cancelled.' };
        this.#change(job, 'cancelled', 'cancelled');
      } else {
        const e = isPersianHubError(reason) ? reason : this.#internalError(reason, job);
        job.snap.error = Object.keys(e.details).length ? { code: e.code, message: e.message, details: { ...e.details } } : { code: e.code, message: e.message };
        this.#change(job, 'failed', 'failed');
      }
      this.#pruneHistory();
    }
  }

  /**
   * The end of a job: a last `progress` at 100 % (a fast job may not have had a tick at all, and
   * a host that follows progress alone must see the end), then `completed`.
   */
  #complete(job: JobRecord): void {
    job.snap.bytesDownloaded = job.snap.bytesTotal ?? job.snap.bytesDownloaded;
    job.snap.currentFile = null;
    job.snap.waitingFor = null;
    job.snap.retry = null;
    job.snap.eta = 0;
    touch(job);
    this.#emit('progress', eventSnapshot(job));
    job.snap.completedAt = new Date().toISOString();
    this.#change(job, 'completed', 'completed');
    this.#pruneHistory();
  }

  /**
   * An error we did not expect (a bug, EACCES, …). Its raw message can name files outside the
   * cache, and job snapshots travel to browsers: the job gets the errno only, the host gets the
   * whole story as a `warning` event.
   */
  #internalError(reason: unknown, job: JobRecord): PersianHubError {
    const errno = (reason as NodeJS.ErrnoException | undefined)?.code;
    if (errno === 'ENOSPC' || errno === 'EDQUOT') {
      // A full disk outside the byte transfer (a ref, a link, a tree file): the same DISK_FULL.
      return new PersianHubError('DISK_FULL', 'The disk is full; free some space and resume the download.', {
        cause: reason,
        details: { requiredBytes: Math.max(0, (job.snap.bytesTotal ?? 0) - job.snap.bytesDownloaded) },
      });
    }
    this.#emit('warning', {
      code: 'INTERNAL_ERROR',
      message: `Job ${job.snap.id} (${job.snap.repoId}) failed unexpectedly: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    });
    return new PersianHubError('INTERNAL', `Unexpected error${errno ? ` (${errno})` : ''}; the server log has the details.`, {
      cause: reason,
      ...(errno ? { details: { errno } } : {}),
    });
  }

  // ---------- shared backend (several instances, one queue) ----------

  async #connectShared(): Promise<void> {
    const shared = this.#shared!;
    this.#unsubscribe = shared.subscribe((message) => this.#onShared(message));
    shared.work((jobId) => this.#runShared(jobId), this.#concurrency);
    await this.#reload(false);
  }

  /** Loads every job of the backend into the replica; `announce`: emit what changed (after an outage). */
  async #reload(announce: boolean): Promise<void> {
    let snapshots: JobSnapshot[];
    try {
      snapshots = await this.#shared!.load();
    } catch (error) {
      throw unavailable(error);
    }
    const seen = new Set<string>();
    for (const snap of snapshots) {
      seen.add(snap.id);
      const job = this.#jobs.get(snap.id);
      if (job?.running) continue;
      const before = job?.snap.status;
      this.#jobs.set(snap.id, applySnapshot(job, snap));
      if (announce && before !== snap.status) this.#emitLocal(eventForStatus(snap.status), snap);
    }
    if (announce) {
      for (const job of [...this.#jobs.values()]) {
        if (seen.has(job.snap.id) || job.running) continue;
        this.#jobs.delete(job.snap.id);
        this.#emitLocal('forgotten', summarySnapshot(job));
      }
    }
    this.#settleIdle();
  }

  #onShared(message: SharedMessage): void {
    if (this.#closed) return;
    if (message.type === 'resync') {
      this.#reload(true).catch(() => undefined);
      return;
    }
    if (message.from === this.#shared!.instanceId) return;
    if (message.type === 'command') {
      const job = this.#jobs.get(message.jobId);
      if (job?.running) void this.#takeCommand(job);
      return;
    }
    const job = this.#jobs.get(message.job.id);
    // The instance running a job is the one that says what it is.
    if (job?.running) return;
    if (message.event === 'forgotten') {
      if (!job) return;
      this.#jobs.delete(message.job.id);
    } else {
      this.#jobs.set(message.job.id, applySnapshot(job, message.job));
    }
    this.#emitLocal(message.event, message.job, message.file as FileSnapshot);
    this.#settleIdle();
  }

  /** Applies a pause or cancel another instance asked for, if there is one. */
  async #takeCommand(job: JobRecord): Promise<void> {
    const command = await this.#shared!.takeCommand(job.snap.id).catch(() => null);
    if (command && job.controller && !job.controller.signal.aborted) job.controller.abort(new JobInterrupt(command));
  }

  async #startShared(job: JobRecord): Promise<JobSnapshot> {
    const shared = this.#shared!;
    const id = job.snap.id;
    let holder: string;
    try {
      holder = await shared.claim(job.key, fullSnapshot(job));
    } catch (error) {
      throw unavailable(error);
    }
    if (holder !== id) {
      // The same request, started on this or another instance: its job.
      let existing = this.#jobs.get(holder);
      if (!existing) {
        const snap = await shared.get(holder).catch((error: unknown) => Promise.reject(unavailable(error)));
        if (!snap) throw new PersianHubError('JOB_STORE_UNAVAILABLE', 'The job store changed while the job was started; try again.');
        existing = applySnapshot(undefined, snap);
        this.#jobs.set(holder, existing);
      }
      if (existing.snap.status === 'paused') return this.resume(holder);
      return summarySnapshot(existing);
    }
    this.#jobs.set(id, job);
    try {
      await this.#enqueueShared(job, 'queued');
    } catch (error) {
      this.#jobs.delete(id);
      await shared.delete(id).catch(() => undefined);
      await shared.release(job.key, id).catch(() => undefined);
      this.#emitLocal('forgotten', summarySnapshot(job));
      throw error;
    }
    return summarySnapshot(job);
  }

  /** Queued in the cluster's queue: saved first, so the instance that takes it reads `queued`. */
  async #enqueueShared(job: JobRecord, event: 'queued' | 'resumed'): Promise<void> {
    const shared = this.#shared!;
    job.snap.status = 'queued';
    job.snap.speed = 0;
    job.snap.eta = null;
    job.snap.retry = null;
    touch(job);
    try {
      await shared.save(fullSnapshot(job), true);
      await shared.enqueue(job.snap.id);
    } catch (error) {
      throw unavailable(error);
    }
    this.#emit(event, eventSnapshot(job));
    job.lastEmitted = progressSignature(job);
  }

  /**
   * Pause or cancel of a job this instance does not run: taken out of the queue if it still
   * waits there, else a command to the instance that has it, then a bounded wait for its answer.
   */
  async #stopShared(job: JobRecord, command: JobCommand): Promise<JobSnapshot> {
    const shared = this.#shared!;
    const id = job.snap.id;
    try {
      if (job.snap.status === 'queued' && (await shared.dequeue(id))) {
        if (command === 'pause') {
          this.#change(job, 'paused', 'paused');
        } else {
          await this.#discardPartials(job);
          job.snap.error = { code: 'CANCELLED', message: 'Cancelled.' };
          this.#change(job, 'cancelled', 'cancelled');
        }
        await this.#persist(job, true);
        this.#settleIdle();
        return summarySnapshot(job);
      }
      await shared.command(id, command);
    } catch (error) {
      throw unavailable(error);
    }
    const done = (s: JobStatus) => TERMINAL.has(s) || (command === 'pause' && s === 'paused');
    if (done(job.snap.status)) return summarySnapshot(job);
    const timeoutMs = this.#options.commandTimeoutMs ?? 30_000;
    return new Promise<JobSnapshot>((resolvePromise, reject) => {
      const check = (snap: JobSnapshot) => {
        if (snap.id !== id || !done(snap.status)) return;
        finish();
        resolvePromise(summarySnapshot(job));
      };
      const offs = (['paused', 'completed', 'failed', 'cancelled'] as const).map((e) => this.on(e, check));
      const timer = setTimeout(() => {
        finish();
        reject(
          new PersianHubError('RUNNER_GONE', `The instance running job ${id} did not ${command} it within ${timeoutMs} ms; the ${command} is kept and applies when another instance takes the job.`, {
            details: { jobId: id, jobStatus: job.snap.status },
          }),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        offs.forEach((off) => off());
      };
    });
  }

  /** The cluster's queue hands this instance a job. */
  async #runShared(jobId: string): Promise<RunOutcome> {
    if (this.#closed) return 'handback';
    const local = this.#jobs.get(jobId);
    if (local?.running) return 'done';
    const snap = await this.#shared!.get(jobId);
    if (!snap) return 'done';
    // Closed while it read the job: the queue gives it to another instance.
    if (this.#closed) return 'handback';
    if (snap.status !== 'queued' && !RUNNING.has(snap.status)) {
      // Paused or cancelled while it waited: nothing to run.
      this.#jobs.set(jobId, applySnapshot(local, snap));
      return 'done';
    }
    // The same record when there is one: waitFor() and pending commands hold it.
    const job = applySnapshot(local, snap);
    // Its runner died (kill -9, a lost host) or handed it back: what counts is what is on disk.
    if (job.files.size > 0) recountFromDisk(job, this.cacheDir);
    job.snap.status = 'queued';
    this.#jobs.set(jobId, job);
    job.controller = new AbortController();
    job.running = (async () => {
      await this.#takeCommand(job);
      const reason: unknown = job.controller!.signal.reason;
      if (reason instanceof JobInterrupt && reason.kind !== 'close') {
        // Paused or cancelled before it began here.
        if (reason.kind === 'cancel') {
          await this.#discardPartials(job);
          job.snap.error = { code: 'CANCELLED', message: 'Cancelled.' };
          this.#change(job, 'cancelled', 'cancelled');
        } else {
          this.#change(job, 'paused', 'paused');
        }
        return;
      }
      await this.#run(job);
    })();
    try {
      await job.running;
    } finally {
      job.running = null;
      job.controller = null;
      await this.#persist(job, true);
      this.#settleIdle();
    }
    return job.snap.status === 'queued' ? 'handback' : 'done';
  }

  // ---------- offline bundles ----------

  /**
   * Writes an installed snapshot (catalog id, `org/name`, or an installed key) to one `.tar`
   * with a manifest of every file's size and hash, for carrying on a USB disk.
   */
  async exportBundle(
    idOrRepo: string,
    file: string,
    options: { signal?: AbortSignal; onProgress?: (p: { bytesDone: number; bytesTotal: number; currentFile: string | null }) => void; signingKey?: BundlePrivateKey } = {},
  ): Promise<BundleManifest> {
    const entry = this.catalog.get(idOrRepo);
    const installed = (await this.installed()).filter((i) => i.location === 'cache');
    const target = entry
      ? installed.find((i) => i.catalogId === entry.id)
      : installed.find((i) => i.key === idOrRepo) ?? installed.find((i) => i.repoId === idOrRepo || `${i.repoType}:${i.repoId}` === idOrRepo);
    if (!target) throw new PersianHubError('NOT_FOUND', `Nothing installed in the cache matches "${idOrRepo}".`, { details: { id: idOrRepo } });
    return exportBundle({
      cacheDir: this.cacheDir,
      repoType: target.repoType,
      repoId: target.repoId,
      commit: target.commit,
      ...(target.refs[0] ? { revision: target.refs[0] } : {}),
      catalogId: target.catalogId,
      file: resolve(file),
      toolVersion: VERSION,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signingKey !== undefined ? { signingKey: options.signingKey } : {}),
    });
  }

  /**
   * Imports a bundle as a job (events, speed, ETA and current file like a download). Every
   * file is verified against the manifest before anything enters the cache; a bad bundle is
   * rejected and leaves the cache as it was. Already installed: completes at once and says so.
   */
  async importBundle(
    file: string,
    options: Pick<ImportBundleOptions, 'updateRefs' | 'trustedKeys' | 'requireSignature'> = {},
  ): Promise<{ job: JobSnapshot; alreadyInstalled: boolean; manifest: BundleManifest } & Pick<ImportBundleResult, 'signature' | 'ref'>> {
    this.#assertOpen();
    const path = resolve(file);
    const manifest = await readBundleManifest(path);
    const job = createJobRecord(
      newJobSnapshot({
        catalogId: manifest.catalogId,
        repoId: manifest.repoId,
        repoType: manifest.repoType,
        revision: manifest.revision,
        commit: manifest.commit,
        bytesTotal: manifest.files.reduce((sum, f) => sum + f.size, 0),
        files: manifest.files.map((f) => ({ path: f.path, size: f.size, bytesDownloaded: 0, status: 'pending' as const, lfs: f.lfs, etag: f.etag })),
        backend: 'bundle',
      }),
    );
    job.filesDirty = true;
    this.#jobs.set(job.snap.id, job);
    this.#change(job, 'queued', 'queued');
    const controller = new AbortController();
    job.controller = controller;
    let alreadyInstalled = false;
    let outcome: Pick<ImportBundleResult, 'signature' | 'ref'> = { signature: null, ref: null };
    const run = (async () => {
      this.#change(job, 'downloading', 'started');
      this.#startTicker();
      try {
        const result = await importBundle({
          ...(options.updateRefs !== undefined ? { updateRefs: options.updateRefs } : {}),
          ...(options.trustedKeys !== undefined ? { trustedKeys: options.trustedKeys } : {}),
          ...(options.requireSignature !== undefined ? { requireSignature: options.requireSignature } : {}),
          cacheDir: this.cacheDir,
          file: path,
          signal: controller.signal,
          onProgress: (p) => {
            job.snap.bytesDownloaded = p.bytesDone;
            job.snap.currentFile = p.currentFile;
            job.lastByteAt = Date.now();
            const f = p.currentFile ? job.files.get(p.currentFile) : undefined;
            if (f && f.status === 'pending') {
              f.status = 'downloading';
              touchFile(job, f.path);
            }
          },
        });
        alreadyInstalled = result.alreadyInstalled;
        outcome = { signature: result.signature, ref: result.ref };
        job.snap.path = result.path;
        for (const f of job.files.values()) {
          f.bytesDownloaded = f.size;
          f.status = alreadyInstalled ? 'cached' : 'completed';
        }
        this.#complete(job);
      } catch (error) {
        const e = isPersianHubError(error) ? error : new PersianHubError('BUNDLE_INVALID', String(error), { cause: error });
        job.snap.error = Object.keys(e.details).length ? { code: e.code, message: e.message, details: { ...e.details } } : { code: e.code, message: e.message };
        job.snap.currentFile = null;
        this.#change(job, controller.signal.aborted ? 'cancelled' : 'failed', controller.signal.aborted ? 'cancelled' : 'failed');
        throw e;
      }
    })();
    job.running = run.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      job.running = null;
      job.controller = null;
      this.#settleIdle();
    });
    await run;
    return { job: fullSnapshot(job), alreadyInstalled, manifest, ...outcome };
  }

  // ---------- progress ----------

  /**
   * The one place progress is throttled: every `progressIntervalMs` (default 250 ms, so about
   * 4 events a second per job) we sample bytes, smooth the speed, and emit only if something a
   * user can see changed. Byte callbacks themselves never emit.
   */
  #startTicker(): void {
    if (this.#ticker) return;
    const interval = this.#options.progressIntervalMs ?? 250;
    this.#ticker = setInterval(() => this.#tick(), interval);
    this.#ticker.unref();
  }

  #stopTicker(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  #tick(): void {
    const now = Date.now();
    let active = 0;
    for (const job of this.#jobs.values()) {
      if (!RUNNING.has(job.snap.status)) continue;
      // Shared: a replica of a job another instance runs; its runner sends its progress.
      if (this.#shared && !job.running) continue;
      active++;
      sampleSpeed(job, now);
      touch(job);
      const sig = progressSignature(job);
      if (sig !== job.lastEmitted) {
        this.#emit('progress', eventSnapshot(job));
        job.lastEmitted = progressSignature(job);
      }
      if (now - job.lastPersistAt >= 1000) void this.#persist(job);
    }
    if (active === 0) this.#stopTicker();
  }

  // ---------- disk ----------

  /**
   * Cancel removes this job's own partial files: never a completed blob, never a partial another
   * job or process is writing (under its lock), and never another program's partial (Python's
   * `<etag>.<uuid>.incomplete` names): those are its downloads in progress.
   */
  async #discardPartials(job: JobRecord): Promise<void> {
    const cache = repoCachePaths(this.cacheDir, job.snap.repoType, job.snap.repoId);
    const local = job.snap.localDir ? localDirPaths(job.snap.localDir) : null;
    for (const f of job.files.values()) {
      if (!f.etag || f.status === 'completed' || f.status === 'cached') continue;
      const lockKey = local ? local.file(f.path) : cache.blob(f.etag);
      if (isBlobLocked(lockKey)) continue;
      const path = local ? local.incomplete(f.path, f.etag) : cache.incomplete(f.etag);
      const busy = new AbortController();
      const discarded = await withBlobLock(
        lockKey,
        async () => {
          await discardPartialFiles(path);
          return true;
        },
        { lockFile: local ? local.lock(f.path) : cache.lock(f.etag), signal: busy.signal, onWait: () => busy.abort() },
      ).catch(() => false);
      if (!discarded) continue;
      job.snap.bytesDownloaded -= f.bytesDownloaded;
      f.bytesDownloaded = 0;
      f.status = 'pending';
      touchFile(job, f.path);
    }
    if (!local) await removeEmptyFolders(cache.locksDir, dirname(cache.repoDir));
  }
}

/** The backend could not be reached: one code for every operation, the cause kept for the log. */
function unavailable(error: unknown): PersianHubError {
  if (isPersianHubError(error)) return error;
  return new PersianHubError('JOB_STORE_UNAVAILABLE', `The shared job store cannot be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function newestFirst(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function fullOrSummary(job: JobRecord, withFiles: boolean): JobSnapshot {
  return withFiles ? fullSnapshot(job) : summarySnapshot(job);
}

function latestJobFor(entry: CatalogEntry, jobs: JobSnapshot[]): JobSnapshot | null {
  let best: JobSnapshot | null = null;
  for (const j of jobs) {
    if (j.catalogId !== entry.id) continue;
    if (!best || j.createdAt >= best.createdAt) best = j;
  }
  return best;
}

/** Creates a manager. Every option is optional; see {@link DownloadManagerOptions}. */
export function createDownloadManager(options: DownloadManagerOptions = {}): DownloadManager {
  return new DownloadManager(options);
}

