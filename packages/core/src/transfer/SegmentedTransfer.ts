import { rename, type FileHandle } from 'node:fs/promises';
import { PersianHubError } from '../PersianHubError.js';
import { isRetryable, retryDelay } from '../hub/HubClient.js';
import { classifyRequestError } from '../hub/classifyRequestError.js';
import type { ConnectionPool } from './ConnectionPool.js';
import type { PrefixHasher } from './PrefixHasher.js';
import { checkAnswer } from './checkAnswer.js';
import { sleep } from './retry.js';
import { isSlowLink, live, pickSteal, piecesFor, splitRest, type LiveSegment as Live } from './LiveSegment.js';
import { SegmentMapWriter, encodeSegmentMap, type Segment, type SegmentFiles } from './segmentMap.js';
import { streamBody } from './streamBody.js';
import type { ByteBudget, PlannedFile, TransferTarget } from './transferFile.js';
import { ProgressCredit } from './ProgressCredit.js';
import { diskError, explainShortBody } from './transferErrors.js';

const MiB = 1024 * 1024;

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
 * The first look at a connection's speed, after its answer came; then again every second. Short:
 * on a shaped link every moment on one connection costs (8 connections lose 1/8 of it each),
 * and a fast link shows itself within it.
 */
const PROBE_MS = 100;
const REPROBE_MS = 1000;
/**
 * A piece is asked for this much at a time (the next request goes out on the same keep-alive
 * connection). Another connection then takes work from beyond the request in flight instead of
 * cutting it short, which would waste whatever is already in its socket buffers.
 */
const REQUEST_MAX_BYTES = 16 * MiB;

/** Why a connection was stopped by its own file (the server ignored Range; one stream takes over). */
const SUPERSEDED = Symbol('superseded');

interface Worker {
  readonly controller: AbortController;
  /** Holds a connection from the job's pool (every connection but the file's first). */
  readonly extra: boolean;
  done: Promise<void>;
}

type LiveSegment = Live<Worker>;

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
  readonly #credit = new ProgressCredit();
  #probe: { timer: NodeJS.Timeout; at: number; recv: number } | null = null;
  /** Where the last request for this file ended up (the CDN): segments and retries go straight there. */
  #cachedUrl: string | undefined;
  readonly #canSplit: boolean;

  constructor(options: SegmentedTransferOptions) {
    this.#o = options;
    this.#segments = options.segments.map((s) => live<Worker>(s.start, s.pos, s.end));
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
    return this.#credit.total(this.#segments.map((s): [number, number] => [s.start, s.pos]));
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
      const pick = pickSteal(this.#segments, w, Date.now());
      if (!pick) return null;
      if ('waitMs' in pick) {
        await sleep(pick.waitMs, w.controller.signal).catch(() => undefined);
        continue;
      }
      // `[at, end)` of the victim's piece becomes `w`'s.
      const piece = live<Worker>(pick.at, pick.at, pick.victim.end);
      piece.owner = w;
      pick.victim.end = pick.at;
      this.#segments.splice(this.#segments.indexOf(pick.victim) + 1, 0, piece);
      this.#map?.save();
      return piece;
    }
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
    const parts = piecesFor(seg, this.#o.policy!.maxConnections);
    if (parts < 2) return;
    const extra = this.#o.pool!.take(parts - 1);
    if (extra === 0) return;
    this.#segments.splice(this.#segments.indexOf(seg) + 1, 0, ...splitRest(seg, extra + 1));
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
        if (seg.attempts >= client.retry.retries) throw explainShortBody(error, this.#o.file, seg.pos, seg.attempts + 1);
        const wait = retryDelay(error, seg.attempts, client.retry);
        seg.attempts++;
        this.#o.target.onRetry?.(error as PersianHubError, seg.attempts, wait);
        await sleep(wait, signal);
      }
    }
    return seg;
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
      const answer = checkAnswer(res, file, from, ranged);
      if (answer === 'refused') {
        if (!this.#segmented && this.#segments.length === 1 && this.#credit.empty) {
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
      if (answer === 'whole-file') piece = await this.#becomeSingle(w);
      streaming = true;
    } finally {
      if (!streaming) {
        res.body.destroy();
        seg.streamAt = null;
      }
    }
    const until = piece === seg ? askedEnd : file.size;
    this.#armProbe(w, piece);
    await streamBody({
      file,
      seg: piece,
      body: res.body,
      askedEnd: until,
      handle: this.#o.handle,
      hasher: this.#o.hasher,
      budget: this.#o.budget,
      signal,
      countNew: (a, b) => this.#credit.countNew(a, b),
      onBytes: (delta) => target.onBytes(delta),
      afterWrite: () => this.#afterWrite(),
    });
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
      this.#credit.add(0, only.pos);
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
    for (const s of this.#segments) this.#credit.add(s.start, s.pos);
    const single = live<Worker>(0, 0, this.#o.file.size);
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

  /**
   * Adaptive splitting: the first connection is timed from its answer, and the rest of the file
   * is split when it is slow and waiting for its bytes (`isSlowLink`).
   */
  #armProbe(w: Worker, seg: LiveSegment): void {
    if (!this.#canSplit || this.#segmented || this.#rangeIgnored || !this.#o.policy!.adaptive) return;
    this.#stopProbe();
    const look = (delay: number) => {
      const timer = setTimeout(() => {
        const p = this.#probe;
        if (!p || seg.owner !== w || this.#segmented || this.#rangeIgnored || this.#error !== undefined) return;
        const rate = ((seg.recv - p.recv) * 1000) / Math.max(1, Date.now() - p.at);
        if (!isSlowLink(rate, seg, Date.now())) {
          look(REPROBE_MS);
          return;
        }
        this.#probe = null;
        // No connection free in the job's pool: look again later, another file may give some back.
        this.#split(seg).then(
          () => {
            if (!this.#segmented && seg.owner === w) look(REPROBE_MS);
          },
          (error: unknown) => {
            if (this.#error === undefined) this.#error = error;
            for (const o of this.#workers) o.controller.abort(error);
          },
        );
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
