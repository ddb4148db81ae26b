import { lstat, readdir, readFile, readlink, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { withBlobLock } from '../engine/blobLocks.js';
import { localDirPaths, repoCachePaths, type RepoCachePaths } from '../storage/cacheLayout.js';
import type { RepoType } from '../types.js';

const BLOB_NAME = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** `repo path → blob name` for every pointer of a snapshot folder (a real file maps to null). */
async function pointers(snapDir: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const visit = async (dir: string, prefix: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const p = join(dir, e.name);
      if (e.isDirectory()) await visit(p, rel);
      else if (e.isSymbolicLink()) {
        const name = (await readlink(p).catch(() => '')).split('/').pop() ?? '';
        out.set(rel, BLOB_NAME.test(name) ? name : null);
      } else out.set(rel, null);
    }
  };
  await visit(snapDir, '');
  return out;
}

/** rmdir `dir` and its parents up to `root` (exclusive) while they are empty. */
async function pruneEmpty(dir: string, root: string): Promise<void> {
  for (let d = dir; d.startsWith(root + sep) && d !== root; d = dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) break;
  }
}

export interface SnapshotRemoval {
  readonly repoType: RepoType;
  readonly repoId: string;
  readonly commit: string;
  /** Repo paths to delete from the snapshot; `all` for the whole snapshot. */
  readonly paths: ReadonlySet<string> | 'all';
  /** Repo paths another installed entry of this snapshot still needs: never deleted. */
  readonly keep: ReadonlySet<string>;
}

/**
 * Deletes files of one snapshot in the huggingface_hub cache, and nothing else:
 * - only the pointers asked for, minus those another installed entry needs;
 * - a blob only when the pointers just deleted were its last users in every snapshot of the repo;
 * - the snapshot folder, `trees/<commit>.json`, `.no_exist/<commit>` and the refs naming the
 *   commit only once no file of the snapshot is left, so refs and trees always describe what is there;
 * - partial downloads (`.incomplete`) are never touched: they belong to a job, maybe of another program.
 */
export async function removeSnapshotFiles(cacheDir: string, r: SnapshotRemoval): Promise<void> {
  const cache = repoCachePaths(cacheDir, r.repoType, r.repoId);
  const snapDir = cache.snapshotDir(r.commit);
  const mine = await pointers(snapDir);
  const dropped = new Set<string>();
  for (const [path, blob] of mine) {
    if (r.keep.has(path) || (r.paths !== 'all' && !r.paths.has(path))) continue;
    const pointer = join(snapDir, ...path.split('/'));
    await unlink(pointer).catch(() => undefined);
    await pruneEmpty(dirname(pointer), snapDir);
    mine.delete(path);
    if (blob) dropped.add(blob);
  }
  if (dropped.size > 0) await dropUnusedBlobs(cache, dropped);
  if (mine.size === 0) await removeEmptySnapshot(cache, r.commit);
}

async function dropUnusedBlobs(cache: RepoCachePaths, candidates: ReadonlySet<string>): Promise<void> {
  const used = new Set<string>();
  for (const commit of await readdir(join(cache.repoDir, 'snapshots')).catch(() => [] as string[])) {
    for (const blob of (await pointers(cache.snapshotDir(commit))).values()) if (blob) used.add(blob);
  }
  for (const blob of candidates) {
    if (used.has(blob)) continue;
    // Under the blob's lock: a job of this process that is about to write it waits, then fetches it anew.
    await withBlobLock(cache.blob(blob), () => rm(cache.blob(blob), { force: true }));
  }
}

async function removeEmptySnapshot(cache: RepoCachePaths, commit: string): Promise<void> {
  await rm(cache.snapshotDir(commit), { recursive: true, force: true });
  await rm(cache.tree(commit), { force: true });
  await rm(join(cache.repoDir, '.no_exist', commit), { recursive: true, force: true });
  const refsDir = join(cache.repoDir, 'refs');
  const visit = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await visit(p);
      else if ((await readFile(p, 'utf8').catch(() => '')).trim() === commit) {
        await unlink(p).catch(() => undefined);
        await pruneEmpty(dirname(p), refsDir);
      }
    }
  };
  await visit(refsDir);
  // Folders left empty go, then the repo folder if nothing (a partial of another job, say) is in it.
  for (const sub of ['snapshots', 'trees', 'refs', '.no_exist', 'blobs']) await rmdir(join(cache.repoDir, sub)).catch(() => undefined);
  await rmdir(cache.repoDir).catch(() => undefined);
}

export interface LocalDirRemoval {
  readonly root: string;
  /** The files of the job that filled the folder. */
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number; readonly etag?: string | undefined }>;
  /** Repo paths another installed job in the same folder still needs. */
  readonly keep: ReadonlySet<string>;
}

/**
 * Deletes the files a job wrote into a local dir, with their metadata. A file the user changed
 * since (another size, or metadata naming another version) is theirs now and stays: its path is
 * returned so the caller can say so.
 */
export async function removeLocalDirFiles(r: LocalDirRemoval): Promise<string[]> {
  const local = localDirPaths(r.root);
  const kept: string[] = [];
  for (const f of r.files) {
    if (r.keep.has(f.path)) continue;
    const file = local.file(f.path);
    const meta = (await readFile(local.metadata(f.path), 'utf8').catch(() => '')).split('\n');
    const st = await lstat(file).catch(() => null);
    const ours = st?.isFile() && st.size === f.size && (!f.etag || meta[1] === f.etag);
    if (st && !ours) {
      kept.push(f.path);
      continue;
    }
    await rm(file, { force: true });
    await rm(local.metadata(f.path), { force: true });
    await pruneEmpty(dirname(file), local.root);
    await pruneEmpty(dirname(local.metadata(f.path)), local.root);
  }
  return kept;
}
