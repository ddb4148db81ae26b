import type { RepoType } from '@persian-hub/core';
import type { AllowedHosts } from './isHostAllowed.js';
import type { HandlerAction, HandlerRequest } from './PersianHubHandlerOptions.js';

/** A repo as the policy sees it. */
export interface MirrorRepo {
  readonly repoType: RepoType | 'space';
  readonly repoId: string;
}

/**
 * Which repos a rule admits: `'*'` (all), `'org/*'` (an organisation), `'org/name'`, each
 * optionally limited to one type with `model:` or `dataset:` (`'dataset:org/*'`); or a function.
 */
export type MirrorRepoRule = readonly string[] | ((repo: MirrorRepo) => boolean);

export interface HubMirrorPolicy {
  /** Repos the mirror serves from the cache; any other answers RepoNotFound. @default ['*'] */
  readonly serve?: MirrorRepoRule;
  /**
   * Repos a cache miss may fetch from the manager's upstream endpoints (mode `pullThrough`
   * only; a repo must also pass `serve`). Required in that mode: pulling costs the
   * international bandwidth the mirror is there to save. @default []
   */
  readonly pull?: MirrorRepoRule;
}

export interface HubMirrorOptions<Raw = unknown> {
  /** Path prefix the handler strips from `url` (Express and Fastify mount it themselves). @default '' */
  readonly prefix?: string;
  /** The Hub cache to serve. @default the manager's `cacheDir` */
  readonly cacheDir?: string;
  /**
   * `installed`: only what is complete in the cache, never a partial file. `pullThrough`: a miss
   * starts a manager job (for repos in `policy.pull`) and is answered once the file is verified.
   * @default 'installed'
   */
  readonly mode?: 'installed' | 'pullThrough';
  readonly policy?: HubMirrorPolicy;
  /**
   * A read-only token for LAN use: every request must send `Authorization: Bearer <token>`
   * (`HF_TOKEN=<token>` for Python, `accessToken` for `@huggingface/hub`). At least 16
   * characters. @default none: anyone who reaches the server may read
   */
  readonly token?: string;
  /** The same hook as the REST routes', asked with the action `'mirror'`. @default allow everything */
  readonly authorize?: (request: HandlerRequest<Raw>, action: HandlerAction) => boolean | Promise<boolean>;
  /** As the REST routes' option: host names (besides IPs and localhost) the mirror answers to. @default [] */
  readonly allowedHosts?: AllowedHosts;
  /** As the REST routes' option: origins whose pages may POST paths-info cross-origin. @default [] */
  readonly trustedOrigins?: readonly string[];
  /**
   * The mirror's absolute URL as clients reach it (`http://lab-server:3001/hub`), for the `Link`
   * header of tree pages. @default `http://<Host header><mount path>`
   */
  readonly publicUrl?: string;
  /** Entries per tree page (the Hub uses 1000). @default 1000 */
  readonly pageSize?: number;
  /** Largest paths-info body in bytes. @default 262144 */
  readonly bodyLimit?: number;
  /** A paths-info body that moves no byte for this long is cut. @default 60000 */
  readonly idleTimeoutMs?: number;
  /**
   * Files of a snapshot the mirror lists at most (a larger snapshot is refused rather than
   * walked without end). @default 200000
   */
  readonly maxFiles?: number;
  /**
   * Read size when streaming a file. 1 MiB reads gave no more throughput than 64 KiB to 20
   * concurrent readers (bench/mirrorBench.mjs) and cost ~40 MiB more RSS. @default 65536
   */
  readonly highWaterMark?: number;
}

/** A Hub-style answer with a small body (JSON, an error, or nothing for HEAD). */
export interface MirrorBodyResponse {
  readonly kind: 'body';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A byte range of a verified cache blob, already opened (so what was checked is what is sent). */
export interface MirrorFileResponse {
  readonly kind: 'file';
  readonly status: 200 | 206;
  readonly headers: Readonly<Record<string, string>>;
  readonly file: import('node:fs/promises').FileHandle;
  /** First byte to send. */
  readonly start: number;
  /** Last byte to send (inclusive); start - 1 for an empty file. */
  readonly end: number;
  readonly highWaterMark: number;
}

export type HubMirrorResponse = MirrorBodyResponse | MirrorFileResponse;

export interface HubMirrorRequest<Raw = unknown> extends HandlerRequest<Raw> {
  /** Where the mirror is mounted (`/hub`), for absolute `Link` URLs. @default '' */
  readonly mountPath?: string;
}

export interface HubMirrorHandler<Raw = unknown> {
  /** undefined: not a mirror route (let the host answer 404 or route it elsewhere). */
  handle(request: HubMirrorRequest<Raw>): Promise<HubMirrorResponse | undefined>;
  readonly mode: 'installed' | 'pullThrough';
}
