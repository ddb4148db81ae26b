import type { FileHandle } from 'node:fs/promises';
import { PersianHubError } from '../PersianHubError.js';
import type { LiveSegment } from './LiveSegment.js';
import type { PrefixHasher } from './PrefixHasher.js';
import type { ByteBudget, PlannedFile } from './transferFile.js';
import { writeAll } from './writeAll.js';

/**
 * Bytes gathered before one writev; with one write in flight, two batches per connection are in
 * memory at most. After a kill -9 a connection's file or piece resumes from its last written
 * batch, so this also bounds what is fetched twice (a batch or two per connection).
 */
const WRITE_BATCH_BYTES = 512 * 1024;

export interface StreamBodyOptions {
  readonly file: PlannedFile;
  readonly seg: LiveSegment;
  readonly body: AsyncIterable<unknown>;
  /** Where the request asked the body to end (exclusive). */
  readonly askedEnd: number;
  readonly handle: FileHandle;
  readonly hasher: PrefixHasher;
  readonly budget: ByteBudget;
  readonly signal: AbortSignal;
  /** How many of the bytes `[a, b)` are new to the progress count. */
  countNew(a: number, b: number): number;
  onBytes(delta: number): void;
  /** A batch landed on disk (`seg.pos` moved). */
  afterWrite(): void;
}

/**
 * Streams one answer into its piece of the file at its offsets: batched positional writes with
 * one in flight, the hash fed as bytes arrive, progress counted as they arrive. Stops where the
 * piece ends (another connection may have moved that closer). Whatever arrived is written before
 * it returns or throws, so a resume starts after it; bytes that could not be written are taken
 * back out of the progress and of the hash.
 */
export async function streamBody(o: StreamBodyOptions): Promise<void> {
  const { file, seg, handle, hasher } = o;
  seg.recv = seg.pos;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchCounted = 0;
  let batchAt = seg.pos;
  // The write in flight never rejects: its error is kept here and thrown by the loop at its next
  // step. A rejected promise nobody awaits yet would be an unhandled rejection.
  let inflight: Promise<void> | null = null;
  let writeError: unknown = null;
  const write = (bufs: Buffer[], n: number, at: number, counted: number): Promise<void> =>
    writeAll(handle, bufs, at).then(
      () => {
        seg.pos = Math.max(seg.pos, at + n);
        if (seg.pos > seg.hwm) {
          seg.hwm = seg.pos;
          seg.attempts = 0;
        }
        o.afterWrite();
      },
      (error: unknown) => {
        o.onBytes(-counted);
        hasher.rewindTo(at);
        writeError ??= error;
      },
    );
  const flush = async () => {
    if (inflight) await inflight;
    inflight = null;
    if (writeError) throw writeError;
    if (batchBytes === 0) return;
    inflight = write(batch, batchBytes, batchAt, batchCounted);
    batchAt += batchBytes;
    batch = [];
    batchBytes = 0;
    batchCounted = 0;
  };
  try {
    for await (const chunk of o.body) {
      if (seg.waitingSince !== null) seg.waitMs += Date.now() - seg.waitingSince;
      seg.waitingSince = null;
      if (writeError) throw writeError;
      let buf = chunk as Buffer;
      o.budget.spend(buf.length);
      let stop = false;
      if (seg.recv + buf.length > seg.end) {
        if (seg.end === file.size && o.askedEnd === file.size) {
          throw new PersianHubError('CHECKSUM_MISMATCH', `The server sent more bytes for ${file.path} than its size.`, { details: { file: file.path } });
        }
        // Another connection took the rest of this piece (or the server sent past the range).
        buf = buf.subarray(0, Math.max(0, seg.end - seg.recv));
        stop = true;
      }
      if (buf.length > 0) {
        hasher.offer(seg.recv, buf);
        const counted = o.countNew(seg.recv, seg.recv + buf.length);
        batch.push(buf);
        batchBytes += buf.length;
        batchCounted += counted;
        seg.recv += buf.length;
        // Progress counts bytes as they arrive: on a slow link a batch may take minutes to fill.
        if (counted > 0) o.onBytes(counted);
        if (batchBytes >= WRITE_BATCH_BYTES) await flush();
      }
      if (stop || o.signal.aborted) break;
      seg.waitingSince = Date.now();
    }
    await flush();
  } finally {
    if (inflight) await inflight;
    if (batchBytes > 0) {
      if (writeError) o.onBytes(-batchCounted);
      else await write(batch, batchBytes, batchAt, batchCounted);
    }
    seg.recv = seg.pos;
    seg.streamAt = null;
    seg.waitingSince = null;
  }
  if (writeError) throw writeError;
}
