import {
  createPersianHubClient,
  type AvailableFilter,
  type AvailableModel,
  type ConnectionStatus,
  type JobSnapshot,
  type PersianHubClient,
  type PersianHubClientOptions,
  type PersianHubLiveEvent,
} from '@persian-hub/client';
import { isStaleOrSame, joinModels, mergeJobFiles, notificationFor, orderJobs, withAllFiles } from './jobs.js';
import type {
  PendingAction,
  PersianHubNotification,
  PersianHubState,
  PersianHubStore,
} from './types.js';

export interface PersianHubStoreOptions extends PersianHubClientOptions {
  /** Use this client instead of making one from the other options. */
  readonly client?: PersianHubClient;
  /** Start from this state (stories, tests, server rendering). */
  readonly initialState?: Partial<PersianHubState>;
  /**
   * First wait before fetching the catalog again after a failed fetch, while connected; doubles
   * after each failure. What is on screen stays meanwhile. @default 2000
   */
  readonly refreshRetryMs?: number;
  /** Upper bound of that backoff. @default 30000 */
  readonly refreshRetryMaxMs?: number;
}

const EMPTY_JOBS: Readonly<Record<string, JobSnapshot>> = Object.freeze({});
const EMPTY_ORDER: readonly string[] = Object.freeze([]);
const EMPTY_PENDING: Readonly<Record<string, PendingAction>> = Object.freeze({});

/** The `pending` key of a bundle upload in flight. */
export const BUNDLE_UPLOAD_KEY = 'bundle:upload';

