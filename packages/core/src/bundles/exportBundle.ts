import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pack } from 'tar-stream';
import { PersianHubError } from '../PersianHubError.js';
import { freeDiskSpace } from '../engine/freeDiskSpace.js';
import { inputSchemas, parseOrThrow } from '../manager/validateInput.js';
import { repoCachePaths, safeSegments } from '../storage/cacheLayout.js';
import type { RepoType } from '../types.js';
import {
  BUNDLE_FILES_PREFIX,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BUNDLE_MANIFEST_ENTRY,
  contentHasher,
  parseBundleManifest,
  type BundleFile,
  type BundleManifest,
  type BundleOtherFile,
  type BundleProgress,
} from './bundleManifest.js';
import { BUNDLE_SIGNATURE_ENTRY, parseBundlePrivateKey, signBundleManifest, type BundlePrivateKey } from './bundleSignature.js';
import { readCachedTree, type CachedTreeEntry } from '../storage/readCachedTree.js';
import { abortError, diskError, waitDrain } from './streamUtils.js';

export interface ExportBundleOptions {
  readonly cacheDir: string;
  readonly repoType: RepoType;
  readonly repoId: string;
  /** The snapshot to export (40-hex). */
  readonly commit: string;
  /**
   * The revision recorded in the bundle (`main`, `refs/convert/parquet`…); the importer writes
   * `refs/<revision>`. Default: a ref of the repo that points to `commit` (`main` first), else the commit.
   */
  readonly revision?: string;
  readonly catalogId?: string | null;
  /** Output `.tar` path. Written as `<file>.partial`, renamed when complete. */
  readonly file: string;
  /** Version of @persian-hub/core written into the manifest. */
  readonly toolVersion: string;
  /**
   * Sign the manifest with this ed25519 private key (PEM PKCS#8 or a KeyObject): the signature
   * goes in a second tar entry, `persian-hub-bundle.sig`, and names the key by its id.
   * Importers that trust the key then know who made the bundle. @default unsigned
   */
  readonly signingKey?: BundlePrivateKey;
  readonly signal?: AbortSignal;
  onProgress?(progress: BundleProgress): void;
}

interface SourceFile {
  readonly file: BundleFile;
  /** What to read: the blob (symlinked snapshot) or the pointer itself (a copy-mode snapshot). */
  readonly source: string;
}

/**
 * Writes one snapshot of the cache as a single `.tar`: `persian-hub-bundle.json` first, then each
 * file as `files/<path>`. Every file is hashed while it streams into the tar and checked against
 * its blob name (etag), so a corrupt cache aborts the export (CHECKSUM_MISMATCH) instead of
 * producing a bundle that lies. Memory stays flat: nothing is buffered beyond one chunk.
 */
