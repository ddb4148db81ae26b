export type RepoType = 'model' | 'dataset';

export interface FileSpec {
  /** Path inside the repo, `/`-separated, e.g. `fa/fa_IR/amir/medium/MODEL_CARD`. */
  readonly path: string;
  /** Exact bytes (a string is UTF-8 encoded). */
  readonly content?: string | Uint8Array;
  /**
   * Size of generated deterministic pseudo-random bytes (seeded by repo + path). Never held in memory
   * whole: any byte range is produced block by block on demand.
   */
  readonly size?: number;
  /**
   * Stored with Git LFS (served through a 302 to the CDN host).
   * @default true when size >= 1 MiB or the extension is a binary one (.bin .pth .onnx .safetensors ...)
   */
  readonly lfs?: boolean;
  /**
   * The size the tree listing, paths-info and repo info report instead of the real one: a Hub
   * that lies (or a listing out of step with the storage), for testing that clients stay bounded.
   * The bytes served and the redirect's `X-Linked-Size` keep the real size.
   */
  readonly listedSize?: number;
}

export interface RepoSpec {
  /** `org/name` (or a canonical id without namespace). Looked up case-insensitively, like the Hub. */
  readonly id: string;
  /** @default 'model' */
  readonly type?: RepoType;
  /** Gated repos need a valid Bearer token for info, tree, paths-info and resolve. @default false */
  readonly gated?: false | 'auto' | 'manual';
  /** Private repos answer 401 RepoNotFound to anonymous requests. @default false */
  readonly private?: boolean;
  /** Files of `main`. */
  readonly files: readonly FileSpec[];
  /** Extra revisions (branches, tags, `refs/convert/parquet`, `refs/pr/1`). `main` is always `files`. */
  readonly branches?: Readonly<Record<string, readonly FileSpec[] | undefined>>;
  /**
   * Serve file paths exactly as given, unsafe ones included (`../x`, `/etc/x`, `a//b`), like a
   * malicious or broken Hub would. For testing that clients refuse them. @default false
   */
  readonly hostile?: boolean;
  /** Fixed commit per revision (40 hex); otherwise derived deterministically from the content listing. */
  readonly commits?: Readonly<Record<string, string>>;
  /**
   * Former ids of a renamed (or transferred) repo. Like the Hub, every API and resolve request that
   * names one answers `307` with a relative `Location` naming `id` instead, rest of the path and
   * query kept.
   */
  readonly renamedFrom?: readonly string[];
}

export interface ResolvedFile {
  readonly path: string;
  /** Real size in bytes (for LFS files too). */
  readonly size: number;
  /** What listings report: `FileSpec.listedSize`, else `size`. */
  readonly listedSize: number;
  readonly lfs: boolean;
  /** sha256 of the bytes (computed for every file). For LFS files this is the ETag / blob name. */
  readonly sha256: string;
  /** Tree `oid`: git blob sha1 of the content, or of the LFS pointer text for LFS files. */
  readonly oid: string;
  /** The ETag clients use as blob name: sha256 for LFS files, git blob sha1 otherwise. */
  readonly etag: string;
  /** LFS pointer text (LFS files only). */
  readonly pointer?: string;
  readonly pointerSize?: number;
  /** @internal seed for generated content, or the exact bytes. */
  readonly source: FileSource;
}

export type FileSource =
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'generated'; readonly seed: string };

export interface ResolvedRevision {
  /** The name as given (`main`, `v1.0.0`, `refs/convert/parquet`). */
  readonly name: string;
  readonly commit: string;
  readonly lastModified: string;
  /** Sorted by path. */
  readonly files: readonly ResolvedFile[];
  readonly filesByPath: ReadonlyMap<string, ResolvedFile>;
  /** Directory path → git tree sha1. The root is ''. */
  readonly directories: ReadonlyMap<string, string>;
}

export interface ResolvedRepo {
  readonly id: string;
  readonly type: RepoType;
  /** `${type}:${id}` */
  readonly key: string;
  readonly gated: false | 'auto' | 'manual';
  readonly private: boolean;
  /** Commit of `main`. */
  readonly commit: string;
  readonly main: ResolvedRevision;
  /** Every revision by name, `main` included. */
  readonly revisions: ReadonlyMap<string, ResolvedRevision>;
  /** Former ids that redirect here. */
  readonly renamedFrom: readonly string[];
}

export interface FaultMatch {
  /** A string matches when the decoded request path contains it or it equals the repo file path being served (CDN requests included). */
  readonly path?: string | RegExp;
  readonly method?: string;
  /** `cdn`: requests to `/cdn/...` on the CDN host; `hub`: everything else. */
  readonly host?: 'hub' | 'cdn';
}

