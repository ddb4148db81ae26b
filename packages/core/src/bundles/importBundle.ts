import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, readFile, readlink, realpath, rename, rm, stat, symlink, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Header } from 'tar-stream';
import { isPersianHubError, PersianHubError } from '../PersianHubError.js';
import { removeEmptyFolders } from '../engine/acquireFileLock.js';
import { processAlive } from '../engine/processAlive.js';
import { withBlobLock } from '../engine/blobLocks.js';
import { freeDiskSpace } from '../engine/freeDiskSpace.js';
import { repoCachePaths, safeSegments, treeCacheJson, writeFileAtomic, type RepoCachePaths } from '../storage/cacheLayout.js';
import {
  BUNDLE_FILES_PREFIX,
  BUNDLE_LIMITS,
  BUNDLE_MANIFEST_ENTRY,
  contentHasher,
  manifestTreeFiles,
  parseBundleManifest,
  type BundleFile,
  type BundleManifest,
  type BundleProgress,
} from './bundleManifest.js';
import { assertBundleFile } from './assertBundleFile.js';
import { abortError, diskError } from './streamUtils.js';

export interface ImportBundleOptions {
  readonly cacheDir: string;
  /** The `.tar` written by `exportBundle`. */
  readonly file: string;
  readonly signal?: AbortSignal;
  onProgress?(progress: BundleProgress): void;
}

export interface ImportBundleResult {
  readonly manifest: BundleManifest;
  /** The snapshot was already complete: nothing was written (only the manifest was read). */
  readonly alreadyInstalled: boolean;
  /** `<cacheDir>/<repo folder>/snapshots/<commit>`. */
  readonly path: string;
}

/** Staging folders live in the cache (same file system, so moving a blob in is a rename). */
export const IMPORT_STAGING_PREFIX = '.persian-hub-import-';

type Entry = AsyncIterable<unknown> & { header: Header; destroy(err?: Error): void };

/**
 * Installs an offline bundle into the huggingface_hub cache. The tar is read as a stream; each
 * file is hashed while it is written to a staging folder inside the cache, and nothing touches
 * the repo folder until every file has arrived and matched its hash and size. Then the blobs
 * are moved in, the snapshot links, `trees/<commit>.json` and `refs/<revision>` are written. On
 * any failure (bad bundle, abort, full disk) the cache is left exactly as it was.
 */
