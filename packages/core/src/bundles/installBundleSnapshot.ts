import { lstat, mkdir, readFile, readlink, realpath, rename, stat, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import { removeEmptyFolders } from '../engine/acquireFileLock.js';
import { withBlobLock } from '../engine/blobLocks.js';
import { treeCacheJson, writeFileAtomic, type RepoCachePaths } from '../storage/cacheLayout.js';
import { manifestTreeFiles, type BundleManifest } from './bundleManifest.js';

export interface InstallSteps {
  /** Write `trees/<commit>.json` if it is still absent. */
  readonly writeTree: boolean;
  /** Point `refs/<revision>` at the commit. */
  readonly writeRef: boolean;
}

/**
 * Moves staged blobs in and writes links, tree and ref, recording how to undo each step. If a
 * step fails, the steps done so far are undone in reverse order, so the cache is as before.
 * `planBundleInstall` already refused any disagreement; what is checked again here is what
 * another process may have written since (a download or another import of the same commit):
 * the same content is kept, anything else is CONFLICT and undoes the import.
 */
export async function installBundleSnapshot(
  paths: RepoCachePaths,
  m: BundleManifest,
  staged: ReadonlyMap<string, string>,
  /** Where replaced blobs wait until the end (the import's staging folder); null when nothing is staged. */
  staging: string | null,
  steps: InstallSteps,
): Promise<void> {
  const undo: Array<() => Promise<unknown>> = [];
  const checked = new Set<string>();
  let backups = 0;
  const repoRoot = paths.repoDir;
  const conflict = (file: string, why: string) =>
    new PersianHubError('CONFLICT', `"${file}" of ${m.repoId}@${m.commit.slice(0, 8)} changed in the cache during the import (${why}); nothing was changed.`, {
      details: { file, repoId: m.repoId, commit: m.commit },
    });
  /** mkdir -p, remembering the first folder it created; refuses folders that symlink out of the repo. */
  const ensureDir = async (dir: string, what: string): Promise<void> => {
    if (checked.has(dir)) return;
    const created = await mkdir(dir, { recursive: true });
    // Undone only while empty: another writer (a download of the same commit) may have put files in it meanwhile.
    if (created) undo.push(() => removeEmptyFolders(dir, dirname(created)));
    const [realRoot, realDir] = await Promise.all([realpath(repoRoot), realpath(dir)]);
    if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) {
      throw new PersianHubError('UNSAFE_PATH', `Refusing to write "${what}": a folder on its way links outside the repo folder.`, { details: { file: what } });
    }
    checked.add(dir);
  };
  try {
    if (staged.size > 0) await ensureDir(paths.blobsDir, 'blobs');
    const byEtag = new Map(m.files.map((f) => [f.etag, f]));
    for (const [etag, stagedFile] of staged) {
      const blob = paths.blob(etag);
      const f = byEtag.get(etag)!;
      await withBlobLock(
        blob,
        async () => {
          const existing = await lstat(blob).catch(() => null);
          if (existing?.isSymbolicLink()) {
            // Blobs linked to another disk are the user's arrangement: use it if it holds the file, never replace it.
            if ((await stat(blob).catch(() => null))?.size === f.size) return;
            throw conflict(f.path, `its blob became a link`);
          }
          // A download may have finished the same blob meanwhile: content-addressed, so keep it.
          if (existing?.isFile() && existing.size === f.size) return;
          if (existing && !existing.isFile()) throw conflict(f.path, `a folder or special file took its blob's name`);
          if (existing) {
            // A regular file of the wrong size cannot be the content its name is the hash of: a
            // damaged blob. The verified bytes replace it (restored on undo).
            const backup = join(staging!, `replaced-${backups++}`);
            await rename(blob, backup);
            undo.push(() => rename(backup, blob));
          }
          await rename(stagedFile, blob);
          undo.push(() => unlink(blob));
        },
        { lockFile: paths.lock(etag) },
      );
    }
    for (const f of m.files) {
      const pointer = paths.pointer(m.commit, f.path);
      const target = relative(dirname(pointer), paths.blob(f.etag));
      await ensureDir(dirname(pointer), f.path);
      const existing = await lstat(pointer).catch(() => null);
      if (existing?.isSymbolicLink()) {
        const to = resolve(dirname(pointer), await readlink(pointer));
        if (dirname(to) === paths.blobsDir && basename(to) === f.etag) continue;
        throw conflict(f.path, `it now links to another blob`);
      }
      if (existing?.isDirectory()) {
        throw new PersianHubError('CONFLICT', `The cached snapshot has a folder where "${f.path}" should be.`, { details: { file: f.path, repoId: m.repoId, commit: m.commit } });
      }
      // A copy (no symlinks on this system) was compared byte for byte by the plan: keep it.
      if (existing?.isFile() && existing.size === f.size) continue;
      if (existing) throw conflict(f.path, `another file appeared in its place`);
      await symlink(target, pointer);
      undo.push(() => unlink(pointer));
    }
    const treePath = paths.tree(m.commit);
    if (steps.writeTree && !(await lstat(treePath).catch(() => null))) {
      await ensureDir(dirname(treePath), 'trees');
      await writeFileAtomic(treePath, treeCacheJson(manifestTreeFiles(m)));
      undo.push(() => unlink(treePath));
    }
    if (steps.writeRef && m.revision !== m.commit) {
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
