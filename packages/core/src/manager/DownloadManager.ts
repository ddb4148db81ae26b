import { randomBytes } from 'node:crypto';
import { readdir, rm, unlink, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import EventEmitter from 'eventemitter3';
import { z } from 'zod';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import { createCatalog, persianHubCatalog, type Catalog } from '../catalog/index.js';
import { removeEmptyFolders } from '../engine/acquireFileLock.js';
import { isBlobLocked, withBlobLock } from '../engine/blobLocks.js';
import { downloadSnapshot, type SnapshotHooks, type SnapshotPlan } from '../engine/downloadSnapshot.js';
import { HubClient } from '../hub/HubClient.js';
import { resolveCacheDir, resolveEndpoint, resolveToken } from '../hub/resolveHfEnv.js';
import { localDirPaths, repoCachePaths } from '../storage/cacheLayout.js';
import { scanInstalled } from '../storage/scanInstalled.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../transfer/retry.js';
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
import { resolveHfCliCommand, type HfCliOptions, type ResolvedHfCli } from '../hfCli/resolveHfCliCommand.js';
import { runHfCliSnapshot } from '../hfCli/runHfCliSnapshot.js';
import { exportBundle, importBundle, readBundleManifest, type BundleManifest } from '../bundles/index.js';
import { writeFileAtomic } from '../storage/cacheLayout.js';
import { VERSION } from '../version.js';
import { createJobStore, type JobStore } from './createJobStore.js';
import { downloadRequestSchema, parseOrThrow, type ParsedDownloadRequest } from './validateInput.js';
import { fileSize } from '../storage/fileSize.js';

export interface DownloadManagerOptions {
  /** Hub endpoint. @default process.env.HF_ENDPOINT ?? 'https://huggingface.co' */
  readonly endpoint?: string;
  /** Several endpoints (mirrors) tried in order; a network-class failure moves to the next. Overrides `endpoint`. */
  readonly endpoints?: readonly string[];
  /** @default HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else $HF_HOME/token; `false` sends none */
  readonly token?: string | false;
  /** @default HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub */
  readonly cacheDir?: string;
  /** Where jobs are persisted. @default `<cacheDir>/../persian-hub/logs/downloads` */
  readonly stateDir?: string;
  /** Jobs downloading at once; the rest wait as `queued`. @default 2 */
  readonly concurrency?: number;
  /** Files in flight per job. @default 8 */
  readonly fileConcurrency?: number;
  /** Proxy URL for every request; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply. */
  readonly proxy?: string;
  /** A transfer that receives nothing for this long is retried. @default 30000 */
  readonly stallTimeoutMs?: number;
  /** @default { retries: 5, minDelayMs: 1000, maxDelayMs: 30000 } */
  readonly retry?: Partial<RetryPolicy>;
  /** The catalog `start(id)` looks ids up in. @default the built-in Persian catalog */
  readonly catalog?: Catalog | readonly CatalogEntry[];
  /** Interval of progress events and speed samples. @default 250 */
  readonly progressIntervalMs?: number;
  /** Check free disk space before downloading. @default true */
  readonly checkDiskSpace?: boolean;
  /** Resume jobs that were interrupted by a crash or restart right away. @default false (they come back `paused`) */
  readonly autoResume?: boolean;
  /**
   * Who moves the bytes: our own downloader, or the official `hf` / `huggingface-cli` (for
   * people who already have the Python tooling and its Xet support). Same jobs, events and
   * snapshots either way. @default 'native'
   */
  readonly backend?: 'native' | 'hf-cli';
  /** How to run the CLI when `backend: 'hf-cli'`. */
  readonly hfCli?: HfCliOptions;
}

const optionsSchema = z
  .object({
    endpoint: z.string().url().optional(),
    endpoints: z.array(z.string().url()).min(1).optional(),
    token: z.union([z.string(), z.literal(false)]).optional(),
    cacheDir: z.string().min(1).optional(),
    stateDir: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).max(1000).optional(),
    fileConcurrency: z.number().int().min(1).max(64).optional(),
    proxy: z.string().url().optional(),
    stallTimeoutMs: z.number().int().min(50).optional(),
    retry: z
      .object({ retries: z.number().int().min(0).max(100).optional(), minDelayMs: z.number().min(0).optional(), maxDelayMs: z.number().min(0).optional() })
      .optional(),
    catalog: z.any().optional(),
    progressIntervalMs: z.number().int().min(10).max(10_000).optional(),
    checkDiskSpace: z.boolean().optional(),
    autoResume: z.boolean().optional(),
    backend: z.enum(['native', 'hf-cli']).optional(),
    hfCli: z
      .object({ command: z.string().min(1).optional(), args: z.array(z.string()).optional(), env: z.record(z.string(), z.string().optional()).optional() })
      .optional(),
  })
  .passthrough();

