import {
  PersianHubError,
  type AvailableModel,
  type CatalogEntry,
  type CatalogKind,
  type DownloadManagerApi,
  type DownloadManagerEventName,
  type DownloadManagerEvents,
  type FileSnapshot,
  type InstalledSnapshot,
  type JobSnapshot,
  type StartInput,
} from '@persian-hub/core';

export const FAKE_CACHE_DIR = '/srv/fake-hf-cache/hub';

export function catalogEntry(id: string, kind: CatalogKind, repoId: string): CatalogEntry {
  return {
    id,
    repoId,
    repoType: 'model',
    kind,
    revision: 'main',
    include: [],
    exclude: [],
    sizeBytes: 1000,
    license: 'apache-2.0',
    commercialUse: true,
    gated: false,
    name: { fa: `مدل ${id}`, en: id },
    description: { fa: 'توضیح', en: 'description' },
    tags: [],
    homepage: `https://huggingface.co/${repoId}`,
    provider: repoId.split('/')[0]!,
  };
}

type Listener = (...args: unknown[]) => void;

/**
 * In-memory stand-in for the real manager: jobs move only when a test says so, every call
 * is recorded, and listeners are counted so leak tests can read them.
 */
export class FakeDownloadManager implements DownloadManagerApi {
  readonly catalog: CatalogEntry[] = [
    catalogEntry('piper-fa-amir', 'tts', 'rhasspy/piper-voices'),
    catalogEntry('whisper-fa', 'asr', 'openai/whisper-small'),
  ];
  readonly jobs = new Map<string, JobSnapshot>();
  readonly installedSnapshots: InstalledSnapshot[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** The arguments of every `list()` call. */
  readonly listCalls: unknown[][] = [];
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #failures = new Map<string, unknown>();
  #nextId = 1;

  /** The next call of `method` throws `error`. */
  failNext(method: keyof DownloadManagerApi, error: unknown): void {
    this.#failures.set(method, error);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  emit<E extends DownloadManagerEventName>(event: E, ...args: Parameters<DownloadManagerEvents[E]>): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(...args);
  }

  /** Changes a job and emits `event` with the new snapshot. */
  update(jobId: string, event: (typeof import('@persian-hub/core').JOB_EVENT_NAMES)[number], patch: Partial<JobSnapshot>, file?: FileSnapshot): JobSnapshot {
    const job = { ...this.jobs.get(jobId)!, ...patch, updatedAt: new Date().toISOString() };
    this.jobs.set(jobId, job);
    if (event === 'file-completed') this.emit('file-completed', job, file!);
    else this.emit(event, job);
    return job;
  }

  addInstalled(repoId: string, catalogId: string | null = null): InstalledSnapshot {
    const snapshot: InstalledSnapshot = {
      key: `model:${repoId}@${'a'.repeat(40)}`,
      catalogId,
      repoId,
      repoType: 'model',
      commit: 'a'.repeat(40),
      refs: ['main'],
      path: `${FAKE_CACHE_DIR}/models--${repoId.replace('/', '--')}/snapshots/${'a'.repeat(40)}`,
      sizeOnDisk: 1000,
      fileCount: 2,
      location: 'cache',
    };
    this.installedSnapshots.push(snapshot);
    return snapshot;
  }

  #record(method: keyof DownloadManagerApi, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.#failures.has(method)) {
      const error = this.#failures.get(method);
      this.#failures.delete(method);
      throw error;
    }
  }

  #job(jobId: string): JobSnapshot {
    const job = this.jobs.get(jobId);
    if (!job) throw new PersianHubError('NOT_FOUND', `No job ${jobId}`);
    return job;
  }

  async start(input: StartInput): Promise<JobSnapshot> {
    this.#record('start', [input]);
    const request =
      typeof input === 'string'
        ? (() => {
            const entry = this.catalog.find((e) => e.id === input);
            if (!entry) throw new PersianHubError('NOT_FOUND', `No catalog entry ${input}`);
            return { ...entry, catalogId: entry.id, repoId: entry.repoId };
          })()
        : { catalogId: input.catalogId ?? null, ...input };
    const running = [...this.jobs.values()].find(
      (j) => j.repoId === request.repoId && !['completed', 'failed', 'cancelled'].includes(j.status),
    );
    if (running) return running;
    const now = new Date().toISOString();
    const job: JobSnapshot = {
      id: `job-${this.#nextId++}`,
      catalogId: request.catalogId ?? null,
      repoId: request.repoId,
      repoType: request.repoType ?? 'model',
      revision: request.revision ?? 'main',
      commit: null,
      include: request.include ?? [],
      exclude: request.exclude ?? [],
      status: 'queued',
      progress: 0,
      bytesDownloaded: 0,
      bytesTotal: null,
      speed: 0,
      eta: null,
      currentFile: null,
      files: [],
      path: null,
      endpoint: 'https://huggingface.co',
      backend: 'native',
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      localDir: null,
    };
    this.jobs.set(job.id, job);
    this.emit('queued', job);
    return job;
  }

  async pause(jobId: string): Promise<JobSnapshot> {
    this.#record('pause', [jobId]);
    const job = this.#job(jobId);
    if (!['queued', 'resolving', 'downloading'].includes(job.status)) {
      throw new PersianHubError('CONFLICT', `Cannot pause a ${job.status} job`);
    }
    return this.update(jobId, 'paused', { status: 'paused' });
  }

  async resume(jobId: string): Promise<JobSnapshot> {
    this.#record('resume', [jobId]);
    const job = this.#job(jobId);
    if (job.status !== 'paused') throw new PersianHubError('CONFLICT', `Cannot resume a ${job.status} job`);
    return this.update(jobId, 'resumed', { status: 'downloading' });
  }

  async cancel(jobId: string): Promise<JobSnapshot> {
    this.#record('cancel', [jobId]);
    this.#job(jobId);
    return this.update(jobId, 'cancelled', { status: 'cancelled' });
  }

  get(jobId: string): JobSnapshot | undefined {
    return this.jobs.get(jobId);
  }

  /** Always with every file, like a manager that predates summaries: the adapter strips them itself. */
  list(...args: unknown[]): JobSnapshot[] {
    this.listCalls.push(args);
    return [...this.jobs.values()];
  }

  /** A job in any state, with as many files as a test wants (no event). */
  seedJob(patch: Partial<JobSnapshot> = {}): JobSnapshot {
    const now = new Date().toISOString();
    const job: JobSnapshot = {
      id: `job-${this.#nextId++}`,
      catalogId: null,
      repoId: 'org/name',
      repoType: 'model',
      revision: 'main',
      commit: null,
      include: [],
      exclude: [],
      status: 'downloading',
      progress: 0,
      bytesDownloaded: 0,
      bytesTotal: null,
      speed: 0,
      eta: null,
      currentFile: null,
      files: [],
      path: null,
      endpoint: 'https://huggingface.co',
      backend: 'native',
      error: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      localDir: null,
      ...patch,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** Like core: drops a finished job and emits `forgotten` with its summary. */
  async forget(jobId: string): Promise<JobSnapshot> {
    this.#record('forget', [jobId]);
    const job = this.#job(jobId);
    if (!['completed', 'failed', 'cancelled'].includes(job.status)) throw new PersianHubError('CONFLICT', `Job ${jobId} is ${job.status}`);
    this.jobs.delete(jobId);
    const summary: JobSnapshot = { ...job, files: [], fileDetail: 'none' };
    this.emit('forgotten', summary);
    return summary;
  }

  async forgetFinished(): Promise<number> {
    this.#record('forgetFinished', []);
    const finished = [...this.jobs.values()].filter((j) => ['completed', 'failed', 'cancelled'].includes(j.status));
    for (const job of finished) {
      this.jobs.delete(job.id);
      this.emit('forgotten', { ...job, files: [], fileDetail: 'none' });
    }
    return finished.length;
  }

  async remove(idOrRepo: string): Promise<InstalledSnapshot[]> {
    this.#record('remove', [idOrRepo]);
    const matches = this.installedSnapshots.filter((s) => s.catalogId === idOrRepo || s.repoId === idOrRepo);
    if (matches.length === 0) throw new PersianHubError('NOT_FOUND', `Nothing installed for ${idOrRepo}`);
    const busy = matches.some((s) =>
      [...this.jobs.values()].some(
        (j) => j.repoId === s.repoId && !['completed', 'failed', 'cancelled'].includes(j.status),
      ),
    );
    if (busy) throw new PersianHubError('CONFLICT', 'A job is using this snapshot');
    for (const s of matches) {
      this.installedSnapshots.splice(this.installedSnapshots.indexOf(s), 1);
      this.emit('removed', s);
    }
    return matches;
  }

  async installed(): Promise<InstalledSnapshot[]> {
    this.#record('installed', []);
    return [...this.installedSnapshots];
  }

  async available(filter?: { kind?: CatalogKind; query?: string }): Promise<AvailableModel[]> {
    this.#record('available', [filter]);
    return this.catalog
      .filter((e) => !filter?.kind || e.kind === filter.kind)
      .filter((e) => !filter?.query || e.id.includes(filter.query))
      .map((e) => ({
        ...e,
        installed: this.installedSnapshots.find((s) => s.catalogId === e.id) ?? null,
        job: [...this.jobs.values()].find((j) => j.catalogId === e.id) ?? null,
      }));
  }

  async waitFor(jobId: string): Promise<JobSnapshot> {
    return this.#job(jobId);
  }

  async onIdle(): Promise<void> {}

  on<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => this.off(event, listener);
  }

  off<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): void {
    this.#listeners.get(event)?.delete(listener as Listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
