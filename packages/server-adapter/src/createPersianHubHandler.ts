import type { DownloadManagerApi, StartInput } from '@persian-hub/core';
import type { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { open, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createSseHub, type SseHub, type SseSink } from './createSseHub.js';
import { errorToResponse, errorToStatus, type ErrorBody, type HttpErrorCode } from './errorToStatus.js';
import {
  availableQuerySchema,
  emptyBodySchema,
  bundleImportBodySchema,
  installedIdSchema,
  jobIdSchema,
  parseStartBody,
  type StartRepoBody,
} from './schemas.js';

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
}

/** A file to stream as the body (an exported bundle); call `cleanup` once it is sent or abandoned. */
export interface FileHandlerResponse {
  readonly kind: 'file';
  readonly status: 200;
  readonly headers: Readonly<Record<string, string>>;
  readonly path: string;
  readonly cleanup: () => Promise<void>;
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
  /** Largest accepted request body in bytes; larger answers 413. @default 16384 */
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
}

export interface PersianHubHandler<Raw = unknown> {
  handle(request: HandlerRequest<Raw>): Promise<HandlerResponse | undefined>;
  readonly bodyLimit: number;
  /** Open SSE streams (for metrics and leak tests). */
  readonly sseClientCount: number;
  /** Drops the manager subscription and ends every SSE stream (call before closing the server). */
  close(): void;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform keeps compression middleware from buffering the stream.
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
} as const;

/** Thrown inside the handler to answer with an error body; never leaves it. */
class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly issues?: readonly unknown[],
  ) {
    super(message);
  }
}

interface RouteContext<Raw> {
  readonly request: HandlerRequest<Raw>;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** Reads, size-checks and parses the JSON body (undefined when there is none). */
  readonly body: () => Promise<unknown>;
}

interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly action: HandlerAction;
  /** The body's media type for POST and DELETE. @default 'application/json' */
  readonly mediaType?: string;
  readonly match: (segments: readonly string[]) => readonly string[] | undefined;
  readonly run: (ctx: RouteContext<unknown>) => Promise<HandlerResponse>;
}

const exact =
  (...path: string[]) =>
  (segments: readonly string[]) =>
    segments.length === path.length && path.every((p, i) => p === segments[i]) ? [] : undefined;

/**
 * All REST + SSE routes of /work/rest-contract.md, framework-free (tRPC style): adapters turn
 * their request into a HandlerRequest and write the HandlerResponse back.
 */
