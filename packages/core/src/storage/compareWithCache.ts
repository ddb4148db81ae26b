import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import type { RepoCachePaths } from './cacheLayout.js';
import { readCachedTree, type CachedTreeEntry } from './readCachedTree.js';

// What a bundle or a download says about a commit, compared with what the cache already holds
// for it. A commit's files never change, so any difference means one side is not what its
// maker published, and whatever is installed stays as it is.

export type EntryKind = 'file' | 'symlink' | 'dir' | 'other';

/** One file of a commit as its source describes it. */
export interface CommitFileFacts {
  readonly path: string;
  readonly size: number;
  readonly lfs: boolean;
  /** LFS files: the sha256 of the content. */
  readonly sha256?: string | undefined;
  /** git blob sha1 (of the LFS pointer for an LFS file), when the source knows it. */
  readonly gitOid?: string | undefined;
}

/**
 * Why `f` and the cached file list disagree, or null. An LFS file is its sha256 and size (its
 * pointer's git oid depends on how the pointer text was written, not on the content).
 */
export function treeEntryDisagreement(f: CommitFileFacts, t: CachedTreeEntry): string | null {
  if (f.size !== t.size) return `the installed file list says ${t.size} bytes, not ${f.size}`;
  if (f.lfs !== (t.lfs_sha256 !== undefined)) return `the installed file list says it is ${t.lfs_sha256 ? '' : 'not '}an LFS file`;
  if (f.lfs) return f.sha256 === t.lfs_sha256 ? null : `the installed file list says sha256 ${t.lfs_sha256}, not ${f.sha256}`;
  return f.gitOid === undefined || f.gitOid === t.blob_id ? null : `the installed file list says git blob ${t.blob_id}, not ${f.gitOid}`;
}

export function describeKind(kind: EntryKind): string {
  return kind === 'dir' ? 'folder' : kind === 'symlink' ? 'link' : kind === 'file' ? 'file' : 'special file';
}

/** Repo path → kind of every entry under a snapshot folder; links (to files or folders) are not followed. */
export async function listSnapshotEntries(snapDir: string): Promise<Map<string, EntryKind>> {
  const out = new Map<string, EntryKind>();
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

export type PointerState = { readonly state: 'missing' | 'linked' | 'copy' } | { readonly state: 'conflict'; readonly why: string };

/**
 * What the snapshot holds at `file.path`: nothing yet, a link to the blob `file.etag` names, a
 * copy with that content (a snapshot made without symlinks, hashed here), or something else.
 */
export async function pointerState(
  paths: RepoCachePaths,
  commit: string,
  onDisk: ReadonlyMap<string, EntryKind>,
  file: { readonly path: string; readonly etag: string; readonly size: number; readonly lfs: boolean },
): Promise<PointerState> {
  const segments = file.path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const folder = segments.slice(0, i).join('/');
    const kind = onDisk.get(folder);
    if (kind !== undefined && kind !== 'dir') return { state: 'conflict', why: `the snapshot has a ${describeKind(kind)} where its folder "${folder}" should be` };
  }
  const kind = onDisk.get(file.path);
  if (kind === undefined) return { state: 'missing' };
  const pointer = paths.pointer(commit, file.path);
  if (kind === 'symlink') {
    const target = resolve(dirname(pointer), await readlink(pointer));
    if (dirname(target) === paths.blobsDir && basename(target) === file.etag) return { state: 'linked' };
    return { state: 'conflict', why: `the installed file links to ${dirname(target) === paths.blobsDir ? `blob ${basename(target)}` : 'a file outside the blobs folder'}, not to blob ${file.etag}` };
  }
  if (kind === 'file') {
    const size = (await lstat(pointer)).size;
    if (size !== file.size) return { state: 'conflict', why: `the installed file has ${size} bytes, not ${file.size}` };
    const digest = await hashFile(pointer, file.lfs, file.size);
    return digest === file.etag ? { state: 'copy' } : { state: 'conflict', why: `the installed file hashes to ${digest}, not to ${file.etag}` };
  }
  return { state: 'conflict', why: `the snapshot has a ${describeKind(kind)} where this file should be` };
}

async function hashFile(path: string, lfs: boolean, size: number): Promise<string> {
  const hash = lfs ? createHash('sha256') : createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Before a download writes anything: the Hub's listing of `commit` must agree with the file list
 * the cache already has for it (same paths, sizes and hashes), and every file to fetch with what
 * the snapshot already links. A mirror serving other bytes under an installed commit is CONFLICT
 * naming the file; nothing is fetched. A cached list that holds fewer files (a bundle's) is fine.
 */
export async function assertHubTreeMatchesCache(
  paths: RepoCachePaths,
  repoId: string,
  commit: string,
  tree: ReadonlyArray<{ readonly path: string; readonly size: number; readonly oid: string; readonly lfs: { readonly oid: string } | null }>,
  selected: ReadonlyArray<{ readonly path: string; readonly etag: string; readonly size: number; readonly lfs: boolean }>,
): Promise<void> {
  const conflict = (file: string, why: string) =>
    new PersianHubError(
      'CONFLICT',
      `The Hub's "${file}" of ${repoId}@${commit.slice(0, 8)} is not the installed one: ${why}. An installed snapshot is never changed; nothing was downloaded. One of the two is not what the repo holds at this commit (a mirror altering files, or a forged bundle imported before).`,
      { details: { file, repoId, commit } },
    );
  const cached = (await readCachedTree(paths.tree(commit))).files;
  if (cached) {
    const listed = new Set<string>();
    for (const f of tree) {
      listed.add(f.path);
      const t = cached.get(f.path);
      const why = t && treeEntryDisagreement({ path: f.path, size: f.size, lfs: f.lfs !== null, sha256: f.lfs?.oid, gitOid: f.oid }, t);
      if (why) throw conflict(f.path, why);
    }
    for (const p of cached.keys()) if (!listed.has(p)) throw conflict(p, 'the installed file list has it, the Hub lists no such file in this commit');
  }
  const onDisk = await listSnapshotEntries(paths.snapshotDir(commit));
  if (onDisk.size === 0) return;
  for (const f of selected) {
    const s = await pointerState(paths, commit, onDisk, f);
    if (s.state === 'conflict') throw conflict(f.path, s.why);
  }
}
