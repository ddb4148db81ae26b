import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import type { RepoCachePaths } from '../storage/cacheLayout.js';
import { contentHasher, type BundleManifest } from './bundleManifest.js';
import { readCachedTree, type CachedTreeEntry } from './readCachedTree.js';

export interface BundleInstallPlan {
  /** Blob names the cache already holds with the right size (a file, or a link to one): reused. */
  readonly presentBlobs: ReadonlySet<string>;
  /** Bytes of the blobs still to copy in. */
  readonly neededBytes: number;
  /**
   * Write `trees/<commit>.json` from the manifest: there is none yet, and the snapshot holds no
   * file the manifest does not list (a file list without it would say the commit lacks it).
   */
  readonly writeTree: boolean;
  /** Every file of the bundle is in the snapshot already, with the bundle's content. */
  readonly snapshotComplete: boolean;
  /** What `refs/<revision>` says now; null when there is no such ref or the revision is the commit. */
  readonly refNow: string | null;
}

type Kind = 'file' | 'symlink' | 'dir' | 'other';

interface FileFacts {
  readonly path: string;
  readonly size: number;
  readonly lfs: boolean;
  readonly sha256?: string | undefined;
  readonly gitOid?: string | undefined;
}

/**
 * Compares a bundle with what the cache already has for its commit, before a byte is staged:
 * the commit's file list (`trees/<commit>.json`), the snapshot's links (or copies) and the blobs.
 * Any disagreement is CONFLICT naming the file: a bundle may add what is missing, never change
 * what is there. Also decides what the install has to do.
 */
export async function planBundleInstall(paths: RepoCachePaths, m: BundleManifest): Promise<BundleInstallPlan> {
  const conflict = (file: string, why: string): PersianHubError =>
    new PersianHubError(
      'CONFLICT',
      `The bundle's "${file}" disagrees with what is installed for ${m.repoId}@${m.commit.slice(0, 8)}: ${why}. A bundle never changes an installed snapshot; nothing was written.`,
      { details: { file, repoId: m.repoId, commit: m.commit } },
    );

  // ---- the commit's file list, when the cache has one ----
  const tree = await readCachedTree(paths.tree(m.commit));
  if (tree.files) {
    for (const f of [...m.files, ...m.otherFiles] as FileFacts[]) {
      const t = tree.files.get(f.path);
      if (!t) throw conflict(f.path, `it is not part of that commit according to the installed file list (trees/${m.commit}.json)`);
      const why = treeDisagreement(f, t);
      if (why) throw conflict(f.path, why);
    }
  }

  // ---- the snapshot as it is on disk (links are not followed) ----
  const snapDir = paths.snapshotDir(m.commit);
  const onDisk = await listSnapshot(snapDir);
  const listed = new Set([...m.files.map((f) => f.path), ...m.otherFiles.map((f) => f.path)]);
  let snapshotComplete = true;
  const linkedBlobs = new Set<string>();
  for (const f of m.files) {
    const segments = f.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const kind = onDisk.get(segments.slice(0, i).join('/'));
      if (kind !== undefined && kind !== 'dir') throw conflict(f.path, `the snapshot has a ${describeKind(kind)} where its folder "${segments.slice(0, i).join('/')}" should be`);
    }
    const kind = onDisk.get(f.path);
    const pointer = paths.pointer(m.commit, f.path);
    if (kind === undefined) {
      snapshotComplete = false;
    } else if (kind === 'symlink') {
      const target = resolve(dirname(pointer), await readlink(pointer));
      if (dirname(target) !== paths.blobsDir || basename(target) !== f.etag) {
        throw conflict(f.path, `the installed file links to ${dirname(target) === paths.blobsDir ? `blob ${basename(target)}` : 'a file outside the blobs folder'}, the bundle's is blob ${f.etag}`);
      }
      linkedBlobs.add(f.etag);
    } else if (kind === 'file') {
      // A snapshot of copies (Windows without symlinks): the file itself must be the bundle's.
      const size = (await lstat(pointer)).size;
      if (size !== f.size) throw conflict(f.path, `the installed file has ${size} bytes, the bundle's ${f.size}`);
      const digest = await hashFile(pointer, f.lfs, f.size);
      if (digest !== f.etag) throw conflict(f.path, `the installed file hashes to ${digest}, the bundle's to ${f.etag}`);
    } else {
      throw conflict(f.path, `the snapshot has a ${describeKind(kind)} where this file should be`);
    }
  }
  const unlisted = [...onDisk].some(([p, kind]) => kind !== 'dir' && !listed.has(p));

  // ---- blobs: reuse the right ones; a regular file of the wrong size cannot be what its name says ----
  const presentBlobs = new Set<string>();
  let neededBytes = 0;
  const seen = new Set<string>();
  for (const f of m.files) {
    if (seen.has(f.etag)) continue;
    seen.add(f.etag);
    const blob = paths.blob(f.etag);
    const l = await lstat(blob).catch(() => null);
    if (l?.isFile()) {
      if (l.size === f.size) presentBlobs.add(f.etag);
      else neededBytes += f.size;
    } else if (!l) {
      neededBytes += f.size;
    } else if (l.isSymbolicLink()) {
      // Blobs moved to another disk and linked back: the user's arrangement, used but never replaced.
      const s = await stat(blob).catch(() => null);
      if (!s?.isFile() || s.size !== f.size) {
        throw conflict(f.path, `its blob in the cache (blobs/${f.etag}) is a link to ${s ? `something that is not a ${f.size}-byte file` : 'a file that is not there (an unplugged disk?)'}, and an import does not replace it`);
      }
      presentBlobs.add(f.etag);
    } else {
      throw conflict(f.path, `its blob in the cache (blobs/${f.etag}) is a ${describeKind(l.isDirectory() ? 'dir' : 'other')}`);
    }
  }
  for (const etag of linkedBlobs) if (!presentBlobs.has(etag)) snapshotComplete = false;

  const refNow = m.revision === m.commit ? null : ((await readFile(paths.ref(m.revision), 'utf8').catch(() => null))?.trim() ?? null);
  return { presentBlobs, neededBytes, writeTree: !tree.exists && !unlisted, snapshotComplete, refNow };
}

function treeDisagreement(f: FileFacts, t: CachedTreeEntry): string | null {
  if (f.size !== t.size) return `the installed file list says ${t.size} bytes, the bundle ${f.size}`;
  if (f.lfs !== (t.lfs_sha256 !== undefined)) return `the installed file list says it is ${t.lfs_sha256 ? '' : 'not '}an LFS file`;
  if (f.lfs && f.sha256 !== t.lfs_sha256) return `the installed file list says sha256 ${t.lfs_sha256}, the bundle ${f.sha256}`;
  if (f.gitOid !== undefined && f.gitOid !== t.blob_id) return `the installed file list says git blob ${t.blob_id}, the bundle ${f.gitOid}`;
  return null;
}

function describeKind(kind: Kind): string {
  return kind === 'dir' ? 'folder' : kind === 'symlink' ? 'link' : kind === 'file' ? 'file' : 'special file';
}

/** Repo path → kind of every entry under the snapshot folder; links (to files or folders) are not followed. */
async function listSnapshot(snapDir: string): Promise<Map<string, Kind>> {
  const out = new Map<string, Kind>();
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.set(rel, 'dir');
        await visit(join(dir, e.name), rel);
      } else {
        out.set(rel, e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'other');
      }
    }
  };
  await visit(snapDir, '');
  return out;
}

async function hashFile(path: string, lfs: boolean, size: number): Promise<string> {
  const hash = contentHasher(lfs, size);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
