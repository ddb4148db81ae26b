import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { PersianHubError, isPersianHubError } from '../PersianHubError.js';
import type { HubClient } from '../hub/HubClient.js';
import { isRetryable, retryDelay } from '../hub/HubClient.js';
import { classifyRequestError } from '../hub/classifyRequestError.js';
import type { RepoType } from '../types.js';
import { sleep } from './retry.js';
import { writeAll } from './writeAll.js';

/** Bytes gathered before one writev; two batches per file at most are in memory. */
const WRITE_BATCH_BYTES = 1 << 20;

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
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function newHash(file: PlannedFile): Hash {
  if (file.lfs) return createHash('sha256');
  // git blob id: sha1("blob <size>\0" + content)
  return createHash('sha1').update(`blob ${file.size}\0`);
}

async function hashExisting(hash: Hash, path: string, length: number): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
}

function diskError(error: unknown, file: PlannedFile): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new PersianHubError('DISK_FULL', `The disk filled up while writing ${file.path}.`, {
      cause: error,
      details: { file: file.path, requiredBytes: file.size },
    });
  }
  return error;
}

/**
 * Brings `incompletePath` to the full, verified content of one file: resumes from the bytes
 * already there with `Range`, retries network failures, stalls, 5xx and 429 with backoff
 * (the attempt counter restarts whenever bytes arrive), restarts when a server ignores the
 * Range, and hashes while writing. A hash mismatch throws the partial away and re-fetches
 * once; the second mismatch is CHECKSUM_MISMATCH. Leaves the complete file in place for the
 * caller to rename; never touches any other file.
 */
