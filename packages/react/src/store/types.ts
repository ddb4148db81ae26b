import type {
  AvailableFilter,
  AvailableModel,
  ConnectionStatus,
  ImportBundleResult,
  InstalledSnapshot,
  JobSnapshot,
  PersianHubClient,
  PersianHubLiveEvent,
  ServerCapabilities,
  StartRepoRequest,
} from '@persian-hub/client';

export type PendingAction = 'start' | 'pause' | 'resume' | 'cancel' | 'remove' | 'import';

export type ModelsStatus = 'idle' | 'loading' | 'success' | 'error';

/**
 * Immutable: every change makes a new object, and nothing that did not change gets a new
 * reference, so `useSyncExternalStore` and `React.memo` can compare with `===`.
 */
export interface PersianHubState {
  readonly jobs: Readonly<Record<string, JobSnapshot>>;
  /** Job ids, newest (`createdAt`) first. */
  readonly jobOrder: readonly string[];
  /** The catalog with install status, each entry's `job` the newest live job for it; null until loaded. */
  readonly models: readonly AvailableModel[] | null;
  /**
   * The catalog as the server last sent it, without live jobs: its reference changes only when a
   * fetch brings something new, never on a progress tick (lists render from it; cards read their
   * own live entry from `models`).
   */
  readonly catalog: readonly AvailableModel[] | null;
  /**
   * `loading` only while nothing is shown yet; `error` only when the first load failed. A failed
   * refresh of a shown list keeps `success` and the list (stale-while-revalidate) and sets
   * `modelsError`; a refresh in flight sets `modelsFetching`.
   */
  readonly modelsStatus: ModelsStatus;
  /** Why the last fetch of the catalog failed; null once one succeeds. */
  readonly modelsError: Error | null;
  readonly modelsFetching: boolean;
  /** When the store tries the catalog again by itself after a failure (epoch ms); null when no retry waits. */
  readonly modelsRetryAt: number | null;
  /** What the server offers (`GET /capabilities`); null until known, or when the server does not say. */
  readonly capabilities: ServerCapabilities | null;
  readonly connection: ConnectionStatus;
  /**
   * Actions in flight, by the id they act on: a job id for pause / resume / cancel, the
   * catalog id or `org/name` for start and remove.
   */
  readonly pending: Readonly<Record<string, PendingAction>>;
  /** The last event that changed something. */
  readonly lastEvent: PersianHubLiveEvent | null;
}

export interface PersianHubNotification {
  readonly type: 'started' | 'completed' | 'failed' | 'cancelled';
  readonly job: JobSnapshot;
}

export interface PersianHubStore {
  readonly client: PersianHubClient;
  subscribe(listener: () => void): () => void;
  getSnapshot(): PersianHubState;
  /** Resolves with the job (new, or the one already running); rejects with the server's error. */
  start(idOrRequest: string | StartRepoRequest): Promise<JobSnapshot>;
  pause(jobId: string): Promise<JobSnapshot>;
  resume(jobId: string): Promise<JobSnapshot>;
  cancel(jobId: string): Promise<JobSnapshot>;
  /** Deletes an installed model (catalog id or `org/name`) and refreshes the catalog. */
  remove(id: string): Promise<readonly InstalledSnapshot[]>;
  /**
   * Uploads an offline bundle (`POST /bundles/upload`) and refreshes the catalog. Pending under
   * `BUNDLE_UPLOAD_KEY` (`'bundle:upload'`); rejects with the server's error (BUNDLE_INVALID, FORBIDDEN, …).
   */
  importBundle(file: Blob): Promise<ImportBundleResult>;
  /**
   * Fetches the catalog. Failures land in `modelsError`, so this never rejects. The filter
   * is remembered for later refreshes (after a completion or a removal).
   * @default the last filter, `{}` at first
   */
  refreshModels(filter?: AvailableFilter): Promise<void>;
  /** `refreshModels()` unless the catalog was already requested. */
  loadModels(): Promise<void>;
  /** Asks the server what it offers, once; `capabilities` stays null when it does not say. */
  loadCapabilities(): Promise<void>;
  /**
   * Fetches the whole job, every file included (`GET /download/:id/status`), and merges it in:
   * events only carry the files that changed, so a per-file view asks for this once when it opens.
   */
  loadJobFiles(jobId: string): Promise<JobSnapshot | undefined>;
  /**
   * Starts live updates. Counted: the stream opens on the first call and closes when the last
   * caller has released, so two hooks share one EventSource. Returns the release function.
   */
  connect(): () => void;
  /** Releases one `connect()`. */
  disconnect(): void;
  /** Feeds one live event in, as the client does (for tests, stories and custom transports). */
  applyEvent(event: PersianHubLiveEvent): void;
  /** Job milestones for toasts, derived from status changes (not from the initial snapshot). */
  subscribeNotifications(listener: (notification: PersianHubNotification) => void): () => void;
}
