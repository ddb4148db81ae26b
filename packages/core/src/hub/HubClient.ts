import { trimTrailingSlashes } from '@persian-hub/client';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import type { RepoType } from '../types.js';
import { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from '../transfer/retry.js';
import { VERSION } from '../version.js';
import { HUB_HOSTS, classifyRequestError } from './classifyRequestError.js';
import { parseNextLink } from './parseNextLink.js';
import { badTreeEntry, treeFileOf } from './treeFileOf.js';

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;
/**
 * undici is loaded with the first request, not with the package: it is a large part of what
 * `import('@persian-hub/core')` would cost, and a host that only lists the catalog or reads
 * job state never needs it.
 */
function loadUndici(): Promise<Undici> {
  return (undiciModule ??= import('undici'));
}

export const USER_AGENT = `persian-hub/${VERSION}; hf_hub-compatible; node/${process.versions.node}`;

export interface HubClientOptions {
  readonly endpoint: string;
  readonly token?: string | undefined;
  /** Explicit proxy URL; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment. */
  readonly proxy?: string | undefined;
  /** Bring your own undici dispatcher (tests, custom TLS). Overrides `proxy`. */
  readonly dispatcher?: Dispatcher | undefined;
  /** No byte for this long on a connection means the transfer stalled. @default 30000 */
  readonly stallTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Keep-alive connections per origin. @default 16 */
  readonly connections?: number;
  /** Tree pages followed for one listing before it is refused as endless. @default 10000 */
  readonly maxTreePages?: number;
  /** Tree entries (files and folders) accepted for one commit. @default 1000000 */
  readonly maxTreeEntries?: number;
}

/** Redirects followed for one API request (a renamed repo needs one). */
const MAX_API_REDIRECTS = 5;

export interface TreeFile {
  readonly path: string;
  readonly size: number;
  /** git blob sha1 (for LFS files: of the pointer). */
  readonly oid: string;
  readonly lfs: { readonly oid: string; readonly size: number } | null;
}

export interface RepoInfo {
  readonly id: string;
  readonly sha: string;
  readonly gated: false | 'auto' | 'manual' | boolean;
  readonly private: boolean;
}

export interface OpenedFile {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
  /** The URL that finally answered (the CDN for LFS files). */
  readonly url: string;
}

const COMMIT_RE = /^[0-9a-f]{40}$/;

export function repoApiPrefix(repoType: RepoType): string {
  return repoType === 'dataset' ? 'datasets' : 'models';
}

export function resolvePrefix(repoType: RepoType): string {
  return repoType === 'dataset' ? 'datasets/' : '';
}

/** Path segments of a repo file, each percent-encoded (spaces, UTF-8, `#`, `?`), `/` kept. */
export function encodeRepoPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function header(headers: OpenedFile['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function normalizeEtag(etag: string | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Talks to one Hub endpoint. Sends the token only to that endpoint's origin: a redirect to a
 * CDN (or anywhere else) goes without `Authorization`, as huggingface_hub does.
 */
export class HubClient {
  readonly endpoint: string;
  readonly #origin: string;
  readonly #token: string | undefined;
  readonly #dispatcher: Dispatcher | Promise<Dispatcher>;
  readonly #ownsDispatcher: boolean;
  readonly #maxTreePages: number;
  readonly #maxTreeEntries: number;
  readonly retry: RetryPolicy;

  constructor(options: HubClientOptions) {
    this.endpoint = trimTrailingSlashes(options.endpoint);
    this.#origin = new URL(this.endpoint).origin;
    this.#token = options.token;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#maxTreePages = options.maxTreePages ?? 10_000;
    this.#maxTreeEntries = options.maxTreeEntries ?? 1_000_000;
    const stall = options.stallTimeoutMs ?? 30_000;
    const agentOptions: UndiciAgent.Options = {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      headersTimeout: stall,
      bodyTimeout: stall,
      connect: { timeout: Math.min(stall, 30_000) },
    };
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#ownsDispatcher = false;
    } else {
      const proxy = options.proxy;
      const created = loadUndici().then(({ Agent, EnvHttpProxyAgent, ProxyAgent }) =>
        proxy ? new ProxyAgent({ uri: proxy, ...agentOptions }) : hasProxyEnv() ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions),
      );
      created.catch(() => undefined);
      this.#dispatcher = created;
      this.#ownsDispatcher = true;
    }
  }

  #headers(url: string, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': USER_AGENT, ...extra };
    if (this.#token && new URL(url).origin === this.#origin) h.authorization = `Bearer ${this.#token}`;
    return h;
  }

  /** One request with Hub-aware error mapping; no retries. */
  async #send(
    url: string,
    init: { method?: Dispatcher.HttpMethod; headers?: Record<string, string>; signal?: AbortSignal | undefined },
    context: ErrorContext,
  ): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    try {
      const [{ request }, dispatcher] = await Promise.all([loadUndici(), this.#dispatcher]);
      res = await request(url, {
        dispatcher,
        method: init.method ?? 'GET',
        headers: this.#headers(url, init.headers),
        signal: init.signal,
      });
    } catch (error) {
      throw classifyRequestError(error, url, init.signal, 'request');
    }
    return res;
  }

  /** Retries network failures, 5xx and 429 (honouring Retry-After) for small API requests. */
  async #withRetries<T>(fn: () => Promise<T>, signal?: AbortSignal, policy: RetryPolicy = this.retry): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (!isRetryable(error) || attempt >= policy.retries) throw error;
        const wait = retryDelay(error, attempt, policy);
        await sleep(wait, signal);
      }
    }
  }

  /**
   * GET JSON from the Hub API. Redirects are followed within the endpoint's origin (a renamed
   * repo answers 307 with a relative Location, as huggingface_hub follows), at most
   * MAX_API_REDIRECTS of them; one to another origin is refused rather than followed, so API
   * answers only ever come from the endpoint.
   */
  async #json<T>(url: string, context: ErrorContext, signal?: AbortSignal, retry?: Partial<RetryPolicy>): Promise<{ data: T; headers: OpenedFile['headers'] }> {
    return this.#withRetries(async () => {
      let target = url;
      for (let hop = 0; ; hop++) {
        const res = await this.#send(target, { signal, headers: { accept: 'application/json' } }, context);
        if (res.statusCode >= 300 && res.statusCode < 400) {
          await res.body.dump().catch(() => undefined);
          target = this.#apiRedirect(target, header(res.headers, 'location'), res.statusCode, hop, context);
          continue;
        }
        if (res.statusCode >= 400) throw await errorFromResponse(res, context);
        try {
          return { data: (await res.body.json()) as T, headers: res.headers };
        } catch (error) {
          throw new PersianHubError('HUB_ERROR', `The Hub at ${this.endpoint} answered with something that is not JSON.`, {
            cause: error,
            details: { status: res.statusCode },
          });
        }
      }
    }, signal, { ...this.retry, ...retry });
  }

  /** Where an API redirect leads, or a HUB_ERROR when it must not be followed. */
  #apiRedirect(from: string, location: string | undefined, status: number, hop: number, context: ErrorContext): string {
    const details = { status, repoId: context.repoId };
    if (!location) throw new PersianHubError('HUB_ERROR', `The Hub answered ${status} for ${context.repoId} without saying where to go.`, { details });
    if (hop >= MAX_API_REDIRECTS) throw new PersianHubError('HUB_ERROR', `Too many redirects while asking the Hub about ${context.repoId}.`, { details });
    let next: URL;
    try {
      next = new URL(location, from);
    } catch (error) {
      throw new PersianHubError('HUB_ERROR', `The Hub redirected a request about ${context.repoId} to an invalid address.`, { cause: error, details });
    }
    // huggingface_hub keeps the query of the request when it follows a relative redirect; a
    // Location that brings its own query wins.
    if (next.search === '') next.search = new URL(from).search;
    const followed = this.#followable(next.toString())!;
    if (new URL(followed).origin !== this.#origin) {
      throw new PersianHubError(
        'HUB_ERROR',
        `The Hub redirected a request about ${context.repoId} to another host (${new URL(followed).host}); API redirects are only followed within ${this.endpoint}.`,
        { details },
      );
    }
    return followed;
  }

  /** `GET /api/{models|datasets}/{id}/revision/{rev}`: the commit a revision points to. */
  async repoInfo(repoType: RepoType, repoId: string, revision: string, signal?: AbortSignal, retry?: Partial<RetryPolicy>): Promise<RepoInfo> {
    const url = `${this.endpoint}/api/${repoApiPrefix(repoType)}/${repoId}/revision/${encodeURIComponent(revision)}`;
    const { data } = await this.#json<Partial<RepoInfo>>(url, { kind: 'repo', repoId, revision }, signal, retry);
    if (typeof data.sha !== 'string' || !COMMIT_RE.test(data.sha)) {
      throw new PersianHubError('HUB_ERROR', `The Hub did not say which commit "${revision}" of ${repoId} is.`, {
        details: { repoId, revision },
      });
    }
    return {
      id: String(data.id ?? repoId),
      sha: data.sha,
      gated: (data.gated ?? false) as RepoInfo['gated'],
      private: Boolean(data.private),
    };
  }

  /**
   * Every file of the repo at a commit, following `Link: rel="next"` pages to the end. The
   * listing is checked entry by entry (`treeFileOf`: a path, a sane whole size, hashes
   * of the right shape, no path twice) and bounded in pages and entries: a broken or hostile
   * Hub gets a HUB_ERROR naming the file, not a failure deep inside the download.
   */
  async listFiles(repoType: RepoType, repoId: string, commit: string, signal?: AbortSignal): Promise<TreeFile[]> {
    let url: string | undefined =
      `${this.endpoint}/api/${repoApiPrefix(repoType)}/${repoId}/tree/${encodeURIComponent(commit)}?recursive=true&expand=false`;
    const files: TreeFile[] = [];
    const paths = new Set<string>();
    const seen = new Set<string>();
    let entries = 0;
    while (url) {
      if (seen.has(url)) throw new PersianHubError('HUB_ERROR', 'The Hub returned a tree page that links to itself.', { details: { repoId } });
      if (seen.size >= this.#maxTreePages) {
        throw new PersianHubError('HUB_ERROR', `The Hub's file list of ${repoId} goes on past ${this.#maxTreePages} pages; refusing it as endless.`, {
          details: { repoId, pages: seen.size },
        });
      }
      seen.add(url);
      const { data, headers } = await this.#json<unknown>(url, { kind: 'repo', repoId, revision: commit }, signal);
      if (!Array.isArray(data)) throw new PersianHubError('HUB_ERROR', 'The Hub returned a tree listing that is not a list.', { details: { repoId } });
      entries += data.length;
      if (entries > this.#maxTreeEntries) {
        throw new PersianHubError('HUB_ERROR', `The Hub lists more than ${this.#maxTreeEntries} entries for ${repoId}; refusing the listing.`, {
          details: { repoId, entries },
        });
      }
      for (const entry of data as unknown[]) {
        const file = treeFileOf(entry, repoId);
        if (!file) continue;
        if (paths.has(file.path)) throw badTreeEntry(repoId, file.path, 'is listed twice');
        paths.add(file.path);
        files.push(file);
      }
      url = this.#followable(parseNextLink(header(headers, 'link')));
    }
    return files;
  }

  /**
   * Mirrors stay mirrors: a `Link` or redirect that points back at huggingface.co (a mirror that
   * copies the Hub's headers does this) is rewritten onto the endpoint in use, same path and
   * query, so a job never leaves the mirror for a host that may be blocked. Other hosts (a real
   * CDN) are followed as they are, without the token.
   */
  #followable(next: string | undefined): string | undefined {
    if (!next) return next;
    const target = new URL(next);
    const own = new URL(this.endpoint);
    if (target.origin !== own.origin && HUB_HOSTS.has(target.hostname) && !HUB_HOSTS.has(own.hostname)) {
      return `${own.origin}${target.pathname}${target.search}`;
    }
    return target.toString();
  }

  /**
   * GET a file at a commit. Follows redirects itself so the token never leaves the endpoint's
   * origin. `rangeStart > 0` (or a `rangeEnd`) asks for part of the file: `bytes=start-[end]`,
   * `rangeEnd` inclusive.
   *
   * `cachedUrl` is where a previous request for this file ended up (the CDN, for LFS files): it
   * is tried first, which saves the Hub's round trip for every segment and retry. Signed CDN URLs
   * expire, so a 4xx from it (403 `Request has expired`, 401, 404, 410) is not the answer: the
   * file is resolved through the Hub again, once. Its error body is never returned as bytes.
   */
  async openFile(
    repoType: RepoType,
    repoId: string,
    commit: string,
    path: string,
    options: { rangeStart?: number; rangeEnd?: number; cachedUrl?: string | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<OpenedFile> {
    const resolveUrl = `${this.endpoint}/${resolvePrefix(repoType)}${repoId}/resolve/${encodeURIComponent(commit)}/${encodeRepoPath(path)}`;
    const context: ErrorContext = { kind: 'file', repoId, revision: commit, file: path };
    const extra: Record<string, string> = { 'accept-encoding': 'identity' };
    const start = options.rangeStart ?? 0;
    if (start > 0 || options.rangeEnd !== undefined) extra.range = `bytes=${start}-${options.rangeEnd ?? ''}`;
    let url = options.cachedUrl ?? resolveUrl;
    let fromCache = options.cachedUrl !== undefined && options.cachedUrl !== resolveUrl;
    for (let hop = 0; hop < 10; hop++) {
      const res = await this.#send(url, { headers: extra, signal: options.signal }, context);
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        await res.body.dump().catch(() => undefined);
        url = this.#followable(new URL(String(header(res.headers, 'location')), url).toString())!;
        continue;
      }
      if (fromCache && res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 416) {
        // An expired (or revoked) signed URL: ask the Hub where the file is now.
        await res.body.dump().catch(() => undefined);
        fromCache = false;
        url = resolveUrl;
        continue;
      }
      if (res.statusCode >= 400 && res.statusCode !== 416) throw await errorFromResponse(res, context);
      return { statusCode: res.statusCode, headers: res.headers, body: res.body, url };
    }
    throw new PersianHubError('HUB_ERROR', `Too many redirects while fetching ${path}.`, { details: { file: path } });
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await Promise.resolve(this.#dispatcher).then((d) => d.close()).catch(() => undefined);
  }
}

function hasProxyEnv(): boolean {
  const e = process.env;
  return Boolean(e.HTTPS_PROXY || e.https_proxy || e.HTTP_PROXY || e.http_proxy);
}

export interface ErrorContext {
  readonly kind: 'repo' | 'file';
  readonly repoId: string;
  readonly revision?: string;
  readonly file?: string;
}

/** Maps a Hub answer (X-Error-Code first, then status) to a PersianHubError with a plain message. */
export async function errorFromResponse(res: Dispatcher.ResponseData, ctx: ErrorContext): Promise<PersianHubError> {
  let serverMessage = header(res.headers, 'x-error-message');
  const text = await res.body.text().catch(() => '');
  if (!serverMessage && text) {
    try {
      const j = JSON.parse(text) as { error?: unknown };
      if (typeof j.error === 'string') serverMessage = j.error;
    } catch {
      // not JSON; keep the status line only
    }
  }
  const code = header(res.headers, 'x-error-code');
  const status = res.statusCode;
  const details = { status, repoId: ctx.repoId, ...(ctx.revision ? { revision: ctx.revision } : {}), ...(ctx.file ? { file: ctx.file } : {}) };
  const suffix = serverMessage ? ` (Hub: ${serverMessage})` : '';
  if (code === 'RevisionNotFound') {
    return new PersianHubError('REVISION_NOT_FOUND', `Revision "${ctx.revision}" does not exist in ${ctx.repoId}.${suffix}`, { details });
  }
  if (code === 'EntryNotFound') {
    return new PersianHubError('ENTRY_NOT_FOUND', `File "${ctx.file ?? '?'}" does not exist in ${ctx.repoId}.${suffix}`, { details });
  }
  if (code === 'GatedRepo') {
    return new PersianHubError(
      'GATED_REPO',
      `${ctx.repoId} is gated: accept its terms on the Hub, then use a token (HF_TOKEN) of that account.${suffix}`,
      { details },
    );
  }
  if (code === 'RepoNotFound') {
    return new PersianHubError('REPO_NOT_FOUND', `Repository ${ctx.repoId} was not found (or it is private and no valid token was sent).${suffix}`, { details });
  }
  if (status === 401) {
    return new PersianHubError('UNAUTHORIZED', `The Hub refused the token for ${ctx.repoId}.${suffix}`, { details });
  }
  if (status === 403) {
    // The Hub labels its answers (X-Request-Id, X-Error-Code or a JSON error). A bare 403, usually
    // an HTML page, comes from a filter or proxy in between, not from the Hub.
    const fromHub = Boolean(header(res.headers, 'x-request-id') || code || header(res.headers, 'x-error-message') || /json/i.test(String(header(res.headers, 'content-type') ?? '')));
    if (!fromHub) {
      return new PersianHubError(
        'BLOCKED',
        `Something between us and the Hub refused the request (403 without a Hub answer). It looks blocked from this network: try a mirror (HF_ENDPOINT), a proxy (HTTPS_PROXY), or an offline bundle.`,
        { details },
      );
    }
    return new PersianHubError('UNAUTHORIZED', `Access to ${ctx.repoId} is forbidden.${suffix}`, { details });
  }
  if (status === 404) {
    return ctx.kind === 'file'
      ? new PersianHubError('ENTRY_NOT_FOUND', `File "${ctx.file}" was not found in ${ctx.repoId}.${suffix}`, { details })
      : new PersianHubError('REPO_NOT_FOUND', `Repository ${ctx.repoId} was not found.${suffix}`, { details });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    return new PersianHubError('RATE_LIMITED', `The Hub is rate limiting us; try again ${retryAfterMs ? `in ${Math.ceil(retryAfterMs / 1000)} s` : 'later'}.`, {
      details: { ...details, ...(retryAfterMs !== undefined ? { retryAfter: retryAfterMs / 1000 } : {}) },
    });
  }
  return new PersianHubError('HUB_ERROR', `The Hub answered ${status} for ${ctx.file ?? ctx.repoId}.${suffix}`, { details });
}

const RETRYABLE: ReadonlySet<string> = new Set(['NETWORK', 'BLOCKED', 'STALLED', 'RATE_LIMITED', 'HUB_ERROR']);

export function isRetryable(error: unknown): boolean {
  if (!isPersianHubError(error) || !RETRYABLE.has(error.code)) return false;
  if (error.code === 'HUB_ERROR') {
    const status = error.details.status;
    return typeof status === 'number' && (status >= 500 || status === 408);
  }
  return true;
}

export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number {
  if (isPersianHubError(error) && error.code === 'RATE_LIMITED' && typeof error.details.retryAfter === 'number') {
    return Math.min(policy.maxDelayMs, Math.max(error.details.retryAfter * 1000, policy.minDelayMs));
  }
  return backoffDelay(attempt, policy);
}
