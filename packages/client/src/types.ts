export type RepoType = 'model' | 'dataset';

export type JobStatus =
  | 'queued'
  | 'resolving'
  | 'downloading'
  | 'verifying'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'paused';

export type FileStatus = 'pending' | 'downloading' | 'verifying' | 'completed' | 'cached' | 'failed';

/** What to download: any Hub repo, or a slice of it. */
export interface DownloadRequest {
  readonly repoId: string;
  /** @default 'model' */
  readonly repoType?: RepoType;
  /** Branch, tag, `refs/...` or a 40-hex commit. @default 'main' */
  readonly revision?: string;
  /** fnmatch patterns (Python semantics: `*` crosses `/`); empty or absent means every file. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Real files in this folder instead of the shared cache (huggingface_hub's `local_dir`). */
  readonly localDir?: string;
}

export interface FileSnapshot {
  readonly path: string;
  readonly size: number;
  readonly bytesDownloaded: number;
  readonly status: FileStatus;
  /** true for LFS files (content addressed by sha256). */
  readonly lfs: boolean;
  /** Blob name: the sha256 (LFS) or git blob sha1 the file is verified against. */
  readonly etag?: string;
}

export type FileDetail = 'all' | 'changed' | 'none';

/** A job waiting before its next attempt, so a UI can say "trying again in 12 s (attempt 2 of 5)". */
export interface JobRetry {
  /** The file being fetched again. */
  readonly file: string | null;
  /** 1 for the first retry. */
  readonly attempt: number;
  /** Retries allowed before the job fails. */
  readonly maxAttempts: number;
  /** When the next attempt starts (ISO time). */
  readonly nextAttemptAt: string;
  /** Why: the failure being retried (`RATE_LIMITED` with `details.retryAfter`, `NETWORK`, `STALLED`, …). */
  readonly error: JobError;
}

export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

/**
 * A job as plain JSON: what events carry, what the REST API returns and what is persisted.
 * Field names follow the original design ("the seed").
 */
