import { lstat, readFile, stat } from 'node:fs/promises';
import { PersianHubError } from '../PersianHubError.js';
import type { RepoCachePaths } from '../storage/cacheLayout.js';
import { describeKind, listSnapshotEntries, pointerState, treeEntryDisagreement } from '../storage/compareWithCache.js';
import { readCachedTree } from '../storage/readCachedTree.js';
import type { BundleManifest } from './bundleManifest.js';

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
    for (const f of [...m.files, ...m.otherFiles]) {
      const t = tree.files.get(f.path);
      if (!t) throw conflict(f.path, `it is not part of that commit according to the installed file list (trees/${m.commit}.json)`);
      const why = treeEntryDisagreement(f, t);
      if (why) throw conflict(f.path, why);
    }
  }

  // ---- the snapshot as it is on disk (links are not followed) ----
  const onDisk = await listSnapshotEntries(paths.snapshotDir(m.commit));
  let snapshotComplete = true;
  const linkedBlobs = new Set<string>();
  for (const f of m.files) {
    const s = await pointerState(paths, m.commit, onDisk, f);
    if (s.state === 'conflict') throw conflict(f.path, s.why);
    if (s.state === 'missing') snapshotComplete = false;
    if (s.state === 'linked') linkedBlobs.add(f.etag);
  }
  const listed = new Set([...m.files.map((f) => f.path), ...m.otherFiles.map((f) => f.path)]);
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
