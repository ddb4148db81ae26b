import { trimTrailingSlashes } from '../trimTrailingSlashes.js';
import { JOB_EVENT_NAMES } from '../types.js';
import type { AvailableModel, InstalledSnapshot, JobSnapshot } from '../types.js';
import { PersianHubClientError, errorFromResponse } from './PersianHubClientError.js';
import type {
  AvailableFilter,
  ConnectionStatus,
  EventSourceConstructorLike,
  EventSourceLike,
  EventSourceMessageLike,
  ImportBundleResult,
  PersianHubLiveEvent,
  RemoveInstalledResult,
  ServerCapabilities,
  StartRepoRequest,
  StartResult,
} from './types.js';

export interface PersianHubClientOptions {
  /** Where the server adapter is mounted. @default '/api/sources' */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Pass `null` to force polling. @default globalThis.EventSource */
  readonly EventSource?: EventSourceConstructorLike | null;
  /** How often `GET /downloads` runs while the event stream is unavailable. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Errors in a row, without the stream ever opening, before polling takes over. @default 3 */
  readonly maxStreamFailures?: number;
  /** First delay before trying the event stream again while polling; doubles each time. @default 1000 */
  readonly streamRetryMs?: number;
  /** Upper bound of that backoff. @default 30000 */
  readonly streamRetryMaxMs?: number;
  /**
   * A stream that opens but delivers no event for this long (a proxy that buffers it, a server
   * that drops it after the headers) counts as failed: polling takes over. @default 10000
   */
  readonly firstEventTimeoutMs?: number;
  /**
   * Sent as `Authorization: Bearer <token>` with every REST request: the admin token of a server
   * that requires one for changes (the example apps' `PERSIAN_HUB_ADMIN_TOKEN`). A function is
   * asked on every request. The event stream cannot carry headers (EventSource), so keep reads open.
   */
  readonly token?: string | (() => string | null | undefined);
  /** More headers for every REST request (e.g. a CSRF token of the host app). */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
}

export interface PersianHubClient {
  readonly baseUrl: string;
  listAvailable(filter?: AvailableFilter): Promise<AvailableModel[]>;
  /** A catalog id, or `{ id: 'org/name', ... }` for any Hub repo. Resolves with the new or already running job. */
  start(idOrRequest: string | StartRepoRequest): Promise<StartResult>;
  status(jobId: string): Promise<JobSnapshot>;
  listJobs(): Promise<JobSnapshot[]>;
  cancel(jobId: string): Promise<JobSnapshot>;
  pause(jobId: string): Promise<JobSnapshot>;
  resume(jobId: string): Promise<JobSnapshot>;
  installed(): Promise<InstalledSnapshot[]>;
  /** A catalog id or `org/name` (sent URL-encoded). */
  removeInstalled(id: string): Promise<RemoveInstalledResult>;
  /**
   * Sends an offline bundle (the `.tar` a user picked, e.g. from a USB disk) to
   * `POST /bundles/upload`; the server verifies every file before installing. Needs
   * `bundleUploadLimit` on the server (403 otherwise). An import never moves an existing ref
   * (`refs/main` naming another commit) unless `updateRefs` asks; the result's `ref` says.
   */
  uploadBundle(file: Blob, options?: { readonly updateRefs?: boolean }): Promise<ImportBundleResult>;
  /**
   * What the server offers (`GET /capabilities`): whether it has a Hub token, whether it takes
   * bundle uploads. Optional, so clients written before it (test doubles, custom transports) still fit.
   */
  capabilities?(): Promise<ServerCapabilities>;
  /**
   * Live events. Uses the SSE route, falls back to polling `GET /downloads` when the stream is
   * unavailable and goes back to the stream once it opens again. The returned function closes
   * the stream and clears every timer.
   */
  subscribe(
    onEvent: (event: PersianHubLiveEvent) => void,
    onStatus?: (status: ConnectionStatus) => void,
  ): () => void;
}

const CLOSED = 2;