export async function importBundle(options: ImportBundleOptions): Promise<ImportBundleResult> {
  const { signal, onProgress } = options;
  const cacheDir = resolve(options.cacheDir);
  const file = resolve(options.file);
  await assertBundleFile(file);
  if (signal?.aborted) throw abortError(signal);

  // Load first, so the stream gets its 'error' listener in the tick it is created.
  const { extract: tarExtract } = await import('tar-stream');
  const input = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const extract = tarExtract();
  let inputError: unknown;
  input.on('error', (error) => {
    inputError = error;
    extract.destroy(error);
  });
  input.pipe(extract as unknown as NodeJS.WritableStream);
  const entries = extract[Symbol.asyncIterator]() as AsyncIterator<Entry>;
  const onAbort = () => extract.destroy(abortError(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });

  /** Turns whatever the tar reader threw into the error the caller should see. */
  const classify = (error: unknown): unknown => {
    if (signal?.aborted) return abortError(signal);
    if (isPersianHubError(error)) return error;
    if (inputError !== undefined) return new PersianHubError('INTERNAL', `Could not read the bundle file: ${String((inputError as Error).message)}`, { cause: inputError });
    const message = error instanceof Error ? error.message : String(error);
    return new PersianHubError('BUNDLE_INVALID', `The bundle is not a valid tar or it is truncated (${message}).`, { cause: error });
  };
  const nextEntry = async (): Promise<Entry | null> => {
    try {
      const r = await entries.next();
      return r.done ? null : r.value;
    } catch (error) {
      throw classify(error);
    }
  };
  /** Streams one entry's bytes through `onChunk`; tar errors are classified, callback errors pass through. */
  const readEntry = async (entry: Entry, onChunk: (chunk: Buffer) => Promise<void> | void): Promise<void> => {
    const it = entry[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<unknown>;
      try {
        r = await it.next();
      } catch (error) {
        throw classify(error);
      }
      if (r.done) return;
      await onChunk(r.value as Buffer);
    }
  };

  let staging: string | null = null;
  let createdCacheRoot: string | undefined;
  let ok = false;
  try {
    // ---- 1. the manifest, which must come first ----
    const first = await nextEntry();
    if (!first) throw new PersianHubError('BUNDLE_INVALID', 'The bundle is empty: it holds no manifest.');
    if (first.header.name !== BUNDLE_MANIFEST_ENTRY || first.header.type !== 'file') {
      throw new PersianHubError(
        'BUNDLE_INVALID',
        `The first entry of a bundle must be the file "${BUNDLE_MANIFEST_ENTRY}", not ${describeEntry(first.header)}.`,
        { details: { entry: first.header.name.slice(0, 300) } },
      );
    }
    if (first.header.size > BUNDLE_LIMITS.manifestBytes) {
      throw new PersianHubError('BUNDLE_INVALID', `The bundle manifest is too large (${first.header.size} bytes).`);
    }
    const parts: Buffer[] = [];
    await readEntry(first, (chunk) => void parts.push(chunk));
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (error) {
      throw new PersianHubError('BUNDLE_INVALID', `The bundle manifest is not JSON (${(error as Error).message}).`, { cause: error });
    }
    const manifest = parseBundleManifest(json);
    const paths = repoCachePaths(cacheDir, manifest.repoType, manifest.repoId);
    const snapDir = paths.snapshotDir(manifest.commit);

    // ---- 2. nothing to do? ----
    if (await isInstalled(paths, manifest)) {
      ok = true;
      return { manifest, alreadyInstalled: true, path: snapDir };
    }

    // ---- 3. plan: which blobs are missing, and is there room for them ----
    const byPath = new Map<string, BundleFile>(manifest.files.map((f) => [f.path, f]));
    const present = new Set<string>();
    let needed = 0;
    const counted = new Set<string>();
    for (const f of manifest.files) {
      if (counted.has(f.etag)) continue;
      counted.add(f.etag);
      const blob = await stat(paths.blob(f.etag)).catch(() => null);
      if (blob?.isFile() && blob.size === f.size) present.add(f.etag);
      else needed += f.size;
    }
    const bytesTotal = manifest.files.reduce((n, f) => n + f.size, 0);
    if (needed > 0) {
      const free = await freeDiskSpace(cacheDir);
      if (free !== null && needed > free) {
        throw new PersianHubError('DISK_FULL', `Not enough disk space to import the bundle: ${needed} bytes are needed but only ${free} are free.`, {
          details: { requiredBytes: needed, availableBytes: free, repoId: manifest.repoId },
        });
      }
    }
    createdCacheRoot = await mkdir(cacheDir, { recursive: true });
    await sweepStaleStaging(cacheDir);
    staging = await mkdtemp(join(cacheDir, `${IMPORT_STAGING_PREFIX}${process.pid}-`));

    // ---- 4. every entry: check it, hash it, stage it ----
    const arrived = new Set<string>();
    const staged = new Map<string, string>();
    let bytesDone = 0;
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    for (let entry = await nextEntry(); entry; entry = await nextEntry()) {
      const f = checkEntry(entry.header, byPath, arrived);
      arrived.add(f.path);
      const target = present.has(f.etag) || staged.has(f.etag) ? null : join(staging, f.etag);
      const hash = contentHasher(f.lfs, f.size);
      let n = 0;
      let fh: FileHandle | null = null;
      onProgress?.({ bytesDone, bytesTotal, currentFile: f.path });
      try {
        if (target) fh = await open(target, 'wx');
        await readEntry(entry, async (chunk) => {
          n += chunk.length;
          if (n > f.size) return;
          hash.update(chunk);
          if (fh) await writeAll(fh, chunk);
          bytesDone += chunk.length;
          onProgress?.({ bytesDone, bytesTotal, currentFile: f.path });
        });
      } catch (error) {
        throw diskError(error, `"${f.path}"`);
      } finally {
        await fh?.close();
      }
      const digest = hash.digest('hex');
      if (n !== f.size || digest !== f.etag) {
        // The bundle is bad input, not a bad download: BUNDLE_INVALID, so no one is told to
        // "run again" or suspect a proxy (CHECKSUM_MISMATCH's advice).
        throw new PersianHubError(
          'BUNDLE_INVALID',
          n !== f.size
            ? `"${f.path}" in the bundle has ${n} bytes, but the manifest says ${f.size}.`
            : `"${f.path}" in the bundle is corrupt: its content hashes to ${digest}, but the manifest says ${f.etag}.`,
          { details: { file: f.path, repoId: manifest.repoId } },
        );
      }
      if (target) staged.set(f.etag, target);
    }
    const missing = manifest.files.filter((f) => !arrived.has(f.path));
    if (missing.length > 0) {
      throw new PersianHubError(
        'BUNDLE_INVALID',
        `The bundle lacks ${missing.length} file(s) its manifest lists, e.g. "${missing[0]!.path}".`,
        { details: { file: missing[0]!.path, missing: missing.slice(0, 20).map((f) => f.path) } },
      );
    }
    if (signal?.aborted) throw abortError(signal);

    // ---- 5. only now touch the repo folder ----
    try {
      await install(paths, manifest, staged, staging);
    } catch (error) {
      throw diskError(error, `${manifest.repoId} into the cache`);
    }
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    ok = true;
    return { manifest, alreadyInstalled: false, path: snapDir };
  } catch (error) {
    throw signal?.aborted ? abortError(signal) : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    input.unpipe(extract as unknown as NodeJS.WritableStream);
    input.destroy();
    extract.destroy();
    if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    // We made the cache folder itself for this import: a failed import takes it away again.
    if (!ok && createdCacheRoot) await rm(createdCacheRoot, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * A crashed import (power cut, kill -9) leaves its staging folder behind. Remove those of
 * processes that no longer exist, so a half-imported multi-GB blob does not sit in the cache forever.
 */
async function sweepStaleStaging(cacheDir: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(IMPORT_STAGING_PREFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(IMPORT_STAGING_PREFIX.length))?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    await rm(join(cacheDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function describeEntry(h: Header): string {
  const kind = h.type === 'file' ? 'file' : (h.type ?? 'unknown entry type');
  return `${kind} ${JSON.stringify(String(h.name).slice(0, 300))}`;
}

/** Only `files/<safe path>` regular files the manifest lists, each once. */
function checkEntry(h: Header, byPath: ReadonlyMap<string, BundleFile>, arrived: ReadonlySet<string>): BundleFile {
  const name = String(h.name);
  const shown = JSON.stringify(name.slice(0, 300));
  const details = { entry: name.slice(0, 300) };
  if (h.type === 'symlink' || h.type === 'link') {
    throw new PersianHubError('UNSAFE_PATH', `The bundle holds a ${h.type === 'link' ? 'hard link' : 'symbolic link'} ${shown}${h.linkname ? ` -> ${JSON.stringify(String(h.linkname).slice(0, 300))}` : ''}; bundles may only hold regular files.`, { details });
  }
  if (h.type !== 'file') {
    throw new PersianHubError('BUNDLE_INVALID', `The bundle holds ${describeEntry(h)}; bundles may only hold regular files.`, { details });
  }
  const parts = name.split(/[\\/]/);
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.includes('\0') || parts.includes('..')) {
    throw new PersianHubError('UNSAFE_PATH', `The bundle entry ${shown} would write outside the snapshot; refusing the whole bundle.`, { details });
  }
  if (!name.startsWith(BUNDLE_FILES_PREFIX)) {
    throw new PersianHubError('BUNDLE_INVALID', `Unexpected bundle entry ${shown}: files must be stored as "${BUNDLE_FILES_PREFIX}<path>".`, { details });
  }
  const repoPath = name.slice(BUNDLE_FILES_PREFIX.length);
  try {
    safeSegments(repoPath);
  } catch {
    throw new PersianHubError('UNSAFE_PATH', `The bundle entry ${shown} has an unsafe path; refusing the whole bundle.`, { details });
  }
  const f = byPath.get(repoPath);
  if (!f) throw new PersianHubError('BUNDLE_INVALID', `The bundle entry ${shown} is not listed in its manifest.`, { details });
  if (arrived.has(repoPath)) throw new PersianHubError('BUNDLE_INVALID', `The bundle holds ${shown} twice.`, { details });
  if (h.size !== f.size) {
    throw new PersianHubError('BUNDLE_INVALID', `"${repoPath}" in the bundle has ${h.size} bytes, but the manifest says ${f.size}.`, {
      details: { file: repoPath },
    });
  }
  return f;
}

async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

function pointerTarget(paths: RepoCachePaths, commit: string, repoPath: string, etag: string): { pointer: string; target: string } {
  const pointer = paths.pointer(commit, repoPath);
  return { pointer, target: relative(dirname(pointer), paths.blob(etag)) };
}

/** Complete means: every file's pointer resolves to its own blob with the right size, and the ref says this commit. */
async function isInstalled(paths: RepoCachePaths, m: BundleManifest): Promise<boolean> {
  for (const f of m.files) {
    const { pointer, target } = pointerTarget(paths, m.commit, f.path, f.etag);
    const l = await lstat(pointer).catch(() => null);
    if (!l) return false;
    if (l.isSymbolicLink() && (await readlink(pointer).catch(() => null)) !== target) return false;
    const s = await stat(pointer).catch(() => null);
    if (!s?.isFile() || s.size !== f.size) return false;
  }
  if (m.revision === m.commit) return true;
  const ref = await readFile(paths.ref(m.revision), 'utf8').catch(() => null);
  return ref?.trim() === m.commit;
}

/**
 * Moves staged blobs in and writes links, tree and ref, recording how to undo each step. If a
 * step fails, the steps done so far are undone in reverse order, so the cache is as before.
 */
async function install(paths: RepoCachePaths, m: BundleManifest, staged: ReadonlyMap<string, string>, staging: string): Promise<void> {
  const undo: Array<() => Promise<unknown>> = [];
  const checked = new Set<string>();
  let backups = 0;
  const repoRoot = paths.repoDir;
  /** mkdir -p, remembering the first folder it created; refuses folders that symlink out of the repo. */
  const ensureDir = async (dir: string, what: string): Promise<void> => {
    if (checked.has(dir)) return;
    const created = await mkdir(dir, { recursive: true });
    if (created) undo.push(() => rm(created, { recursive: true, force: true }));
    const [realRoot, realDir] = await Promise.all([realpath(repoRoot), realpath(dir)]);
    if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
      throw new PersianHubError('UNSAFE_PATH', `Refusing to write "${what}": a folder on its way links outside the repo folder.`, { details: { file: what } });
    }
    checked.add(dir);
  };
  try {
    await ensureDir(paths.blobsDir, 'blobs');
    const sizes = new Map(m.files.map((f) => [f.etag, f.size]));
    for (const [etag, stagedFile] of staged) {
      const blob = paths.blob(etag);
      await withBlobLock(blob, async () => {
        const existing = await lstat(blob).catch(() => null);
        // A download may have finished the same blob meanwhile: content-addressed, so keep it.
        if (existing?.isFile() && existing.size === sizes.get(etag)) return;
        if (existing) {
          // A blob of the wrong size under this name is damaged: ours replaces it (restored on undo).
          const backup = join(staging, `replaced-${backups++}`);
          await rename(blob, backup);
          undo.push(() => rename(backup, blob));
        }
        await rename(stagedFile, blob);
        undo.push(() => unlink(blob));
      }, { lockFile: paths.lock(etag) });
    }
    for (const f of m.files) {
      const { pointer, target } = pointerTarget(paths, m.commit, f.path, f.etag);
      await ensureDir(dirname(pointer), f.path);
      const existing = await lstat(pointer).catch(() => null);
      if (existing?.isSymbolicLink() && (await readlink(pointer)) === target) continue;
      if (existing) {
        if (existing.isDirectory()) {
          throw new PersianHubError('CONFLICT', `The cached snapshot has a folder where "${f.path}" should be.`, { details: { file: f.path } });
        }
        const backup = join(staging, `replaced-${backups++}`);
        await rename(pointer, backup);
        undo.push(() => rename(backup, pointer));
      }
      await symlink(target, pointer);
      undo.push(() => unlink(pointer));
    }
    const treePath = paths.tree(m.commit);
    if (!(await lstat(treePath).catch(() => null))) {
      await ensureDir(dirname(treePath), 'trees');
      await writeFileAtomic(treePath, treeCacheJson(manifestTreeFiles(m)));
      undo.push(() => unlink(treePath));
    }
    if (m.revision !== m.commit) {
      const refPath = paths.ref(m.revision);
      await ensureDir(dirname(refPath), `refs/${m.revision}`);
      const old = await readFile(refPath).catch(() => null);
      if (old === null || old.toString('utf8') !== m.commit) {
        await writeFileAtomic(refPath, m.commit);
        undo.push(() => (old === null ? unlink(refPath) : writeFileAtomic(refPath, old)));
      }
    }
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  } finally {
    await removeEmptyFolders(paths.locksDir, dirname(paths.repoDir));
  }
}
