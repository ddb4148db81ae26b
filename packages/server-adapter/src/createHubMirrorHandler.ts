import { createHash, timingSafeEqual } from 'node:crypto';
import { resolve as resolvePath } from 'node:path';
import { PersianHubError, trimTrailingSlashes, type DownloadManagerApi, type RepoType } from '@persian-hub/core';
import { createBodyReader, headerValue } from './createBodyReader.js';
import { createMirrorCache, type MirrorFile } from './createMirrorCache.js';
import { createMirrorPulls } from './createMirrorPulls.js';
import { createOriginGuard } from './createOriginGuard.js';
import { compileRepoRule } from './compileRepoRule.js';
import { errorToStatus } from './errorToStatus.js';
import { HttpError, tooLarge } from './HttpError.js';
import type { HubMirrorHandler, HubMirrorOptions, HubMirrorRequest, HubMirrorResponse, MirrorRepo } from './HubMirrorOptions.js';
import { mirrorCursorSchema, mirrorFlagSchema, mirrorPathSchema, mirrorPathsInfoSchema, mirrorRepoIdSchema, mirrorRevisionSchema } from './hubMirrorSchemas.js';
import {
  directoryEntry,
  errorAnswer,
  fileAnswer,
  fileEntry,
  HubAnswer,
  jsonAnswer,
  repoInfoJson,
  type MirrorSnapshotRef,
} from './mirrorResponses.js';

export type { HubMirrorHandler, HubMirrorOptions, HubMirrorRequest, HubMirrorResponse } from './HubMirrorOptions.js';

type MirrorType = RepoType | 'space';
const API_TYPES: Readonly<Record<string, MirrorType>> = { models: 'model', datasets: 'dataset', spaces: 'space' };
/** Path segments a request may have: a repo path nests far less, and each one may be tried as a revision. */
const MAX_SEGMENTS = 256;
/** Parts of a revision written without %2F (`refs/convert/parquet` as js lists it) that are tried. */
const MAX_REVISION_PARTS = 8;

interface Route {
  readonly op: 'info' | 'tree' | 'paths-info' | 'resolve';
  readonly repoType: MirrorType;
  readonly repoId: string;
  /** Decoded segments after the operation: the revision (and the path). */
  readonly rest: readonly string[];
}

/**
 * A Hugging Face Hub-compatible, read-only API over the manager's cache, so that
 * `HF_ENDPOINT=http://this-machine:3001/hub` works for huggingface_hub, `@huggingface/hub` and
 * another Persian Hub: repo info, tree (paginated), paths-info and resolve (HEAD/GET, Range).
 * Framework-free like createPersianHubHandler; express.ts and fastify.ts mount it.
 */