export type FaultKind =
  | { readonly type: 'throttle'; readonly bytesPerSecond: number }
  | { readonly type: 'drop'; readonly afterBytes: number }
  /** Sends afterBytes, then nothing until the client gives up, `releaseStalled()` or `close()`. */
  | { readonly type: 'stall'; readonly afterBytes: number }
  | { readonly type: 'status'; readonly status: number; readonly retryAfter?: number }
  | { readonly type: 'corrupt' }
  | { readonly type: 'reset' }
  /** Answer a Range request with 200 and the whole body, like a proxy that strips Range. */
  | { readonly type: 'ignore-range' }
  /**
   * Answer 403 as a CDN does for a signed URL past its expiry (S3-style XML, no Hub headers),
   * whatever the URL says. The deterministic form of `redirectTtlMs`.
   */
  | { readonly type: 'expired' }
  /** Send the body without Content-Length (chunked), so the client learns its size only when it ends. */
  | { readonly type: 'chunked' };

/**
 * `status`, `reset` and `expired` apply when a request arrives; `throttle`, `drop`, `stall`, `corrupt` and `chunked` apply
 * to the next matching response that carries a body (200/206 with bytes, not HEAD, not redirects).
 */
export type Fault = {
  readonly match?: FaultMatch;
  /** Each matching request consumes one. @default Infinity */
  readonly times?: number;
  /** The first this many matching requests pass untouched (e.g. hit only a retry). @default 0 */
  readonly after?: number;
} & FaultKind;

export interface RequestRecord {
  readonly method: string;
  /** The raw request target, e.g. `/api/models/org/name/revision/main?expand=sha`. */
  readonly url: string;
  /** The Host header. */
  readonly host: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** 0 until the status line is written (and for `reset`). */
  status: number;
  /** Body bytes actually written. */
  bytesSent: number;
  /** `Date.now()` when the request arrived. */
  readonly startedAt: number;
  /** Which TCP connection carried it (1, 2, …): requests sharing a number reused a keep-alive connection. */
  readonly connection: number;
}

export interface HubEmulatorOptions {
  /** @default 0 (random free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default defaultRepos() */
  readonly repos?: readonly RepoSpec[];
  /** Tree page size. @default 1000 */
  readonly pageSize?: number;
  /** Valid Bearer tokens. @default ['hf_emulator_token'] */
  readonly tokens?: readonly string[];
  /** Host name of the LFS CDN; must differ from the endpoint host (hf-protocol §2.4). @default 'localhost' */
  readonly cdnHost?: string;
  /**
   * Absolute base used in `Link` headers and LFS redirects instead of the real endpoint (simulates a
   * mirror whose links point at https://huggingface.co). When set, `/cdn/` is answered on any host.
   */
  readonly publicBaseUrl?: string;
  /** One line per request on stderr. @default false */
  readonly log?: boolean;
  /**
   * Milliseconds added before every answer (API, resolve and CDN alike), like a long round trip.
   * Change it later with `setLatency`. @default 0
   */
  readonly latencyMs?: number;
  /**
   * LFS redirects carry an expiry this many milliseconds ahead (`expires=` in the query, like a
   * signed CDN URL); the CDN answers 403 `Request has expired` after it. @default undefined (never expire)
   */
  readonly redirectTtlMs?: number;
}

export interface HubEmulator {
  /** `http://127.0.0.1:PORT`, use as HF_ENDPOINT / hubUrl. */
  readonly url: string;
  readonly port: number;
  /** Key `${type}:${id}`. */
  readonly repos: ReadonlyMap<string, ResolvedRepo>;
  addRepo(spec: RepoSpec): Promise<ResolvedRepo>;
  /** Replaces the fault list. */
  setFaults(faults: readonly Fault[]): void;
  /** Milliseconds added before every answer from now on (see `HubEmulatorOptions.latencyMs`). */
  setLatency(ms: number): void;
  /** TCP connections accepted since start (or the last `resetStats`). */
  connectionsOpened(): number;
  clearFaults(): void;
  /**
   * Lets every response held by a `stall` fault go on with the rest of its body (a link that
   * recovers), so a test can hold a download at a known point and release it on an event instead
   * of racing a timer. Returns how many were released. Stalls that begin later still stall.
   */
  releaseStalled(): number;
  readonly requests: RequestRecord[];
  bytesServed(filter?: (r: RequestRecord) => boolean): number;
  resetStats(): void;
  /** Closes the server and destroys open sockets (stalled responses included). */
  close(): Promise<void>;
}