export function createPersianHubHandler<Raw = unknown>(
  manager: DownloadManagerApi,
  options: PersianHubHandlerOptions<Raw> = {},
): PersianHubHandler<Raw> {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const bodyLimit = options.bodyLimit ?? 16 * 1024;
  const secrets = (options.redact ?? [])
    .filter((s): s is string => typeof s === 'string' && s.length > 0)
    .map((s) => JSON.stringify(s).slice(1, -1));
  const serialize = (value: unknown): string => {
    let text = JSON.stringify(value) ?? 'null';
    for (const secret of secrets) text = text.split(secret).join('[redacted]');
    return text;
  };
  const hub: SseHub = createSseHub(manager, {
    heartbeatMs: options.heartbeatMs,
    replayBuffer: options.replayBuffer,
    ...(options.replayBufferBytes !== undefined ? { replayBufferBytes: options.replayBufferBytes } : {}),
    serialize,
  });

  const json = (status: number, value: unknown, headers: Record<string, string> = {}): JsonHandlerResponse => ({
    kind: 'json',
    status,
    headers: { ...JSON_HEADERS, ...headers },
    body: serialize(value),
  });

  const parse = <T>(schema: z.ZodType<T>, value: unknown, where: string, message: string): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [where, ...issue.path] }));
    throw new HttpError('INVALID_INPUT', message, issues);
  };
  const jobIdParam = (ctx: RouteContext<unknown>) =>
    parse(jobIdSchema, ctx.params[0], 'params', 'Invalid job id');
  const existingJob = (ctx: RouteContext<unknown>) => {
    const jobId = jobIdParam(ctx);
    if (manager.get(jobId) === undefined) throw new HttpError('NOT_FOUND', `No job with id ${jobId}`);
    return jobId;
  };

  const routes: readonly Route[] = [
    {
      method: 'GET',
      action: 'available',
      match: exact('models', 'available'),
      run: async (ctx) => {
        const query = parse(
          availableQuerySchema,
          { kind: queryValue(ctx.query, 'kind'), q: queryValue(ctx.query, 'q') },
          'query',
          'Invalid query',
        );
        const filter: { kind?: typeof query.kind; query?: string } = {};
        if (query.kind !== undefined) filter.kind = query.kind;
        if (query.q !== undefined) filter.query = query.q;
        return json(200, await manager.available(filter));
      },
    },
    {
      method: 'POST',
      action: 'start',
      match: exact('download'),
      run: async (ctx) => {
        const result = parseStartBody(await ctx.body());
        if (!result.success) {
          const issues = result.error.issues.map((issue) => ({ ...issue, path: ['body', ...issue.path] }));
          throw new HttpError('INVALID_INPUT', 'Invalid download request', issues);
        }
        let input: StartInput;
        if (!result.data.id.includes('/')) {
          input = result.data.id;
        } else {
          // `kind` only describes the repo for the UI; the manager does not need it.
          const { id, kind: _kind, ...rest } = result.data as StartRepoBody;
          input = { repoId: id, ...rest };
        }
        const job = await manager.start(input);
        return json(202, { jobId: job.id, job });
      },
    },
    {
      method: 'GET',
      action: 'list',
      match: exact('downloads'),
      run: async () => json(200, manager.list()),
    },
    {
      method: 'GET',
      action: 'status',
      match: (s) => (s.length === 3 && s[0] === 'download' && s[2] === 'status' ? [s[1]!] : undefined),
      run: async (ctx) => {
        const jobId = jobIdParam(ctx);
        const job = manager.get(jobId);
        if (job === undefined) throw new HttpError('NOT_FOUND', `No job with id ${jobId}`);
        return json(200, job);
      },
    },
    {
      method: 'DELETE',
      action: 'cancel',
      match: (s) => (s.length === 2 && s[0] === 'download' ? [s[1]!] : undefined),
      run: async (ctx) => {
        const jobId = existingJob(ctx);
        await ctx.body();
        return json(200, await manager.cancel(jobId));
      },
    },
    ...(['pause', 'resume'] as const).map(
      (verb): Route => ({
        method: 'POST',
        action: verb,
        match: (s) => (s.length === 3 && s[0] === 'download' && s[2] === verb ? [s[1]!] : undefined),
        run: async (ctx) => {
          const jobId = existingJob(ctx);
          parse(emptyBodySchema, await ctx.body(), 'body', `${verb} takes no body`);
          return json(200, await manager[verb](jobId));
        },
      }),
    ),
    {
      method: 'GET',
      action: 'installed',
      match: exact('installed'),
      run: async () => json(200, await manager.installed()),
    },
    {
      method: 'DELETE',
      action: 'remove',
      // `org%2Fname` is the contract's form; a literal `org/name` is accepted too.
      match: (s) =>
        s[0] !== 'installed' ? undefined : s.length === 2 ? [s[1]!] : s.length === 3 ? [`${s[1]}/${s[2]}`] : undefined,
      run: async (ctx) => {
        const id = parse(installedIdSchema, ctx.params[0], 'params', 'Invalid installed id');
        await ctx.body();
        const removed = await manager.remove(id);
        if (removed.length === 0) throw new HttpError('NOT_FOUND', `Nothing installed for ${id}`);
        return json(200, { removed });
      },
    },
    {
      method: 'GET',
      action: 'export',
      match: (s) =>
        s[0] !== 'installed' || s.at(-1) !== 'bundle' ? undefined : s.length === 3 ? [s[1]!] : s.length === 4 ? [`${s[1]}/${s[2]}`] : undefined,
      run: async (ctx) => {
        const id = parse(installedIdSchema, ctx.params[0], 'params', 'Invalid installed id');
        if (!manager.exportBundle) throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot export bundles');
        // Written to a temp file first: a corrupt cache fails before any byte is sent, and the
        // response gets a Content-Length a browser can show progress with.
        const file = join(options.bundleTempDir ?? tmpdir(), `persian-hub-export-${randomBytes(8).toString('hex')}.tar`);
        try {
          await manager.exportBundle(id, file);
        } catch (error) {
          await rm(file, { force: true });
          throw error;
        }
        const size = (await stat(file)).size;
        const name = `${id.replace(/[^\w.-]+/g, '_')}.persian-hub.tar`;
        return {
          kind: 'file',
          status: 200,
          headers: {
            'content-type': 'application/x-tar',
            'content-length': String(size),
            'content-disposition': `attachment; filename="${name}"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          path: file,
          cleanup: () => rm(file, { force: true }),
        };
      },
    },
    {
      method: 'POST',
      action: 'import',
      match: exact('bundles', 'import'),
      run: async (ctx) => {
        const { path } = parse(bundleImportBodySchema, await ctx.body(), 'body', 'Invalid bundle import request');
        const allowed = options.bundleImportDirs ?? [];
        if (allowed.length === 0) throw new HttpError('FORBIDDEN', 'Importing bundles from server paths is not enabled on this server');
        if (!manager.importBundle) throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot import bundles');
        // Resolve links first, then require the real file to sit inside an allowed folder.
        const real = await realpath(path).catch(() => null);
        const roots = await Promise.all(allowed.map((d) => realpath(d).catch(() => null)));
        if (!real || !roots.some((r) => r !== null && real.startsWith(r + sep))) {
          // The same answer for "missing" and "not allowed": no probing of the server's files.
          throw new HttpError('NOT_FOUND', 'No bundle at that path in the allowed folders');
        }
        const { job, alreadyInstalled } = await manager.importBundle(real);
        return json(200, { jobId: job.id, job, alreadyInstalled });
      },
    },
    {
      method: 'POST',
      action: 'import',
      mediaType: 'application/x-tar',
      match: exact('bundles', 'upload'),
      run: async (ctx) => {
        const limit = options.bundleUploadLimit ?? 0;
        if (limit <= 0) throw new HttpError('FORBIDDEN', 'Uploading bundles is not enabled on this server');
        if (!manager.importBundle) throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot import bundles');
        const file = join(options.bundleTempDir ?? tmpdir(), `persian-hub-upload-${randomBytes(8).toString('hex')}.tar`);
        try {
          const size = await receiveBodyToFile(ctx.request, file, limit);
          if (size === 0) throw new HttpError('INVALID_INPUT', 'The upload is empty: send the .tar as the request body', []);
          const { job, alreadyInstalled } = await manager.importBundle(file);
          return json(200, { jobId: job.id, job, alreadyInstalled });
        } finally {
          // Imported (or refused): the upload itself is never kept.
          await rm(file, { force: true });
        }
      },
    },
    {
      // What the UI may offer: the gated-repo hint ("this server has no token") and the upload button.
      // Asked as 'available', the read every page does first, so an authorize that allows the page allows this.
      method: 'GET',
      action: 'available',
      match: exact('capabilities'),
      run: async () =>
        json(200, {
          hubToken: typeof manager.hasToken === 'function' ? manager.hasToken() : null,
          bundleUpload: (options.bundleUploadLimit ?? 0) > 0,
        }),
    },
    {
      method: 'GET',
      action: 'events',
      match: exact('events'),
      run: async (ctx) => {
        const lastEventId = headerValue(ctx.request.headers, 'last-event-id');
        return {
          kind: 'sse',
          status: 200,
          headers: SSE_HEADERS,
          open: (sink) => hub.connect(sink, lastEventId),
        };
      },
    },
  ];

  const handle = async (request: HandlerRequest<Raw>): Promise<HandlerResponse | undefined> => {
    const queryStart = request.url.indexOf('?');
    let path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    if (prefix) {
      if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
      path = path.slice(prefix.length);
    }
    const rawSegments = path.split('/').slice(1);
    if (rawSegments.length > 1 && rawSegments.at(-1) === '') rawSegments.pop();
    const method = request.method.toUpperCase();
    for (const route of routes) {
      if (route.method !== method) continue;
      const rawParams = route.match(rawSegments);
      if (rawParams === undefined) continue;
      try {
        const params = rawParams.map(decodeSegment);
        if (options.authorize && (await options.authorize(request, route.action)) !== true) {
          throw new HttpError('FORBIDDEN', 'Not allowed');
        }
        if (method !== 'GET') checkMediaType(request, route.mediaType);
        const ctx: RouteContext<unknown> = {
          request,
          params,
          query: new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
          body: () => readJsonBody(request, bodyLimit),
        };
        return await route.run(ctx);
      } catch (error) {
        if (error instanceof HttpError) {
          const body: ErrorBody = {
            error: error.issues
              ? { code: error.code, message: error.message, issues: error.issues }
              : { code: error.code, message: error.message },
          };
          return json(errorToStatus(error.code), body);
        }
        const { status, body } = errorToResponse(error);
        const retryAfter = body.error.details?.retryAfter;
        return json(status, body, typeof retryAfter === 'number' ? { 'retry-after': String(Math.ceil(retryAfter)) } : {});
      }
    }
    return undefined;
  };

  return {
    handle,
    bodyLimit,
    get sseClientCount() {
      return hub.clientCount;
    },
    close: () => hub.close(),
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError('INVALID_INPUT', 'Malformed percent-encoding in the path', []);
  }
}

function headerValue(headers: HandlerRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

function queryValue(query: URLSearchParams, name: string): string | string[] | undefined {
  const values = query.getAll(name);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

function hasBody(request: HandlerRequest): boolean {
  const length = headerValue(request.headers, 'content-length');
  if (headerValue(request.headers, 'transfer-encoding') !== undefined) return true;
  return length !== undefined && length.trim() !== '0';
}

/**
 * Mutations only accept `application/json`: an HTML form (urlencoded, multipart, text/plain)
 * or a body-less no-cors fetch from another site cannot start a download. DELETE without a
 * body is let through: browsers never send DELETE cross-site without a CORS preflight.
 */
function checkMediaType(request: HandlerRequest, expected = 'application/json'): void {
  const type = headerValue(request.headers, 'content-type');
  if (request.method.toUpperCase() === 'DELETE' && type === undefined && !hasBody(request)) return;
  const essence = type?.split(';')[0]?.trim().toLowerCase();
  if (essence !== expected) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Expected Content-Type: ${expected}`);
  }
}

/**
 * Streams a raw request body into `file`, at most `limit` bytes. Past the limit the rest is read
 * and dropped (breaking out would destroy the socket before the 413 could be written) and the
 * file is removed.
 */
async function receiveBodyToFile(request: HandlerRequest, file: string, limit: number): Promise<number> {
  const body = request.body;
  if (body !== null && typeof body === 'object' && 'parsed' in body) {
    throw new HttpError('INVALID_INPUT', "The host's body parser already consumed the upload; mount the Persian Hub routes before it", []);
  }
  const declared = Number(headerValue(request.headers, 'content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const out = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    const chunks: AsyncIterable<Uint8Array | string> | Array<Uint8Array | string> =
      body === undefined ? [] : typeof body === 'string' || body instanceof Uint8Array ? [body] : body;
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.byteLength;
      if (size <= limit) await out.write(buf);
    }
  } finally {
    await out.close();
  }
  if (size > limit) {
    await rm(file, { force: true });
    throw tooLarge(limit);
  }
  return size;
}

async function readJsonBody(request: HandlerRequest, limit: number): Promise<unknown> {
  const body = request.body;
  if (body !== null && typeof body === 'object' && 'parsed' in body) return body.parsed;
  const declared = Number(headerValue(request.headers, 'content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  let text: string;
  if (body === undefined) {
    text = '';
  } else if (typeof body === 'string') {
    if (Buffer.byteLength(body) > limit) throw tooLarge(limit);
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw tooLarge(limit);
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  } else {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit we keep reading but drop the bytes: breaking out would destroy the
    // socket before the 413 could be written.
    for await (const chunk of body) {
      size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (size <= limit) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    if (size > limit) throw tooLarge(limit);
    text = Buffer.concat(chunks).toString('utf8');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError('INVALID_INPUT', 'The body is not valid JSON', []);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes`);
}