export function createHubMirrorHandler<Raw = unknown>(
  manager: DownloadManagerApi & { readonly cacheDir?: string },
  options: HubMirrorOptions<Raw> = {},
): HubMirrorHandler<Raw> {
  const prefix = trimTrailingSlashes(options.prefix ?? '');
  const mode = options.mode ?? 'installed';
  if (mode !== 'installed' && mode !== 'pullThrough') throw new TypeError(`mirror mode must be 'installed' or 'pullThrough', not ${JSON.stringify(mode)}`);
  const cacheDir = options.cacheDir ?? manager.cacheDir;
  if (typeof cacheDir !== 'string' || cacheDir === '') {
    throw new PersianHubError('INVALID_INPUT', 'The Hub mirror needs the cache folder: pass `cacheDir`, or a manager that has one.');
  }
  if (mode === 'pullThrough' && manager.cacheDir !== undefined && resolvePath(cacheDir) !== resolvePath(manager.cacheDir)) {
    // Pulled files land in the manager's cache: a mirror of another folder would never see them.
    throw new PersianHubError('INVALID_INPUT', "pullThrough mode serves the manager's own cache: leave `cacheDir` out.");
  }
  if (mode === 'pullThrough' && options.policy?.pull === undefined) {
    throw new PersianHubError('INVALID_INPUT', "pullThrough mode needs `policy.pull`: the repos a miss may fetch from upstream (['*'] for any).");
  }
  const serves = compileRepoRule(options.policy?.serve, true, 'policy.serve');
  const pulls = compileRepoRule(options.policy?.pull, false, 'policy.pull');
  const token = options.token;
  if (token !== undefined && (typeof token !== 'string' || token.length < 16)) {
    throw new TypeError('The mirror token must be a string of at least 16 characters (e.g. `openssl rand -hex 32`)');
  }
  const expected = token === undefined ? null : digest(token);
  const pageSize = positive(options.pageSize ?? 1000, 'pageSize');
  const bodyLimit = positive(options.bodyLimit ?? 256 * 1024, 'bodyLimit');
  const highWaterMark = positive(options.highWaterMark ?? 64 * 1024, 'highWaterMark');
  const cache = createMirrorCache(cacheDir, positive(options.maxFiles ?? 200_000, 'maxFiles'));
  const pull = createMirrorPulls(manager);
  const checkOrigin = createOriginGuard(options);

  const mayPull = (repo: MirrorRepo) => mode === 'pullThrough' && repo.repoType !== 'space' && pulls(repo);
  const repoNotFound = (request: HubMirrorRequest<Raw>) =>
    // The Hub says 401 to anonymous callers (it cannot tell "private" from "missing"), 404 to others.
    new HubAnswer(headerValue(request.headers, 'authorization') ? 404 : 401, 'RepoNotFound', 'Repository not found');

  /** Splits `rest` into a revision the cache knows (longest first) and what follows. */
  const splitRevision = async (route: Route, leaveForPath: number): Promise<{ revision: string; commit: string | null; after: readonly string[] }> => {
    const { rest } = route;
    if (rest.length === 0) return { revision: 'main', commit: null, after: [] };
    for (let n = Math.min(rest.length - leaveForPath, MAX_REVISION_PARTS); n >= 1; n--) {
      const revision = rest.slice(0, n).join('/');
      if (!mirrorRevisionSchema.safeParse(revision).success) continue;
      const commit = await cache.resolveCommit(route.repoType as RepoType, route.repoId, revision);
      if (commit) return { revision, commit, after: rest.slice(n) };
    }
    const revision = rest[0]!;
    if (!mirrorRevisionSchema.safeParse(revision).success) throw new HttpError('INVALID_INPUT', 'Invalid revision', []);
    return { revision, commit: null, after: rest.slice(1) };
  };

  /** The commit to answer from, pulling the revision first when the policy lets a miss do that. */
  const commitFor = async (request: HubMirrorRequest<Raw>, route: Route, revision: string, commit: string | null, path?: string): Promise<string> => {
    if (commit) return commit;
    const repo = { repoType: route.repoType as RepoType, repoId: route.repoId };
    if (mayPull(route)) {
      await pull.pull(repo.repoType, repo.repoId, revision, path);
      const pulled = await cache.resolveCommit(repo.repoType, repo.repoId, revision);
      if (pulled) return pulled;
    }
    if (!(await cache.hasRepo(repo.repoType, repo.repoId))) throw repoNotFound(request);
    throw new HubAnswer(404, 'RevisionNotFound', `Invalid rev id: ${revision}`);
  };

  const snapshotRef = async (route: Route, commit: string): Promise<MirrorSnapshotRef> => ({
    repoType: route.repoType,
    repoId: route.repoId,
    commit,
    lastModified: await cache.modified(route.repoType as RepoType, route.repoId, commit),
  });

  const listed = (route: Route) => mayPull(route);

  const info = async (request: HubMirrorRequest<Raw>, route: Route, query: URLSearchParams, head: boolean): Promise<HubMirrorResponse> => {
    const revision = route.rest.length === 0 ? 'main' : route.rest.join('/');
    if (!mirrorRevisionSchema.safeParse(revision).success) throw new HttpError('INVALID_INPUT', 'Invalid revision', []);
    const commit = await commitFor(request, route, revision, await cache.resolveCommit(route.repoType as RepoType, route.repoId, revision));
    const files = await cache.list(route.repoType as RepoType, route.repoId, commit, listed(route));
    const blobs = mirrorFlagSchema.parse(query.get('blobs') ?? undefined);
    return jsonAnswer(200, repoInfoJson(await snapshotRef(route, commit), files, blobs), {}, head);
  };

  const tree = async (request: HubMirrorRequest<Raw>, route: Route, query: URLSearchParams, rawPath: string, head: boolean): Promise<HubMirrorResponse> => {
    const split = await splitRevision(route, 0);
    const commit = await commitFor(request, route, split.revision, split.commit);
    const dir = split.after.join('/').replace(/^\/+|\/+$/g, '');
    if (dir !== '' && !mirrorPathSchema.safeParse(dir).success) throw new HttpError('INVALID_INPUT', 'Invalid path', []);
    const recursive = mirrorFlagSchema.parse(query.get('recursive') ?? undefined);
    const expand = mirrorFlagSchema.parse(query.get('expand') ?? undefined);
    const cursor = parseQuery(mirrorCursorSchema, query.get('cursor') ?? undefined, 'Invalid cursor');
    const snap = await snapshotRef(route, commit);
    const files = await cache.list(route.repoType as RepoType, route.repoId, commit, listed(route));
    const { entries, isDirectory } = entriesUnder(files, dir, recursive);
    if (dir !== '' && !isDirectory) {
      throw new HubAnswer(404, 'EntryNotFound', `${dir} does not exist on "${split.revision}"`, { 'x-repo-commit': commit });
    }
    const page = entries.slice(cursor, cursor + pageSize).map((e) => (typeof e === 'string' ? directoryEntry(snap, e, expand) : fileEntry(snap, e, expand)));
    const headers: Record<string, string> = {};
    if (cursor + pageSize < entries.length) {
      const next = new URLSearchParams(query);
      next.set('cursor', String(cursor + pageSize));
      headers.link = `<${publicBase(request)}${rawPath}?${next.toString()}>; rel="next"`;
    }
    return jsonAnswer(200, page, headers, head);
  };

  const pathsInfo = async (request: HubMirrorRequest<Raw>, route: Route): Promise<HubMirrorResponse> => {
    const split = await splitRevision(route, 0);
    if (split.after.length > 0) throw new HttpError('INVALID_INPUT', 'Invalid revision', []);
    const body = await readPathsInfoBody(request, bodyLimit, options.idleTimeoutMs ?? 60_000);
    const commit = await commitFor(request, route, split.revision, split.commit);
    const snap = await snapshotRef(route, commit);
    const expand = body.expand === true || (typeof body.expand === 'string' && /^(?:true|1)$/i.test(body.expand));
    const files = await cache.list(route.repoType as RepoType, route.repoId, commit, listed(route));
    const byPath = new Map(files.map((f) => [f.path, f]));
    const dirs = new Set<string>();
    for (const f of files) for (let i = f.path.indexOf('/'); i !== -1; i = f.path.indexOf('/', i + 1)) dirs.add(f.path.slice(0, i));
    const out: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const raw of body.paths) {
      const p = raw.replace(/^\/+|\/+$/g, '');
      if (seen.has(p) || !mirrorPathSchema.safeParse(p).success) continue;
      seen.add(p);
      const f = byPath.get(p);
      if (f) out.push(fileEntry(snap, f, expand));
      else if (dirs.has(p)) out.push(directoryEntry(snap, p, expand));
    }
    return jsonAnswer(200, out);
  };

  const resolve = async (request: HubMirrorRequest<Raw>, route: Route, head: boolean): Promise<HubMirrorResponse> => {
    const split = await splitRevision(route, 1);
    const path = split.after.join('/');
    if (!mirrorPathSchema.safeParse(path).success) throw new HttpError('INVALID_INPUT', 'Invalid file path', []);
    const repoType = route.repoType as RepoType;
    const commit = await commitFor(request, route, split.revision, split.commit, path);
    let file: MirrorFile | null = await cache.file(repoType, route.repoId, commit, path, listed(route));
    if (file?.blob === null || (file === null && listed(route) && !(await cache.hasTree(repoType, route.repoId, commit)))) {
      // Listed upstream but not here yet (or no listing to ask): fetch this one file, then serve it.
      await pull.pull(repoType, route.repoId, commit, path);
      file = await cache.file(repoType, route.repoId, commit, path);
    }
    if (file === null || file.blob === null) {
      throw new HubAnswer(404, 'EntryNotFound', `${path} does not exist on "${split.revision}"`, { 'x-repo-commit': commit });
    }
    const handle = head ? null : await cache.openBlob(file);
    if (!head && handle === null) {
      throw new HubAnswer(404, 'EntryNotFound', `${path} is not complete on this mirror`, { 'x-repo-commit': commit });
    }
    return fileAnswer(commit, file, headerValue(request.headers, 'range'), headerValue(request.headers, 'if-range'), handle, highWaterMark);
  };

  const publicBase = (request: HubMirrorRequest<Raw>): string => {
    if (options.publicUrl) return trimTrailingSlashes(options.publicUrl);
    const host = headerValue(request.headers, 'host') ?? '';
    return `http://${/^[A-Za-z0-9.:[\]-]{1,300}$/.test(host) ? host : 'localhost'}${request.mountPath ?? ''}${prefix}`;
  };

  const authorized = (request: HubMirrorRequest<Raw>): boolean => {
    if (expected === null) return true;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request.headers, 'authorization') ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), expected);
  };

  const handle = async (request: HubMirrorRequest<Raw>): Promise<HubMirrorResponse | undefined> => {
    const queryStart = request.url.indexOf('?');
    let rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    if (prefix) {
      if (rawPath !== prefix && !rawPath.startsWith(`${prefix}/`)) return undefined;
      rawPath = rawPath.slice(prefix.length);
    }
    const method = request.method.toUpperCase();
    const head = method === 'HEAD';
    let route: Route | undefined;
    try {
      route = matchRoute(rawPath);
    } catch (error) {
      return toResponse(error, head);
    }
    if (route === undefined) return undefined;
    try {
      const allowed = route.op === 'paths-info' ? method === 'POST' : method === 'GET' || head;
      if (!allowed) throw new HubAnswer(405, undefined, `Method ${method} is not allowed here`);
      checkOrigin(request);
      if (!authorized(request)) throw new HubAnswer(401, undefined, 'Invalid credentials in Authorization header');
      if (options.authorize && (await options.authorize(request, 'mirror')) !== true) throw new HttpError('FORBIDDEN', 'Not allowed');
      if (!mirrorRepoIdSchema.safeParse(route.repoId).success || !serves(route)) {
        throw repoNotFound(request);
      }
      const query = new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
      switch (route.op) {
        case 'info':
          return await info(request, route, query, head);
        case 'tree':
          return await tree(request, route, query, rawPath, head);
        case 'paths-info':
          return await pathsInfo(request, route);
        case 'resolve':
          return await resolve(request, route, head);
      }
    } catch (error) {
      return toResponse(error, head);
    }
  };

  return { handle, mode };
}

