import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { defaultRepos } from './defaultRepos.js';
import { generatedRange } from './generatedBytes.js';
import { resolveRepo } from './resolveRepo.js';
import type {
  Fault,
  HubEmulator,
  HubEmulatorOptions,
  RepoSpec,
  RepoType,
  RequestRecord,
  ResolvedFile,
  ResolvedRepo,
  ResolvedRevision,
} from './types.js';

const COMMIT_RE = /^[0-9a-f]{40}$/;
const MAX_CHUNK = 64 * 1024;
const EXPOSED_HEADERS = [
  'X-Repo-Commit', 'X-Linked-Etag', 'X-Linked-Size', 'X-Error-Code', 'X-Error-Message', 'ETag', 'Link',
  'Content-Range', 'Content-Disposition', 'Accept-Ranges', 'Retry-After', 'X-Request-Id',
].join(', ');

interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly record: RequestRecord;
  readonly method: string;
  /** Raw (still percent-encoded) pathname, used to build Link headers. */
  readonly rawPath: string;
  /** Decoded path segments, with `%2F` inside a segment split too (revisions like `refs%2Fpr%2F1`). */
  readonly parts: readonly string[];
  readonly decodedPath: string;
  readonly query: URLSearchParams;
  readonly isCdn: boolean;
  /** Repo file this request is about (set for CDN requests), used by fault matching. */
  filePath?: string;
  authed: boolean;
}

interface FaultEntry {
  readonly fault: Fault;
  remaining: number;
  /** Matching requests still let through untouched (`Fault.after`). */
  skip: number;
}

type Headers = Record<string, string | number>;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isTrue(value: string | null | undefined | boolean): boolean {
  if (typeof value === 'boolean') return value;
  return value != null && /^(true|1|yes)$/i.test(value.trim());
}

