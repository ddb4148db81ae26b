import { constants } from 'node:fs';
import { open, rename, stat, truncate, unlink } from 'node:fs/promises';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import type { HubClient } from '../hub/HubClient.js';
import type { RepoType } from '../types.js';
import type { ConnectionPool } from './ConnectionPool.js';
import { PrefixHasher } from './PrefixHasher.js';
import { SegmentedTransfer, type SegmentPolicy } from './SegmentedTransfer.js';
import { readSegmentMap, segmentFilesFor, type Segment, type SegmentFiles } from './segmentMap.js';
import { tooMuchData } from './transferErrors.js';

export interface PlannedFile {
  readonly path: string;
  readonly size: number;
  /** Blob name: sha256 for LFS files, git blob sha1 otherwise. */
  readonly etag: string;
  readonly lfs: boolean;
}

export interface TransferTarget {
  readonly client: HubClient;
  readonly repoType: RepoType;
  readonly repoId: string;
  readonly commit: string;
  readonly signal: AbortSignal;
  /** Bytes landed on disk (negative when a partial file had to be thrown away). */
  onBytes(delta: number): void;
  /** A retry is coming; tells the UI why. */
  onRetry?(error: PersianHubError, attempt: number, delayMs: number): void;
  /** How large files may be split; none: every file on one connection. */
  readonly segments?: SegmentPolicy | undefined;
  /** The job's extra connections for splitting (shared by its files). */
  readonly connections?: ConnectionPool | undefined;
}

const MiB = 1024 * 1024;

/**
 * The bound on the work for one file: every byte received for it, across retries, restarts and
 * the one re-fetch after a bad hash, may not pass twice its size plus a margin for bytes lost to
 * dropped connections. Without it a server whose file is shorter than its listing (or changes
 * under us) was downloaded again and again, forever.
 */
export class ByteBudget {
  readonly #file: PlannedFile;
  readonly #limit: number;
  #spent = 0;

  constructor(file: PlannedFile) {
    this.#file = file;
    this.#limit = 2 * file.size + Math.max(8 * MiB, Math.ceil(file.size / 8));
  }

  spend(bytes: number): void {
    this.#spent += bytes;
    if (this.#spent > this.#limit) throw tooMuchData(this.#file, this.#spent);
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function removeSegmentFiles(files: SegmentFiles): Promise<void> {
  await Promise.all([unlink(files.data).catch(() => undefined), unlink(files.map).catch(() => undefined)]);
}

type PassResult = { readonly ok: true } | { readonly ok: false; readonly counted: number; readonly digest: string | null };

/**
 * Brings `incompletePath` to the full, verified content of one file, and leaves it there for the
 * caller to rename; never touches any other file.
 *
 * Resumes from what is on disk: the plain `.incomplete` prefix (ours, or huggingface_hub's), or
 * the pieces of a segmented download with their map. Retries network failures, stalls, 5xx and
 * 429 with backoff per connection; an attempt counts toward the limit unless it got past the
 * furthest byte reached before. A file of `segments.minSize` or more may be split over several
 * connections (see SegmentedTransfer). The hash is checked before the file is handed back; a
 * mismatch throws the bytes away and fetches once more, the second is CHECKSUM_MISMATCH.
 */
export async function transferFile(
  file: PlannedFile,
  incompletePath: string,
  target: TransferTarget,
  /** What the plan saw on disk; saves a stat per file when it is 0 (thousands of small files). */
  knownOffset?: number,
): Promise<void> {
  const budget = new ByteBudget(file);
  const files = segmentFilesFor(incompletePath);
  let hint = knownOffset;
  for (let pass = 0; ; pass++) {
    const result = await transferPass(file, incompletePath, files, target, budget, hint);
    if (result.ok) return;
    if (pass > 0) {
      throw new PersianHubError(
        'CHECKSUM_MISMATCH',
        result.digest
          ? `${file.path} arrived twice with the wrong content (expected ${file.etag.slice(0, 12)}…, got ${result.digest.slice(0, 12)}…).`
          : `${file.path} arrived twice with the wrong content.`,
        { details: { file: file.path } },
      );
    }
    await unlink(incompletePath).catch(() => undefined);
    await removeSegmentFiles(files);
    target.onBytes(-result.counted);
    hint = 0;
  }
}

async function transferPass(
  file: PlannedFile,
  incompletePath: string,
  files: SegmentFiles,
  target: TransferTarget,
  budget: ByteBudget,
  hint: number | undefined,
): Promise<PassResult> {
  let segments: Segment[] | null = null;
  if (hint !== 0) {
    segments = await readSegmentMap(files, file.size, file.etag);
    if (!segments) await removeSegmentFiles(files);
  }
  const segmented = segments !== null;
  if (!segments) {
    let offset = hint === 0 ? 0 : await sizeOf(incompletePath);
    if (offset > file.size) {
      // Longer than the file: not a prefix of it. The plan counted it as the whole size.
      await truncate(incompletePath, 0);
      target.onBytes(-file.size);
      offset = 0;
    }
    segments = [{ start: 0, pos: offset, end: file.size }];
  }
  // Positional writes (several connections write one file): no O_APPEND, no truncation.
  const handle = await open(segmented ? files.data : incompletePath, constants.O_RDWR | constants.O_CREAT);
  let engine: SegmentedTransfer;
  let digest: string;
  try {
    const hasher = new PrefixHasher(file);
    // A plain prefix is hashed before the first request, so its stream is hashed from memory.
    if (!segmented && segments[0]!.pos > 0) await hasher.hashUpTo(handle, segments[0]!.pos);
    engine = new SegmentedTransfer({
      file,
      target,
      handle,
      hasher,
      budget,
      segments,
      segmented,
      incompletePath,
      files,
      policy: target.segments ?? null,
      pool: target.connections,
    });
    try {
      await engine.run();
    } catch (error) {
      // More bytes than the file has: the content is not what the Hub listed; one re-fetch, as for a bad hash.
      if (isPersianHubError(error) && error.code === 'CHECKSUM_MISMATCH' && !target.signal.aborted) {
        return { ok: false, counted: engine.countedBytes(), digest: null };
      }
      throw error;
    }
    digest = await hasher.digest(handle);
  } finally {
    await handle.close().catch(() => undefined);
  }
  if (digest !== file.etag) return { ok: false, counted: file.size, digest };
  if (engine.segmented) {
    // Verified: the pieces become the plain partial again, which the caller renames into place.
    await rename(files.data, incompletePath);
    await unlink(files.map).catch(() => undefined);
  }
  return { ok: true };
}
