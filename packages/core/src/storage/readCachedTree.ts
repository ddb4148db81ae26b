import { readFile } from 'node:fs/promises';

/** One file of `trees/<commit>.json`, as huggingface_hub writes it. */
export interface CachedTreeEntry {
  readonly size: number;
  /** git blob sha1 (of the LFS pointer, for an LFS file). */
  readonly blob_id: string;
  readonly lfs_sha256?: string;
}

export interface CachedTree {
  /** Something is at `trees/<commit>.json` (readable or not): it is never overwritten. */
  readonly exists: boolean;
  /** Its files, or null when there is no file or it cannot be read as format 1. */
  readonly files: ReadonlyMap<string, CachedTreeEntry> | null;
}

const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads the file list of a commit that the cache already has. Entries that are not well formed
 * are left out (they can neither vouch for nor contradict a bundle).
 */
export async function readCachedTree(path: string): Promise<CachedTree> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { exists: (error as NodeJS.ErrnoException).code !== 'ENOENT', files: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { exists: true, files: null };
  }
  const t = raw as { format_version?: unknown; files?: unknown };
  if (t?.format_version !== 1 || !t.files || typeof t.files !== 'object') return { exists: true, files: null };
  const out = new Map<string, CachedTreeEntry>();
  for (const [p, v] of Object.entries(t.files as Record<string, unknown>)) {
    const e = v as Partial<CachedTreeEntry> | null;
    if (!e || !Number.isSafeInteger(e.size) || (e.size as number) < 0 || typeof e.blob_id !== 'string' || !HEX40.test(e.blob_id)) continue;
    if (e.lfs_sha256 !== undefined && !(typeof e.lfs_sha256 === 'string' && HEX64.test(e.lfs_sha256))) continue;
    out.set(p, e.lfs_sha256 ? { size: e.size!, blob_id: e.blob_id, lfs_sha256: e.lfs_sha256 } : { size: e.size!, blob_id: e.blob_id });
  }
  return { exists: true, files: out };
}