export async function exportBundle(options: ExportBundleOptions): Promise<BundleManifest> {
  const { signal, onProgress } = options;
  const repoId = parseOrThrow(inputSchemas().repoId, options.repoId, 'repo id');
  if (options.repoType !== 'model' && options.repoType !== 'dataset') {
    throw new PersianHubError('INVALID_INPUT', `Invalid repo type "${String(options.repoType)}".`);
  }
  if (!/^[0-9a-f]{40}$/.test(options.commit)) {
    throw new PersianHubError('INVALID_INPUT', `"${String(options.commit).slice(0, 80)}" is not a 40-hex commit.`);
  }
  const commit = options.commit;
  if (options.revision !== undefined) parseOrThrow(inputSchemas().revision, options.revision, 'revision');
  const signingKey = options.signingKey === undefined ? null : parseBundlePrivateKey(options.signingKey);
  if (signal?.aborted) throw abortError(signal);

  const paths = repoCachePaths(options.cacheDir, options.repoType, repoId);
  const snapDir = paths.snapshotDir(commit);
  const snapStat = await lstat(snapDir).catch(() => null);
  if (!snapStat?.isDirectory()) {
    throw new PersianHubError('NOT_FOUND', `${repoId}@${commit.slice(0, 8)} is not in the cache.`, { details: { repoId } });
  }

  const revision = options.revision ?? (await defaultRevision(paths.repoDir, commit));
  const tree = (await readCachedTree(paths.tree(commit))).files;
  const sources = await listSnapshot(paths.blobsDir, snapDir, tree, repoId);
  if (sources.length === 0) {
    throw new PersianHubError('NOT_FOUND', `The snapshot ${repoId}@${commit.slice(0, 8)} has no files.`, { details: { repoId } });
  }
  const inBundle = new Set(sources.map((s) => s.file.path));
  const otherFiles: BundleOtherFile[] = [];
  for (const [path, t] of tree ?? []) {
    if (inBundle.has(path)) continue;
    try {
      safeSegments(path);
    } catch {
      continue; // informational only: never carry a path we would refuse
    }
    otherFiles.push(t.lfs_sha256 ? { path, size: t.size, lfs: true, sha256: t.lfs_sha256, gitOid: t.blob_id } : { path, size: t.size, lfs: false, gitOid: t.blob_id });
  }

  const createdAt = new Date().toISOString();
  const manifest = parseBundleManifest({
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    tool: { name: '@persian-hub/core', version: options.toolVersion },
    createdAt,
    repoId,
    repoType: options.repoType,
    revision,
    commit,
    catalogId: options.catalogId ?? null,
    files: sources.map((s) => s.file),
    otherFiles,
  } satisfies BundleManifest);
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`, 'utf8');
  const signatureBytes = signingKey ? signBundleManifest(manifestBytes, signingKey) : null;

  const bytesTotal = manifest.files.reduce((n, f) => n + f.size, 0);
  const outFile = resolve(options.file);
  await mkdir(dirname(outFile), { recursive: true });
  // Tar overhead: 512 bytes of header per entry (plus a pax header for long or non-ASCII names) and padding.
  const needed = bytesTotal + manifestBytes.length + (signatureBytes?.length ?? 0) + (manifest.files.length + 2) * 2048 + 1024;
  const free = await freeDiskSpace(dirname(outFile));
  if (free !== null && needed > free) {
    throw new PersianHubError('DISK_FULL', `Not enough disk space for the bundle: ${needed} bytes are needed but only ${free} are free.`, {
      details: { requiredBytes: needed, availableBytes: free, repoId },
    });
  }

  const partial = `${outFile}.partial`;
  const mtime = new Date(createdAt);
  // Loaded on first use: most hosts never export, and the module costs memory in every process.
  const { pack: tarPack } = await import('tar-stream');
  const pack = tarPack();
  const out = createWriteStream(partial);
  const written = pipeline(pack, out);
  written.catch(() => undefined); // observed below; never an unhandled rejection

  const onAbort = () => pack.destroy(abortError(signal!));
  signal?.addEventListener('abort', onAbort, { once: true });
  let bytesDone = 0;
  try {
    await writeEntry(pack, { name: BUNDLE_MANIFEST_ENTRY, size: manifestBytes.length, mtime }, async (sink) => {
      if (!sink.write(manifestBytes)) await waitDrain(sink);
    });
    if (signatureBytes) {
      await writeEntry(pack, { name: BUNDLE_SIGNATURE_ENTRY, size: signatureBytes.length, mtime }, async (sink) => {
        if (!sink.write(signatureBytes)) await waitDrain(sink);
      });
    }
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    for (const { file, source } of sources) {
      if (signal?.aborted) throw abortError(signal);
      await writeEntry(pack, { name: `${BUNDLE_FILES_PREFIX}${file.path}`, size: file.size, mtime }, async (sink) => {
        const hash = contentHasher(file.lfs, file.size);
        let n = 0;
        onProgress?.({ bytesDone, bytesTotal, currentFile: file.path });
        for await (const chunk of createReadStream(source, { highWaterMark: 1024 * 1024, signal })) {
          const buf = chunk as Buffer;
          n += buf.length;
          if (n > file.size) break;
          hash.update(buf);
          bytesDone += buf.length;
          if (!sink.write(buf)) await waitDrain(sink);
          onProgress?.({ bytesDone, bytesTotal, currentFile: file.path });
        }
        const digest = hash.digest('hex');
        if (n !== file.size || digest !== file.etag) {
          throw new PersianHubError(
            'CHECKSUM_MISMATCH',
            n !== file.size
              ? `The cached file "${file.path}" changed size while it was exported (${file.size} → ${n} bytes).`
              : `The cached file "${file.path}" is corrupt: its content hashes to ${digest}, not to its blob name ${file.etag}. Re-download it before exporting.`,
            { details: { file: file.path, repoId } },
          );
        }
      });
    }
    pack.finalize();
    await written;
    if (signal?.aborted) throw abortError(signal);
    // A bundle usually goes to a USB disk that gets unplugged: make sure the bytes are there.
    const fh = await open(partial, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(partial, outFile);
    onProgress?.({ bytesDone, bytesTotal, currentFile: null });
    return manifest;
  } catch (error) {
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => undefined);
    await unlink(partial).catch(() => undefined);
    if (signal?.aborted) throw abortError(signal);
    throw diskError(error, 'the bundle');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

type Sink = ReturnType<Pack['entry']>;

/** One regular-file tar entry whose bytes `fill` writes; resolves once the entry is complete. */
async function writeEntry(pack: Pack, header: { name: string; size: number; mtime: Date }, fill: (sink: Sink) => Promise<void>): Promise<void> {
  let sink!: Sink;
  const done = new Promise<void>((resolveDone, reject) => {
    sink = pack.entry({ ...header, type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' }, (err) => (err ? reject(err) : resolveDone()));
  });
  done.catch(() => undefined);
  sink.on('error', () => undefined); // reported through `done` and the pack; never an uncaught 'error'
  try {
    await fill(sink);
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  sink.end(undefined);
  await done;
}

async function defaultRevision(repoDir: string, commit: string): Promise<string> {
  const refsDir = join(repoDir, 'refs');
  const found: string[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) await visit(join(dir, e.name), rel);
      else if (e.isFile() && (await readFile(join(dir, e.name), 'utf8').catch(() => '')).trim() === commit) found.push(rel);
    }
  };
  await visit(refsDir, '');
  found.sort();
  return found.includes('main') ? 'main' : (found[0] ?? commit);
}

/** Every file of the snapshot, in path order, with its blob and etag. */
async function listSnapshot(blobsDir: string, snapDir: string, tree: ReadonlyMap<string, CachedTreeEntry> | null, repoId: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const visit = async (dir: string, prefix: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const repoPath = prefix ? `${prefix}/${e.name}` : e.name;
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        await visit(abs, repoPath);
        continue;
      }
      safeSegments(repoPath);
      const t = tree?.get(repoPath);
      if (tree && !t) {
        // The file list is the commit's: a file beyond it was put there by something else, and a
        // bundle carrying it would tell every importer that the commit has it.
        throw new PersianHubError(
          'CHECKSUM_MISMATCH',
          `The cached snapshot holds "${repoPath}", which trees/<commit>.json does not list for this commit; it cannot be exported as part of it.`,
          { details: { file: repoPath, repoId } },
        );
      }
      let etag: string;
      let source: string;
      if (e.isSymbolicLink()) {
        const target = resolve(dir, await readlink(abs));
        etag = basename(target);
        if (dirname(target) !== blobsDir || !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(etag)) {
          throw new PersianHubError('UNSAFE_PATH', `The cached file "${repoPath}" links outside the repo's blobs folder; refusing to export it.`, {
            details: { file: repoPath, repoId },
          });
        }
        source = target;
      } else if (e.isFile() && t) {
        // A snapshot made without symlinks (Windows without Developer Mode): the file is the content.
        etag = t.lfs_sha256 ?? t.blob_id;
        source = abs;
      } else {
        throw new PersianHubError(
          'INVALID_INPUT',
          `The cached file "${repoPath}" is not a link to a blob and trees/<commit>.json does not say its hash; it cannot be exported.`,
          { details: { file: repoPath, repoId } },
        );
      }
      const st = await stat(source).catch(() => null);
      if (!st?.isFile()) {
        throw new PersianHubError('NOT_FOUND', `The snapshot is incomplete: "${repoPath}" has no blob in the cache.`, { details: { file: repoPath, repoId } });
      }
      const lfs = etag.length === 64;
      if (t && ((lfs ? t.lfs_sha256 !== etag : t.lfs_sha256 !== undefined || t.blob_id !== etag) || t.size !== st.size)) {
        throw new PersianHubError(
          'CHECKSUM_MISMATCH',
          `The cached file "${repoPath}" does not match trees/<commit>.json (blob ${etag}, ${st.size} bytes). Re-download it before exporting.`,
          { details: { file: repoPath, repoId } },
        );
      }
      const file: BundleFile = lfs
        ? t
          ? { path: repoPath, size: st.size, lfs, sha256: etag, gitOid: t.blob_id, etag }
          : { path: repoPath, size: st.size, lfs, sha256: etag, etag }
        : { path: repoPath, size: st.size, lfs, gitOid: etag, etag };
      out.push({ file, source });
    }
  };
  await visit(snapDir, '');
  return out;
}
