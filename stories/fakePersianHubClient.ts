// FAKE: a PersianHubClient that lives in the browser and pretends to download. Nothing is fetched.
// It lets Storybook show the real ModelHub container (store, hooks, live events, toasts) without
// a server: start → queued → downloading (bytes, speed, ETA, current file) → completed, plus
// pause / resume / cancel / remove, and a gated failure for gated entries.
import { PersianHubClientError, type AvailableModel, type InstalledSnapshot, type JobSnapshot, type PersianHubClient } from '@persian-hub/react';

type LiveEvent = Parameters<Parameters<PersianHubClient['subscribe']>[0]>[0];

const TICK_MS = 250;
const FAKE_SECONDS = 10;

export function createFakePersianHubClient(catalog: readonly AvailableModel[]): PersianHubClient {
  const jobs = new Map<string, JobSnapshot>();
  const installed = new Map<string, InstalledSnapshot>();
  const listeners = new Set<(e: LiveEvent) => void>();
  let seq = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  const now = () => new Date().toISOString();
  const emit = (e: LiveEvent) => listeners.forEach((l) => l(e));
  const put = (j: JobSnapshot, type: 'queued' | 'started' | 'progress' | 'paused' | 'resumed' | 'completed' | 'failed' | 'cancelled') => {
    jobs.set(j.id, j);
    emit({ type, job: j });
    return j;
  };
  const entry = (id: string) => catalog.find((m) => m.id === id);
  const delay = <T,>(value: () => T) => new Promise<T>((r) => setTimeout(() => r(value()), 300));

  const tick = () => {
    for (const j of jobs.values()) {
      if (j.status === 'queued') put({ ...j, status: 'downloading', updatedAt: now() }, 'started');
      else if (j.status === 'downloading') {
        const total = j.bytesTotal ?? 1;
        const speed = total / FAKE_SECONDS;
        const bytes = Math.min(total, j.bytesDownloaded + speed * (TICK_MS / 1000));
        if (bytes >= total) {
          const m = entry(j.catalogId ?? '')!;
          installed.set(m.id, {
            key: `${m.id}@${'f'.repeat(40)}`,
            catalogId: m.id,
            repoId: m.repoId,
            repoType: m.repoType,
            commit: 'f'.repeat(40),
            refs: [m.revision],
            path: `/cache/models--${m.repoId.replace('/', '--')}/snapshots/${'f'.repeat(40)}`,
            sizeOnDisk: total,
            fileCount: 2,
            location: 'cache',
          });
          put({ ...j, status: 'completed', bytesDownloaded: total, progress: 100, speed: 0, eta: null, currentFile: null, completedAt: now(), updatedAt: now() }, 'completed');
        } else {
          put({ ...j, bytesDownloaded: Math.round(bytes), progress: Math.round((bytes / total) * 1000) / 10, speed: Math.round(speed), eta: Math.ceil((total - bytes) / speed), updatedAt: now() }, 'progress');
        }
      }
    }
  };

  const join = (): AvailableModel[] =>
    catalog.map((m) => ({
      ...m,
      installed: installed.get(m.id) ?? m.installed ?? null,
      job: [...jobs.values()].filter((j) => j.catalogId === m.id).at(-1) ?? null,
    }));

  const client: PersianHubClient = {
    baseUrl: 'fake://persian-hub',
    listAvailable: () => delay(join),
    start: (idOrRequest) =>
      delay(() => {
        const id = typeof idOrRequest === 'string' ? idOrRequest : idOrRequest.id;
        const m = entry(id);
        if (!m) throw Object.assign(new Error(`No catalog entry ${id}`), { code: 'NOT_FOUND' });
        const running = [...jobs.values()].find((j) => j.catalogId === id && !['completed', 'failed', 'cancelled'].includes(j.status));
        if (running) return { jobId: running.id, job: running };
        const j: JobSnapshot = {
          id: `fake-job-${++seq}`,
          catalogId: id,
          repoId: m.repoId,
          repoType: m.repoType,
          revision: m.revision,
          commit: null,
          include: m.include,
          exclude: m.exclude,
          localDir: null,
          status: m.gated ? 'failed' : 'queued',
          progress: 0,
          bytesDownloaded: 0,
          bytesTotal: m.sizeBytes,
          speed: 0,
          eta: null,
          currentFile: m.include[0] ?? null,
          files: [],
          path: null,
          endpoint: 'fake://hub',
          backend: 'native',
          error: m.gated ? { code: 'GATED_REPO', message: `${m.repoId} is gated (fake).` } : null,
          createdAt: now(),
          updatedAt: now(),
          completedAt: null,
        };
        put(j, m.gated ? 'failed' : 'queued');
        return { jobId: j.id, job: j };
      }),
    status: (jobId) => delay(() => jobs.get(jobId)!),
    listJobs: () => delay(() => [...jobs.values()]),
    pause: (jobId) => delay(() => put({ ...jobs.get(jobId)!, status: 'paused', speed: 0, eta: null, updatedAt: now() }, 'paused')),
    resume: (jobId) => delay(() => put({ ...jobs.get(jobId)!, status: 'queued', updatedAt: now() }, 'resumed')),
    cancel: (jobId) =>
      delay(() => put({ ...jobs.get(jobId)!, status: 'cancelled', bytesDownloaded: 0, progress: 0, speed: 0, eta: null, error: { code: 'CANCELLED', message: 'Cancelled.' }, updatedAt: now() }, 'cancelled')),
    installed: () => delay(() => [...installed.values()]),
    removeInstalled: (id) =>
      delay(() => {
        const removed = installed.get(id);
        installed.delete(id);
        if (removed) emit({ type: 'removed', installed: removed });
        return { removed: removed ? [removed] : [] };
      }),
    // No bundles in this browser-only fake: it answers as a server that does not accept uploads.
    uploadBundle: () =>
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new PersianHubClientError('FORBIDDEN', 'Uploading bundles is not enabled on this server', { status: 403 })), 300),
      ),
    subscribe(onEvent, onStatus) {
      listeners.add(onEvent);
      onStatus?.('open');
      onEvent({ type: 'snapshot', jobs: [...jobs.values()], source: 'sse' });
      timer ??= setInterval(tick, TICK_MS);
      return () => {
        listeners.delete(onEvent);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
  };
  return client;
}