/** Which mirror route a path is, or undefined; the repo id is checked later (so it answers RepoNotFound like the Hub). */
function matchRoute(rawPath: string): Route | undefined {
  const raw = rawPath.split('/').slice(1);
  if (raw.length > MAX_SEGMENTS) throw new HttpError('INVALID_INPUT', 'The path has too many parts', []);
  if (raw.length > 1 && raw.at(-1) === '') raw.pop();
  const s = raw.map(decodeSegment);
  if (s[0] === 'api') {
    const repoType = API_TYPES[s[1] ?? ''];
    if (repoType === undefined || s.length < 4) return undefined;
    const repoId = `${s[2]}/${s[3]}`;
    const op = s[4];
    if (op === undefined) return { op: 'info', repoType, repoId, rest: [] };
    if (op === 'revision' && s.length > 5) return { op: 'info', repoType, repoId, rest: s.slice(5) };
    if (op === 'tree' && s.length > 5) return { op: 'tree', repoType, repoId, rest: s.slice(5) };
    if (op === 'paths-info' && s.length > 5) return { op: 'paths-info', repoType, repoId, rest: s.slice(5) };
    return undefined;
  }
  const typed = s[0] === 'datasets' ? 'dataset' : s[0] === 'spaces' ? 'space' : undefined;
  const at = typed ? 1 : 0;
  if (s[at + 2] !== 'resolve' || s.length < at + 5) return undefined;
  return { op: 'resolve', repoType: typed ?? 'model', repoId: `${s[at]}/${s[at + 1]}`, rest: s.slice(at + 3) };
}