function contentTypeFor(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'application/json; charset=utf-8';
  if (/\.(md|txt|py|yaml|yml|csv|tsv|cfg)$/.test(lower) || /(^|\/)(MODEL_CARD|LICENSE|[\w.-]*LICENSE)$/.test(path)) {
    return 'text/plain; charset=utf-8';
  }
  return 'application/octet-stream';
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `filename="..."` needs plain ASCII; the real CDN adds `filename*=UTF-8''` for the rest. */
function dispositionName(path: string): string {
  return basename(path).replace(/[^\x20-\x7e]|"/g, '_');
}

type RangeResult = { start: number; end: number } | 'unsatisfiable' | undefined;

function parseRange(header: string | undefined, total: number): RangeResult {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined; // multi-range or garbage: serve the whole body, as RFC 9110 allows
  const [, a = '', b = ''] = m;
  if (a === '') {
    if (b === '') return undefined;
    const n = Number(b);
    if (n === 0 || total === 0) return 'unsatisfiable';
    return { start: Math.max(0, total - n), end: total - 1 };
  }
  const start = Number(a);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= total) return 'unsatisfiable';
  const end = b === '' ? total - 1 : Math.min(Number(b), total - 1);
  return { start, end };
}

function fileChunks(file: ResolvedFile, start: number, end: number): Iterable<Buffer> {
  if (file.source.kind === 'bytes') return [file.source.bytes.subarray(start, end)];
  return generatedRange(file.source.seed, start, end);
}

export async function startHubEmulator(options: HubEmulatorOptions = {}): Promise<HubEmulator> {
  const host = options.host ?? '127.0.0.1';
  const cdnHost = (options.cdnHost ?? 'localhost').toLowerCase();
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 1000));
  const tokens = new Set(options.tokens ?? ['hf_emulator_token']);
  const publicBaseUrl = options.publicBaseUrl?.replace(/\/+$/, '');
  const log = options.log ?? false;
  let latencyMs = Math.max(0, options.latencyMs ?? 0);
  const redirectTtlMs = options.redirectTtlMs;

  const repos = new Map<string, ResolvedRepo>();
  /** `${type}:${id.toLowerCase()}` → repo: the Hub resolves ids case-insensitively. */
  const reposByLowerKey = new Map<string, ResolvedRepo>();
  /** `${type}:${formerId.toLowerCase()}` → the repo it was renamed to. */
  const renamedByLowerKey = new Map<string, ResolvedRepo>();
  const blobsBySha = new Map<string, ResolvedFile>();
  const requests: RequestRecord[] = [];
  let faults: FaultEntry[] = [];
  const sockets = new Set<Socket>();
  const pendingWaits = new Set<() => void>();
  /** Responses held by a `stall` fault; `releaseStalled()` lets them go on. */
  const stalled = new Set<() => void>();
  let closing = false;
  let requestCounter = 0;
  let connectionCounter = 0;
  let connectionsOpened = 0;
  const connectionIds = new WeakMap<Socket, number>();
  let port = 0;
  let url = '';

  const register = (repo: ResolvedRepo): void => {
    repos.set(repo.key, repo);
    reposByLowerKey.set(`${repo.type}:${repo.id.toLowerCase()}`, repo);
    for (const old of repo.renamedFrom) renamedByLowerKey.set(`${repo.type}:${old.toLowerCase()}`, repo);
    for (const rev of repo.revisions.values()) {
      for (const file of rev.files) {
        if (file.lfs && !blobsBySha.has(file.sha256)) blobsBySha.set(file.sha256, file);
      }
    }
  };

  for (const repo of await Promise.all((options.repos ?? defaultRepos()).map(resolveRepo))) register(repo);

  const lookupRepo = (type: RepoType | 'space', id: string): ResolvedRepo | undefined =>
    reposByLowerKey.get(`${type}:${id.toLowerCase()}`);

  const lookupRenamed = (type: RepoType | 'space', id: string): ResolvedRepo | undefined =>
    lookupRepo(type, id) ? undefined : renamedByLowerKey.get(`${type}:${id.toLowerCase()}`);

  /**
   * The Hub's answer to a former repo id: 307 with a relative Location, the id segments
   * (`parts[start, start + count)`) swapped for the new id, the rest of the path and the query kept.
   */
  const redirectRenamed = async (ctx: Ctx, repo: ResolvedRepo, start: number, count: number): Promise<void> => {
    const raw = ctx.rawPath.split('/').filter((s) => s !== '');
    const segments = raw.length === ctx.parts.length ? raw : ctx.parts.map(encodeURIComponent);
    const path = `/${[...segments.slice(0, start), ...repo.id.split('/'), ...segments.slice(start + count)].join('/')}`;
    const query = ctx.query.toString();
    writeHead(ctx, 307, {
      location: query ? `${path}?${query}` : path,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': 0,
    });
    ctx.res.end();
  };

  /** Waits that close() can cut short, so throttled responses never keep the process alive. */
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pendingWaits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingWaits.add(done);
    });

  const matches = (fault: Fault, ctx: Ctx): boolean => {
    const m = fault.match;
    if (!m) return true;
    if (m.method && m.method.toUpperCase() !== ctx.method) return false;
    if (m.host && (m.host === 'cdn') !== ctx.isCdn) return false;
    if (m.path !== undefined) {
      const candidates = [ctx.decodedPath, ...(ctx.filePath ? [ctx.filePath] : [])];
      const p = m.path;
      const hit =
        typeof p === 'string'
          ? candidates.some((c) => c.includes(p) || c === p)
          : candidates.some((c) => {
              p.lastIndex = 0;
              return p.test(c);
            });
      if (!hit) return false;
    }
    return true;
  };

  const takeFault = (ctx: Ctx, phase: 'request' | 'body' | 'range'): Fault | undefined => {
    for (const entry of faults) {
      if (entry.remaining <= 0) continue;
      const t = entry.fault.type;
      const faultPhase = t === 'status' || t === 'reset' || t === 'expired' ? 'request' : t === 'ignore-range' ? 'range' : 'body';
      if (faultPhase !== phase) continue;
      if (!matches(entry.fault, ctx)) continue;
      if (entry.skip > 0) {
        entry.skip -= 1;
        continue;
      }
      entry.remaining -= 1;
      return entry.fault;
    }
    return undefined;
  };

  const baseHeaders = (): Headers => ({
    'access-control-allow-origin': '*',
    'access-control-expose-headers': EXPOSED_HEADERS,
    'x-request-id': `Root=1-emulator-${(++requestCounter).toString(16).padStart(8, '0')}`,
  });

  const writeHead = (ctx: Ctx, status: number, headers: Headers): void => {
    ctx.record.status = status;
    ctx.res.writeHead(status, { ...baseHeaders(), ...headers });
  };

  const pump = async (ctx: Ctx, chunks: Iterable<Buffer>, fault: Fault | undefined): Promise<void> => {
    const { res, record } = ctx;
    let limit = fault && (fault.type === 'drop' || fault.type === 'stall') ? Math.max(0, fault.afterBytes) : Infinity;
    const bps = fault?.type === 'throttle' ? Math.max(1, fault.bytesPerSecond) : 0;
    // ~20 writes per second when throttled, so the rate is smooth and observable per chunk.
    const chunkMax = bps ? Math.max(1, Math.min(MAX_CHUNK, Math.floor(bps / 20))) : MAX_CHUNK;
    let sent = 0;
    // Not `res.socket == null`: a keep-alive request that arrives while the previous response on
    // its connection is still finishing gets a response whose socket is assigned a moment later.
    // Treating that as gone left the response open with no body, and the client waited forever.
    const gone = (): boolean => closing || res.destroyed;
    /** A stall lasts until `releaseStalled()`, the client going away, or `close()`. */
    const stalledUntilReleased = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('close', done);
          stalled.delete(done);
          pendingWaits.delete(done);
          resolve();
        };
        res.on('close', done);
        stalled.add(done);
        pendingWaits.add(done);
      });
    const stop = async (): Promise<void> => {
      if (fault?.type === 'drop') {
        const socket = res.socket;
        if (socket && !socket.destroyed) {
          // Flush what was written (headers + afterBytes), then cut the connection.
          await new Promise<void>((resolve) => socket.end(resolve));
          socket.destroy();
        }
      }
    };
    /** At the limit: a drop ends the response (false); a stall waits, then the rest follows (true). */
    const atLimit = async (): Promise<boolean> => {
      if (fault?.type !== 'stall') {
        await stop();
        return false;
      }
      await stalledUntilReleased();
      limit = Infinity;
      return !gone();
    };
    if (limit === 0) {
      res.flushHeaders();
      if (!(await atLimit())) return;
    }
    for (const raw of chunks) {
      for (let off = 0; off < raw.length; ) {
        if (gone()) return;
        let chunk = raw.subarray(off, off + chunkMax);
        if (sent + chunk.length > limit) chunk = chunk.subarray(0, limit - sent);
        off += chunk.length;
        if (fault?.type === 'corrupt' && chunk.length > 0) {
          chunk = Buffer.from(chunk);
          chunk[0] = chunk[0]! ^ 0xff;
        }
        const flushed = res.write(chunk);
        sent += chunk.length;
        record.bytesSent += chunk.length;
        if (sent >= limit) {
          if (!(await atLimit())) return;
          continue;
        }
        if (!flushed) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              res.off('drain', done);
              res.off('close', done);
              pendingWaits.delete(done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
            pendingWaits.add(done);
          });
        }
        if (bps) await wait((chunk.length / bps) * 1000);
      }
    }
    if (!gone()) res.end();
  };

  const sendBody = async (
    ctx: Ctx,
    status: number,
    headers: Headers,
    length: number,
    chunks: () => Iterable<Buffer>,
  ): Promise<void> => {
    const all: Headers = { ...headers, 'content-length': length };
    if (ctx.method === 'HEAD' || length === 0) {
      writeHead(ctx, status, all);
      ctx.res.end();
      return;
    }
    const fault = status === 200 || status === 206 ? takeFault(ctx, 'body') : undefined;
    // Chunked: the client learns the body's length only when it ends.
    if (fault?.type === 'chunked') delete all['content-length'];
    writeHead(ctx, status, all);
    await pump(ctx, chunks(), fault);
  };

  const sendJson = (ctx: Ctx, status: number, body: unknown, headers: Headers = {}): Promise<void> => {
    const bytes = Buffer.from(JSON.stringify(body));
    return sendBody(ctx, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, bytes.length, () => [bytes]);
  };

  const sendError = (
    ctx: Ctx,
    status: number,
    code: string | undefined,
    message: string,
    headers: Headers = {},
  ): Promise<void> => {
    const bytes = Buffer.from(JSON.stringify({ error: message }));
    writeHead(ctx, status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': ctx.method === 'HEAD' ? bytes.length : bytes.length,
      ...(code ? { 'x-error-code': code } : {}),
      'x-error-message': message,
      ...headers,
    });
    if (ctx.method === 'HEAD') ctx.res.end();
    else {
      ctx.record.bytesSent += bytes.length;
      ctx.res.end(bytes);
    }
    return Promise.resolve();
  };

  const repoNotFound = (ctx: Ctx): Promise<void> =>
    sendError(ctx, ctx.authed ? 404 : 401, 'RepoNotFound', 'Repository not found');

  /** Private/gated checks. Returns false (after answering) when access is denied. */
  const checkAccess = async (ctx: Ctx, repo: ResolvedRepo): Promise<boolean> => {
    if (repo.private && !ctx.authed) {
      await repoNotFound(ctx);
      return false;
    }
    if (repo.gated && !ctx.authed) {
      await sendError(
        ctx,
        401,
        'GatedRepo',
        `Access to ${repo.type} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      );
      return false;
    }
    return true;
  };

  /** Longest known revision made of parts[start..]; a 40-hex commit of the repo also works. */
  const findRevision = (
    repo: ResolvedRepo,
    parts: readonly string[],
    start: number,
    leaveForPath: number,
  ): { rev: ResolvedRevision; next: number } | undefined => {
    const first = parts[start];
    if (first === undefined) return undefined;
    if (COMMIT_RE.test(first)) {
      for (const rev of repo.revisions.values()) if (rev.commit === first) return { rev, next: start + 1 };
    }
    if (first === 'HEAD') return { rev: repo.main, next: start + 1 };
    for (let len = parts.length - start - leaveForPath; len >= 1; len--) {
      const rev = repo.revisions.get(parts.slice(start, start + len).join('/'));
      if (rev) return { rev, next: start + len };
    }
    return undefined;
  };

  const lastCommitOf = (rev: ResolvedRevision) => ({
    id: rev.commit,
    title: 'Upload folder using huggingface_hub',
    date: rev.lastModified,
  });

  const fileEntry = (rev: ResolvedRevision, file: ResolvedFile, expand: boolean): Record<string, unknown> => ({
    type: 'file',
    oid: file.oid,
    size: file.listedSize,
    ...(file.lfs ? { lfs: { oid: file.sha256, size: file.listedSize, pointerSize: file.pointerSize } } : {}),
    path: file.path,
    ...(expand ? { lastCommit: lastCommitOf(rev), securityFileStatus: { status: 'safe' } } : {}),
  });

  const dirEntry = (rev: ResolvedRevision, path: string, oid: string, expand: boolean): Record<string, unknown> => ({
    type: 'directory',
    oid,
    size: 0,
    path,
    ...(expand ? { lastCommit: lastCommitOf(rev) } : {}),
  });

  const repoInfo = (repo: ResolvedRepo, rev: ResolvedRevision, blobs: boolean): Record<string, unknown> => {
    const slash = repo.id.indexOf('/');
    return {
      _id: createHash('sha1').update(repo.key).digest('hex').slice(0, 24),
      id: repo.id,
      ...(repo.type === 'model' ? { modelId: repo.id } : {}),
      author: slash >= 0 ? repo.id.slice(0, slash) : undefined,
      sha: rev.commit,
      lastModified: rev.lastModified,
      createdAt: repo.main.lastModified,
      private: repo.private,
      gated: repo.gated,
      disabled: false,
      downloads: 0,
      likes: 0,
      tags: [],
      siblings: rev.files.map((f) =>
        blobs
          ? {
              rfilename: f.path,
              size: f.listedSize,
              blobId: f.oid,
              ...(f.lfs ? { lfs: { size: f.listedSize, sha256: f.sha256, pointerSize: f.pointerSize } } : {}),
            }
          : { rfilename: f.path },
      ),
      usedStorage: rev.files.reduce((n, f) => n + f.listedSize, 0),
    };
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 8 * 1024 * 1024) req.destroy(new Error('body too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const handleApi = async (ctx: Ctx): Promise<void> => {
    const { parts } = ctx;
    const kind = parts[1];
    const type: RepoType | 'space' | undefined =
      kind === 'models' ? 'model' : kind === 'datasets' ? 'dataset' : kind === 'spaces' ? 'space' : undefined;
    if (!type || parts.length < 3) {
      await sendError(ctx, 404, undefined, "Sorry, we can't find the page you are looking for.");
      return;
    }
    let repo: ResolvedRepo | undefined;
    let next: number;
    const two = parts.length >= 4 ? lookupRepo(type, `${parts[2]}/${parts[3]}`) : undefined;
    if (two) {
      repo = two;
      next = 4;
    } else {
      const one = lookupRepo(type, parts[2]!);
      const singleSegment = parts.length === 3 || ['revision', 'tree', 'paths-info'].includes(parts[3]!);
      repo = one && singleSegment ? one : undefined;
      next = repo ? 3 : 4;
    }
    if (!repo) {
      const renamed = parts.length >= 4 ? lookupRenamed(type, `${parts[2]}/${parts[3]}`) : undefined;
      if (renamed) {
        await redirectRenamed(ctx, renamed, 2, 2);
        return;
      }
      const singleSegment = parts.length === 3 || ['revision', 'tree', 'paths-info'].includes(parts[3]!);
      const renamedOne = singleSegment ? lookupRenamed(type, parts[2]!) : undefined;
      if (renamedOne) {
        await redirectRenamed(ctx, renamedOne, 2, 1);
        return;
      }
      await repoNotFound(ctx);
      return;
    }
    if (!(await checkAccess(ctx, repo))) return;
    const op = parts[next];
    if (op === undefined || op === 'revision') {
      let rev = repo.main;
      if (op === 'revision') {
        const found = findRevision(repo, parts, next + 1, 0);
        if (!found || found.next !== parts.length) {
          await sendError(ctx, 404, 'RevisionNotFound', `Invalid rev id: ${parts.slice(next + 1).join('/')}`);
          return;
        }
        rev = found.rev;
      }
      await sendJson(ctx, 200, repoInfo(repo, rev, isTrue(ctx.query.get('blobs'))));
      return;
    }
    if (op === 'tree' || op === 'paths-info') {
      const found = findRevision(repo, parts, next + 1, 0);
      if (!found) {
        await sendError(ctx, 404, 'RevisionNotFound', `Invalid rev id: ${parts[next + 1] ?? ''}`);
        return;
      }
      const { rev } = found;
      if (op === 'tree') {
        await handleTree(ctx, rev, parts.slice(found.next).join('/'));
        return;
      }
      if (ctx.method !== 'POST') {
        await sendError(ctx, 405, undefined, 'Method not allowed; use POST');
        return;
      }
      await handlePathsInfo(ctx, rev);
      return;
    }
    await sendError(ctx, 404, undefined, "Sorry, we can't find the page you are looking for.");
  };

  const handleTree = async (ctx: Ctx, rev: ResolvedRevision, path: string): Promise<void> => {
    const recursive = isTrue(ctx.query.get('recursive'));
    const expand = isTrue(ctx.query.get('expand'));
    if (path && !rev.directories.has(path)) {
      await sendError(ctx, 404, 'EntryNotFound', `${path} does not exist on "${rev.name}"`, { 'x-repo-commit': rev.commit });
      return;
    }
    const prefix = path ? `${path}/` : '';
    const entries: { path: string; make: () => Record<string, unknown> }[] = [];
    const within = (p: string): boolean => p.startsWith(prefix) && (recursive || !p.slice(prefix.length).includes('/'));
    for (const [dir, oid] of rev.directories) {
      if (dir && within(dir)) entries.push({ path: dir, make: () => dirEntry(rev, dir, oid, expand) });
    }
    for (const file of rev.files) {
      if (within(file.path)) entries.push({ path: file.path, make: () => fileEntry(rev, file, expand) });
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const cursorRaw = ctx.query.get('cursor');
    const cursor = cursorRaw && /^\d+$/.test(cursorRaw) ? Number(cursorRaw) : 0;
    const page = entries.slice(cursor, cursor + pageSize).map((e) => e.make());
    const headers: Headers = {};
    if (cursor + pageSize < entries.length) {
      const q = new URLSearchParams(ctx.query);
      q.set('cursor', String(cursor + pageSize));
      headers['link'] = `<${publicBaseUrl ?? url}${ctx.rawPath}?${q.toString()}>; rel="next"`;
    }
    await sendJson(ctx, 200, page, headers);
  };

  const handlePathsInfo = async (ctx: Ctx, rev: ResolvedRevision): Promise<void> => {
    const text = await readBody(ctx.req);
    let paths: string[] = [];
    let expand = false;
    const contentType = String(ctx.req.headers['content-type'] ?? '');
    const trimmed = text.trim();
    if (contentType.includes('json') || trimmed.startsWith('{')) {
      try {
        const body = JSON.parse(trimmed || '{}') as { paths?: unknown; expand?: unknown };
        const p = body.paths;
        paths = Array.isArray(p) ? p.map(String) : typeof p === 'string' ? [p] : [];
        expand = isTrue(typeof body.expand === 'boolean' ? body.expand : (body.expand as string | undefined));
      } catch {
        await sendError(ctx, 400, undefined, 'Invalid JSON body');
        return;
      }
    } else {
      const form = new URLSearchParams(text);
      paths = form.getAll('paths');
      expand = isTrue(form.get('expand'));
    }
    const out: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const raw of paths) {
      const p = raw.replace(/^\/+|\/+$/g, '');
      if (seen.has(p)) continue;
      seen.add(p);
      const file = rev.filesByPath.get(p);
      if (file) out.push(fileEntry(rev, file, expand));
      else if (p && rev.directories.has(p)) out.push(dirEntry(rev, p, rev.directories.get(p)!, expand));
    }
    await sendJson(ctx, 200, out);
  };

  const serveFile = async (ctx: Ctx, file: ResolvedFile, headers: Headers, bytes?: Buffer): Promise<void> => {
    const total = bytes ? bytes.length : file.size;
    const chunksOf = (start: number, end: number): Iterable<Buffer> =>
      bytes ? [bytes.subarray(start, end)] : fileChunks(file, start, end);
    // An `ignore-range` fault answers a Range request with 200 and the whole body, as some proxies do.
    const ignoreRange = ctx.req.headers.range !== undefined && takeFault(ctx, 'range') !== undefined;
    const range = ignoreRange ? undefined : parseRange(ctx.req.headers.range, total);
    const common: Headers = { 'accept-ranges': 'bytes', ...headers };
    if (range === 'unsatisfiable') {
      await sendError(ctx, 416, undefined, 'Requested Range Not Satisfiable', { ...common, 'content-range': `bytes */${total}` });
      return;
    }
    if (range) {
      await sendBody(
        ctx,
        206,
        { ...common, 'content-range': `bytes ${range.start}-${range.end}/${total}` },
        range.end - range.start + 1,
        () => chunksOf(range.start, range.end + 1),
      );
      return;
    }
    await sendBody(ctx, 200, common, total, () => chunksOf(0, total));
  };

  const handleResolve = async (ctx: Ctx): Promise<void> => {
    const { parts } = ctx;
    let type: RepoType | 'space' = 'model';
    let start = 0;
    if (parts[0] === 'datasets' || parts[0] === 'spaces') {
      type = parts[0] === 'datasets' ? 'dataset' : 'space';
      start = 1;
    }
    const isAction = (p: string | undefined): boolean => p === 'resolve' || p === 'raw';
    let id: string;
    let next: number;
    if (isAction(parts[start + 2])) {
      id = `${parts[start]}/${parts[start + 1]}`;
      next = start + 2;
    } else if (isAction(parts[start + 1])) {
      id = parts[start]!;
      next = start + 1;
    } else {
      await sendError(ctx, 404, undefined, "Sorry, we can't find the page you are looking for.");
      return;
    }
    const raw = parts[next] === 'raw';
    const repo = lookupRepo(type, id);
    if (!repo) {
      const renamed = lookupRenamed(type, id);
      if (renamed) await redirectRenamed(ctx, renamed, start, next - start);
      else await repoNotFound(ctx);
      return;
    }
    if (!(await checkAccess(ctx, repo))) return;
    const found = findRevision(repo, parts, next + 1, 1);
    if (!found) {
      await sendError(ctx, 404, 'RevisionNotFound', `Invalid rev id: ${parts[next + 1] ?? ''}`);
      return;
    }
    const { rev } = found;
    const path = parts.slice(found.next).join('/');
    const file = rev.filesByPath.get(path);
    if (!file) {
      await sendError(ctx, 404, 'EntryNotFound', `${path} does not exist on "${rev.name}"`, { 'x-repo-commit': rev.commit });
      return;
    }
    const repoHeaders: Headers = { 'x-repo-commit': rev.commit, vary: 'Origin, Accept' };
    if (file.lfs && !raw) {
      const cdnBase = publicBaseUrl ?? `http://${cdnHost}:${port}`;
      writeHead(ctx, 302, {
        ...repoHeaders,
        location: `${cdnBase}/cdn/${file.sha256}?response-content-disposition=attachment${
          redirectTtlMs !== undefined ? `&expires=${Date.now() + redirectTtlMs}` : ''
        }`,
        'x-linked-etag': `"${file.sha256}"`,
        'x-linked-size': file.size,
        etag: `"${file.sha256}"`,
        'content-type': 'text/plain; charset=utf-8',
        'content-length': 0,
      });
      ctx.res.end();
      return;
    }
    const pointerBytes = file.lfs ? Buffer.from(file.pointer!) : undefined;
    await serveFile(
      ctx,
      file,
      {
        ...repoHeaders,
        etag: `"${file.oid}"`,
        'content-type': pointerBytes ? 'text/plain; charset=utf-8' : contentTypeFor(file.path),
        'content-disposition': `inline; filename="${dispositionName(file.path)}";`,
      },
      pointerBytes,
    );
  };

  const handleCdn = async (ctx: Ctx, file: ResolvedFile | undefined): Promise<void> => {
    if (!file) {
      await sendError(ctx, 404, undefined, 'NoSuchKey');
      return;
    }
    await serveFile(ctx, file, {
      etag: `"${file.sha256}"`,
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${dispositionName(file.path)}";`,
      'cache-control': 'public, max-age=604800, immutable',
    });
  };

  /** What S3 / CloudFront answer for a signed URL past its expiry: 403, XML, none of the Hub's headers. */
  const sendExpired = (ctx: Ctx): void => {
    const body = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
    );
    ctx.record.status = 403;
    ctx.res.writeHead(403, { 'content-type': 'application/xml', 'content-length': body.length });
    if (ctx.method === 'HEAD') ctx.res.end();
    else {
      ctx.record.bytesSent += body.length;
      ctx.res.end(body);
    }
  };

  const route = async (ctx: Ctx): Promise<void> => {
    const { parts, method } = ctx;
    if (method === 'OPTIONS') {
      writeHead(ctx, 204, {
        'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type, Range, Accept',
        'content-length': 0,
      });
      ctx.res.end();
      return;
    }
    const requestFault = takeFault(ctx, 'request');
    if (requestFault?.type === 'reset') {
      ctx.req.socket.destroy();
      return;
    }
    if (requestFault?.type === 'expired') {
      sendExpired(ctx);
      return;
    }
    if (requestFault?.type === 'status') {
      const headers: Headers = {};
      if (requestFault.retryAfter !== undefined) headers['retry-after'] = requestFault.retryAfter;
      if (requestFault.status === 429) {
        headers['ratelimit'] = `"api";r=0;t=${requestFault.retryAfter ?? 1}`;
        headers['ratelimit-policy'] = '"fixed window";"api";q=500;w=300';
      }
      const message =
        requestFault.status === 429
          ? 'You have been rate-limited; you can retry this action later.'
          : `Injected fault: HTTP ${requestFault.status}`;
      await sendError(ctx, requestFault.status, undefined, message, headers);
      return;
    }
    if (ctx.isCdn) {
      if (redirectTtlMs !== undefined) {
        const expires = Number(ctx.query.get('expires'));
        if (!Number.isFinite(expires) || Date.now() > expires) {
          sendExpired(ctx);
          return;
        }
      }
      await handleCdn(ctx, blobsBySha.get(parts[1] ?? ''));
      return;
    }
    const authorization = ctx.req.headers.authorization;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m || !tokens.has(m[1]!)) {
        await sendError(ctx, 401, undefined, 'Invalid credentials in Authorization header');
        return;
      }
      ctx.authed = true;
    }
    if (parts[0] === 'api') {
      if (parts[1] === 'agent-harnesses') {
        await sendError(ctx, 404, undefined, 'Not Found');
        return;
      }
      await handleApi(ctx);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      await sendError(ctx, 405, undefined, 'Method not allowed');
      return;
    }
    await handleResolve(ctx);
  };

  const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q >= 0 ? target.slice(0, q) : target;
    const query = new URLSearchParams(q >= 0 ? target.slice(q + 1) : '');
    const decodedSegments = rawPath.split('/').map(safeDecode);
    const parts = decodedSegments.flatMap((s) => s.split('/')).filter((s) => s !== '');
    const hostHeader = req.headers.host ?? '';
    const hostname = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      url: target,
      host: hostHeader,
      headers,
      status: 0,
      bytesSent: 0,
      startedAt: Date.now(),
      connection: connectionIds.get(req.socket) ?? 0,
    };
    requests.push(record);
    const isCdn = parts[0] === 'cdn' && (hostname === cdnHost || publicBaseUrl !== undefined);
    const ctx: Ctx = {
      req,
      res,
      record,
      method: (req.method ?? 'GET').toUpperCase(),
      rawPath,
      parts,
      decodedPath: '/' + parts.join('/'),
      query,
      isCdn,
      authed: false,
    };
    if (isCdn) ctx.filePath = blobsBySha.get(parts[1] ?? '')?.path;
    if (log) {
      res.on('close', () => {
        process.stderr.write(
          `[hub-emulator] ${record.method} ${hostHeader}${target} -> ${record.status || 'reset'} ${record.bytesSent}B ${Date.now() - record.startedAt}ms\n`,
        );
      });
    }
    const answer = (): void => {
      route(ctx).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          void sendError(ctx, 500, undefined, `Emulator error: ${err instanceof Error ? err.message : String(err)}`);
        } else {
          res.destroy();
        }
      });
    };
    // Added latency delays the answer, not the arrival: request records keep the real order.
    if (latencyMs > 0) void wait(latencyMs).then(() => (closing || res.destroyed ? undefined : answer()));
    else answer();
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    connectionIds.set(socket, ++connectionCounter);
    connectionsOpened++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('hub-emulator: could not read the bound port');
  port = address.port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    repos,
    async addRepo(spec: RepoSpec): Promise<ResolvedRepo> {
      const repo = await resolveRepo(spec);
      register(repo);
      return repo;
    },
    setFaults(list: readonly Fault[]): void {
      faults = list.map((fault) => ({ fault, remaining: fault.times ?? Infinity, skip: Math.max(0, fault.after ?? 0) }));
    },
    clearFaults(): void {
      faults = [];
    },
    setLatency(ms: number): void {
      latencyMs = Math.max(0, ms);
    },
    connectionsOpened(): number {
      return connectionsOpened;
    },
    releaseStalled(): number {
      const held = [...stalled];
      for (const done of held) done();
      return held.length;
    },
    requests,
    bytesServed(filter?: (r: RequestRecord) => boolean): number {
      return requests.reduce((n, r) => (!filter || filter(r) ? n + r.bytesSent : n), 0);
    },
    resetStats(): void {
      requests.length = 0;
      connectionsOpened = 0;
    },
    close(): Promise<void> {
      if (!closed) {
        closing = true;
        closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const done of [...pendingWaits]) done();
          server.closeAllConnections();
          for (const socket of sockets) socket.destroy();
        });
      }
      return closed;
    },
  };
}
