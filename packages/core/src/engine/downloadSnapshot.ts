import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import { assertHubTreeMatchesCache } from '../storage/compareWithCache.js';
import { filterRepoPaths } from '../hub/fnmatch.js';
import type { HubClient, TreeFile } from '../hub/HubClient.js';
import {
  assertSafeRevision,
  ensureParentInside,
  linkPointer,
  localDirPaths,
  type LocalDirPaths,
  localMetadataText,
  repoCachePaths,
  safeSegments,
  treeCacheJson,
  writeFileAtomic,
  writeRef,
} from '../storage/cacheLayout.js';
import { ConnectionPool } from '../transfer/ConnectionPool.js';
import { partialBytesOnDisk, segmentFilesFor } from '../transfer/segmentMap.js';
import { resolveSegmentPolicy, type SegmentOptions } from '../transfer/segmentOptions.js';
import { transferFile, type PlannedFile, type TransferTarget } from '../transfer/transferFile.js';
import type { RepoType } from '../types.js';
import { removeEmptyFolders } from './acquireFileLock.js';
import { withBlobLock, type BlobLockOptions } from './blobLocks.js';
import { freeDiskSpace } from './freeDiskSpace.js';
import { processAlive } from './processAlive.js';
import { fileSize } from '../storage/fileSize.js';

export interface SnapshotRequest {
  readonly repoId: string;
  readonly repoType: RepoType;
  readonly revision: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly localDir?: string | undefined;
}

export interface PlanFile extends PlannedFile {
  /** Bytes already on disk for this file (the whole size when it is cached). */
  readonly bytesOnDisk: number;
  readonly cached: boolean;
}

export interface SnapshotPlan {
  readonly commit: string;
  /** Snapshot folder (cache) or local dir. */
  readonly path: string;
  readonly files: readonly PlanFile[];
}

/** Files below this size, with no partial on disk, are fetched without the cross-process lock. */
const PRIVATE_PARTIAL_MAX_BYTES = 1 << 20;
/**
 * Small files are latency-bound, not bandwidth-bound: over a long round trip each costs one
 * round trip whatever its size, so more of them are in flight than large files (bounded: this
 * many times `fileConcurrency`, and never more than SMALL_FILES_MAX).
 */
const SMALL_FILES_FACTOR = 8;
const SMALL_FILES_MAX = 64;
/** Below this a file counts as small for the scheduler. */
const SMALL_FILE_BYTES = 1 << 20;

/** Files in flight at once for one job: `fileConcurrency` large ones, more when they are small. */
export function filesInFlight(fileConcurrency: number): { readonly large: number; readonly all: number } {
  const large = Math.max(1, fileConcurrency);
  return { large, all: Math.max(large, Math.min(SMALL_FILES_MAX, large * SMALL_FILES_FACTOR)) };
}

/**
 * Keep-alive connections one job may have open to one origin: a connection per file in flight,
 * plus the extra connections of split files. What a manager gives its HubClient's agent.
 */
export function connectionsPerJob(fileConcurrency: number, segments?: SegmentOptions): number {
  return filesInFlight(fileConcurrency).all + resolveSegmentPolicy(segments).maxConnections - 1;
}
/** `<etag>.incomplete.<pid>-<8 hex>.tmp`: such a file, its own writer's. */
const PRIVATE_TEMP_SUFFIX = '.tmp';
const PRIVATE_TEMP_RE = /\.incomplete\.(\d+)-[0-9a-f]{8}\.tmp$/;
/** A private temp this old whose writer is not running here was left by a crash. */
const PRIVATE_TEMP_STALE_MS = 10 * 60_000;

/**
 * Removes private temps (small files, see `bringTo`) left by a process that died mid-file: its
 * pid is gone on this machine and the file has not changed for 10 minutes (a cache shared with
 * another machine may hold a live writer with a pid that means nothing here).
 */
