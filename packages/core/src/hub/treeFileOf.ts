import { PersianHubError } from '../PersianHubError.js';
import { visiblePath } from '../storage/cacheLayout.js';
import type { TreeFile } from './HubClient.js';

/**
 * Largest file size believed from a tree listing: far above any file the Hub stores (it caps
 * files at tens of GB), far below 2^53, where sizes stop being exact numbers.
 */
export const MAX_TREE_FILE_SIZE = 2 ** 40;

const GIT_OID_RE = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;

export function badTreeEntry(repoId: string, path: string, problem: string): PersianHubError {
  const shown = visiblePath(path.length > 200 ? `${path.slice(0, 200)}…` : path);
  return new PersianHubError('HUB_ERROR', `The Hub's file list of ${repoId} is broken: "${shown}" ${problem}.`, {
    details: { repoId, file: shown },
  });
}

function isTreeSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TREE_FILE_SIZE;
}

/** One `type: "file"` entry of a tree page, checked; null for folders and other entry types. */
export function treeFileOf(entry: unknown, repoId: string): TreeFile | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new PersianHubError('HUB_ERROR', `The Hub's file list of ${repoId} holds an entry that is not an object.`, { details: { repoId } });
  }
  const e = entry as Record<string, unknown>;
  if (e.type !== 'file') return null;
  if (typeof e.path !== 'string' || e.path.length === 0) {
    throw new PersianHubError('HUB_ERROR', `The Hub's file list of ${repoId} holds a file without a path.`, { details: { repoId } });
  }
  const path = e.path;
  if (!isTreeSize(e.size)) throw badTreeEntry(repoId, path, `has an impossible size (${describeNumber(e.size)})`);
  if (typeof e.oid !== 'string' || !GIT_OID_RE.test(e.oid)) throw badTreeEntry(repoId, path, 'has no valid git object id');
  let lfs: TreeFile['lfs'] = null;
  if (e.lfs !== undefined && e.lfs !== null) {
    const l = e.lfs as Record<string, unknown>;
    if (typeof l !== 'object' || typeof l.oid !== 'string' || !SHA256_RE.test(l.oid)) throw badTreeEntry(repoId, path, 'has no valid LFS sha256');
    const size = l.size ?? e.size;
    if (!isTreeSize(size)) throw badTreeEntry(repoId, path, `has an impossible LFS size (${describeNumber(size)})`);
    if (size !== e.size) throw badTreeEntry(repoId, path, `has two sizes (${e.size} and LFS ${size})`);
    lfs = { oid: l.oid, size };
  }
  return { path, size: e.size, oid: e.oid, lfs };
}

function describeNumber(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'none';
  return JSON.stringify(value)?.slice(0, 40) ?? typeof value;
}
