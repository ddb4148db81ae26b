import {
  isPersianHubError,
  parseBundlePublicKey,
  PersianHubError,
  trimTrailingSlashes,
  type BundleImportOutcome,
  type BundleImportRequest,
  type DownloadManagerApi,
  type StartInput,
} from '@persian-hub/core';
import type { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { bodyLeftUnread, createBodyReader, declaredLength, headerValue, readJsonBody, type BodyReader } from './createBodyReader.js';
import { createManifestPeek, DEFAULT_BUNDLE_MANIFEST_LIMITS } from './createManifestPeek.js';
import { createSharedExports } from './createSharedExports.js';
import { createSlots } from './createSlots.js';
import { createSseHub, type SseHub } from './createSseHub.js';
import { createOriginGuard } from './createOriginGuard.js';
import { errorToResponse, errorToStatus, type ErrorBody } from './errorToStatus.js';
import { HttpError } from './HttpError.js';
import { peekBundleFile } from './peekBundleFile.js';
import { FINISHED_STATUSES, listSlimJobs } from './PersianHubManager.js';
import type {
  HandlerAction,
  HandlerRequest,
  HandlerResponse,
  JsonHandlerResponse,
  PersianHubHandler,
  PersianHubHandlerOptions,
} from './PersianHubHandlerOptions.js';
import { receiveBodyToFile } from './receiveBodyToFile.js';
import {
  availableQuerySchema,
  emptyBodySchema,
  bundleImportBodySchema,
  bundleUploadQuerySchema,
  downloadsQuerySchema,
  forgetQuerySchema,
  installedIdSchema,
  jobIdSchema,
  LARGEST_VALID_BODY,
  parseStartBody,
  type StartRepoBody,
} from './schemas.js';

export type {
  FileHandlerResponse,
  HandlerAction,
  HandlerBody,
  HandlerRequest,
  HandlerResponse,
  JsonHandlerResponse,
  PersianHubHandler,
  PersianHubHandlerOptions,
  SseHandlerResponse,
} from './PersianHubHandlerOptions.js';

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

interface RouteContext<Raw> {
  readonly request: HandlerRequest<Raw>;
  readonly params: readonly string[];
  readonly query: URLSearchParams;
  /** Reads, size-checks and parses the JSON body (undefined when there is none). */
  readonly body: () => Promise<unknown>;
  /** The raw body, for the upload route. */
  readonly reader: BodyReader;
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
  const prefix = trimTrailingSlashes(options.prefix ?? '');
  // Checked now, so a mistyped key fails at startup instead of refusing every bundle later.
  const trustedKeys = [...(options.bundleTrustedKeys ?? [])];
  trustedKeys.forEach((k, i) => parseBundlePublicKey(k, `bundleTrustedKeys[${i}]`));
  if (options.requireSignedBundles && trustedKeys.length === 0) {
    throw new PersianHubError('INVALID_INPUT', 'requireSignedBundles needs at least one key in bundleTrustedKeys.');
  }
  const bodyLimit = options.bodyLimit ?? LARGEST_VALID_BODY;
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
  const checkOrigin = createOriginGuard(options);
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const tempDir = options.bundleTempDir ?? tmpdir();
  const manifestLimits = { ...DEFAULT_BUNDLE_MANIFEST_LIMITS, ...options.bundleManifestLimits };
  const importSlots = createSlots(positive(options.maxConcurrentImports ?? 2, 'maxConcurrentImports'), 'bundle imports');
  const exportSlots = createSlots(positive(options.maxConcurrentExports ?? 2, 'maxConcurrentExports'), 'bundle exports');
  const exports = createSharedExports(tempDir);

  const json = (status: number, value: unknown, headers: Record<string, string> = {}): JsonHandlerResponse => ({
    kind: 'json',
    status,
    headers: { ...JSON_HEADERS, ...headers },
    body: serialize(value),
  });

  const importOptions = (updateRefs: boolean): BundleImportRequest => ({
    updateRefs,
    ...(trustedKeys.length > 0 ? { trustedKeys } : {}),
    ...(options.requireSignedBundles ? { requireSignature: true } : {}),
  });
  const importAnswer = (r: BundleImportOutcome) =>
    json(200, { jobId: r.job.id, job: r.job, alreadyInstalled: r.alreadyInstalled, signature: r.signature ?? null, ref: r.ref ?? null });
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
      run: async (ctx) => {
        // Totals only unless asked: the list is polled, and per-file arrays make it megabytes.
        const { files } = parse(downloadsQuerySchema, { files: queryValue(ctx.query, 'files') }, 'query', 'Invalid query');
        return json(200, files ? manager.list({ files: 'all' }) : listSlimJobs(manager));
      },
    },
    {
      method: 'DELETE',
      action: 'forget',
      match: exact('downloads'),
      run: async (ctx) => {
        parse(forgetQuerySchema, { status: queryValue(ctx.query, 'status') }, 'query', 'Say which jobs to forget: ?status=finished');
        parse(emptyBodySchema, await ctx.body(), 'body', 'Forgetting takes no body');
        const before = listSlimJobs(manager).map((job) => job.id);
        if (manager.forgetFinished) {
          await manager.forgetFinished();
        } else if (manager.forget) {
          for (const job of listSlimJobs(manager)) if (FINISHED_STATUSES.has(job.status)) await manager.forget(job.id);
        } else {
          throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot forget jobs');
        }
        // Event-stream clients hear of each one from the manager's own `forgotten` events.
        return json(200, { forgotten: before.filter((id) => manager.get(id) === undefined) });
      },
    },
    {
      method: 'POST',
      action: 'forget',
      match: (s) => (s.length === 3 && s[0] === 'download' && s[2] === 'forget' ? [s[1]!] : undefined),
      run: async (ctx) => {
        const jobId = existingJob(ctx);
        parse(emptyBodySchema, await ctx.body(), 'body', 'Forgetting takes no body');
        if (!manager.forget) throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot forget jobs');
        const status = manager.get(jobId)?.status;
        if (status !== undefined && !FINISHED_STATUSES.has(status)) {
          throw new HttpError('CONFLICT', `Job ${jobId} is ${status}; only a completed, failed or cancelled job can be forgotten (cancel it first).`, undefined, {
            details: { jobStatus: status },
          });
        }
        await manager.forget(jobId);
        return json(200, { forgotten: [jobId] });
      },
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
        const exportBundle = manager.exportBundle?.bind(manager);
        if (!exportBundle) throw new HttpError('NOT_IMPLEMENTED', 'This manager cannot export bundles');
        // Written to a temp file first: a corrupt cache fails before any byte is sent, and the
        // response gets a Content-Length a browser can show progress with. Clients of the same
        // snapshot share the file while one of them is still downloading it.
        const copy = await exports.acquire(id, (file) => exportBundle(id, file), () => exportSlots.take()).catch((error: unknown) => {
          // The server's own cache links outside its repo folder: not the client's fault.
          if (isPersianHubError(error) && error.code === 'UNSAFE_PATH') {
            throw new HttpError('UNSAFE_PATH', error.message, undefined, { status: 500, details: { ...error.details } });
          }
          throw error;
        });
        const name = `${id.replace(/[^\w.-]+/g, '_')}.persian-hub.tar`;
        return {
          kind: 'file',
          status: 200,
          headers: {
            'content-type': 'application/x-tar',
            'content-length': String(copy.size),
            'content-disposition': `attachment; filename="${name}"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
          path: copy.path,
          cleanup: copy.release,
          idleTimeoutMs,
        };
      },
    },
    {
      method: 'POST',
      action: 'import',
      match: exact('bundles', 'import'),
      run: async (ctx) => {
        const { path, updateRefs } = parse(bundleImportBodySchema, await ctx.body(), 'body', 'Invalid bundle import request');
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
        const release = importSlots.take();
        try {
          await peekBundleFile(real, manifestLimits);
          return importAnswer(await manager.importBundle(real, importOptions(updateRefs === true)));
        } finally {
          release();
        }
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
        const { updateRefs } = parse(bundleUploadQuerySchema, { updateRefs: queryValue(ctx.query, 'updateRefs') }, 'query', 'Invalid query');
        if (ctx.reader.parsed) {
          throw new HttpError('INVALID_INPUT', "The host's body parser already consumed the upload; mount the Persian Hub routes before it", []);
        }
        const release = importSlots.take();
        const file = join(tempDir, `persian-hub-upload-${randomBytes(8).toString('hex')}.tar`);
        try {
          const declared = declaredLength(ctx.request);
          if (declared === 0) throw new HttpError('INVALID_INPUT', 'The upload is empty: send the .tar as the request body', []);
          const peek = await createManifestPeek(manifestLimits);
          await receiveBodyToFile(ctx.reader, { file, limit, declared, peek });
          return importAnswer(await manager.importBundle(file, importOptions(updateRefs)));
        } finally {
          release();
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
          ...(options.sseMaxBufferedBytes !== undefined ? { maxBufferedBytes: options.sseMaxBufferedBytes } : {}),
        };
      },
    },
  ];

  const errorResponse = (error: unknown): JsonHandlerResponse => {
    if (error instanceof HttpError) {
      const { status, details, retryAfter } = error.extra;
      const body: ErrorBody = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.issues ? { issues: error.issues } : {}),
          ...(details ? { details } : {}),
        },
      };
      return json(status ?? errorToStatus(error.code), body, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
    }
    const { status, body } = errorToResponse(error);
    const retryAfter = body.error.details?.retryAfter;
    return json(status, body, typeof retryAfter === 'number' ? { 'retry-after': String(Math.ceil(retryAfter)) } : {});
  };

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
      let reader: BodyReader | undefined;
      let response: HandlerResponse;
      try {
        const params = rawParams.map(decodeSegment);
        checkOrigin(request);
        if (options.authorize && (await options.authorize(request, route.action)) !== true) {
          throw new HttpError('FORBIDDEN', 'Not allowed');
        }
        // Checks the media type of an announced body; cross-site requests were refused above.
        const body = createBodyReader(request, idleTimeoutMs, route.mediaType ?? 'application/json');
        reader = body;
        const ctx: RouteContext<unknown> = {
          request,
          params,
          query: new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
          body: () => readJsonBody(request, body, bodyLimit),
          reader: body,
        };
        response = await route.run(ctx);
      } catch (error) {
        response = errorResponse(error);
      }
      // Refused before its body was read: close rather than let Node read and drop the rest.
      if (response.kind === 'json' && (reader ? reader.leftUnread : bodyLeftUnread(request))) {
        response = { ...response, headers: { ...response.headers, connection: 'close' } };
      }
      return response;
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

function queryValue(query: URLSearchParams, name: string): string | string[] | undefined {
  const values = query.getAll(name);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a whole number of at least 1, not ${String(value)}`);
  return value;
}
