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
  readonly files: readonly FileSnapshot[];
  /** The snapshot folder (cache mode) or the local dir; null until resolved. */
  readonly path: string | null;
  /** The Hub endpoint that served this job. */
  readonly endpoint: string | null;
  readonly backend: 'native' | 'hf-cli';
  readonly error: JobError | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}