export interface JobSnapshot {
  readonly id: string;
  /** The catalog entry this job came from, if any. */
  readonly catalogId: string | null;
  readonly repoId: string;
  readonly repoType: RepoType;
  readonly revision: string;
  /** The commit the revision resolved to; null until resolved. */
  readonly commit: string | null;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** The local dir this job fills, when it is not the shared cache. */
  readonly localDir: string | null;
  readonly status: JobStatus;
  /** 0–100, one decimal; 0 while the total is unknown. */
  readonly progress: number;
  readonly bytesDownloaded: number;
  /** Exact once the plan is known; null before. */
  readonly bytesTotal: number | null;
  /** Bytes per second, smoothed; 0 when nothing arrives. */
  readonly speed: number;
  /** Seconds left, or null when unknown (no total or no speed). */
  readonly eta: number | null;
  readonly currentFile: string | null;
  /**
   * A file another process (sharing this cache) is downloading right now; this job waits for it
   * and then uses it. Absent or null when not waiting. A UI shows "waiting", not "stalled".
   */
  readonly waitingFor?: string | null;
  /**
   * The files this snapshot carries; `fileDetail` says which. `get()`, `waitFor()` and the REST
   * status route carry all of them; events carry only the files whose bytes or status changed
   * since the job's previous event (at most 256; the rest follow in the next one), and `list()`
   * none, so that a job of 6,000 files does not make every event and listing megabytes long.
   */
  readonly files: readonly FileSnapshot[];
  /** `all`: every file of the job; `changed`: those changed since the job's previous event; `none`. Absent means `all`. */
  readonly fileDetail?: FileDetail;
  /** Files in the job (0 until the plan is known). */
  readonly fileCount?: number;
  /** Files done: downloaded and verified, or found whole in the cache. */
  readonly filesCompleted?: number;
  /** Set while the job waits to try again after a failure (network, 5xx, 429); null otherwise. */
  readonly retry?: JobRetry | null;
  /** The snapshot folder (cache mode) or the local dir; null until resolved. */
  readonly path: string | null;
  /** The Hub endpoint that served this job. */
  readonly endpoint: string | null;
  /** Who moves the bytes: our downloader, the official CLI, or an offline bundle import. */
  readonly backend: 'native' | 'hf-cli' | 'bundle';
  readonly error: JobError | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

export type CatalogKind = 'tts' | 'asr' | 'llm' | 'model' | 'embedding' | 'dataset';

/** One curated catalog entry (validated by `catalogEntrySchema`). */
export interface CatalogEntry {
  /** Stable slug, e.g. `piper-fa-amir`. */
  readonly id: string;
  readonly repoId: string;
  readonly repoType: RepoType;
  readonly kind: CatalogKind;
  readonly revision: string;
  /** The files a user needs (fnmatch patterns); empty means the whole repo. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Bytes of the `include` selection, as the Hub reported it when the entry was verified. */
  readonly sizeBytes: number;
  /** SPDX-like id as the Hub shows it (`apache-2.0`, `cc-by-nc-sa-4.0`, `openrail`, `unknown`). */
  readonly license: string;
  readonly commercialUse: boolean;
  readonly gated: boolean;
  readonly name: { readonly fa: string; readonly en: string };
  readonly description: { readonly fa: string; readonly en: string };
  readonly tags: readonly string[];
  readonly homepage: string;
  /** The organisation or person who publishes it, e.g. `HooshvareLab`. */
  readonly provider: string;
  /** Short notes users should read first (format, caveats), in both languages. */
  readonly notes?: { readonly fa: string; readonly en: string };
}

/** A complete snapshot found on disk (ours or one made by Python's huggingface_hub). */
export interface InstalledSnapshot {
  /** `${repoType}:${repoId}@${commit}`: stable key for one snapshot. */
  readonly key: string;
  readonly catalogId: string | null;
  readonly repoId: string;
  readonly repoType: RepoType;
  readonly commit: string;
  /** Revisions (refs) that point to this commit. */
  readonly refs: readonly string[];
  readonly path: string;
  readonly sizeOnDisk: number;
  readonly fileCount: number;
  readonly location: 'cache' | 'local-dir';
}

/** How to import an offline bundle (keys as strings, so this type is the same everywhere). */
export interface BundleImportRequest {
  /**
   * Point `refs/<revision>` at the bundle's commit even when it already names another commit.
   * Off: an existing ref is left alone and the snapshot is installed beside it, reachable by
   * its commit. A ref that does not exist yet is always written. @default false
   */
  readonly updateRefs?: boolean;
  /** Public keys whose signatures are trusted: base64 of the raw 32 bytes, or PEM SPKI. @default [] */
  readonly trustedKeys?: readonly string[];
  /** Refuse (BUNDLE_UNTRUSTED) a bundle that is not signed by one of `trustedKeys`. @default false */
  readonly requireSignature?: boolean;
}

/** Who signed a bundle: the key's short fingerprint, and whether it is one of the trusted keys. */
export interface BundleSigner {
  readonly keyId: string;
  readonly trusted: boolean;
}

/** `refs/<revision>` after an import: the commit it names, and whether the import wrote it. */
export interface BundleRefState {
  readonly revision: string;
  readonly commit: string;
  readonly updated: boolean;
}

export interface BundleImportOutcome {
  readonly job: JobSnapshot;
  readonly alreadyInstalled: boolean;
  /** null: the bundle is not signed. */
  readonly signature?: BundleSigner | null;
  /** null: the bundle was made from a bare commit, so no ref is involved. */
  readonly ref?: BundleRefState | null;
}

/** A catalog entry joined with what is on disk and what is running. */
export interface AvailableModel extends CatalogEntry {
  readonly installed: InstalledSnapshot | null;
  readonly job: JobSnapshot | null;
}

/** Names to payloads. The same names travel over SSE, so core, server and browser share this table. */
export interface DownloadManagerEvents {
  queued: (job: JobSnapshot) => void;
  started: (job: JobSnapshot) => void;
  progress: (job: JobSnapshot) => void;
  paused: (job: JobSnapshot) => void;
  resumed: (job: JobSnapshot) => void;
  completed: (job: JobSnapshot) => void;
  failed: (job: JobSnapshot) => void;
  cancelled: (job: JobSnapshot) => void;
  'file-completed': (job: JobSnapshot, file: FileSnapshot) => void;
  removed: (snapshot: InstalledSnapshot) => void;
  /** A finished job's record was dropped (`forget`, or the history limits); the payload is its last summary. */
  forgotten: (job: JobSnapshot) => void;
  warning: (warning: ManagerWarning) => void;
}

/** Something the host should know that did not fail a job (a log line, not an error). */
export interface ManagerWarning {
  readonly code: string;
  readonly message: string;
  /** Structured facts for the code, e.g. `{ jobId, repoId, file, pid, hostname }` for WAITING_FOR_OTHER_PROCESS. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type DownloadManagerEventName = keyof DownloadManagerEvents;

export const JOB_EVENT_NAMES = [
  'queued',
  'started',
  'progress',
  'paused',
  'resumed',
  'completed',
  'failed',
  'cancelled',
  'file-completed',
  'forgotten',
] as const satisfies readonly DownloadManagerEventName[];

/** A catalog id, or any Hub repo. */
export type StartInput = string | (DownloadRequest & { readonly catalogId?: string });

/** What the server adapter and other hosts rely on. `createDownloadManager` returns one. */
export interface DownloadManagerApi {
  start(input: StartInput): Promise<JobSnapshot>;
  pause(jobId: string): Promise<JobSnapshot>;
  resume(jobId: string): Promise<JobSnapshot>;
  cancel(jobId: string): Promise<JobSnapshot>;
  /** The whole job, every file included. */
  get(jobId: string): JobSnapshot | undefined;
  /** Every job as a summary (`files: []`, `fileDetail: 'none'`), unless `{ files: 'all' }` is asked. */
  list(options?: { readonly files?: 'all' | 'none' }): JobSnapshot[];
  /** Drops the record of a finished (completed, failed or cancelled) job; CONFLICT for others. Files on disk stay. */
  forget?(jobId: string): Promise<JobSnapshot>;
  /** Drops every finished job's record; resolves to how many. */
  forgetFinished?(): Promise<number>;
  /** Deletes an installed snapshot (catalog id, `org/name`, or an InstalledSnapshot key). Refuses with CONFLICT while a job uses it. */
  remove(idOrRepo: string): Promise<InstalledSnapshot[]>;
  installed(): Promise<InstalledSnapshot[]>;
  /** Whether Hub requests carry a token (gated repos need one); never the token itself. */
  hasToken?(): boolean;
  available(filter?: { kind?: CatalogKind; query?: string }): Promise<AvailableModel[]>;
  waitFor(jobId: string): Promise<JobSnapshot>;
  onIdle(): Promise<void>;
  /** Writes an installed snapshot to one verified `.tar` (offline bundle). Optional for other implementations. */
  exportBundle?(idOrRepo: string, file: string): Promise<unknown>;
  /** Imports an offline bundle as a job; the cache is untouched if it does not verify. */
  importBundle?(file: string, options?: BundleImportRequest): Promise<BundleImportOutcome>;
  on<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): () => void;
  off<E extends DownloadManagerEventName>(event: E, listener: DownloadManagerEvents[E]): void;
  close(): Promise<void>;
}