async function sweepPrivateTemps(blobsDir: string): Promise<void> {
  for (const name of await readdir(blobsDir).catch(() => [] as string[])) {
    const pid = Number(PRIVATE_TEMP_RE.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    const file = join(blobsDir, name);
    const st = await stat(file).catch(() => null);
    if (st && Date.now() - st.mtimeMs > PRIVATE_TEMP_STALE_MS) await unlink(file).catch(() => undefined);
  }
}

/**
 * A complete blob needs no pieces: a segmented partial left beside it (the download was paused,
 * then another program, Python's `huggingface_hub` say, fetched the file whole) goes, unless a
 * writer holds the blob's lock.
 */
async function sweepFinishedSegments(cache: ReturnType<typeof repoCachePaths>, cached: readonly PlanFile[]): Promise<void> {
  if (cached.length === 0) return;
  const names = new Set(await readdir(cache.blobsDir).catch(() => [] as string[]));
  for (const f of cached) {
    const pieces = segmentFilesFor(cache.incomplete(f.etag));
    if (!names.has(basename(pieces.map)) && !names.has(basename(pieces.data))) continue;
    const busy = new AbortController();
    await withBlobLock(
      cache.blob(f.etag),
      async () => {
        await Promise.all([unlink(pieces.data).catch(() => undefined), unlink(pieces.map).catch(() => undefined)]);
      },
      { lockFile: cache.lock(f.etag), signal: busy.signal, onWait: () => busy.abort() },
    ).catch(() => undefined);
  }
}

export interface SnapshotHooks {
  onStatus?(status: 'resolving' | 'downloading' | 'verifying'): void;
  onPlan?(plan: SnapshotPlan): void;
  onFileStart?(path: string): void;
  onBytes?(path: string, delta: number): void;
  onFileDone?(path: string, cached: boolean): void;
  onRetry?(path: string, error: PersianHubError, attempt: number, delayMs: number): void;
  /** Another process (sharing the cache) is writing this file; we wait for it. */
  onFileWait?(path: string, holder: { pid: number; hostname: string } | null): void;
}

export interface DownloadSnapshotOptions {
  readonly client: HubClient;
  readonly cacheDir: string;
  readonly request: SnapshotRequest;
  readonly signal: AbortSignal;
  /** Large files in flight at once; small ones (under 1 MiB) up to 8 times as many, at most 64. @default 8 */
  readonly fileConcurrency?: number;
  /** Splitting large files over several connections. @default { minSize: 16 MiB, maxConnections: 8, adaptive: true } */
  readonly segments?: SegmentOptions;
  readonly hooks?: SnapshotHooks;
  /** Check free space before the first byte. @default true */
  readonly checkDiskSpace?: boolean;
}

export function planFileFromTree(f: TreeFile): PlannedFile {
  return { path: f.path, size: f.size, etag: f.lfs ? f.lfs.oid : f.oid, lfs: f.lfs !== null };
}


/**
 * Downloads one snapshot the way huggingface_hub does, into the same cache layout:
 * resolve the revision to a commit, list the tree (all pages), filter, then fetch each
 * missing file into `blobs/<etag>.incomplete`, verify it, rename it and link it from
 * `snapshots/<commit>/<path>`. The total is exact before the first byte moves.
 */
export interface PlannedSnapshot {
  readonly plan: SnapshotPlan;
  /** Every file of the commit (for trees/<commit>.json). */
  readonly tree: readonly TreeFile[];
}

/**
 * Resolve the revision, list every file (all pages), filter, refuse unsafe paths, look at
 * what is already on disk, and check free space. Shared by the native and the CLI backends,
 * so both know the exact total before the first byte.
 */
export async function planSnapshot(options: Omit<DownloadSnapshotOptions, 'hooks' | 'fileConcurrency' | 'segments'>): Promise<PlannedSnapshot> {
  const { client, request, signal } = options;
  assertSafeRevision(request.revision);
  const info = await client.repoInfo(request.repoType, request.repoId, request.revision, signal);
  const commit = info.sha;
  const tree = await client.listFiles(request.repoType, request.repoId, commit, signal);
  const selected = filterRepoPaths(tree, request.include, request.exclude, (f) => f.path);
  if (selected.length === 0 && (request.include.length > 0 || tree.length > 0)) {
    throw new PersianHubError('ENTRY_NOT_FOUND', `No file of ${request.repoId}@${request.revision} matches the include/exclude patterns.`, {
      details: { repoId: request.repoId, revision: request.revision },
    });
  }
  // The Hub is untrusted: refuse the whole job before writing anything if one path is unsafe.
  for (const f of selected) safeSegments(f.path);

  const cache = repoCachePaths(options.cacheDir, request.repoType, request.repoId);
  const local = request.localDir ? localDirPaths(request.localDir) : null;
  const files: PlanFile[] = [];
  // One readdir instead of a stat per file: repos with thousands of files plan quickly.
  const blobNames = local ? null : new Set(await readdir(cache.blobsDir).catch(() => [] as string[]));
  for (const f of selected) {
    const p = planFileFromTree(f);
    if (local) {
      const cached = await isLocalFileCurrent(local, p);
      const partial = cached ? p.size : await partialBytesOnDisk(local.incomplete(p.path, p.etag), p.size, p.etag);
      files.push({ ...p, cached, bytesOnDisk: Math.min(partial, p.size) });
    } else {
      const cached = blobNames!.has(p.etag) && (await fileSize(cache.blob(p.etag))) === p.size;
      const incomplete = cache.incomplete(p.etag);
      const anyPartial = blobNames!.has(`${p.etag}.incomplete`) || blobNames!.has(basename(segmentFilesFor(incomplete).map));
      const partial = cached ? p.size : anyPartial ? await partialBytesOnDisk(incomplete, p.size, p.etag) : 0;
      files.push({ ...p, cached, bytesOnDisk: Math.min(partial, p.size) });
    }
  }

  // Nothing fetched yet: refuse now if this commit is installed with other content.
  if (!local) await assertHubTreeMatchesCache(cache, request.repoId, commit, tree, files);

  const plan: SnapshotPlan = { commit, path: local ? local.root : cache.snapshotDir(commit), files };

  if (options.checkDiskSpace !== false) {
    const needed = files.reduce((sum, f) => sum + (f.cached ? 0 : f.size - f.bytesOnDisk), 0);
    const free = needed > 0 ? await freeDiskSpace(local ? local.root : options.cacheDir) : null;
    if (free !== null && needed > free) {
      throw new PersianHubError('DISK_FULL', `Not enough disk space: ${needed} bytes are still needed but only ${free} are free.`, {
        details: { requiredBytes: needed, availableBytes: free, repoId: request.repoId },
      });
    }
  }

  return { plan, tree };
}

export async function downloadSnapshot(options: DownloadSnapshotOptions): Promise<SnapshotPlan> {
  const { client, request, signal, hooks = {} } = options;
  hooks.onStatus?.('resolving');
  const { plan, tree } = await planSnapshot(options);
  const { commit, files } = plan;
  const cache = repoCachePaths(options.cacheDir, request.repoType, request.repoId);
  const local = request.localDir ? localDirPaths(request.localDir) : null;

  await writeRef(cache, request.revision, commit);
  if (!local) await writeFileAtomic(cache.tree(commit), treeCacheJson(tree));
  if (local) {
    await mkdir(local.hfDir, { recursive: true });
    await writeFile(join(local.hfDir, '.gitignore'), '*').catch(() => undefined);
  }
  hooks.onPlan?.(plan);
  hooks.onStatus?.('downloading');

  const inflight = filesInFlight(options.fileConcurrency ?? 8);
  const segments = resolveSegmentPolicy(options.segments);
  // Extra connections for split files, shared by the job's files (each has its own first one).
  const pool = new ConnectionPool(segments.maxConnections - 1);
  const inner = new AbortController();
  // Every request and connection in flight listens to this signal: far more than Node's default of 10.
  setMaxListeners(Math.max(64, (inflight.all + segments.maxConnections) * 4), inner.signal);
  const onAbort = () => inner.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) inner.abort(signal.reason);

  const checkedDirs = new Set<string>();
  if (!local) {
    await mkdir(cache.blobsDir, { recursive: true });
    await sweepPrivateTemps(cache.blobsDir);
    await sweepFinishedSegments(cache, files.filter((f) => f.cached));
  }
  /**
   * Brings one file to `dest`. A small file with nothing on disk yet goes through a temp name
   * of its own: two processes fetching it at once each write their own file and the rename
   * (same content either way) is atomic, so no cross-process lock is needed; that lock costs
   * more than fetching a few KiB again (300 small files: +0.3 s). Bigger files, and any file
   * with a partial to resume, share `incomplete` under the lock.
   */
  const bringTo = async (file: PlanFile, incomplete: string, dest: string, waited: boolean): Promise<void> => {
    hooks.onFileStart?.(file.path);
    if (isPrivate(file)) {
      const temp = `${incomplete}.${process.pid}-${randomBytes(4).toString('hex')}${PRIVATE_TEMP_SUFFIX}`;
      try {
        await transferFile(file, temp, transfer(file), 0);
        await rename(temp, dest);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      return;
    }
    await transferFile(file, incomplete, transfer(file), waited ? undefined : file.bytesOnDisk);
    await rename(incomplete, dest);
  };
  const isPrivate = (file: PlanFile) => file.size < PRIVATE_PARTIAL_MAX_BYTES && file.bytesOnDisk === 0;
  const lockOptions = (file: PlanFile, lockFile: string): BlobLockOptions =>
    isPrivate(file) ? {} : { lockFile, signal: inner.signal, onWait: (holder) => hooks.onFileWait?.(file.path, holder) };

  const fetchOne = async (file: PlanFile): Promise<void> => {
    if (local) {
      const dest = local.file(file.path);
      const incomplete = local.incomplete(file.path, file.etag);
      await ensureParentInside(local.root, dest, file.path, checkedDirs);
      await ensureParentInside(local.root, incomplete, file.path, checkedDirs);
      await withBlobLock(
        dest,
        async (waited) => {
          // Another job or process may have written this file while we waited for the lock.
          if (!file.cached && !(waited && (await isLocalFileCurrent(local, file)))) await bringTo(file, incomplete, dest, waited);
          await writeFileAtomic(local.metadata(file.path), localMetadataText(commit, file.etag));
        },
        lockOptions(file, local.lock(file.path)),
      );
      hooks.onFileDone?.(file.path, file.cached);
      return;
    }
    const blob = cache.blob(file.etag);
    let cached = file.cached;
    if (!cached) {
      cached = await withBlobLock(
        blob,
        async (waited) => {
          // Another job or process may have finished this blob while we waited for the lock.
          if (waited && (await fileSize(blob)) === file.size) return true;
          await bringTo(file, cache.incomplete(file.etag), blob, waited);
          return false;
        },
        lockOptions(file, cache.lock(file.etag)),
      );
    }
    await linkPointer(cache, commit, file.path, file.etag, checkedDirs);
    hooks.onFileDone?.(file.path, cached && file.cached);
  };

  const transfer = (file: PlanFile): TransferTarget => ({
    client,
    repoType: request.repoType,
    repoId: request.repoId,
    commit,
    signal: inner.signal,
    onBytes: (delta: number) => hooks.onBytes?.(file.path, delta),
    onRetry: (error: PersianHubError, attempt: number, delayMs: number) => hooks.onRetry?.(file.path, error, attempt, delayMs),
    // Private temps (small files) are never split; their names are their writer's own.
    segments: isPrivate(file) ? undefined : segments,
    connections: pool,
  });

  let firstError: unknown;
  try {
    await runQueue(files, inflight, inner.signal, fetchOne, (error) => {
      if (firstError === undefined) firstError = error;
      inner.abort(signal.aborted ? signal.reason : error);
    });
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Lock files are gone; their folder goes too when no other writer has one there.
    if (!local) await removeEmptyFolders(cache.locksDir, dirname(cache.repoDir));
  }
  if (signal.aborted) throw signal.reason;
  if (firstError !== undefined) throw firstError;
  hooks.onStatus?.('verifying');
  return plan;
}

/**
 * Runs `fetchOne` over the files: cached ones first (instant), then large files before small
 * ones (they take longest), at most `limits.large` large files and `limits.all` files in flight.
 * The first failure stops new starts; files in flight finish or see the abort.
 */
async function runQueue(
  files: readonly PlanFile[],
  limits: { readonly large: number; readonly all: number },
  signal: AbortSignal,
  fetchOne: (file: PlanFile) => Promise<void>,
  onError: (error: unknown) => void,
): Promise<void> {
  const cached = files.filter((f) => f.cached);
  const large = files.filter((f) => !f.cached && f.size >= SMALL_FILE_BYTES);
  const small = files.filter((f) => !f.cached && f.size < SMALL_FILE_BYTES);
  const next = { cached: 0, large: 0, small: 0 };
  let running = 0;
  let runningLarge = 0;
  let failed = false;
  await new Promise<void>((resolveAll) => {
    const pump = (): void => {
      while (!failed && !signal.aborted && running < limits.all) {
        let file: PlanFile | undefined;
        let isLarge = false;
        if (next.cached < cached.length) file = cached[next.cached++];
        else if (next.large < large.length && runningLarge < limits.large) {
          file = large[next.large++];
          isLarge = true;
        } else if (next.small < small.length) file = small[next.small++];
        if (!file) break;
        running++;
        if (isLarge) runningLarge++;
        const big = isLarge;
        fetchOne(file)
          .catch((error: unknown) => {
            failed = true;
            onError(error);
          })
          .finally(() => {
            running--;
            if (big) runningLarge--;
            pump();
          });
      }
      if (running === 0) resolveAll();
    };
    pump();
  });
}

/** A local-dir file is current when its metadata names this etag and its size is right. */
async function isLocalFileCurrent(local: LocalDirPaths, file: { path: string; etag: string; size: number }): Promise<boolean> {
  const meta = await readFile(local.metadata(file.path), 'utf8').catch(() => '');
  const [, metaEtag] = meta.split('\n');
  return metaEtag === file.etag && (await fileSize(local.file(file.path))) === file.size;
}
