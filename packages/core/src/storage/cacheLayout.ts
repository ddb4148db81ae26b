import { createHash } from 'node:crypto';
import { mkdir, readlink, realpath, rename, symlink, unlink, writeFile, lstat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import type { RepoType } from '../types.js';

/** `models--org--name`, exactly as huggingface_hub's `repo_folder_name`. */
export function repoFolderName(repoType: RepoType, repoId: string): string {
  return [`${repoType}s`, ...repoId.split('/')].join('--');
}

/**
 * Characters no repo path may hold, because they make a name display as something it is not:
 * C0/C1 controls (newlines, terminal escapes), the bidi embeddings, overrides, isolates and marks
 * (U+202A–U+202E, U+2066–U+2069, LRM, RLM, ALM, and the deprecated U+206A–U+206F), and invisible
 * format characters that hide in a name (soft hyphen, ZWSP, word joiner and invisible operators,
 * BOM, interlinear annotations, tag characters). ZWNJ and ZWJ (U+200C, U+200D) stay allowed:
 * Persian words and emoji need them.
 */
const DECEPTIVE_CHARS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;
const DECEPTIVE_CHARS_ALL = new RegExp(DECEPTIVE_CHARS.source, 'gu');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/** The path with every refused character (lone surrogates too) written as `\u{…}`, safe to print. */
export function visiblePath(repoPath: string): string {
  const escape = (c: string) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`;
  return repoPath.replace(DECEPTIVE_CHARS_ALL, escape).replace(LONE_SURROGATE_ALL, escape);
}

/**
 * Splits a repo path from the Hub into safe segments. The Hub is untrusted: absolute paths,
 * `..`, empty or `.` segments, backslashes, NUL bytes, lone surrogates (two of them would map to
 * one file name on disk) and characters that disguise a name ({@link DECEPTIVE_CHARS}) are
 * refused with UNSAFE_PATH.
 */
export function safeSegments(repoPath: string): string[] {
  const fail = (why = 'a path that would leave the target folder'): never => {
    const shown = typeof repoPath === 'string' ? visiblePath(repoPath) : String(repoPath);
    throw new PersianHubError('UNSAFE_PATH', `Refusing to write "${shown}": the Hub sent ${why}.`, {
      details: { file: shown },
    });
  };
  if (typeof repoPath !== 'string' || repoPath.length === 0 || repoPath.length > 4096) fail();
  if (repoPath.includes('\0') || repoPath.includes('\\') || isAbsolute(repoPath) || /^[a-zA-Z]:/.test(repoPath)) fail();
  if (LONE_SURROGATE.test(repoPath)) fail('a file name that is not valid Unicode');
  if (DECEPTIVE_CHARS.test(repoPath)) fail('a file name with control, direction-changing or invisible characters that could disguise it');
  const segments = repoPath.split('/');
  for (const s of segments) if (s === '' || s === '.' || s === '..') fail();
  return segments;
}

/** `root/segments…`, guaranteed (lexically) inside root. */
export function resolveInside(root: string, repoPath: string): string {
  const target = resolve(root, ...safeSegments(repoPath));
  const base = resolve(root);
  if (!target.startsWith(base + sep)) {
    throw new PersianHubError('UNSAFE_PATH', `Refusing to write "${repoPath}" outside ${base}.`, { details: { file: repoPath } });
  }
  return target;
}

/**
 * mkdir -p the parent, then make sure no symlinked folder leads it outside root. Pass a
 * `checked` set to do the (syscall-heavy) check once per folder for a whole snapshot.
 */
export async function ensureParentInside(root: string, target: string, repoPath: string, checked?: Set<string>): Promise<void> {
  const parent = dirname(target);
  if (checked?.has(parent)) return;
  await mkdir(parent, { recursive: true });
  const [realRoot, realParent] = await Promise.all([realpath(root), realpath(parent)]);
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) {
    throw new PersianHubError('UNSAFE_PATH', `Refusing to write "${repoPath}": a folder on its way links outside the target.`, {
      details: { file: repoPath },
    });
  }
  checked?.add(parent);
}

/** Revision names become folders under `refs/`: same rules as file paths. */
export function assertSafeRevision(revision: string): void {
  try {
    safeSegments(revision);
  } catch {
    throw new PersianHubError('INVALID_INPUT', `"${revision}" is not a valid revision name.`, { details: { revision } });
  }
}

export interface RepoCachePaths {
  readonly repoDir: string;
  readonly blobsDir: string;
  blob(etag: string): string;
  incomplete(etag: string): string;
  /** Our cross-process lock for a blob, beside Python's `.locks/<repo>/<etag>.lock`. */
  lock(etag: string): string;
  /** Where `lock()` files of this repo live: `.locks/<repo folder>`. */
  readonly locksDir: string;
  ref(revision: string): string;
  snapshotDir(commit: string): string;
  pointer(commit: string, repoPath: string): string;
  noExist(commit: string, repoPath: string): string;
  tree(commit: string): string;
}

export function repoCachePaths(cacheDir: string, repoType: RepoType, repoId: string): RepoCachePaths {
  const repoDir = join(resolve(cacheDir), repoFolderName(repoType, repoId));
  const blobsDir = join(repoDir, 'blobs');
  const locksDir = join(resolve(cacheDir), '.locks', repoFolderName(repoType, repoId));
  const checkEtag = (etag: string) => {
    if (!/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(etag)) {
      throw new PersianHubError('UNSAFE_PATH', `The Hub sent an etag that is not a hash: "${etag.slice(0, 80)}".`);
    }
    return etag;
  };
  return {
    repoDir,
    blobsDir,
    blob: (etag) => join(blobsDir, checkEtag(etag)),
    incomplete: (etag) => join(blobsDir, `${checkEtag(etag)}.incomplete`),
    lock: (etag) => join(locksDir, `${checkEtag(etag)}.persian-hub.lock`),
    locksDir,
    ref: (revision) => resolveInside(join(repoDir, 'refs'), revision),
    snapshotDir: (commit) => join(repoDir, 'snapshots', commit),
    pointer: (commit, repoPath) => resolveInside(join(repoDir, 'snapshots', commit), repoPath),
    noExist: (commit, repoPath) => resolveInside(join(repoDir, '.no_exist', commit), repoPath),
    tree: (commit) => join(repoDir, 'trees', `${commit}.json`),
  };
}

/** Atomic write: temp file in the same folder, then rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

/** `refs/<revision>` holds the commit with no trailing newline; only written when revision ≠ commit. */
export async function writeRef(paths: RepoCachePaths, revision: string, commit: string): Promise<void> {
  if (revision === commit) return;
  await writeFileAtomic(paths.ref(revision), commit);
}

/**
 * Relative symlink `snapshots/<commit>/<path>` → `../../blobs/<etag>`. Something already there
 * stays: the same link, or a copy (a snapshot made without symlinks, whose content the plan
 * compared); a link to another blob is CONFLICT, never replaced (a commit's files do not change,
 * so one of the two sources is wrong, and the installed one is what the user has).
 */
export async function linkPointer(
  paths: RepoCachePaths,
  commit: string,
  repoPath: string,
  etag: string,
  checked?: Set<string>,
): Promise<string> {
  const pointer = paths.pointer(commit, repoPath);
  await ensureParentInside(paths.repoDir, pointer, repoPath, checked);
  const target = relative(dirname(pointer), paths.blob(etag));
  try {
    await symlink(target, pointer);
    return pointer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const st = await lstat(pointer);
  if (st.isFile()) return pointer;
  if (st.isSymbolicLink() && resolve(dirname(pointer), await readlink(pointer)) === paths.blob(etag)) return pointer;
  throw new PersianHubError('CONFLICT', `"${repoPath}" of commit ${commit.slice(0, 8)} is installed with other content; it was not replaced.`, {
    details: { file: repoPath, commit },
  });
}

/**
 * `trees/<commit>.json` in huggingface_hub ≥ 1.22's format (`json.dump(indent=1, sort_keys=True)`,
 * ASCII-escaped). It lets Python (and our installed check) know the full file list offline.
 */
export function treeCacheJson(files: ReadonlyArray<{ path: string; size: number; oid: string; lfs: { oid: string; size: number } | null }>): string {
  const entries: Record<string, Record<string, unknown>> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    entries[f.path] = f.lfs
      ? { blob_id: f.oid, lfs_sha256: f.lfs.oid, lfs_size: f.lfs.size, size: f.size }
      : { blob_id: f.oid, size: f.size };
  }
  const json = JSON.stringify({ files: entries, format_version: 1 }, null, 1);
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- local-dir mode (huggingface_hub `_local_folder.py`) ----

export interface LocalDirPaths {
  readonly root: string;
  file(repoPath: string): string;
  metadata(repoPath: string): string;
  incomplete(repoPath: string, etag: string): string;
  /** Our cross-process lock for a file, beside Python's `<path>.lock`. */
  lock(repoPath: string): string;
  readonly hfDir: string;
}

export function localDirPaths(localDir: string): LocalDirPaths {
  const root = resolve(localDir);
  const hfDir = join(root, '.cache', 'huggingface');
  const download = join(hfDir, 'download');
  return {
    root,
    hfDir,
    file: (p) => resolveInside(root, p),
    metadata: (p) => resolveInside(download, `${p}.metadata`),
    lock: (p) => resolveInside(download, `${p}.persian-hub.lock`),
    incomplete: (p, etag) => {
      const meta = resolveInside(download, `${p}.metadata`);
      const name = meta.slice(dirname(meta).length + 1);
      const short = createHash('sha1').update(name).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
      return join(dirname(meta), `${short}.${etag}.incomplete`);
    },
  };
}

/** `commit\netag\ntimestamp\n`, as `write_download_metadata` writes it. */
export function localMetadataText(commit: string, etag: string, now = Date.now()): string {
  return `${commit}\n${etag}\n${now / 1000}\n`;
}
