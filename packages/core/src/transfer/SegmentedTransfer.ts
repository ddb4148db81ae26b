import { rename, type FileHandle } from 'node:fs/promises';
import { PersianHubError } from '../PersianHubError.js';
import { isRetryable, retryDelay } from '../hub/HubClient.js';
import { classifyRequestError } from '../hub/classifyRequestError.js';
import type { ConnectionPool } from './ConnectionPool.js';
import type { PrefixHasher } from './PrefixHasher.js';
import { sleep } from './retry.js';
import { SegmentMapWriter, encodeSegmentMap, type Segment, type SegmentFiles } from './segmentMap.js';
import type { ByteBudget, PlannedFile, TransferTarget } from './transferFile.js';
import { diskError, sizeMismatch } from './transferErrors.js';
import { writeAll } from './writeAll.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** How a large file may be split over several connections. */
export interface SegmentPolicy {
  /** Files at least this big may be split. */
  readonly minSize: number;
  /** Connections for one file, its first one included. */
  readonly maxConnections: number;
  /**
   * Start on one connection and split the rest only when it is slow (the shaped, long links
   * our users have); false splits every file of `minSize` or more from the first byte.
   */
  readonly adaptive: boolean;
}

/**
 * A connection slower than this is worth splitting: per-connection shaping sits far below it,
 * while a fast link (a LAN mirror, loopback) stays on one connection, hashed in flight, with no
 * pieces to read back.
 */
const SLOW_BYTES_PER_SECOND = 16 * MiB;
/**
 * …and only when the connection is what limits it: it spends at least this share of its time
 * waiting for bytes. A busy machine (our own hashing and writing, a loaded CPU) makes any
 * connection look slow, and more connections would not help; it would only cut fast ones short.
 */
const LINK_BOUND_IDLE = 0.5;
/**
 * The first look at a connection's speed, after its answer came; then again every second. Short:
 * on a shaped link every moment on one connection costs (8 connections lose 1/8 of it each),
 * and a fast link shows itself within it.
 */
const PROBE_MS = 100;
const REPROBE_MS = 1000;
/** A split never makes pieces smaller than this: each costs a request and a round trip. */
const MIN_SEGMENT = MiB;
/** A connection that ran out of work takes half of the biggest rest, when that rest is at least twice this… */
const MIN_STEAL = 512 * KiB;
/**
 * …and when that rest would take its own connection more than this long. A fast connection is
 * left alone: cutting it short wastes what is already in its socket buffers, and a new request
 * costs a round trip. A stalled or slow one is exactly what stealing is for.
 */
const STEAL_WORTH_MS = 1000;
/** A connection's speed is judged after it has streamed this long; an idle one waits that long to judge. */
const JUDGE_MS = 250;
/**
 * Bytes gathered before one writev; with one write in flight, two batches per connection are in
 * memory at most. After a kill -9 a connection's file or piece resumes from its last written
 * batch, so this also bounds what is fetched twice (a batch or two per connection).
 */
const WRITE_BATCH_BYTES = 512 * KiB;
/**
 * A piece is asked for this much at a time (the next request goes out on the same keep-alive
 * connection). Another connection then takes work from beyond the request in flight instead of
 * cutting it short, which would waste whatever is already in its socket buffers.
 */
const REQUEST_MAX_BYTES = 16 * MiB;

/** Why a connection was stopped by its own file (the server ignored Range; one stream takes over). */
const SUPERSEDED = Symbol('superseded');

interface LiveSegment extends Segment {
  /** Received up to here (written, or in memory on its way to disk); `pos <= recv <= end`. */
  recv: number;
  owner: Worker | null;
  /** The furthest `pos` reached: attempts that do not get past it count toward the retry limit. */
  hwm: number;
  attempts: number;
  /** When the request now in flight was sent, and `recv` then (null between requests: backing off, or unclaimed). */
  streamAt: number | null;
  streamFrom: number;
  /** Time this request spent waiting for bytes (done waits), and when the wait now going on began. */
  waitMs: number;
  waitingSince: number | null;
  /** Where the request in flight stops (exclusive). */
  reqEnd: number;
}

interface Worker {
  readonly controller: AbortController;
  /** Holds a connection from the job's pool (every connection but the file's first). */
  readonly extra: boolean;
  done: Promise<void>;
}

function live(start: number, pos: number, end: number): LiveSegment {
  return { start, pos, end, recv: pos, owner: null, hwm: pos, attempts: 0, streamAt: null, streamFrom: pos, waitMs: 0, waitingSince: null, reqEnd: end };
}

