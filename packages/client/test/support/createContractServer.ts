// Test-only: a real HTTP server on 127.0.0.1:0 that speaks /work/rest-contract.md with canned,
// in-memory jobs, so the client, the store and the hooks are tested over real sockets.
// Jobs never move by themselves: a test moves them with `update()` and the events go out over SSE.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  AvailableModel,
  CatalogEntry,
  InstalledSnapshot,
  JobSnapshot,
  JobStatus,
} from '../../src/types.js';

/**
 * `silent`: the stream opens and then says nothing (a proxy that buffers it);
 * `drop`: it opens and is cut before the first event, every time.
 */
export type EventsMode = 'sse' | 'not-found' | 'html' | 'silent' | 'drop';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface ContractServer {
  readonly url: string;
  /** `${url}/api/sources` */
  readonly baseUrl: string;
  readonly jobs: Map<string, JobSnapshot>;
  readonly installed: Map<string, InstalledSnapshot>;
  readonly requests: RecordedRequest[];
  /** How `GET /events` answers; switch at any time. */
  eventsMode: EventsMode;
  /** Number of requests per `METHOD /route` (route with `:jobId` / `:id` placeholders). */
  count(route: string): number;
  /** SSE responses currently open. */
  openStreams(): number;
  /** SSE responses the server has seen close (client went away or `dropStreams`). */
  closedStreams(): number;
  /** Cuts every open SSE connection, as a crashing proxy would. */
  dropStreams(): void;
  /** Adds a job without an event (state that existed before the client connected). */
  seedJob(partial: Partial<JobSnapshot> & { id: string }): JobSnapshot;
  /** Changes a job, bumps `updatedAt` and sends `event` over SSE. */
  update(jobId: string, patch: Partial<JobSnapshot>, event: string): JobSnapshot;
  /** Marks a job completed, installs its repo and sends `completed`. */
  complete(jobId: string): JobSnapshot;
  /** Sends an event exactly as given (e.g. a stale snapshot). */
  emit(event: string, data: unknown): void;
  /** Resolves once `predicate` holds, re-checked after every request, every stream open and every stream close. */
  until(predicate: () => boolean): Promise<void>;
  /** The next request to `METHOD /route` (or the one after `skip` more) waits until the returned function is called. */
  hold(route: string, options?: { skip?: number }): () => void;
  /**
   * The next request to `METHOD /route` gets this answer instead (`html`: a page that is not ours,
   * as a proxy or a filter sends; otherwise a Persian Hub error body with `code`).
   */
  failNext(route: string, answer: { status: number; code?: string; html?: boolean }): void;
  /** What `GET /capabilities` answers; null answers 404, as a server older than the route does. */
  capabilities: { hubToken: boolean | null; bundleUpload: boolean } | null;
  close(): Promise<void>;
}

export const catalog: CatalogEntry[] = [
  entry('piper-fa-amir', 'rhasspy/piper-voices', 'tts', 'Amir (Piper)', 'امیر (پایپر)'),
  entry('whisper-fa', 'openai/whisper-small', 'asr', 'Whisper small', 'ویسپر کوچک'),
  entry('parsbert', 'HooshvareLab/bert-fa-base-uncased', 'embedding', 'ParsBERT', 'پارس‌برت'),
];

function entry(id: string, repoId: string, kind: CatalogEntry['kind'], en: string, fa: string): CatalogEntry {
  return {
    id,
    repoId,
    repoType: 'model',
    kind,
    revision: 'main',
    include: [],
    exclude: [],
    sizeBytes: 1000,
    license: 'mit',
    commercialUse: true,
    gated: false,
    name: { en, fa },
    description: { en: `${en} description`, fa: `توضیح ${fa}` },
    tags: [kind],
    homepage: `https://huggingface.co/${repoId}`,
    provider: repoId.split('/')[0] ?? '',
  };
}

const ACTIVE: readonly JobStatus[] = ['queued', 'resolving', 'downloading', 'verifying', 'paused'];