export function createPersianHubStore(options: PersianHubStoreOptions = {}): PersianHubStore {
  const client = options.client ?? createPersianHubClient(options);

  let state: PersianHubState = {
    jobs: EMPTY_JOBS,
    jobOrder: EMPTY_ORDER,
    models: null,
    catalog: null,
    modelsStatus: 'idle',
    modelsError: null,
    modelsFetching: false,
    modelsRetryAt: null,
    capabilities: null,
    connection: 'closed',
    pending: EMPTY_PENDING,
    lastEvent: null,
    ...options.initialState,
  };
  const listeners = new Set<() => void>();
  const notificationListeners = new Set<(n: PersianHubNotification) => void>();

  /** The catalog as the server sent it; `state.models` is it joined with live jobs. */
  let rawModels: readonly AvailableModel[] | null = state.catalog ?? state.models;
  if (state.catalog === null && rawModels !== null) state = { ...state, catalog: rawModels };
  const refreshRetryMs = options.refreshRetryMs ?? 2000;
  const refreshRetryMaxMs = options.refreshRetryMaxMs ?? 30_000;
  let refreshDelay = refreshRetryMs;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let capabilitiesRequested = false;
  let modelsFilter: AvailableFilter = {};
  let modelsRequest = 0;
  /** After the first snapshot the store's jobs are the whole truth; before it, the catalog's own `job` counts. */
  let jobsLoaded = options.initialState?.jobs !== undefined;
  const pendingTokens = new Map<string, number>();
  let pendingSeq = 0;
  let connections = 0;
  let unsubscribeClient: (() => void) | null = null;

  function setState(patch: Partial<PersianHubState>) {
    let changed = false;
    for (const key of Object.keys(patch) as (keyof PersianHubState)[]) {
      if (patch[key] !== state[key]) changed = true;
    }
    if (!changed) return;
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener();
  }

  function notify(notifications: readonly PersianHubNotification[]) {
    for (const n of notifications) for (const listener of [...notificationListeners]) listener(n);
  }

  /** Applies new jobs (a snapshot replaces the set, anything else upserts) and everything that follows from them. */
  function commitJobs(
    nextJobs: Readonly<Record<string, JobSnapshot>>,
    notifications: readonly PersianHubNotification[],
    lastEvent: PersianHubLiveEvent | null,
    forceJoin = false,
  ) {
    const jobsChanged = nextJobs !== state.jobs;
    if (!jobsChanged && !forceJoin) return;
    const jobOrder = orderJobs(nextJobs, state.jobOrder);
    const models = rawModels ? joinModels(rawModels, nextJobs, jobsLoaded, state.models, rawModels) : state.models;
    setState({ jobs: nextJobs, jobOrder, models, ...(lastEvent && jobsChanged ? { lastEvent } : {}) });
    notify(notifications);
    // A finished download changes the catalog's install status, which only the server knows.
    if (notifications.some((n) => n.type === 'completed') && state.modelsStatus !== 'idle') {
      void refreshModels();
    }
  }

  function upsertJob(job: JobSnapshot, event: PersianHubLiveEvent | null) {
    const prev = state.jobs[job.id];
    if (prev && isStaleOrSame(job, prev)) return;
    const notification = notificationFor(prev, job);
    commitJobs({ ...state.jobs, [job.id]: mergeJobFiles(prev, job) }, notification ? [notification] : [], event);
  }

  function replaceJobs(jobs: readonly JobSnapshot[], event: PersianHubLiveEvent) {
    const initial = !jobsLoaded;
    jobsLoaded = true;
    const next: Record<string, JobSnapshot> = {};
    const notifications: PersianHubNotification[] = [];
    let changed = Object.keys(state.jobs).length !== jobs.length;
    for (const job of jobs) {
      const prev = state.jobs[job.id];
      if (prev && isStaleOrSame(job, prev)) {
        next[job.id] = prev;
        continue;
      }
      changed = true;
      next[job.id] = mergeJobFiles(prev, job);
      // The first snapshot is history, not news: no toasts for it.
      const n = initial ? null : notificationFor(prev, job);
      if (n) notifications.push(n);
    }
    commitJobs(changed ? next : state.jobs, notifications, event, initial);
  }

  function applyEvent(event: PersianHubLiveEvent) {
    switch (event.type) {
      case 'snapshot':
        replaceJobs(event.jobs, event);
        return;
      case 'removed':
        setState({ lastEvent: event });
        if (state.modelsStatus !== 'idle') void refreshModels();
        return;
      case 'forgotten': {
        if (!state.jobs[event.job.id]) return;
        const { [event.job.id]: _gone, ...rest } = state.jobs;
        commitJobs(rest, [], event);
        return;
      }
      default:
        upsertJob(event.job, event);
    }
  }

  async function refreshModels(filter: AvailableFilter = modelsFilter): Promise<void> {
    modelsFilter = filter;
    const request = ++modelsRequest;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    setState(state.models ? { modelsFetching: true, modelsRetryAt: null } : { modelsStatus: 'loading', modelsFetching: true, modelsRetryAt: null });
    try {
      const fetched = await client.listAvailable(filter);
      if (request !== modelsRequest) return; // a newer request owns the list
      const previousRaw = rawModels;
      rawModels = fetched;
      refreshDelay = refreshRetryMs;
      setState({
        models: joinModels(fetched, state.jobs, jobsLoaded, state.models, previousRaw),
        catalog: fetched,
        modelsStatus: 'success',
        modelsError: null,
        modelsFetching: false,
      });
    } catch (error) {
      if (request !== modelsRequest) return;
      // Stale-while-revalidate: a failed refresh never takes a shown list away; it is tried
      // again by itself, later and later, while anyone is connected.
      const retryAt = connections > 0 ? scheduleRefresh() : null;
      setState({
        modelsStatus: state.models ? state.modelsStatus : 'error',
        modelsError: error instanceof Error ? error : new Error(String(error)),
        modelsFetching: false,
        modelsRetryAt: retryAt,
      });
    }
  }

  function scheduleRefresh(): number {
    const delay = refreshDelay;
    refreshDelay = Math.min(refreshDelay * 2, refreshRetryMaxMs);
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void refreshModels();
    }, delay);
    return Date.now() + delay;
  }

  async function loadCapabilities(): Promise<void> {
    if (capabilitiesRequested || !client.capabilities) return;
    capabilitiesRequested = true;
    try {
      const capabilities = await client.capabilities();
      if (typeof capabilities === 'object' && capabilities !== null) setState({ capabilities });
    } catch {
      // An older server has no such route: the UI then simply does not know, and says nothing.
    }
  }

  async function track<T>(key: string, action: PendingAction, run: () => Promise<T>): Promise<T> {
    const token = ++pendingSeq;
    pendingTokens.set(key, token);
    setState({ pending: { ...state.pending, [key]: action } });
    try {
      return await run();
    } finally {
      // A later action on the same id owns the flag now; leave it to clear its own.
      if (pendingTokens.get(key) === token) {
        pendingTokens.delete(key);
        const { [key]: _done, ...rest } = state.pending;
        setState({ pending: Object.keys(rest).length === 0 ? EMPTY_PENDING : rest });
      }
    }
  }

  /** Applies an action's answer at once, so the UI does not wait for the SSE echo (or the next poll). */
  const jobAction = (action: 'pause' | 'resume' | 'cancel') => (jobId: string) =>
    track(jobId, action, async () => {
      const job = await client[action](jobId);
      upsertJob(job, null);
      return state.jobs[job.id] ?? job;
    });

  function closeConnection() {
    const unsubscribe = unsubscribeClient;
    unsubscribeClient = null;
    unsubscribe?.();
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    setState({ connection: 'closed', modelsRetryAt: null });
  }

  function onConnection(connection: ConnectionStatus) {
    const reopened = connection === 'open' && state.connection !== 'open';
    setState({ connection });
    // The event stream is back, so the server is: no need to wait for the backoff.
    if (reopened && state.modelsError && !state.modelsFetching) void refreshModels();
  }

  function disconnect() {
    if (connections === 0) return;
    connections--;
    if (connections > 0) return;
    // Deferred: React StrictMode unmounts and remounts effects in one go, and the stream
    // should survive that rather than close and open again.
    queueMicrotask(() => {
      if (connections === 0) closeConnection();
    });
  }

  const store: PersianHubStore = {
    client,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => state,
    start: (idOrRequest) =>
      track(typeof idOrRequest === 'string' ? idOrRequest : idOrRequest.id, 'start', async () => {
        const { job } = await client.start(idOrRequest);
        upsertJob(job, null);
        return state.jobs[job.id] ?? job;
      }),
    pause: jobAction('pause'),
    resume: jobAction('resume'),
    cancel: jobAction('cancel'),
    remove: (id) =>
      track(id, 'remove', async () => {
        const { removed } = await client.removeInstalled(id);
        if (state.modelsStatus !== 'idle') void refreshModels();
        return removed;
      }),
    importBundle: (file) =>
      track(BUNDLE_UPLOAD_KEY, 'import', async () => {
        const result = await client.uploadBundle(file);
        upsertJob(result.job, null);
        if (state.modelsStatus !== 'idle') void refreshModels();
        return result;
      }),
    refreshModels,
    loadModels: () => (state.modelsStatus === 'idle' ? refreshModels() : Promise.resolve()),
    loadCapabilities,
    async loadJobFiles(jobId) {
      const full = await client.status(jobId);
      const current = state.jobs[jobId];
      const next = withAllFiles(current, full);
      if (next !== current) commitJobs({ ...state.jobs, [jobId]: next }, [], null);
      return state.jobs[jobId];
    },
    connect() {
      connections++;
      if (!unsubscribeClient) {
        setState({ connection: 'connecting' });
        unsubscribeClient = client.subscribe(applyEvent, onConnection);
        if (state.modelsError && refreshTimer === undefined && !state.modelsFetching) setState({ modelsRetryAt: scheduleRefresh() });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        disconnect();
      };
    },
    disconnect,
    applyEvent,
    subscribeNotifications(listener) {
      notificationListeners.add(listener);
      return () => {
        notificationListeners.delete(listener);
      };
    },
  };
  return store;
}