/** How fast this piece's request brings bytes, and how much of its time it waits for them (0…1). */
function pace(seg: LiveSegment, now: number): { rate: number; idle: number } {
  const age = Math.max(1, now - (seg.streamAt ?? now));
  const waiting = seg.waitMs + (seg.waitingSince === null ? 0 : now - seg.waitingSince);
  return { rate: ((seg.recv - seg.streamFrom) * 1000) / age, idle: Math.min(1, waiting / age) };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export interface SegmentedTransferOptions {
  readonly file: PlannedFile;
  readonly target: TransferTarget;
  /** The data file, open for reading and writing; positional writes only. */
  readonly handle: FileHandle;
  readonly hasher: PrefixHasher;
  readonly budget: ByteBudget;
  /** Where the bytes are: `[start, pos)` of each piece is on disk. */
  readonly segments: readonly Segment[];
  /** The data file is the segmented one (it has a map); else it is the plain `.incomplete` prefix. */
  readonly segmented: boolean;
  readonly incompletePath: string;
  readonly files: SegmentFiles;
  /** null: this file stays on one connection. */
  readonly policy: SegmentPolicy | null;
  readonly pool: ConnectionPool | undefined;
}

/**
 * Brings one file's pieces to disk: one connection per piece, each resumed with Range where it
 * stopped and retried on its own (stalls included). A connection that runs out of work takes
 * half of the biggest piece left, so a slow or stalled connection does not hold the file up.
 * A server that ignores Range makes one stream take over from byte 0. Hashing is the caller's
 * `PrefixHasher`; this class feeds it and keeps the segment map on disk.
 */
export class SegmentedTransfer {
  readonly #o: SegmentedTransferOptions;
  #segments: LiveSegment[];
  readonly #workers = new Set<Worker>();
  #error: unknown = undefined;
  #segmented: boolean;
  #map: SegmentMapWriter | null = null;
  #rangeIgnored = false;
  /** Bytes already counted as progress before a stream from byte 0 took over: not counted twice. */
  #credit: Array<[number, number]> = [];
  #probe: { timer: NodeJS.Timeout; at: number; recv: number } | null = null;
  /** Where the last request for this file ended up (the CDN): segments and retries go straight there. */
  #cachedUrl: string | undefined;
  readonly #canSplit: boolean;

  constructor(options: SegmentedTransferOptions) {
    this.#o = options;
    this.#segments = options.segments.map((s) => live(s.start, s.pos, s.end));
    this.#segmented = options.segmented;
    const p = options.policy;
    this.#canSplit = p !== null && p.maxConnections > 1 && options.file.size >= p.minSize && options.pool !== undefined;
  }

  /** The bytes are in the segmented data file (not the plain `.incomplete`). */
  get segmented(): boolean {
    return this.#segmented;
  }

  /** Bytes counted as progress so far: what is on disk, and what a Range-less stream was credited. */
  countedBytes(): number {
    const spans: Array<[number, number]> = [...this.#credit, ...this.#segments.map((s): [number, number] => [s.start, s.pos])];
    spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let reach = 0;
    for (const [s, e] of spans) {
      const from = Math.max(s, reach);
      if (e > from) total += e - from;
      reach = Math.max(reach, e);
    }
    return total;
  }

  async run(): Promise<void> {
    const { target } = this.#o;
    try {
      if (this.#segments.every((s) => s.pos >= s.end)) return;
      if (this.#segmented) {
        this.#map = await SegmentMapWriter.open(this.#o.files.map, 'r+', () => this.#encode());
        this.#spawn(false);
        const extra = this.#canSplit ? this.#o.pool!.take(this.#o.policy!.maxConnections - 1) : 0;
        for (let i = 0; i < extra; i++) this.#spawn(true);
      } else if (this.#canSplit && !this.#o.policy!.adaptive) {
        await this.#split(this.#segments[0]!);
        if (this.#error === undefined) this.#spawn(false);
      } else {
        this.#spawn(false);
      }
      while (this.#workers.size > 0) await Promise.all([...this.#workers].map((w) => w.done));
      if (this.#error !== undefined) throw this.#error;
      target.signal.throwIfAborted();
      if (this.#segments.some((s) => s.pos < s.end)) throw new Error('segmented transfer ended with bytes missing');
    } finally {
      this.#stopProbe();
      if (this.#map) {
        await this.#map.flush().catch(() => undefined);
        await this.#map.close();
      }
    }
  }

  #encode(): Buffer {
    return encodeSegmentMap(this.#o.file.size, this.#o.file.etag, this.#segments);
  }

  #spawn(extra: boolean): void {
    const controller = new AbortController();
    const parent = this.#o.target.signal;
    const onAbort = () => controller.abort(parent.reason);
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onAbort, { once: true });
    const worker: Worker = { controller, extra, done: Promise.resolve() };
    this.#workers.add(worker);
    worker.done = this.#work(worker).finally(() => {
      parent.removeEventListener('abort', onAbort);
      this.#workers.delete(worker);
      if (extra) this.#o.pool!.release(1);
    });
  }

  async #work(w: Worker): Promise<void> {
    try {
      for (let seg = await this.#claim(w); seg; seg = await this.#claim(w)) {
        seg = await this.#fetch(w, seg);
        seg.owner = null;
        this.#settle(seg);
      }
    } catch (error) {
      if (w.controller.signal.reason === SUPERSEDED) return;
      if (this.#error === undefined) this.#error = error;
      for (const other of this.#workers) if (other !== w) other.controller.abort(error);
    }
  }

  /**
   * The next piece for `w`: one nobody works on, else half of the biggest rest of a slow
   * connection's piece. Null when there is nothing worth taking: the connection ends.
   */
  async #claim(w: Worker): Promise<LiveSegment | null> {
    for (;;) {
      if (this.#error !== undefined || w.controller.signal.aborted) return null;
      for (const s of this.#segments) {
        if (!s.owner && s.pos < s.end) {
          s.owner = w;
          return s;
        }
      }
      if (this.#rangeIgnored) return null;
      const now = Date.now();
      let judgeIn = Infinity;
      const candidates = this.#segments
        .filter((s) => s.owner && s.owner !== w && s.end - s.recv >= 2 * MIN_STEAL)
        .sort((a, b) => b.end - b.recv - (a.end - a.recv));
      for (const victim of candidates) {
        // Between requests (backing off after a failure): its rest is free to take.
        if (victim.streamAt === null) return this.#steal(w, victim, victim.recv);
        const age = now - victim.streamAt;
        if (age < JUDGE_MS) {
          judgeIn = Math.min(judgeIn, JUDGE_MS - age);
          continue;
        }
        const { rate } = pace(victim, now);
        if ((victim.end - victim.recv) / Math.max(rate, 1) < STEAL_WORTH_MS / 1000) continue;
        // A request that brings bytes is never cut short; one that brings none (stalled) may be.
        const stalled = victim.waitingSince !== null && now - victim.waitingSince >= JUDGE_MS;
        const from = stalled ? victim.recv : Math.max(victim.recv, victim.reqEnd);
        const mid = Math.max(from, victim.recv + Math.ceil((victim.end - victim.recv) / 2));
        if (victim.end - mid >= MIN_STEAL) return this.#steal(w, victim, mid);
      }
      if (judgeIn === Infinity) return null;
      await sleep(judgeIn, w.controller.signal).catch(() => undefined);
    }
  }

  /** Takes `[mid, end)` of the victim's piece for `w`. */
  #steal(w: Worker, victim: LiveSegment, at: number): LiveSegment {
    const mid = at > victim.recv ? at : victim.recv + Math.ceil((victim.end - victim.recv) / 2);
    const piece = live(mid, mid, victim.end);
    piece.owner = w;
    victim.end = mid;
    this.#segments.splice(this.#segments.indexOf(victim) + 1, 0, piece);
    this.#map?.save();
    return piece;
  }

  /** A piece is done: it joins the next one (only the last piece can stay done on its own). */
  #settle(seg: LiveSegment): void {
    if (seg.pos < seg.end) return;
    const i = this.#segments.indexOf(seg);
    const next = this.#segments[i + 1];
    if (i >= 0 && next) {
      next.start = seg.start;
      this.#segments.splice(i, 1);
    }
    this.#afterWrite();
  }

  #afterWrite(): void {
    this.#map?.save();
    const first = this.#segments[0]!;
    this.#o.hasher.follow(this.#o.handle, first.pos);
  }

  /**
   * Splits the rest of `seg` (from what it has received) into pieces for more connections,
   * taken from the job's pool. The file moves to its segmented name first, with a map that
   * describes the pieces, so a kill -9 from here on resumes every piece.
   */
  async #split(seg: LiveSegment): Promise<void> {
    const policy = this.#o.policy!;
    const rest = seg.end - seg.recv;
    const parts = Math.min(policy.maxConnections, Math.floor(rest / MIN_SEGMENT));
    if (parts < 2) return;
    const extra = this.#o.pool!.take(parts - 1);
    if (extra === 0) return;
    const n = extra + 1;
    const share = Math.floor(rest / n);
    const oldEnd = seg.end;
    const pieces: LiveSegment[] = [];
    for (let i = 1; i < n; i++) pieces.push(live(seg.recv + i * share, seg.recv + i * share, i === n - 1 ? oldEnd : seg.recv + (i + 1) * share));
    seg.end = seg.recv + share;
    this.#segments.splice(this.#segments.indexOf(seg) + 1, 0, ...pieces);
    try {
      await this.#becomeSegmented();
    } catch (error) {
      this.#o.pool!.release(extra);
      throw error;
    }
    for (let i = 0; i < extra; i++) this.#spawn(true);
  }

  async #becomeSegmented(): Promise<void> {
    if (this.#segmented) {
      this.#map?.save();
      return;
    }
    // Map first, then the rename: a crash in between leaves the plain prefix, still good.
    this.#map = await SegmentMapWriter.open(this.#o.files.map, 'w', () => this.#encode());
    await this.#map.flush();
    await rename(this.#o.incompletePath, this.#o.files.data);
    this.#segmented = true;
  }

  /** One piece, to its end (which other connections may move closer), with retries. */
  async #fetch(w: Worker, start: LiveSegment): Promise<LiveSegment> {
    const { client } = this.#o.target;
    let seg = start;
    const signal = w.controller.signal;
    while (seg.pos < seg.end) {
      signal.throwIfAborted();
      try {
        const got = await this.#request(w, seg);
        if (got === 'restart') {
          // The server refused our offset (416): the partial was thrown away; that counts as an attempt.
          if (++seg.attempts > client.retry.retries) {
            throw new PersianHubError('HUB_ERROR', `The server keeps refusing the byte range of ${this.#o.file.path}.`, {
              details: { status: 416, file: this.#o.file.path },
            });
          }
          continue;
        }
        seg = got.seg;
        if (got.short) {
          throw new PersianHubError('NETWORK', `The connection ended after ${seg.pos} of ${this.#o.file.size} bytes of ${this.#o.file.path}.`, {
            details: { file: this.#o.file.path, reason: 'SHORT_BODY' },
          });
        }
      } catch (raw) {
        if (signal.aborted) throw signal.reason;
        const asDisk = diskError(raw, this.#o.file);
        const error = asDisk === raw ? classifyRequestError(raw, client.endpoint, signal) : asDisk;
        if (!isRetryable(error)) throw error;
        if (seg.pos > seg.hwm) {
          seg.hwm = seg.pos;
          seg.attempts = 0;
        }
        if (seg.attempts >= client.retry.retries) throw this.#explain(error, seg);
        const wait = retryDelay(error, seg.attempts, client.retry);
        seg.attempts++;
        this.#o.target.onRetry?.(error as PersianHubError, seg.attempts, wait);
        await sleep(wait, signal);
      }
    }
    return seg;
  }

  /** The last error of a piece that stopped getting anywhere, said plainly when the server keeps ending early. */
  #explain(error: unknown, seg: LiveSegment): unknown {
    if (!(error instanceof PersianHubError) || error.details.reason !== 'SHORT_BODY') return error;
    const { file } = this.#o;
    return new PersianHubError(
      'NETWORK',
      `${file.path}: the connection ended at byte ${seg.pos} of ${file.size}, ${seg.attempts + 1} times without getting further. The server's file may be shorter than the Hub lists it, or something on the way cuts the transfer.`,
      { details: { file: file.path, reason: 'SHORT_BODY', receivedBytes: seg.pos, expectedBytes: file.size } },
    );
  }

  /**
   * One request for (the next part of) `seg`; returns the piece it filled (another one after a
   * Range-less takeover) and whether the answer ended before what was asked, or 'restart' when
   * the partial had to be thrown away.
   */
  async #request(w: Worker, seg: LiveSegment): Promise<{ seg: LiveSegment; short: boolean } | 'restart'> {
    const { file, target } = this.#o;
    const signal = w.controller.signal;
    const from = seg.pos;
    const askedEnd = this.#segmented ? Math.min(seg.end, from + REQUEST_MAX_BYTES) : seg.end;
    seg.reqEnd = askedEnd;
    const ranged = from > 0 || askedEnd < file.size;
    seg.streamAt = Date.now();
    seg.streamFrom = from;
    seg.waitMs = 0;
    seg.waitingSince = seg.streamAt;
    let res;
    try {
      res = await target.client.openFile(target.repoType, target.repoId, target.commit, file.path, {
        rangeStart: from,
        ...(askedEnd < file.size ? { rangeEnd: askedEnd - 1 } : {}),
        cachedUrl: this.#cachedUrl,
        signal,
      });
    } catch (error) {
      // No answer at all: the cached URL may point at a host that is gone; ask the Hub next time.
      this.#cachedUrl = undefined;
      seg.streamAt = null;
      throw error;
    }
    this.#cachedUrl = res.url;
    // A body we stop reading early (destroyed) emits an abort error: it is expected, never unhandled.
    // Errors while reading still reach the loop that reads it.
    res.body.on('error', () => undefined);
    let piece = seg;
    let streaming = false;
    try {
      const length = Number(header(res.headers['content-length']) ?? NaN);
      if (res.statusCode === 416) {
        const total = Number(/\/(\d+)\s*$/.exec(header(res.headers['content-range']) ?? '')?.[1] ?? NaN);
        if (Number.isSafeInteger(total) && total !== file.size) throw sizeMismatch(file, total);
        if (!this.#segmented && this.#segments.length === 1 && this.#credit.length === 0) {
          // Our partial does not fit the file any more: start over (and never leave a wrong prefix for Python).
          target.onBytes(-(seg.pos - seg.start));
          await this.#o.handle.truncate(0);
          seg.pos = seg.recv = 0;
          this.#o.hasher.reset();
          return 'restart';
        }
        throw new PersianHubError('HUB_ERROR', `The server refused the byte range ${from}-${askedEnd - 1} of ${file.path}.`, {
          details: { status: 416, file: file.path },
        });
      }
      if (res.statusCode === 200) {
        if (Number.isSafeInteger(length) && length !== file.size) throw sizeMismatch(file, length);
        if (ranged) piece = await this.#becomeSingle(w);
      } else if (res.statusCode === 206) {
        const cr = header(res.headers['content-range']) ?? '';
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)/.exec(cr);
        if (!m || Number(m[1]) !== from) {
          throw new PersianHubError('HUB_ERROR', `The server sent the wrong part of ${file.path} (${cr}).`, { details: { status: 502 } });
        }
        if (m[3] !== '*' && Number(m[3]) !== file.size) throw sizeMismatch(file, Number(m[3]));
      } else {
        throw new PersianHubError('HUB_ERROR', `The server answered ${res.statusCode} for ${file.path}.`, { details: { status: 502, file: file.path } });
      }
      streaming = true;
    } finally {
      if (!streaming) {
        res.body.destroy();
        seg.streamAt = null;
      }
    }
    const until = piece === seg ? askedEnd : file.size;
    await this.#stream(w, piece, res.body, until);
    return { seg: piece, short: piece.pos < Math.min(until, piece.end) };
  }

  /**
   * The server ignored Range (a proxy strips it): this 200 is the whole file. Every other
   * connection stops, and this stream rewrites the file from byte 0. What was already on disk
   * stays counted, so progress never goes back; the stream overwrites it all, so the hash of
   * the stream is the hash of the file.
   */
  async #becomeSingle(w: Worker): Promise<LiveSegment> {
    const only = this.#segments.length === 1 ? this.#segments[0]! : null;
    if (this.#rangeIgnored && only?.owner === w) {
      // The one stream again, and Range ignored again: from byte 0 once more, same retry count.
      this.#credit.push([0, only.pos]);
      only.pos = only.recv = 0;
      this.#o.hasher.reset();
      this.#map?.save();
      return only;
    }
    if (this.#rangeIgnored) {
      // Another connection already took over: this one stops.
      w.controller.abort(SUPERSEDED);
      throw SUPERSEDED;
    }
    this.#rangeIgnored = true;
    this.#stopProbe();
    const others = [...this.#workers].filter((o) => o !== w);
    for (const o of others) o.controller.abort(SUPERSEDED);
    await Promise.all(others.map((o) => o.done));
    const spans = this.#segments.filter((s) => s.pos > s.start).map((s): [number, number] => [s.start, s.pos]);
    this.#credit = [...this.#credit, ...spans];
    const single = live(0, 0, this.#o.file.size);
    single.owner = w;
    if (only) {
      // It was one stream already: its furthest byte and its attempts carry over.
      single.hwm = only.hwm;
      single.attempts = only.attempts;
    }
    this.#segments = [single];
    this.#o.hasher.reset();
    this.#map?.save();
    return single;
  }

  #countNew(a: number, b: number): number {
    let n = b - a;
    for (const [s, e] of this.#credit) {
      const lo = Math.max(a, s);
      const hi = Math.min(b, e);
      if (hi > lo) n -= hi - lo;
    }
    return Math.max(0, n);
  }

  /** Streams one body into `seg` at its offsets: batched writes, one in flight, hashing and progress as bytes arrive. */
  async #stream(w: Worker, seg: LiveSegment, body: AsyncIterable<unknown> & { destroy(): void }, askedEnd: number): Promise<void> {
    const { file, target, handle, hasher, budget } = this.#o;
    seg.recv = seg.pos;
    this.#armProbe(w, seg);
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
          this.#afterWrite();
        },
        (error: unknown) => {
          // Not (all) on disk: out of the progress, and out of the hash if it got there.
          target.onBytes(-counted);
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
      for await (const chunk of body) {
        if (seg.waitingSince !== null) seg.waitMs += Date.now() - seg.waitingSince;
        seg.waitingSince = null;
        if (writeError) throw writeError;
        let buf = chunk as Buffer;
        budget.spend(buf.length);
        let stop = false;
        if (seg.recv + buf.length > seg.end) {
          if (seg.end === file.size && askedEnd === file.size) {
            throw new PersianHubError('CHECKSUM_MISMATCH', `The server sent more bytes for ${file.path} than its size.`, { details: { file: file.path } });
          }
          // Another connection took the rest of this piece (or the server sent past the range).
          buf = buf.subarray(0, Math.max(0, seg.end - seg.recv));
          stop = true;
        }
        if (buf.length > 0) {
          hasher.offer(seg.recv, buf);
          const counted = this.#countNew(seg.recv, seg.recv + buf.length);
          batch.push(buf);
          batchBytes += buf.length;
          batchCounted += counted;
          seg.recv += buf.length;
          // Progress counts bytes as they arrive: on a slow link a batch may take minutes to fill.
          if (counted > 0) target.onBytes(counted);
          if (batchBytes >= WRITE_BATCH_BYTES) await flush();
        }
        if (stop || w.controller.signal.aborted) break;
        seg.waitingSince = Date.now();
      }
      await flush();
    } finally {
      // Whatever arrived is written before anything is decided, so a resume starts after it.
      if (inflight) await inflight;
      if (batchBytes > 0) {
        if (writeError) target.onBytes(-batchCounted);
        else await write(batch, batchBytes, batchAt, batchCounted);
      }
      seg.recv = seg.pos;
      seg.streamAt = null;
      seg.waitingSince = null;
    }
    if (writeError) throw writeError;
  }

  /**
   * Adaptive splitting: the first connection is timed from its answer, and the rest of the file
   * is split when it brings less than SLOW_BYTES_PER_SECOND.
   */
  #armProbe(w: Worker, seg: LiveSegment): void {
    if (!this.#canSplit || this.#segmented || this.#rangeIgnored || !this.#o.policy!.adaptive) return;
    this.#stopProbe();
    const look = (delay: number) => {
      const timer = setTimeout(() => {
        const p = this.#probe;
        if (!p || seg.owner !== w || this.#segmented || this.#rangeIgnored || this.#error !== undefined) return;
        const rate = ((seg.recv - p.recv) * 1000) / Math.max(1, Date.now() - p.at);
        if (rate >= SLOW_BYTES_PER_SECOND || pace(seg, Date.now()).idle < LINK_BOUND_IDLE) {
          this.#probe = { ...p, at: Date.now(), recv: seg.recv };
          look(REPROBE_MS);
          return;
        }
        this.#probe = null;
        this.#split(seg).catch((error: unknown) => {
          if (this.#error === undefined) this.#error = error;
          for (const o of this.#workers) o.controller.abort(error);
        });
      }, delay);
      timer.unref();
      this.#probe = { timer, at: Date.now(), recv: seg.recv };
    };
    look(PROBE_MS);
  }

  #stopProbe(): void {
    if (this.#probe) clearTimeout(this.#probe.timer);
    this.#probe = null;
  }
}
