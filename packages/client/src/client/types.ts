import type {
  BundleRefState,
  BundleSigner,
  CatalogKind,
  FileSnapshot,
  InstalledSnapshot,
  JOB_EVENT_NAMES,
  JobSnapshot,
  RepoType,
} from '../types.js';

export type JobEventName = (typeof JOB_EVENT_NAMES)[number];

/**
 * `connecting`: opening the event stream (or the browser is reconnecting it);
 * `open`: live events flow; `polling`: the stream is unavailable and `GET /downloads` stands in;
 * `closed`: nobody is subscribed.
 */
export type ConnectionStatus = 'connecting' | 'open' | 'polling' | 'closed';

/** What `subscribe` delivers: the SSE events of the contract, plus snapshots synthesised while polling. */
export type PersianHubLiveEvent =
  | {
      readonly type: 'snapshot';
      readonly jobs: readonly JobSnapshot[];
      /** `sse` on (re)connect, `poll` when synthesised from `GET /downloads`. */
      readonly source: 'sse' | 'poll';
    }
  | {
      readonly type: JobEventName;
      readonly job: JobSnapshot;
      readonly file?: FileSnapshot;
      /** The SSE `id:`, when the server sent one. */
      readonly eventId?: string;
    }
  | {
      readonly type: 'removed';
      readonly installed: InstalledSnapshot;
      readonly eventId?: string;
    };

/** The subset of the browser's `MessageEvent` the client reads. */
export interface EventSourceMessageLike {
  readonly data: string;
  readonly lastEventId?: string;
}

/**
 * The subset of the WHATWG `EventSource` the client uses, so the browser's class, the
 * `eventsource` npm package or a test double all fit.
 */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: any) => unknown) | null;
  onerror: ((event: any) => unknown) | null;
  addEventListener(type: string, listener: (event: EventSourceMessageLike) => unknown): void;
  close(): void;
}

export type EventSourceConstructorLike = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike;

export interface AvailableFilter {
  readonly kind?: CatalogKind;
  readonly query?: string;
}

/** `POST /download` for any Hub repo: `id` is `org/name`. */
export interface StartRepoRequest {
  readonly id: string;
  readonly repoType?: RepoType;
  readonly kind?: CatalogKind;
  readonly revision?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export interface StartResult {
  readonly jobId: string;
  readonly job: JobSnapshot;
}

export interface ImportBundleResult {
  readonly jobId: string;
  /** The import job, already finished: `completed`, or the error that refused the bundle. */
  readonly job: JobSnapshot;
  /** The snapshot was already installed: nothing was written. */
  readonly alreadyInstalled: boolean;
  /** Who signed the bundle (servers that know this); null: not signed. */
  readonly signature?: BundleSigner | null;
  /** `refs/<revision>` afterwards (servers that know this): an existing ref is only moved on request. */
  readonly ref?: BundleRefState | null;
}

export interface RemoveInstalledResult {
  readonly removed: readonly InstalledSnapshot[];
}

/** What the server can do, so a UI offers only what works (`GET /capabilities`). */
export interface ServerCapabilities {
  /**
   * The server has a Hugging Face token, so a gated repo downloads once the token's account was
   * granted access; without one, gated repos always fail. null: the server does not say.
   */
  readonly hubToken: boolean | null;
  /** `POST /bundles/upload` accepts offline bundles from the browser. */
  readonly bundleUpload: boolean;
}
