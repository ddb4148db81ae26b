import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { MirrorFile } from './createMirrorCache.js';
import type { MirrorBodyResponse, MirrorFileResponse } from './HubMirrorOptions.js';

/** The Hub's error codes that clients turn into their own exceptions. */
export type HubErrorCode = 'RepoNotFound' | 'RevisionNotFound' | 'EntryNotFound';

/** Thrown inside the mirror to answer as the Hub would; never leaves it. */
export class HubAnswer extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: HubErrorCode | undefined,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
} as const;

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}, head = false): MirrorBodyResponse {
  const body = JSON.stringify(value);
  return {
    kind: 'body',
    status,
    headers: { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(body)), ...headers },
    body: head ? '' : body,
  };
}

/** `{"error": "…"}` with `X-Error-Code` / `X-Error-Message`, as huggingface_hub and @huggingface/hub read them. */
export function errorAnswer(status: number, code: HubErrorCode | undefined, message: string, headers: Record<string, string> = {}, head = false): MirrorBodyResponse {
  return jsonAnswer(
    status,
    { error: message },
    {
      ...(code ? { 'x-error-code': code } : {}),
      // Header values are Latin-1: a Persian file name in the message is written escaped.
      'x-error-message': message.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c)),
      ...headers,
    },
    head,
  );
}

export interface MirrorSnapshotRef {
  readonly repoType: string;
  readonly repoId: string;
  readonly commit: string;
  readonly lastModified: Date;
}

/** A tree / paths-info entry in the Hub's format (with `lastCommit` when `expand`). */
export function fileEntry(snap: MirrorSnapshotRef, f: MirrorFile, expand: boolean): Record<string, unknown> {
  return {
    type: 'file',
    oid: f.oid,
    size: f.size,
    ...(f.lfs ? { lfs: { oid: f.lfs.oid, size: f.lfs.size, pointerSize: f.lfs.pointerSize } } : {}),
    path: f.path,
    ...(expand ? { lastCommit: lastCommit(snap) } : {}),
  };
}

export function directoryEntry(snap: MirrorSnapshotRef, path: string, expand: boolean): Record<string, unknown> {
  // The cache keeps no git tree objects; clients use a folder's oid only as an opaque id.
  const oid = createHash('sha1').update(`tree\0${snap.commit}\0${path}`).digest('hex');
  return { type: 'directory', oid, size: 0, path, ...(expand ? { lastCommit: lastCommit(snap) } : {}) };
}

function lastCommit(snap: MirrorSnapshotRef) {
  // Per-file history is not in the cache: the snapshot's commit is the one the file was served at.
  return { id: snap.commit, title: 'Served from a Persian Hub mirror', date: snap.lastModified.toISOString() };
}

/** Repo info (`/api/models/{id}[/revision/{rev}]`): what huggingface_hub and @huggingface/hub read. */
export function repoInfoJson(snap: MirrorSnapshotRef, files: readonly MirrorFile[], blobs: boolean): Record<string, unknown> {
  const slash = snap.repoId.indexOf('/');
  return {
    _id: createHash('sha1').update(`${snap.repoType}:${snap.repoId}`).digest('hex').slice(0, 24),
    id: snap.repoId,
    ...(snap.repoType === 'model' ? { modelId: snap.repoId } : {}),
    author: snap.repoId.slice(0, slash),
    sha: snap.commit,
    lastModified: snap.lastModified.toISOString(),
    private: false,
    gated: false,
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: [],
    siblings: files.map((f) =>
      blobs
        ? { rfilename: f.path, size: f.size, blobId: f.oid, ...(f.lfs ? { lfs: { size: f.lfs.size, sha256: f.lfs.oid, pointerSize: f.lfs.pointerSize } } : {}) }
        : { rfilename: f.path },
    ),
  };
}

/** The headers every answer for a file carries (HEAD, GET, 206 and 416 alike). */
export function fileHeaders(commit: string, f: MirrorFile): Record<string, string> {
  return {
    'x-repo-commit': commit,
    etag: `"${f.etag}"`,
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    // LFS files: what the Hub's redirect carries. We answer 200 ourselves (no CDN), and clients
    // take X-Linked-Etag / X-Linked-Size before ETag / Content-Length, so both agree.
    ...(f.lfs ? { 'x-linked-etag': `"${f.lfs.oid}"`, 'x-linked-size': String(f.size) } : {}),
  };
}

/**
 * `bytes=a-b`, `bytes=a-`, `bytes=-n` → an inclusive range; null to send the whole file (no
 * Range, several ranges, or a header we do not understand, as RFC 9110 allows); 'unsatisfiable'
 * for 416. Linear in the header, which is at most 200 characters.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === undefined || header.length > 200) return null;
  const m = /^bytes=(\d{0,16})-(\d{0,16})$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return 'unsatisfiable';
  return { start, end };
}

/** 200, 206 or 416 for a GET or HEAD of a verified blob. `file` is closed here when no body follows. */
export async function fileAnswer(
  commit: string,
  f: MirrorFile,
  range: string | undefined,
  ifRange: string | undefined,
  file: FileHandle | null,
  highWaterMark: number,
): Promise<MirrorBodyResponse | MirrorFileResponse> {
  const headers = fileHeaders(commit, f);
  // If-Range with another validator: the client's partial copy is of other bytes; send all.
  const wanted = ifRange !== undefined && ifRange.trim() !== headers.etag ? null : parseRange(range, f.size);
  if (wanted === 'unsatisfiable') {
    await file?.close();
    // An empty file has no byte 0: tell its size in Content-Range so a `bytes=0-0` probe
    // (@huggingface/hub's) still learns it.
    if (f.size === 0) return { kind: 'body', status: 200, headers: { ...headers, 'content-length': '0', 'content-range': 'bytes */0' }, body: '' };
    return { kind: 'body', status: 416, headers: { ...headers, 'content-range': `bytes */${f.size}`, 'content-length': '0' }, body: '' };
  }
  const start = wanted?.start ?? 0;
  const end = wanted?.end ?? f.size - 1;
  const partial: Record<string, string> = wanted !== null ? { 'content-range': `bytes ${start}-${end}/${f.size}` } : {};
  const all = { ...headers, ...partial, 'content-length': String(end - start + 1) };
  const status = wanted !== null ? 206 : 200;
  if (file === null || end < start) {
    await file?.close();
    return { kind: 'body', status, headers: all, body: '' };
  }
  return { kind: 'file', status, headers: all, file, start, end, highWaterMark };
}