const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);
const RUNNING: ReadonlySet<JobStatus> = new Set(['resolving', 'downloading', 'verifying']);
const FAILOVER_CODES: ReadonlySet<string> = new Set(['NETWORK', 'BLOCKED', 'STALLED']);

/** Why a running job was stopped: the abort reason of its signal. */
class JobInterrupt extends Error {
  constructor(readonly kind: 'pause' | 'cancel' | 'close') {
    super(`job ${kind}`);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface FileState extends Mutable<FileSnapshot> {}

interface Job {
  snap: Mutable<Omit<JobSnapshot, 'files'>>;
  files: Map<string, FileState>;
  key: string;
  controller: AbortController | null;
  running: Promise<void> | null;
  lastSampleBytes: number;
  lastSampleAt: number;
  lastByteAt: number;
  lastEmitted: string;
  lastPersistAt: number;
  resumedOnce: boolean;
}

function newJobId(): string {
  return `job_${randomBytes(9).toString('hex')}`;
}

/** A fresh `queued` job: what the request says, everything else at its starting value. */
function newJobSnapshot(
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

function requestKey(r: { repoType: string; repoId: string; revision: string; include: readonly string[]; exclude: readonly string[]; localDir?: string | null | undefined }): string {
  return JSON.stringify([r.repoType, r.repoId, r.revision, [...r.include].sort(), [...r.exclude].sort(), r.localDir ? resolve(r.localDir) : null]);
}

/**
 * Orchestrates jobs: a queue limited by `concurrency`, pause/resume/cancel as aborts with a
 * reason, persistence of every job (so a restart, even after kill -9, resumes from the bytes
 * on disk), and installed detection. The hub client, one file's transfer, the cache layout
 * and the job store are separate modules; this class only wires them.
 */
export class DownloadManager implements DownloadManagerApi {
  readonly cacheDir: string;
  readonly stateDir: string;
  readonly endpoints: readonly string[];
  readonly catalog: Catalog;
  readonly #emitter = new EventEmitter();
  readonly #jobs = new Map<string, Job>();
  readonly #clients = new Map<string, HubClient>();
  readonly #store: JobStore;
  readonly #options: DownloadManagerOptions;
  readonly #retry: RetryPolicy;
  readonly #token: string | undefined;
  readonly #concurrency: number;
  readonly #ready: Promise<void>;
  #ticker: NodeJS.Timeout | null = null;
  #cli: Promise<ResolvedHfCli> | null = null;
  /** The endpoint that last served a job or answered a probe; remembered across restarts. */
  #preferred: string | null = null;
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DownloadManagerOptions = {}) {
    parseOrThrow(optionsSchema, options, 'download manager options');
    this.#options = options;
    this.cacheDir = resolve(resolveCacheDir(options.cacheDir));
    this.stateDir = resolve(options.stateDir ?? join(dirname(this.cacheDir), 'persian-hub', 'logs', 'downloads'));
    this.endpoints = (options.endpoints ?? [resolveEndpoint(options.endpoint)]).map((e) => e.replace(/\/+$/, ''));
    this.#token = resolveToken(options.token);
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#concurrency = options.concurrency ?? 2;
    this.catalog = !options.catalog
      ? persianHubCatalog
      : Array.isArray(options.catalog)
        ? createCatalog(options.catalog as unknown[])
        : (options.catalog as Catalog);
    this.#store = createJobStore(this.stateDir);
    this.#ready = this.#restore();
    this.#ready.catch(() => undefined);
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

  /** Resolves once persisted jobs are loaded. Every public method waits for it. */
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
    try {
      this.#emitter.emit(event, ...args);
    } catch (error) {
      // A throwing listener must not break a download; report it once as a warning.
      if (event !== 'warning') this.#emit('warning', { code: 'LISTENER_ERROR', message: String(error) });
    }
  }

  // ---------- snapshots & persistence ----------

  #snapshot(job: Job): JobSnapshot {
    return { ...job.snap, files: [...job.files.values()].map((f) => ({ ...f })) };
  }

  #touch(job: Job): void {
    job.snap.updatedAt = new Date().toISOString();
    const total = job.snap.bytesTotal;
    job.snap.progress = total ? Math.min(100, Math.round((job.snap.bytesDownloaded / total) * 1000) / 10) : total === 0 ? 100 : 0;
  }