export async function transferFile(
  file: PlannedFile,
  incompletePath: string,
  target: TransferTarget,
  /** What the plan saw on disk; saves a stat per file when it is 0 (thousands of small files). */
  knownOffset?: number,
): Promise<void> {
  const { client, signal } = target;
  let refetched = false;
  let hint = knownOffset;
  for (;;) {
    let offset = hint === 0 ? 0 : await sizeOf(incompletePath);
    hint = undefined;
    if (offset > file.size) {
      await truncate(incompletePath, 0);
      target.onBytes(-offset);
      offset = 0;
    }
    let hash = newHash(file);
    await hashExisting(hash, incompletePath, offset);

    let attempt = 0;
    // After a failed write the file, `offset` and the hash may disagree (a short write, a batch
    // hashed but never written): the next attempt starts again from what is really on disk.
    let resync = false;
    if (file.size === 0) await writeFile(incompletePath, '');
    while (offset < file.size) {
      signal.throwIfAborted();
      if (resync) {
        resync = false;
        const onDisk = Math.min(await sizeOf(incompletePath), file.size);
        await truncate(incompletePath, onDisk);
        target.onBytes(onDisk - offset);
        offset = onDisk;
        hash = newHash(file);
        await hashExisting(hash, incompletePath, offset);
        if (offset === file.size) break;
      }
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        const res = await client.openFile(target.repoType, target.repoId, target.commit, file.path, { rangeStart: offset, signal });
        if (res.statusCode === 416) {
          // Our partial does not fit the file any more: start over.
          await res.body.dump().catch(() => undefined);
          await truncate(incompletePath, 0).catch(() => undefined);
          target.onBytes(-offset);
          offset = 0;
          hash = newHash(file);
          if (++attempt > client.retry.retries) {
            throw new PersianHubError('HUB_ERROR', `The server keeps refusing the byte range of ${file.path}.`, { details: { status: 416, file: file.path } });
          }
          continue;
        }
        let flags = 'a';
        if (offset > 0 && res.statusCode === 200) {
          // The server ignored Range: the body is the whole file, so the partial goes.
          flags = 'w';
          target.onBytes(-offset);
          offset = 0;
          hash = newHash(file);
        } else if (res.statusCode === 206) {
          const cr = String(res.headers['content-range'] ?? '');
          const start = /^bytes (\d+)-/.exec(cr)?.[1];
          if (start === undefined || Number(start) !== offset) {
            await res.body.dump().catch(() => undefined);
            throw new PersianHubError('HUB_ERROR', `The server sent the wrong part of ${file.path} (${cr}).`, { details: { status: 502 } });
          }
        }
        handle = await open(incompletePath, flags);
        // Chunks from the socket are small (~64 KiB). Writing each with its own syscall and
        // await caps throughput far below the link, so they are batched into ~1 MiB writev
        // calls, with one write in flight while the next batch fills (bounded memory per file).
        let batch: Buffer[] = [];
        let batchBytes = 0;
        let received = offset;
        // The write in flight never rejects: its error is kept here and thrown by the loop at
        // its next step. A rejected promise nobody awaits yet (the loop may be waiting for the
        // socket) would be an unhandled rejection that can crash the host process.
        let inflight: Promise<void> | null = null;
        let writeError: unknown = null;
        const fh = handle;
        const write = (bufs: Buffer[], n: number): Promise<void> =>
          writeAll(fh, bufs).then(
            () => {
              offset += n;
            },
            (error: unknown) => {
              // Not (all) on disk: take it back out of the progress. What a short write did
              // land is a correct prefix; the next attempt starts from the size on disk.
              target.onBytes(-n);
              writeError ??= error;
              resync = true;
            },
          );
        const flush = async () => {
          if (inflight) await inflight;
          if (writeError) throw writeError;
          if (batchBytes === 0) return;
          const bufs = batch;
          const n = batchBytes;
          batch = [];
          batchBytes = 0;
          inflight = write(bufs, n);
        };
        try {
          for await (const chunk of res.body) {
            if (writeError) throw writeError;
            const buf = chunk as Buffer;
            if (received + buf.length > file.size) {
              throw new PersianHubError('CHECKSUM_MISMATCH', `The server sent more bytes for ${file.path} than its size.`, {
                details: { file: file.path },
              });
            }
            hash.update(buf);
            batch.push(buf);
            batchBytes += buf.length;
            received += buf.length;
            // Progress counts bytes as they arrive: on a slow link a batch may take minutes to
            // fill, and the bar must move anyway. `offset` (what is on disk) drives resume.
            target.onBytes(buf.length);
            if (batchBytes >= WRITE_BATCH_BYTES) {
              await flush();
              attempt = 0;
            }
          }
          await flush();
        } finally {
          // Whatever arrived is written before we decide anything, so a resume starts after it.
          if (inflight) await inflight;
          if (batchBytes > 0) {
            if (writeError) target.onBytes(-batchBytes);
            else await write(batch, batchBytes);
            batch = [];
            batchBytes = 0;
          }
        }
        if (writeError) throw writeError;
        attempt = 0;
        await handle.close();
        handle = undefined;
        if (offset < file.size) {
          throw new PersianHubError('NETWORK', `The connection ended after ${offset} of ${file.size} bytes of ${file.path}.`);
        }
      } catch (raw) {
        await handle?.close().catch(() => undefined);
        const asDisk = diskError(raw, file);
        const error = asDisk === raw ? classifyRequestError(raw, client.endpoint, signal) : asDisk;
        if (signal.aborted) throw signal.reason;
        if (isPersianHubError(error) && error.code === 'CHECKSUM_MISMATCH') break;
        if (!isRetryable(error) || attempt >= client.retry.retries) throw error;
        const wait = retryDelay(error, attempt, client.retry);
        target.onRetry?.(error as PersianHubError, attempt + 1, wait);
        attempt++;
        await sleep(wait, signal);
      }
    }

    const digest = hash.digest('hex');
    if (offset === file.size && digest === file.etag) return;
    if (refetched) {
      throw new PersianHubError('CHECKSUM_MISMATCH', `${file.path} arrived twice with the wrong content (expected ${file.etag.slice(0, 12)}…, got ${digest.slice(0, 12)}…).`, {
        details: { file: file.path },
      });
    }
    refetched = true;
    await unlink(incompletePath).catch(() => undefined);
    target.onBytes(-offset);
  }
}
