import { constants } from 'node:fs';
import { lstat, open, opendir, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { lfsPointerOid, readCachedTree, repoCachePaths, type CachedTreeEntry, type RepoType } from '@persian-hub/core';
import { HttpError } from './HttpError.js';

/** One file of a commit as the Hub describes it (tree entry), and where its verified blob is. */
export interface MirrorFile {
  readonly path: string;
  readonly size: number;
  /** git blob sha1 (of the LFS pointer, for an LFS file). */
  readonly oid: string;
  /** What the blob is named after: sha256 for LFS, the git oid otherwise. */
  readonly etag: string;
  readonly lfs: { readonly oid: string; readonly size: number; readonly pointerSize: number } | null;
  /** The blob's real path, or null when it is not complete in the cache (pullThrough listings). */
  readonly blob: string | null;
}

export interface MirrorCache {
  /** The repo has a folder in the cache with at least one snapshot. */
  hasRepo(repoType: RepoType, repoId: string): Promise<boolean>;
  /** A branch/tag/`refs/...` name or a commit → the commit the cache has a snapshot of, or null. */
  resolveCommit(repoType: RepoType, repoId: string, revision: string): Promise<string | null>;
  /** The file if it is complete in the cache (or, with `listed`, at least in trees/<commit>.json). */
  file(repoType: RepoType, repoId: string, commit: string, path: string, listed?: boolean): Promise<MirrorFile | null>;
  /** Every complete file of the snapshot, sorted by path; with `listed`, every file of trees/<commit>.json as well. */
  list(repoType: RepoType, repoId: string, commit: string, listed?: boolean): Promise<MirrorFile[]>;
  /** trees/<commit>.json (the whole commit's listing) is there and readable. */
  hasTree(repoType: RepoType, repoId: string, commit: string): Promise<boolean>;
  /** When the snapshot folder last changed (the repo info's `lastModified`). */
  modified(repoType: RepoType, repoId: string, commit: string): Promise<Date>;
  /** Opens a blob without following a link in its last component, and checks it is still the size listed. */
  openBlob(file: MirrorFile): Promise<FileHandle | null>;
}

const COMMIT = /^[0-9a-f]{40}$/;
const BLOB_NAME = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Folder depth of a snapshot walked at most: repos nest a few levels, never this many. */
const MAX_DEPTH = 64;

function lfsEntry(sha256: string, size: number) {
  const pointerSize = Buffer.byteLength(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
  return { oid: sha256, size, pointerSize };
}

/**
 * Reads the Hub cache layout the manager (and huggingface_hub) write. A file counts only when its
 * snapshot link resolves, through real paths, to a finished blob of the same repo: never an
 * `.incomplete` file, never anything a link leads outside the repo's `blobs/` to.
 */
export function createMirrorCache(cacheDir: string, maxFiles: number): MirrorCache {
  const paths = (repoType: RepoType, repoId: string) => repoCachePaths(cacheDir, repoType, repoId);
  const realBlobs = async (repoType: RepoType, repoId: string) => realpath(paths(repoType, repoId).blobsDir).catch(() => null);

  const treeOf = async (repoType: RepoType, repoId: string, commit: string) =>
    (await readCachedTree(paths(repoType, repoId).tree(commit))).files;

  /** Builds the entry for a link: checks where it leads, then what the tree says about it. */
  const describe = async (
    blobsDir: string,
    pointer: string,
    repoPath: string,
    listed: CachedTreeEntry | undefined,
    tree: boolean,
  ): Promise<MirrorFile | null> => {
    const st = await lstat(pointer).catch(() => null);
    // Python and the manager write links; a plain file would be bytes nobody verified by name.
    if (!st?.isSymbolicLink()) return null;
    const real = await realpath(pointer).catch(() => null);
    if (real === null || dirname(real) !== blobsDir) return null;
    const name = basename(real);
    if (!BLOB_NAME.test(name)) return null;
    const blobStat = await stat(real).catch(() => null);
    if (!blobStat?.isFile()) return null;
    const size = blobStat.size;
    if (tree) {
      // A tree that does not list the file, or names another blob or size: not this commit's file.
      if (listed === undefined || (listed.lfs_sha256 ?? listed.blob_id) !== name || listed.size !== size) return null;
      return {
        path: repoPath,
        size,
        oid: listed.blob_id,
        etag: name,
        lfs: listed.lfs_sha256 ? lfsEntry(name, size) : null,
        blob: real,
      };
    }
    const lfs = name.length === 64;
    return { path: repoPath, size, oid: lfs ? lfsPointerOid(name, size) : name, etag: name, lfs: lfs ? lfsEntry(name, size) : null, blob: real };
  };

  const fromTree = (repoPath: string, e: CachedTreeEntry): MirrorFile => ({
    path: repoPath,
    size: e.size,
    oid: e.blob_id,
    etag: e.lfs_sha256 ?? e.blob_id,
    lfs: e.lfs_sha256 ? lfsEntry(e.lfs_sha256, e.size) : null,
    blob: null,
  });

  return {
    async hasRepo(repoType, repoId) {
      const st = await stat(join(paths(repoType, repoId).repoDir, 'snapshots')).catch(() => null);
      return st?.isDirectory() ?? false;
    },

    async resolveCommit(repoType, repoId, revision) {
      const p = paths(repoType, repoId);
      let commit: string;
      if (COMMIT.test(revision)) {
        commit = revision;
      } else {
        let refFile: string;
        try {
          refFile = p.ref(revision);
        } catch {
          return null;
        }
        const text = await readFile(refFile, 'utf8').catch(() => '');
        commit = text.trim();
        if (!COMMIT.test(commit)) return null;
      }
      const st = await stat(p.snapshotDir(commit)).catch(() => null);
      return st?.isDirectory() ? commit : null;
    },

    async file(repoType, repoId, commit, repoPath, listed = false) {
      const p = paths(repoType, repoId);
      const [blobsDir, tree] = await Promise.all([realBlobs(repoType, repoId), treeOf(repoType, repoId, commit)]);
      let pointer: string;
      try {
        pointer = p.pointer(commit, repoPath);
      } catch {
        return null;
      }
      const found = blobsDir === null ? null : await describe(blobsDir, pointer, repoPath, tree?.get(repoPath), tree !== null);
      if (found !== null || !listed || tree === null) return found;
      const entry = tree.get(repoPath);
      return entry ? fromTree(repoPath, entry) : null;
    },

    async list(repoType, repoId, commit, listed = false) {
      const p = paths(repoType, repoId);
      const snapDir = p.snapshotDir(commit);
      const [blobsDir, tree] = await Promise.all([realBlobs(repoType, repoId), treeOf(repoType, repoId, commit)]);
      const out = new Map<string, MirrorFile>();
      let seen = 0;
      const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
        if (depth > MAX_DEPTH) return;
        const handle = await opendir(dir).catch(() => null);
        if (handle === null) return;
        for await (const entry of handle) {
          if (++seen > maxFiles) {
            throw new HttpError('PAYLOAD_TOO_LARGE', `This snapshot has more than ${maxFiles} entries; the mirror lists at most that many.`, undefined, { status: 500 });
          }
          const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
          const full = join(dir, entry.name);
          if (entry.isDirectory()) await walk(full, rel, depth + 1);
          else if (entry.isSymbolicLink() && blobsDir !== null) {
            const f = await describe(blobsDir, full, rel, tree?.get(rel), tree !== null);
            if (f) out.set(rel, f);
          }
        }
      };
      await walk(snapDir, '', 0);
      if (listed && tree !== null) {
        for (const [repoPath, e] of tree) if (!out.has(repoPath)) out.set(repoPath, fromTree(repoPath, e));
      }
      return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },

    async hasTree(repoType, repoId, commit) {
      return (await treeOf(repoType, repoId, commit)) !== null;
    },

    async modified(repoType, repoId, commit) {
      const st = await stat(paths(repoType, repoId).snapshotDir(commit)).catch(() => null);
      return st?.mtime ?? new Date(0);
    },

    async openBlob(file) {
      if (file.blob === null) return null;
      const handle = await open(file.blob, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
      if (handle === null) return null;
      const st = await handle.stat().catch(() => null);
      if (!st?.isFile() || st.size !== file.size) {
        await handle.close();
        return null;
      }
      return handle;
    },
  };
}