/** Directories and files under `dir` (children only unless recursive), sorted by path. */
function entriesUnder(files: readonly MirrorFile[], dir: string, recursive: boolean): { entries: (MirrorFile | string)[]; isDirectory: boolean } {
  const base = dir === '' ? '' : `${dir}/`;
  const dirs = new Set<string>();
  const out: (MirrorFile | string)[] = [];
  let isDirectory = dir === '';
  for (const f of files) {
    if (!f.path.startsWith(base)) continue;
    isDirectory = true;
    const rest = f.path.slice(base.length);
    const parts = rest.split('/');
    const depth = recursive ? parts.length - 1 : Math.min(1, parts.length - 1);
    for (let i = 1; i <= depth; i++) dirs.add(base + parts.slice(0, i).join('/'));
    if (recursive || parts.length === 1) out.push(f);
  }
  out.push(...dirs);
  const key = (e: MirrorFile | string) => (typeof e === 'string' ? e : e.path);
  out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { entries: out, isDirectory };
}

async function readPathsInfoBody(request: HubMirrorRequest, limit: number, idleTimeoutMs: number) {
  const type = headerValue(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  const form = type === 'application/x-www-form-urlencoded';
  const reader = createBodyReader(request, idleTimeoutMs, form ? type : 'application/json');
  let value: unknown;
  if (reader.parsed) {
    value = reader.parsed.value;
  } else {
    const chunks: Buffer[] = [];
    let size = 0;
    for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (form) {
      const params = new URLSearchParams(text);
      value = { paths: params.getAll('paths'), expand: params.get('expand') ?? undefined };
    } else {
      try {
        value = text.trim() === '' ? { paths: [] } : (JSON.parse(text) as unknown);
      } catch {
        throw new HttpError('INVALID_INPUT', 'The body is not valid JSON', []);
      }
    }
  }
  if (value !== null && typeof value === 'object' && typeof (value as { paths?: unknown }).paths === 'string') {
    value = { ...value, paths: [(value as { paths: string }).paths] };
  }
  return parseQuery(mirrorPathsInfoSchema, value, 'Invalid paths-info request');
}

function parseQuery<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } } }, value: unknown, message: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError('INVALID_INPUT', message, r.error.issues);
}

function toResponse(error: unknown, head: boolean): HubMirrorResponse {
  if (error instanceof HubAnswer) return errorAnswer(error.status, error.errorCode, error.message, { ...error.headers }, head);
  if (error instanceof HttpError) return errorAnswer(error.extra.status ?? errorToStatus(error.code), undefined, error.message, {}, head);
  // Never a path or a stack to the client: those are the server's.
  return errorAnswer(500, undefined, 'Internal error', {}, head);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError('INVALID_INPUT', 'Malformed percent-encoding in the path', []);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a whole number of at least 1, not ${String(value)}`);
  return value;
}