  async #persist(job: Job): Promise<void> {
    job.lastPersistAt = Date.now();
    try {
      await this.#store.save(this.#snapshot(job));
    } catch (error) {
      this.#emit('warning', { code: 'STATE_WRITE_FAILED', message: `Could not save job ${job.snap.id}: ${String(error)}` });
    }
  }

  /**
   * Hosts that listen to `progress` only must see the end: a job that finishes between two ticks
   * (or before the first) would otherwise complete without any `progress`, or without one at 100 %.
   */
  #finalProgress(job: Job): void {
    job.snap.eta = 0;
    this.#touch(job);
    const snap = this.#snapshot(job);
    job.lastEmitted = progressSignature(snap);
    this.#emit('progress', snap);
  }

  /** A state change: emitted and persisted at once. */
  #change(job: Job, status: JobStatus, event?: Exclude<DownloadManagerEventName, 'file-completed' | 'removed' | 'warning'>): void {
    job.snap.status = status;
    if (!RUNNING.has(status)) {
      job.snap.speed = 0;
      job.snap.eta = null;
    }
    this.#touch(job);
    void this.#persist(job);
    const snap = this.#snapshot(job);
    job.lastEmitted = progressSignature(snap);
    if (event) this.#emit(event, snap);
  }

  get #endpointStateFile(): string {
    // Not `.json`: the job store reads every `.json` in the folder as a job.
    return join(this.stateDir, 'endpoints.state');
  }

  async #rememberEndpoint(endpoint: string): Promise<void> {
    if (this.#preferred === endpoint) return;
    this.#preferred = endpoint;
    await writeFileAtomic(this.#endpointStateFile, JSON.stringify({ lastGood: endpoint, at: new Date().toISOString() })).catch(() => undefined);
  }

  /** The endpoint tried first: the last one that worked, else the first configured. */
  preferredEndpoint(): string {
    return this.#preferred && this.endpoints.includes(this.#preferred) ? this.#preferred : this.endpoints[0]!;
  }

  async #restore(): Promise<void> {
    try {
      const saved = JSON.parse(await readFile(this.#endpointStateFile, 'utf8')) as { lastGood?: unknown };
      if (typeof saved.lastGood === 'string' && this.endpoints.includes(saved.lastGood)) this.#preferred = saved.lastGood;
    } catch {
      // nothing remembered yet
    }
    const jobs = await this.#store.loadAll((file, error) => {
      // Reported, skipped, never fatal: one bad file must not cost the user every other job.
      queueMicrotask(() =>
        this.#emit('warning', { code: 'CORRUPT_JOB_FILE', message: `Skipped unreadable job file ${file}: ${error instanceof Error ? error.message : String(error)}` }),
      );
    });
    for (const snap of jobs) {
      const job = this.#jobFromSnapshot(snap);
      if (!TERMINAL.has(snap.status)) {
        // It was working when the process died (kill -9 included): count what is on disk.
        await this.#recountFromDisk(job);
        job.snap.status = 'paused';
        job.snap.speed = 0;
        job.snap.eta = null;
        this.#touch(job);
        await this.#persist(job);
      }
      this.#jobs.set(snap.id, job);
    }
    if (this.#options.autoResume) {
      for (const job of this.#jobs.values()) if (job.snap.status === 'paused') this.#enqueue(job, 'resumed');
    }
  }

  #jobFromSnapshot(snap: JobSnapshot): Job {
    const { files, ...rest } = snap;
    return {
      snap: { ...rest, localDir: rest.localDir ?? null, catalogId: rest.catalogId ?? null, backend: rest.backend ?? 'native', completedAt: rest.completedAt ?? null, endpoint: rest.endpoint ?? null, waitingFor: null },
      files: new Map(files.map((f) => [f.path, { ...f }])),
      key: requestKey(snap),
      controller: null,
      running: null,
      lastSampleBytes: snap.bytesDownloaded,
      lastSampleAt: Date.now(),
      lastByteAt: 0,
      lastEmitted: '',
      lastPersistAt: 0,
      resumedOnce: false,
    };
  }

  async #recountFromDisk(job: Job): Promise<void> {
    if (!job.snap.commit) return;
    const cache = repoCachePaths(this.cacheDir, job.snap.repoType, job.snap.repoId);
    const local = job.snap.localDir ? localDirPaths(job.snap.localDir) : null;
    let total = 0;
    for (const f of job.files.values()) {
      if (!f.etag) continue;
      const done = local ? await fileSize(local.file(f.path)) : await fileSize(cache.blob(f.etag));
      if (done === f.size && (!local || (await readFile(local.metadata(f.path), 'utf8').catch(() => '')).split('\n')[1] === f.etag)) {
        f.bytesDownloaded = f.size;
        f.status = 'completed';
      } else {
        const partial = (await fileSize(local ? local.incomplete(f.path, f.etag) : cache.incomplete(f.etag))) ?? 0;
        f.bytesDownloaded = Math.min(partial, f.size);
        f.status = 'pending';
      }
      total += f.bytesDownloaded;
    }
    job.snap.bytesDownloaded = total;
    job.lastSampleBytes = total;
  }

  // ---------- public API ----------

  async start(input: StartInput): Promise<JobSnapshot> {
    await this.#ready;
    this.#assertOpen();
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
    const req: ParsedDownloadRequest = parseOrThrow(downloadRequestSchema, raw, 'download request');
    // A missing CLI fails here, at start, not later inside a job.
    if (this.backend === 'hf-cli') await this.#resolveCli();
    if (req.catalogId) catalogId = req.catalogId;
    const key = requestKey(req);
    // Never two writers on one file: the same request returns the job already on it.
    for (const job of this.#jobs.values()) {
      if (job.key !== key || TERMINAL.has(job.snap.status)) continue;
      if (job.snap.status === 'paused') return this.resume(job.snap.id);
      return this.#snapshot(job);
    }
    const job: Job = this.#jobFromSnapshot(
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
    this.#jobs.set(job.snap.id, job);
    this.#enqueue(job, 'queued');
    return this.#snapshot(job);
  }

  async pause(jobId: string): Promise<JobSnapshot> {
    const job = await this.#get(jobId);
    const s = job.snap.status;
    if (s === 'paused') return this.#snapshot(job);
    if (TERMINAL.has(s)) throw new PersianHubError('CONFLICT', `Job ${jobId} is ${s}; only a queued or running job can be paused.`, { details: { jobStatus: s } });
    if (s === 'queued') {
      this.#change(job, 'paused', 'paused');
      this.#drain();
      return this.#snapshot(job);
    }
    job.controller?.abort(new JobInterrupt('pause'));
    await job.running;
    return this.#snapshot(job);
  }

  async resume(jobId: string): Promise<JobSnapshot> {
    const job = await this.#get(jobId);
    this.#assertOpen();
    const s = job.snap.status;
    if (s === 'queued' || RUNNING.has(s)) return this.#snapshot(job);
    if (s === 'completed' || s === 'cancelled') {
      throw new PersianHubError('CONFLICT', `Job ${jobId} is ${s}; start it again instead.`, { details: { jobStatus: s } });
    }
    job.snap.error = null;
    this.#enqueue(job, 'resumed');
    return this.#snapshot(job);
  }

  async cancel(jobId: string): Promise<JobSnapshot> {
    const job = await this.#get(jobId);
    const s = job.snap.status;
    if (s === 'cancelled') return this.#snapshot(job);
    if (s === 'completed') throw new PersianHubError('CONFLICT', `Job ${jobId} already completed; remove the model instead.`, { details: { jobStatus: s } });
    if (job.running) {
      job.controller?.abort(new JobInterrupt('cancel'));
      await job.running;
    } else {
      await this.#discardPartials(job);
      job.snap.error = { code: 'CANCELLED', message: 'Cancelled.' };
      this.#change(job, 'cancelled', 'cancelled');
      this.#settleIdle();
    }
    return this.#snapshot(job);
  }

  get(jobId: string): JobSnapshot | undefined {
    const job = this.#jobs.get(jobId);
    return job ? this.#snapshot(job) : undefined;
  }

  list(): JobSnapshot[] {
    return [...this.#jobs.values()].map((j) => this.#snapshot(j));
  }

  async installed(): Promise<InstalledSnapshot[]> {
    await this.#ready;
    return scanInstalled({ cacheDir: this.cacheDir, catalog: this.catalog.entries, jobs: this.list() });
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

  async remove(idOrRepo: string): Promise<InstalledSnapshot[]> {
    await this.#ready;
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
    const all = await this.installed();
    const targets = all.filter((i) => (entry ? i.catalogId === entry.id : i.key === idOrRepo || matches(i.repoType, i.repoId)));
    if (targets.length === 0) throw new PersianHubError('NOT_FOUND', `Nothing installed matches "${idOrRepo}".`, { details: { id: idOrRepo } });
    const removed: InstalledSnapshot[] = [];
    const done = new Set<string>();
    for (const t of targets) {
      const where = `${t.location}:${t.path}`;
      if (!done.has(where)) {
        done.add(where);
        if (t.location === 'cache') await this.#removeCacheSnapshot(t);
        else await this.#removeLocalDir(t);
      }
      removed.push(t);
      this.#emit('removed', t);
    }
    return removed;
  }

  async waitFor(jobId: string): Promise<JobSnapshot> {
    const job = await this.#get(jobId);
    const settled = (): JobSnapshot | PersianHubError | null => {
      const s = job.snap.status;
      if (s === 'completed') return this.#snapshot(job);
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
    return this.#ready.then(() =>
      this.#isIdle() ? undefined : new Promise<void>((r) => this.#idleWaiters.push(r)),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#ready.catch(() => undefined);
    this.#closed = true;
    const running = [...this.#jobs.values()].filter((j) => j.running);
    for (const j of running) j.controller?.abort(new JobInterrupt('close'));
    await Promise.all(running.map((j) => j.running));
    for (const j of this.#jobs.values()) {
      if (j.snap.status === 'queued') this.#change(j, 'paused');
    }
    this.#stopTicker();
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    // Let in-flight state writes land before the host exits.
    await Promise.all([...this.#jobs.values()].map((j) => this.#persist(j)));
    this.#settleIdle();
    this.#emitter.removeAllListeners();
  }

  // ---------- queue ----------

  #assertOpen(): void {
    if (this.#closed) throw new PersianHubError('CONFLICT', 'This download manager is closed.');
  }

  async #get(jobId: string): Promise<Job> {
    await this.#ready;
    const job = this.#jobs.get(jobId);
    if (!job) throw new PersianHubError('NOT_FOUND', `No job "${jobId}".`, { details: { jobId } });
    return job;
  }

  #enqueue(job: Job, event: 'queued' | 'resumed'): void {
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
    if (this.#closed) return;
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

  #clientFor(endpoint: string): HubClient {
    let c = this.#clients.get(endpoint);
    if (!c) {
      c = new HubClient({
        endpoint,
        token: this.#token,
        proxy: this.#options.proxy,
        stallTimeoutMs: this.#options.stallTimeoutMs ?? 30_000,
        retry: this.#retry,
        connections: Math.max(16, (this.#options.fileConcurrency ?? 8) * this.#concurrency),
      });
      this.#clients.set(endpoint, c);
    }
    return c;
  }

  async #run(job: Job): Promise<void> {
    const controller = new AbortController();
    job.controller = controller;
    job.snap.error = null;
    job.snap.waitingFor = null;
    job.lastSampleAt = Date.now();
    job.lastSampleBytes = job.snap.bytesDownloaded;
    job.lastByteAt = 0;
    this.#change(job, 'resolving', 'started');
    this.#startTicker();
    const hooks = this.#hooks(job);
    try {
      let lastError: unknown;
      let done = false;
      const order = this.#endpointOrder(job);
      for (const endpoint of order) {
        job.snap.endpoint = endpoint;
        try {
          const common = {
            client: this.#clientFor(endpoint),
            cacheDir: this.cacheDir,
            request: { ...job.snap, localDir: job.snap.localDir ?? undefined },
            signal: controller.signal,
            fileConcurrency: this.#options.fileConcurrency ?? 8,
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
          void this.#rememberEndpoint(endpoint);
          break;
        } catch (error) {
          lastError = error;
          if (controller.signal.aborted || !isPersianHubError(error) || !FAILOVER_CODES.has(error.code)) throw error;
          // A network-class failure: the next endpoint (mirror) gets its turn.
        }
      }
      if (!done) throw lastError;
      for (const f of job.files.values()) {
        if (f.status !== 'cached') f.status = 'completed';
        f.bytesDownloaded = f.size;
      }
      job.snap.bytesDownloaded = job.snap.bytesTotal ?? job.snap.bytesDownloaded;
      job.snap.currentFile = null;
      job.snap.waitingFor = null;
      this.#finalProgress(job);
      job.snap.completedAt = new Date().toISOString();
      this.#change(job, 'completed', 'completed');
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      job.snap.currentFile = null;
      job.snap.waitingFor = null;
      for (const f of job.files.values()) if (f.status === 'downloading') f.status = 'pending';
      if (reason instanceof JobInterrupt && reason.kind !== 'cancel') {
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
    }
  }

  /**
   * An error we did not expect (a bug, EACCES, …). Its raw message can name files outside the
   * cache, and job snapshots travel to browsers: the job gets the errno only, the host gets the
   * whole story as a `warning` event.
   */
  #internalError(reason: unknown, job: Job): PersianHubError {
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

  #endpointOrder(job: Job): string[] {
    const first = job.snap.endpoint && this.endpoints.includes(job.snap.endpoint) ? job.snap.endpoint : this.preferredEndpoint();
    return [first, ...this.endpoints.filter((e) => e !== first)];
  }

  /**
   * Asks every endpoint for a small, public answer and reports latency or the error class
   * (BLOCKED, NETWORK, …). The fastest good one becomes the preferred endpoint.
   */
  async probeEndpoints(options: { repoId?: string; timeoutMs?: number } = {}): Promise<EndpointProbe[]> {
    await this.#ready;
    const repoId = options.repoId ?? this.catalog.entries[0]?.repoId ?? 'HooshvareLab/bert-fa-base-uncased';
    const results = await Promise.all(
      this.endpoints.map(async (endpoint): Promise<EndpointProbe> => {
        const started = performance.now();
        const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
        try {
          await this.#clientFor(endpoint).repoInfo('model', repoId, 'main', signal, { retries: 0 });
          return { endpoint, ok: true, latencyMs: Math.round(performance.now() - started), error: null };
        } catch (error) {
          const e = isPersianHubError(error)
            ? error
            : signal.aborted
              ? new PersianHubError('NETWORK', `No answer from ${endpoint} within ${options.timeoutMs ?? 10_000} ms.`)
              : new PersianHubError('NETWORK', String(error));
          // A Hub that answers (even "not found") is reachable; only transport failures count against it.
          const reachable = !FAILOVER_CODES.has(e.code) && e.code !== 'HUB_ERROR';
          return { endpoint, ok: reachable, latencyMs: reachable ? Math.round(performance.now() - started) : null, error: reachable ? null : { code: e.code, message: e.message } };
        }
      }),
    );
    const best = results.filter((r) => r.ok).sort((a, b) => a.latencyMs! - b.latencyMs!)[0];
    if (best) await this.#rememberEndpoint(best.endpoint);
    return results;
  }

  // ---------- offline bundles ----------

  /**
   * Writes an installed snapshot (catalog id, `org/name`, or an installed key) to one `.tar`
   * with a manifest of every file's size and hash, for carrying on a USB disk.
   */
  async exportBundle(
    idOrRepo: string,
    file: string,
    options: { signal?: AbortSignal; onProgress?: (p: { bytesDone: number; bytesTotal: number; currentFile: string | null }) => void } = {},
  ): Promise<BundleManifest> {
    await this.#ready;
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
    });
  }

  /**
   * Imports a bundle as a job (events, speed, ETA and current file like a download). Every
   * file is verified against the manifest before anything enters the cache; a bad bundle is
   * rejected and leaves the cache as it was. Already installed: completes at once and says so.
   */
  async importBundle(file: string): Promise<{ job: JobSnapshot; alreadyInstalled: boolean; manifest: BundleManifest }> {
    await this.#ready;
    this.#assertOpen();
    const path = resolve(file);
    const manifest = await readBundleManifest(path);
    const job = this.#jobFromSnapshot(
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
    this.#jobs.set(job.snap.id, job);
    this.#change(job, 'queued', 'queued');
    const controller = new AbortController();
    job.controller = controller;
    let alreadyInstalled = false;
    const run = (async () => {
      this.#change(job, 'downloading', 'started');
      this.#startTicker();
      try {
        const result = await importBundle({
          cacheDir: this.cacheDir,
          file: path,
          signal: controller.signal,
          onProgress: (p) => {
            job.snap.bytesDownloaded = p.bytesDone;
            job.snap.currentFile = p.currentFile;
            job.lastByteAt = Date.now();
            const f = p.currentFile ? job.files.get(p.currentFile) : undefined;
            if (f && f.status === 'pending') f.status = 'downloading';
          },
        });
        alreadyInstalled = result.alreadyInstalled;
        job.snap.path = result.path;
        for (const f of job.files.values()) {
          f.bytesDownloaded = f.size;
          f.status = alreadyInstalled ? 'cached' : 'completed';
        }
        job.snap.bytesDownloaded = job.snap.bytesTotal ?? 0;
        job.snap.currentFile = null;
        this.#finalProgress(job);
        job.snap.completedAt = new Date().toISOString();
        this.#change(job, 'completed', 'completed');
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
    return { job: this.#snapshot(job), alreadyInstalled, manifest };
  }

  #hooks(job: Job): SnapshotHooks {
    return {
      onStatus: (status) => {
        if (status === 'downloading' || status === 'verifying') this.#change(job, status);
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
        job.snap.bytesTotal = plan.files.reduce((s, f) => s + f.size, 0);
        job.snap.bytesDownloaded = plan.files.reduce((s, f) => s + f.bytesOnDisk, 0);
        job.lastSampleBytes = job.snap.bytesDownloaded;
        this.#touch(job);
        void this.#persist(job);
      },
      onFileStart: (path) => {
        const f = job.files.get(path);
        if (f) f.status = 'downloading';
        job.snap.currentFile = path;
        if (job.snap.waitingFor === path) job.snap.waitingFor = null;
      },
      onBytes: (path, delta) => {
        const f = job.files.get(path);
        if (f) f.bytesDownloaded = Math.max(0, f.bytesDownloaded + delta);
        job.snap.bytesDownloaded = Math.max(0, job.snap.bytesDownloaded + delta);
        if (delta > 0) job.lastByteAt = Date.now();
      },
      onFileWait: (path, holder) => {
        job.snap.waitingFor = path;
        const who = holder ? `process ${holder.pid} on ${holder.hostname}` : 'another process';
        this.#emit('warning', {
          code: 'WAITING_FOR_OTHER_PROCESS',
          message: `Job ${job.snap.id} (${job.snap.repoId}) waits: ${path} is being downloaded into the same cache by ${who}.`,
          details: { jobId: job.snap.id, repoId: job.snap.repoId, file: path, ...(holder ? { pid: holder.pid, hostname: holder.hostname } : {}) },
        });
      },
      onFileDone: (path, cached) => {
        if (job.snap.waitingFor === path) job.snap.waitingFor = null;
        const f = job.files.get(path);
        if (!f) return;
        const before = f.bytesDownloaded;
        f.bytesDownloaded = f.size;
        f.status = cached ? 'cached' : 'completed';
        job.snap.bytesDownloaded += f.size - before;
        if (job.snap.currentFile === path) {
          job.snap.currentFile = [...job.files.values()].find((x) => x.status === 'downloading')?.path ?? null;
        }
        this.#touch(job);
        this.#emit('file-completed', this.#snapshot(job), { ...f });
      },
    };
  }

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
      active++;
      const dt = (now - job.lastSampleAt) / 1000;
      if (dt <= 0) continue;
      const delta = job.snap.bytesDownloaded - job.lastSampleBytes;
      const instant = Math.max(0, delta) / dt;
      job.lastSampleAt = now;
      job.lastSampleBytes = job.snap.bytesDownloaded;
      // EWMA keeps the number readable; a stall shows as 0, not as the last good speed.
      const smoothed = job.snap.speed === 0 ? instant : 0.3 * instant + 0.7 * job.snap.speed;
      job.snap.speed = now - job.lastByteAt > 2000 ? 0 : Math.round(smoothed);
      const total = job.snap.bytesTotal;
      job.snap.eta = total !== null && job.snap.speed > 0 ? Math.ceil((total - job.snap.bytesDownloaded) / job.snap.speed) : null;
      this.#touch(job);
      const snap = this.#snapshot(job);
      const sig = progressSignature(snap);
      if (sig !== job.lastEmitted) {
        job.lastEmitted = sig;
        this.#emit('progress', snap);
      }
      if (now - job.lastPersistAt >= 1000) void this.#persist(job);
    }
    if (active === 0) this.#stopTicker();
  }

  // ---------- disk ----------

  /** Cancel removes this job's partial files, never a completed blob and never a partial another job is writing. */
  async #discardPartials(job: Job): Promise<void> {
    const cache = repoCachePaths(this.cacheDir, job.snap.repoType, job.snap.repoId);
    const local = job.snap.localDir ? localDirPaths(job.snap.localDir) : null;
    for (const f of job.files.values()) {
      if (!f.etag || f.status === 'completed' || f.status === 'cached') continue;
      const lockKey = local ? local.file(f.path) : cache.blob(f.etag);
      if (isBlobLocked(lockKey)) continue;
      const path = local ? local.incomplete(f.path, f.etag) : cache.incomplete(f.etag);
      // Under the blob's cross-process lock, and not at all while another process holds it:
      // its partial is its own download in progress.
      const busy = new AbortController();
      const discarded = await withBlobLock(
        lockKey,
        async () => {
          await unlink(path).catch(() => undefined);
          // Other writers' names for the same partial (huggingface_hub ≥ 1.18: `<etag>.<uuid8>.incomplete`).
          const dir = dirname(path);
          for (const name of await readdir(dir).catch(() => [] as string[])) {
            if (name.endsWith('.incomplete') && (name.startsWith(`${f.etag}.`) || name.endsWith(`.${f.etag}.incomplete`))) {
              await unlink(join(dir, name)).catch(() => undefined);
            }
          }
          return true;
        },
        { lockFile: local ? local.lock(f.path) : cache.lock(f.etag), signal: busy.signal, onWait: () => busy.abort() },
      ).catch(() => false);
      if (!discarded) continue;
      job.snap.bytesDownloaded -= f.bytesDownloaded;
      f.bytesDownloaded = 0;
      f.status = 'pending';
    }
    if (!local) await removeEmptyFolders(cache.locksDir, dirname(cache.repoDir));
  }

  async #removeCacheSnapshot(t: InstalledSnapshot): Promise<void> {
    const cache = repoCachePaths(this.cacheDir, t.repoType, t.repoId);
    const snapDir = cache.snapshotDir(t.commit);
    // Blobs still used by another snapshot of the same repo stay.
    const keep = new Set<string>();
    for (const commit of await readdir(join(cache.repoDir, 'snapshots')).catch(() => [] as string[])) {
      if (commit === t.commit) continue;
      for (const target of await linkTargets(join(cache.repoDir, 'snapshots', commit))) keep.add(target);
    }
    const mine = await linkTargets(snapDir);
    await rm(snapDir, { recursive: true, force: true });
    for (const blob of mine) if (!keep.has(blob)) await rm(join(cache.blobsDir, blob), { force: true });
    for (const ref of t.refs) await rm(cache.ref(ref), { force: true });
    await rm(cache.tree(t.commit), { force: true });
    const left = await readdir(join(cache.repoDir, 'snapshots')).catch(() => [] as string[]);
    if (left.length === 0) await rm(cache.repoDir, { recursive: true, force: true });
  }

  async #removeLocalDir(t: InstalledSnapshot): Promise<void> {
    const job = [...this.#jobs.values()].find((j) => j.snap.path === t.path && j.snap.status === 'completed');
    if (!job) return;
    const local = localDirPaths(t.path);
    for (const f of job.files.values()) {
      await rm(local.file(f.path), { force: true });
      await rm(local.metadata(f.path), { force: true });
    }
  }
}


/** Blob names the symlinks under `dir` point to. */
async function linkTargets(dir: string): Promise<string[]> {
  const out: string[] = [];
  const { readlink } = await import('node:fs/promises');
  const visit = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await visit(p);
      else if (e.isSymbolicLink()) {
        const target = await readlink(p).catch(() => '');
        const name = target.split('/').pop();
        if (name && /^[0-9a-f]{40,64}$/.test(name)) out.push(name);
      }
    }
  };
  await visit(dir);
  return out;
}

function progressSignature(s: JobSnapshot): string {
  return `${s.status}|${s.bytesDownloaded}|${s.bytesTotal}|${s.speed}|${s.currentFile}|${s.waitingFor ?? ''}`;
}

function latestJobFor(entry: CatalogEntry, jobs: JobSnapshot[]): JobSnapshot | null {
  let best: JobSnapshot | null = null;
  for (const j of jobs) {
    if (j.catalogId !== entry.id) continue;
    if (!best || j.createdAt >= best.createdAt) best = j;
  }
  return best;
}

export interface EndpointProbe {
  readonly endpoint: string;
  /** The endpoint answered like a Hub (even "not found" counts: it is reachable). */
  readonly ok: boolean;
  readonly latencyMs: number | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** Creates a manager. Every option is optional; see {@link DownloadManagerOptions}. */
export function createDownloadManager(options: DownloadManagerOptions = {}): DownloadManager {
  return new DownloadManager(options);
}
