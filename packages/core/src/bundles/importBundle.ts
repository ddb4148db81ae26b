import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Header } from 'tar-stream';
import { isPersianHubError, PersianHubError } from '../PersianHubError.js';
import { processAlive } from '../engine/processAlive.js';
import { freeDiskSpace } from '../engine/freeDiskSpace.js';
import { repoCachePaths, safeSegments } from '../storage/cacheLayout.js';
import type { BundleRefState, BundleSigner } from '../types.js';
import {
  BUNDLE_FILES_PREFIX,
  BUNDLE_LIMITS,
  BUNDLE_MANIFEST_ENTRY,
  contentHasher,
  parseBundleManifest,
  type BundleFile,
  type BundleManifest,
  type BundleProgress,
} from './bundleManifest.js';
import {
  BUNDLE_SIGNATURE_ENTRY,
  BUNDLE_SIGNATURE_MAX_BYTES,
  parseBundlePublicKey,
  verifyBundleSignature,
  type BundlePublicKey,
} from './bundleSignature.js';
import { installBundleSnapshot } from './installBundleSnapshot.js';
import { planBundleInstall } from './planBundleInstall.js';
import { assertBundleFile } from './assertBundleFile.js';
import { abortError, diskError } from './streamUtils.js';

export interface ImportBundleOptions {
  readonly cacheDir: string;
  /** The `.tar` written by `exportBundle`. */
  readonly file: string;
  /**
   * Point `refs/<revision>` at the bundle's commit even when it names another commit now. Off,
   * an existing ref is left alone: the snapshot is still installed, reachable by its commit.
   * A ref that does not exist yet is always written. @default false
   */
  readonly updateRefs?: boolean;
  /** Public keys whose signatures are trusted (see `parseBundlePublicKey` for the forms). @default [] */
  readonly trustedKeys?: readonly BundlePublicKey[];
  /**
   * Refuse a bundle that is not signed by one of `trustedKeys` (BUNDLE_UNTRUSTED), before any
   * byte is staged. Needs at least one trusted key. @default false
   */
  readonly requireSignature?: boolean;
  readonly signal?: AbortSignal;
  onProgress?(progress: BundleProgress): void;
}

export interface ImportBundleResult {
  readonly manifest: BundleManifest;
  /**
   * The snapshot was already complete: no file was copied or linked (only the manifest was
   * read); `ref` says whether the ref was moved.
   */
  readonly alreadyInstalled: boolean;
  /** `<cacheDir>/<repo folder>/snapshots/<commit>`. */
  readonly path: string;
  /** Who signed the bundle (`trusted`: one of `trustedKeys`); null when it is not signed. */
  readonly signature: BundleSigner | null;
  /**
   * `refs/<revision>` afterwards. `commit` differs from the bundle's when an existing ref was
   * left alone (no `updateRefs`). null when the bundle was made from a bare commit.
   */
  readonly ref: BundleRefState | null;
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
  const trustedKeys: KeyObject[] = (options.trustedKeys ?? []).map((k, i) => parseBundlePublicKey(k, `Trusted key #${i + 1}`));
  const requireSignature = options.requireSignature === true;
  if (requireSignature && trustedKeys.length === 0) {
    throw new PersianHubError('INVALID_INPUT', 'requireSignature needs at least one trusted key: no bundle could ever be accepted.');
  }
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

  /** The whole of a small entry (manifest, signature), its size already bounded by the caller. */
  const readSmallEntry = async (entry: Entry): Promise<Buffer> => {
    const parts: Buffer[] = [];
    await readEntry(entry, (chunk) => void parts.push(chunk));
    return Buffer.concat(parts);
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
    const manifestBytes = await readSmallEntry(first);

    // ---- 2. the signature, if any, checked before the manifest is even parsed ----
    let pending = await nextEntry();
    let signatureBytes: Buffer | null = null;
    if (pending?.header.name === BUNDLE_SIGNATURE_ENTRY) {
      if (pending.header.type !== 'file' || pending.header.size > BUNDLE_SIGNATURE_MAX_BYTES) {
        throw new PersianHubError('BUNDLE_INVALID', `The bundle's signature entry is not a small file (${describeEntry(pending.header)}).`, { details: { reason: 'BAD_SIGNATURE' } });
      }
      signatureBytes = await readSmallEntry(pending);
      pending = null;
    }
    const signature = verifyBundleSignature(manifestBytes, signatureBytes, { trustedKeys, requireSignature });
    let json: unknown;
    try {
      json = JSON.parse(manifestBytes.toString('utf8'));
    } catch (error) {
      throw new PersianHubError('BUNDLE_INVALID', `The bundle manifest is not JSON (${(error as Error).message}).`, { cause: error });
    }
    const manifest = parseBundleManifest(json);
    const paths = repoCachePaths(cacheDir, manifest.repoType, manifest.repoId);
    const snapDir = paths.snapshotDir(manifest.commit);

    // ---- 3. against the cache: refuse any disagreement; nothing to do? ----
    const plan = await planBundleInstall(paths, manifest);
    const hasRef = manifest.revision !== manifest.commit;
    const writeRef = hasRef && plan.refNow !== manifest.commit && (plan.refNow === null || options.updateRefs === true);
    const refAfter = (written: boolean): BundleRefState | null =>
      hasRef ? { revision: manifest.revision, commit: written || plan.refNow === null ? manifest.commit : plan.refNow, updated: written } : null;
    if (plan.snapshotComplete) {
      // Every file is there with the bundle's content: at most the ref moves (when asked), no byte is copied.
      if (writeRef) await installBundleSnapshot(paths, manifest, new Map(), null, { writeTree: false, writeRef });
      ok = true;
      return { manifest, alreadyInstalled: true, path: snapDir, signature, ref: refAfter(writeRef) };
    }

    // ---- 4. plan: is there room for the missing blobs ----
    const byPath = new Map<string, BundleFile>(manifest.files.map((f) => [f.path, f]));
    const present = plan.presentBlobs;
    const needed = plan.neededBytes;
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

    // ---- 5. every entry: check it, hash it, stage it ----
    const arrived = new Set<string>();
    const staged = new Map<string, string>();
    let bytesDone = 0;
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    for (let entry = pending ?? (await nextEntry()); entry; entry = await nextEntry()) {
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

    // ---- 6. only now touch the repo folder ----
    try {
      await installBundleSnapshot(paths, manifest, staged, staging, { writeTree: plan.writeTree, writeRef });
    } catch (error) {
      throw diskError(error, `${manifest.repoId} into the cache`);
    }
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    ok = true;
    return { manifest, alreadyInstalled: false, path: snapDir, signature, ref: refAfter(writeRef) };
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