export async function createContractServer(options: { retryMs?: number } = {}): Promise<ContractServer> {
  const prefix = '/api/sources';
  const retryMs = options.retryMs ?? 20;
  const jobs = new Map<string, JobSnapshot>();
  const installed = new Map<string, InstalledSnapshot>();
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const holds = new Map<string, { skip: number; gate: Promise<void> }[]>();
  const failures = new Map<string, { status: number; code?: string; html?: boolean }[]>();
  const buffer: { id: number; event: string; data: string }[] = [];
  const streams = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  let closedStreams = 0;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let eventSeq = 0;
  let clock = Date.UTC(2026, 0, 1);
  let jobSeq = 0;
  const now = () => new Date((clock += 1000)).toISOString();

  function frame(event: string, data: string, id?: number) {
    return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
  }

  function emit(event: string, payload: unknown) {
    const data = JSON.stringify(payload);
    const id = ++eventSeq;
    buffer.push({ id, event, data });
    if (buffer.length > 1000) buffer.shift();
    for (const res of streams) res.write(frame(event, data, id));
  }

  function makeJob(partial: Partial<JobSnapshot> & { id: string }): JobSnapshot {
    const at = now();
    return {
      catalogId: null,
      repoId: 'org/name',
      repoType: 'model',
      revision: 'main',
      commit: null,
      include: [],
      exclude: [],
      status: 'queued',
      progress: 0,
      bytesDownloaded: 0,
      bytesTotal: null,
      speed: 0,
      eta: null,
      currentFile: null,
      files: [],
      path: null,
      endpoint: null,
      backend: 'native',
      error: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
    localDir: null,
      ...partial,
    };
  }

  function update(jobId: string, patch: Partial<JobSnapshot>, event: string): JobSnapshot {
    const current = jobs.get(jobId);
    if (!current) throw new Error(`no job ${jobId}`);
    const next = { ...current, ...patch, updatedAt: now() };
    jobs.set(jobId, next);
    emit(event, { job: next });
    return next;
  }

  function available(kind: string | null, q: string | null): AvailableModel[] {
    const needle = q?.toLowerCase() ?? '';
    return catalog
      .filter((c) => !kind || c.kind === kind)
      .filter(
        (c) =>
          !needle ||
          [c.id, c.repoId, c.name.en, c.name.fa].some((s) => s.toLowerCase().includes(needle)),
      )
      .map((c) => {
        const own = [...jobs.values()].filter((j) => j.catalogId === c.id);
        return {
          ...c,
          installed: [...installed.values()].find((i) => i.catalogId === c.id) ?? null,
          job: own.at(-1) ?? null,
        };
      });
  }

  function send(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function fail(res: http.ServerResponse, status: number, code: string, message: string, details?: unknown) {
    send(res, status, { error: { code, message, ...(details ? { details } : {}) } });
  }

  function openEvents(req: http.IncomingMessage, res: http.ServerResponse) {
    if (server.eventsMode === 'not-found') return fail(res, 404, 'NOT_FOUND', 'no events here');
    if (server.eventsMode === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return res.end('<!doctype html><title>SPA fallback</title>');
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.write(`retry: ${retryMs}\n\n`);
    if (server.eventsMode === 'drop') {
      res.end();
      return;
    }
    if (server.eventsMode === 'silent') {
      streams.add(res);
      res.on('close', () => {
        if (streams.delete(res)) closedStreams++;
        changed();
      });
      return;
    }
    const last = Number(req.headers['last-event-id']);
    const oldest = buffer[0]?.id;
    if (Number.isInteger(last) && last > 0 && (oldest === undefined || oldest <= last + 1)) {
      for (const e of buffer) if (e.id > last) res.write(frame(e.event, e.data, e.id));
    } else {
      res.write(frame('snapshot', JSON.stringify({ jobs: [...jobs.values()] })));
    }
    streams.add(res);
    changed();
    res.on('close', () => {
      if (streams.delete(res)) closedStreams++;
      changed();
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(prefix)) return fail(res, 404, 'NOT_FOUND', 'not found');
    const path = url.pathname.slice(prefix.length);
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean);
    const route = `${method} /${parts
      .map((p, i) => ((parts[0] === 'download' || parts[0] === 'installed') && i === 1 ? (parts[0] === 'download' ? ':jobId' : ':id') : p))
      .join('/')}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
    requests.push({ method, path: req.url ?? '', headers: req.headers, body });
    changed();
    const queue = holds.get(route);
    const next = queue?.[0];
    if (next && next.skip > 0) next.skip--;
    else if (next) {
      queue!.shift();
      await next.gate;
    }
    const failure = failures.get(route)?.shift();
    if (failure?.html) {
      res.writeHead(failure.status, { 'Content-Type': 'text/html' });
      return res.end('<!doctype html><title>Access denied</title><h1>This site is blocked</h1>');
    }
    if (failure) return fail(res, failure.status, failure.code ?? 'INTERNAL', `failing ${route} on purpose`);
    if (route === 'GET /capabilities') {
      return api.capabilities ? send(res, 200, api.capabilities) : fail(res, 404, 'NOT_FOUND', `no route ${route}`);
    }

    if (route === 'POST /bundles/upload') {
      // Like the adapter: a .tar body only. The contract stand-in reads the catalog id as the
      // body's text ("corrupt" in it plays a bundle whose hash does not match).
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-tar')) {
        return fail(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/x-tar');
      }
      if (body === '') return fail(res, 400, 'INVALID_INPUT', 'The upload is empty');
      if (body.includes('corrupt')) {
        return fail(res, 422, 'BUNDLE_INVALID', '"voice.onnx" in the bundle is corrupt', { file: 'voice.onnx' });
      }
      const entry = catalog.find((c) => c.id === body.trim());
      if (!entry) return fail(res, 422, 'BUNDLE_INVALID', 'not a Persian Hub bundle');
      const created = makeJob({ id: `job-${++jobSeq}`, catalogId: entry.id, repoId: entry.repoId, repoType: entry.repoType, backend: 'bundle' });
      jobs.set(created.id, created);
      emit('queued', { job: created });
      const done = api.complete(created.id);
      return send(res, 200, { jobId: done.id, job: done, alreadyInstalled: false });
    }
    if (method !== 'GET' && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return fail(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    }
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return fail(res, 400, 'INVALID_INPUT', 'body is not JSON');
    }

    const jobId = parts[0] === 'download' && parts[1] ? decodeURIComponent(parts[1]) : '';
    const job = jobs.get(jobId);
    switch (route) {
      case 'GET /models/available':
        return send(res, 200, available(url.searchParams.get('kind'), url.searchParams.get('q')));
      case 'GET /downloads':
        return send(res, 200, [...jobs.values()]);
      case 'GET /installed':
        return send(res, 200, [...installed.values()]);
      case 'GET /events':
        return openEvents(req, res);
      case 'POST /download': {
        const id = typeof input.id === 'string' ? input.id : '';
        const fromCatalog = catalog.find((c) => c.id === id);
        if (!fromCatalog && !id.includes('/')) {
          return fail(res, 404, 'NOT_FOUND', `no catalog entry ${id}`, { id });
        }
        const running = [...jobs.values()].find(
          (j) => ACTIVE.includes(j.status) && (fromCatalog ? j.catalogId === id : j.repoId === id),
        );
        if (running) return send(res, 202, { jobId: running.id, job: running });
        const created = makeJob({
          id: `job-${++jobSeq}`,
          catalogId: fromCatalog?.id ?? null,
          repoId: fromCatalog?.repoId ?? id,
          repoType: (input.repoType as JobSnapshot['repoType'] | undefined) ?? 'model',
          revision: (input.revision as string | undefined) ?? 'main',
          include: (input.include as string[] | undefined) ?? [],
          exclude: (input.exclude as string[] | undefined) ?? [],
        });
        jobs.set(created.id, created);
        emit('queued', { job: created });
        return send(res, 202, { jobId: created.id, job: created });
      }
    }
    if (parts[0] === 'download' && !job) return fail(res, 404, 'NOT_FOUND', `no job ${jobId}`, { jobId });
    switch (route) {
      case 'GET /download/:jobId/status':
        return send(res, 200, job);
      case 'DELETE /download/:jobId':
        return send(res, 200, update(jobId, { status: 'cancelled', speed: 0, eta: null }, 'cancelled'));
      case 'POST /download/:jobId/pause':
        if (!job || !['queued', 'resolving', 'downloading'].includes(job.status)) {
          return fail(res, 409, 'CONFLICT', `cannot pause a ${job?.status} job`, { status: job?.status });
        }
        return send(res, 200, update(jobId, { status: 'paused', speed: 0 }, 'paused'));
      case 'POST /download/:jobId/resume':
        if (!job || job.status !== 'paused') {
          return fail(res, 409, 'CONFLICT', `cannot resume a ${job?.status} job`, { status: job?.status });
        }
        return send(res, 200, update(jobId, { status: 'downloading' }, 'resumed'));
      case 'DELETE /installed/:id': {
        const id = decodeURIComponent(parts[1] ?? '');
        const removed = [...installed.values()].filter(
          (i) => i.catalogId === id || i.repoId === id || i.key === id,
        );
        if (removed.length === 0) return fail(res, 404, 'NOT_FOUND', `${id} is not installed`, { id });
        for (const r of removed) {
          installed.delete(r.key);
          emit('removed', { installed: r });
        }
        return send(res, 200, { removed });
      }
    }
    return fail(res, 404, 'NOT_FOUND', `no route ${route}`);
  }

  const server = Object.assign(
    http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        handle(req, res, body).catch((error: unknown) => {
          if (!res.headersSent) fail(res, 500, 'INTERNAL', String(error));
        });
      });
    }),
    { eventsMode: 'sse' as EventsMode },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const api: ContractServer = {
    url,
    baseUrl: `${url}${prefix}`,
    jobs,
    installed,
    requests,
    get eventsMode() {
      return server.eventsMode;
    },
    set eventsMode(mode: EventsMode) {
      server.eventsMode = mode;
    },
    count: (route) => counts.get(route) ?? 0,
    openStreams: () => streams.size,
    closedStreams: () => closedStreams,
    dropStreams() {
      for (const res of [...streams]) {
        streams.delete(res);
        closedStreams++;
        res.destroy();
      }
    },
    seedJob(partial) {
      const job = makeJob({ ...partial });
      jobs.set(job.id, job);
      return job;
    },
    update,
    complete(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`no job ${jobId}`);
      const commit = 'a'.repeat(40);
      const snapshot: InstalledSnapshot = {
        key: `${job.repoType}:${job.repoId}@${commit}`,
        catalogId: job.catalogId,
        repoId: job.repoId,
        repoType: job.repoType,
        commit,
        refs: [job.revision],
        path: `/cache/${job.repoId}`,
        sizeOnDisk: 1000,
        fileCount: 1,
        location: 'cache',
      };
      installed.set(snapshot.key, snapshot);
      return update(
        jobId,
        { status: 'completed', progress: 100, commit, path: snapshot.path, completedAt: now(), speed: 0, eta: 0 },
        'completed',
      );
    },
    emit,
    until(predicate) {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    failNext(route, answer) {
      failures.set(route, [...(failures.get(route) ?? []), answer]);
    },
    capabilities: { hubToken: true, bundleUpload: false },
    hold(route, options = {}) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      holds.set(route, [...(holds.get(route) ?? []), { skip: options.skip ?? 0, gate }]);
      return release;
    },
    async close() {
      for (const res of streams) res.destroy();
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