export function createPersianHubClient(options: PersianHubClientOptions = {}): PersianHubClient {
  const baseUrl = trimTrailingSlashes(options.baseUrl ?? '/api/sources');
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const maxStreamFailures = options.maxStreamFailures ?? 3;
  const streamRetryMs = options.streamRetryMs ?? 1000;
  const streamRetryMaxMs = options.streamRetryMaxMs ?? 30_000;
  const firstEventTimeoutMs = options.firstEventTimeoutMs ?? 10_000;

  // Looked up per call so a polyfill installed after the client was created still counts, and
  // called as a plain function: `window.fetch` called as a method of another object throws.
  const doFetch: typeof fetch = (input, init) => {
    const f = options.fetch ?? globalThis.fetch;
    return f(input, init);
  };

  async function request<T>(method: string, path: string, body?: unknown, raw?: { body: Blob; type: string }): Promise<T> {
    const mutation = method !== 'GET';
    const extra = typeof options.headers === 'function' ? options.headers() : options.headers;
    const headers: Record<string, string> = { ...extra, Accept: 'application/json' };
    const token = typeof options.token === 'function' ? options.token() : options.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (mutation) headers['Content-Type'] = raw?.type ?? 'application/json';
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, {
        method,
        headers,
        // Some servers (Fastify) reject an empty body that claims to be JSON, so mutations
        // without a payload send `{}`.
        body: raw ? raw.body : mutation ? JSON.stringify(body ?? {}) : undefined,
      });
    } catch (cause) {
      throw new PersianHubClientError('NETWORK', `Could not reach ${baseUrl}${path}`, { status: 0, cause });
    }
    if (!response.ok) throw await errorFromResponse(response);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  const job = (jobId: string) => `/download/${encodeURIComponent(jobId)}`;

  function subscribe(
    onEvent: (event: PersianHubLiveEvent) => void,
    onStatus: (status: ConnectionStatus) => void = () => {},
  ): () => void {
    const EventSourceImpl =
      options.EventSource === undefined
        ? (globalThis as { EventSource?: EventSourceConstructorLike }).EventSource
        : options.EventSource;

    let closed = false;
    let status: ConnectionStatus | undefined;
    let source: EventSourceLike | null = null;
    /** Errors since the stream last opened. */
    let failures = 0;
    let polling = false;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let firstEventTimer: ReturnType<typeof setTimeout> | undefined;
    let retryDelay = streamRetryMs;

    const setStatus = (next: ConnectionStatus) => {
      if (next === status) return;
      status = next;
      onStatus(next);
    };

    const emit = (event: PersianHubLiveEvent) => {
      if (!closed) onEvent(event);
    };

    const parse = (message: EventSourceMessageLike): Record<string, unknown> | undefined => {
      try {
        const value: unknown = JSON.parse(message.data);
        return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
      } catch {
        return undefined; // a malformed frame must not take the stream down
      }
    };

    const eventIdOf = (message: EventSourceMessageLike) =>
      message.lastEventId ? { eventId: message.lastEventId } : {};

    function openStream() {
      if (closed || !EventSourceImpl) return;
      let es: EventSourceLike;
      try {
        es = new EventSourceImpl(`${baseUrl}/events`);
      } catch {
        onStreamFailed();
        return;
      }
      source = es;
      /** Only an event proves the stream works: an open that delivers nothing does not. */
      let delivered = false;
      const onDelivered = () => {
        if (delivered) return;
        delivered = true;
        clearTimeout(firstEventTimer);
        firstEventTimer = undefined;
        failures = 0;
        retryDelay = streamRetryMs;
        stopPolling();
        setStatus('open');
      };
      es.onopen = () => {
        if (source !== es) return;
        // While polling, only a delivered event switches back.
        if (!polling) setStatus('open');
        if (delivered) return; // the browser's own reconnect: a replay may rightly be empty
        clearTimeout(firstEventTimer);
        firstEventTimer = setTimeout(() => {
          firstEventTimer = undefined;
          if (source !== es || delivered) return;
          dropStream();
          onStreamFailed();
        }, firstEventTimeoutMs);
      };
      es.onerror = () => {
        if (source !== es) return;
        failures++;
        // CLOSED means the browser gave up for good (404, not text/event-stream); otherwise it
        // reconnects by itself and sends Last-Event-ID, unless it keeps failing.
        if (polling || es.readyState === CLOSED || failures >= maxStreamFailures) {
          dropStream();
          onStreamFailed();
        } else {
          setStatus('connecting');
        }
      };
      es.addEventListener('snapshot', (message) => {
        if (source !== es) return;
        onDelivered();
        const data = parse(message);
        if (data && Array.isArray(data.jobs)) {
          emit({ type: 'snapshot', jobs: data.jobs as JobSnapshot[], source: 'sse' });
        }
      });
      for (const type of JOB_EVENT_NAMES) {
        es.addEventListener(type, (message) => {
          if (source !== es) return;
          onDelivered();
          const data = parse(message);
          if (!data || typeof data.job !== 'object' || data.job === null) return;
          emit({
            type,
            job: data.job as JobSnapshot,
            ...(data.file ? { file: data.file as never } : {}),
            ...eventIdOf(message),
          });
        });
      }
      es.addEventListener('removed', (message) => {
        if (source !== es) return;
        onDelivered();
        const data = parse(message);
        if (!data || typeof data.installed !== 'object' || data.installed === null) return;
        emit({ type: 'removed', installed: data.installed as InstalledSnapshot, ...eventIdOf(message) });
      });
    }

    function dropStream() {
      const es = source;
      source = null;
      clearTimeout(firstEventTimer);
      firstEventTimer = undefined;
      if (es) {
        es.onopen = null;
        es.onerror = null;
        es.close();
      }
    }

    function onStreamFailed() {
      if (closed) return;
      startPolling();
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        openStream();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, streamRetryMaxMs);
    }

    function startPolling() {
      if (polling || closed) return;
      polling = true;
      setStatus('polling');
      void poll();
    }

    function stopPolling() {
      polling = false;
      clearTimeout(pollTimer);
      pollTimer = undefined;
    }

    async function poll() {
      try {
        const jobs = await request<JobSnapshot[]>('GET', '/downloads');
        if (polling && Array.isArray(jobs)) emit({ type: 'snapshot', jobs, source: 'poll' });
      } catch {
        // The next tick tries again; the status stays `polling`.
      }
      if (polling && !closed) {
        clearTimeout(pollTimer);
        pollTimer = setTimeout(() => {
          pollTimer = undefined;
          void poll();
        }, pollIntervalMs);
      }
    }

    if (EventSourceImpl) {
      setStatus('connecting');
      openStream();
    } else {
      startPolling();
    }

    return () => {
      if (closed) return;
      dropStream();
      stopPolling();
      clearTimeout(retryTimer);
      retryTimer = undefined;
      setStatus('closed');
      closed = true;
    };
  }

  return {
    baseUrl,
    listAvailable(filter = {}) {
      const params = new URLSearchParams();
      if (filter.kind) params.set('kind', filter.kind);
      if (filter.query) params.set('q', filter.query);
      const qs = params.toString();
      return request('GET', `/models/available${qs ? `?${qs}` : ''}`);
    },
    async start(idOrRequest) {
      const body = typeof idOrRequest === 'string' ? { id: idOrRequest } : idOrRequest;
      return request('POST', '/download', body);
    },
    status: (jobId) => request('GET', `${job(jobId)}/status`),
    listJobs: () => request('GET', '/downloads'),
    cancel: (jobId) => request('DELETE', job(jobId)),
    pause: (jobId) => request('POST', `${job(jobId)}/pause`),
    resume: (jobId) => request('POST', `${job(jobId)}/resume`),
    installed: () => request('GET', '/installed'),
    removeInstalled: (id) => request('DELETE', `/installed/${encodeURIComponent(id)}`),
    uploadBundle: (file, options) =>
      request('POST', options?.updateRefs ? '/bundles/upload?updateRefs=1' : '/bundles/upload', undefined, { body: file, type: 'application/x-tar' }),
    capabilities: () => request('GET', '/capabilities'),
    subscribe,
  };
}
