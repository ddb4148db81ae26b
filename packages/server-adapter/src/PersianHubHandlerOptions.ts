import type { AllowedHosts } from './isHostAllowed.js';
import type { BundleManifestLimits } from './createManifestPeek.js';
import type { SseSink } from './createSseHub.js';

/** What `authorize` is asked about. Reads: available, list, status, installed, events. */
export type HandlerAction =
  | 'available'
  | 'list'
  | 'status'
  | 'installed'
  | 'events'
  | 'start'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'forget'
  | 'remove'
  | 'export'
  | 'import';

/**
 * The request body as the adapter has it. Raw bytes (or a stream of them) are preferred: the
 * handler then checks the media type before reading, stops at `bodyLimit` and parses JSON.
 * `{ parsed }` is for hosts whose own body parser already ran (e.g. `app.use(express.json())`).
 */
export type HandlerBody = string | Uint8Array | AsyncIterable<Uint8Array | string> | { readonly parsed: unknown } | undefined;

export interface HandlerRequest<Raw = unknown> {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path and query relative to where the routes are mounted, still percent-encoded: `/installed/org%2Fname`. */
  readonly url: string;
  /** Lower-case header names (Node's `IncomingHttpHeaders` fits). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: HandlerBody;
  /** The framework's own request, for `authorize`. */
  readonly raw?: Raw;
}

export interface JsonHandlerResponse {
  readonly kind: 'json';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The serialised JSON, secrets already redacted: send this as is. */
  readonly body: string;
}

export interface SseHandlerResponse {
  readonly kind: 'sse';
  readonly status: 200;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Call once the headers are out. Returns the function to call when the client goes away;
   * it removes the client (and its heartbeat) from the shared subscription.
   */
  readonly open: (sink: SseSink) => () => void;
  /** Drop a client further behind than this (see `pipeSseToNode`). */
  readonly maxBufferedBytes?: number;
}

/** A file to stream as the body (an exported bundle); call `cleanup` once it is sent or abandoned. */
export interface FileHandlerResponse {
  readonly kind: 'file';
  readonly status: 200;
  readonly headers: Readonly<Record<string, string>>;
  readonly path: string;
  readonly cleanup: () => Promise<void>;
  /** Cut a client that takes no byte for this long (it holds an export slot). */
  readonly idleTimeoutMs?: number;
}

export type HandlerResponse = JsonHandlerResponse | SseHandlerResponse | FileHandlerResponse;

export interface PersianHubHandlerOptions<Raw = unknown> {
  /**
   * Path prefix the handler strips from `url` (for hosts that pass full paths). Express and
   * Fastify adapters handle mounting themselves. @default ''
   */
  readonly prefix?: string;
  /**
   * Asked before every route runs; anything but `true` answers 403 FORBIDDEN. Throw a
   * PersianHubError('UNAUTHORIZED', …) for 401. @default allow everything
   */
  readonly authorize?: (request: HandlerRequest<Raw>, action: HandlerAction) => boolean | Promise<boolean>;
  /**
   * Largest accepted request body in bytes; larger answers 413. The default fits the largest body
   * the schemas accept (two full pattern lists, about 244 KB). @default LARGEST_VALID_BODY
   */
  readonly bodyLimit?: number;
  /** SSE heartbeat interval. @default 15000 */
  readonly heartbeatMs?: number;
  /** SSE events kept for `Last-Event-ID` replay. @default 1000 */
  readonly replayBuffer?: number;
  /** …and at most this many bytes of them. @default 8 MiB */
  readonly replayBufferBytes?: number;
  /** Strings that must never appear in a response (e.g. the Hub token); replaced by `[redacted]`. */
  readonly redact?: readonly (string | undefined | null)[];
  /**
   * Folders on the server from which `POST /bundles/import { path }` may read bundles (a USB
   * disk mount, an uploads folder). Empty: that route answers 403. @default []
   */
  readonly bundleImportDirs?: readonly string[];
  /** Where `GET /installed/:id/bundle` writes the bundle before streaming it, and `POST /bundles/upload` receives one. @default os.tmpdir() */
  readonly bundleTempDir?: string;
  /**
   * Largest bundle `POST /bundles/upload` accepts, in bytes (a browser sends the `.tar` from a
   * USB disk as the body, `Content-Type: application/x-tar`). 0: that route answers 403.
   * The upload is kept in `bundleTempDir` until the import ends, so it needs that much free space
   * there, plus the unpacked size in the cache: point `bundleTempDir` at a disk when `/tmp` is
   * RAM-backed (tmpfs). @default 0
   */
  readonly bundleUploadLimit?: number;
  /**
   * Public keys whose bundle signatures this server trusts: base64 of the raw 32-byte ed25519
   * key (what `persian-hub keygen` prints) or PEM SPKI. Imports report who signed either way
   * (`signature: { keyId, trusted }`). @default []
   */
  readonly bundleTrustedKeys?: readonly string[];
  /**
   * Refuse (422 BUNDLE_UNTRUSTED) any bundle, uploaded or read from `bundleImportDirs`, that is
   * not signed by one of `bundleTrustedKeys`, before anything enters the cache. @default false
   */
  readonly requireSignedBundles?: boolean;
  /**
   * How large a manifest a bundle imported over HTTP (upload or server path) may have; an upload
   * is refused as soon as its manifest has arrived, before the rest is received. Core's own
   * ceiling (64 MiB, 200,000 files) still applies above these. @default { bytes: 8 MiB, files: 50000 }
   */
  readonly bundleManifestLimits?: BundleManifestLimits;
  /** Bundle uploads and server-path imports running at once; more answer 429 SERVER_BUSY with Retry-After. @default 2 */
  readonly maxConcurrentImports?: number;
  /**
   * Bundle exports being written or sent at once; more answer 429 SERVER_BUSY. Clients asking
   * for the same snapshot meanwhile share one temporary copy and count once. @default 2
   */
  readonly maxConcurrentExports?: number;
  /**
   * A request body, or an export download, that moves no byte for this long is cut (408 for a
   * body). An idle timeout, not a total one: a 32 GiB upload over a slow link may take hours.
   * Node's own `server.requestTimeout` (300 s by default) is a total one: set it to 0 on a server
   * that takes large uploads (the README says how). @default 60000
   */
  readonly idleTimeoutMs?: number;
  /**
   * Host names a browser may reach the routes by, besides IP literals and `localhost` /
   * `*.localhost`, which are always allowed (DNS rebinding needs a name). `'.example.com'` allows
   * it and every subdomain (Vite's `server.allowedHosts`); `true` turns the check off, for a
   * proxy that checks Host itself. Other hosts answer 403 HOST_NOT_ALLOWED. @default []
   */
  readonly allowedHosts?: AllowedHosts;
  /**
   * Origins (`https://admin.example.com`) whose pages may change things although they are
   * cross-origin. Every other cross-origin browser request to a POST or DELETE route answers
   * 403 CROSS_ORIGIN (decided by Sec-Fetch-Site, else Origin against Host). @default []
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * An SSE client further behind than this (or four of the largest event it was sent, if more),
   * before an event is written and on top of what its connection burst (snapshot or replay) left,
   * is dropped; it reconnects and gets a replay. @default 1 MiB
   */
  readonly sseMaxBufferedBytes?: number;
}

export interface PersianHubHandler<Raw = unknown> {
  handle(request: HandlerRequest<Raw>): Promise<HandlerResponse | undefined>;
  readonly bodyLimit: number;
  /** Open SSE streams (for metrics and leak tests). */
  readonly sseClientCount: number;
  /** Drops the manager subscription and ends every SSE stream (call before closing the server). */
  close(): void;
}
