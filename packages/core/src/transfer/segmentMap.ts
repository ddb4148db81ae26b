import { readFileSync, statSync } from 'node:fs';
import { open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * One piece of a file fetched over its own connection: `[start, pos)` is on disk, `[pos, end)`
 * is still to come. The pieces of a file always cover `[0, size)` without overlap.
 */
export interface Segment {
  start: number;
  pos: number;
  end: number;
}

/** The map is one page, written in place with a single `pwrite`: a kill -9 leaves the old or the new one. */
export const SEGMENT_MAP_BYTES = 4096;
/** A map with more pieces than this is not ours (we never have more than `maxConnections` + 1). */
const MAX_SEGMENTS = 64;

export interface SegmentFiles {
  /** The bytes, written at their offsets (holes until every piece is done). */
  readonly data: string;
  /** Which byte ranges of `data` are on disk. */
  readonly map: string;
}

/**
 * Where a segmented download keeps its bytes and its map, beside the plain partial.
 *
 * Not in `<etag>.incomplete` itself: huggingface_hub resumes that file from its size (and moves
 * it into place when the size is already right), so a file with holes there would become a
 * corrupt blob in Python's hands. The plain partial always stays a correct prefix. Both names end
 * in `.incomplete` and carry the etag where the cache's own cleanup looks for partials of that
 * blob (`<etag>.*.incomplete` in the cache, `*.<etag>.incomplete` in a local dir), so cancelling
 * a job removes them and `installed()` sees a partial download; no version of huggingface_hub
 * opens them.
 */
export function segmentFilesFor(incompletePath: string): SegmentFiles {
  const dir = dirname(incompletePath);
  const name = basename(incompletePath);
  const cache = /^([0-9a-f]{40}|[0-9a-f]{64})\.incomplete$/.exec(name);
  if (cache) {
    return { data: join(dir, `${cache[1]}.persian-hub.incomplete`), map: join(dir, `${cache[1]}.persian-hub-map.incomplete`) };
  }
  const local = /^(.*)\.([0-9a-f]{40}|[0-9a-f]{64})\.incomplete$/.exec(name);
  if (local) {
    return {
      data: join(dir, `${local[1]}.persian-hub.${local[2]}.incomplete`),
      map: join(dir, `${local[1]}.persian-hub-map.${local[2]}.incomplete`),
    };
  }
  return { data: `${incompletePath}.persian-hub`, map: `${incompletePath}.persian-hub-map` };
}

interface MapJson {
  v: 1;
  size: number;
  etag: string;
  segments: Array<[number, number, number]>;
}

/** The map's text: JSON padded with spaces to exactly one page. */
export function encodeSegmentMap(size: number, etag: string, segments: readonly Segment[]): Buffer {
  const json: MapJson = { v: 1, size, etag, segments: segments.map((s) => [s.start, s.pos, s.end]) };
  const text = JSON.stringify(json);
  if (text.length > SEGMENT_MAP_BYTES) throw new Error(`segment map too large (${segments.length} segments)`);
  return Buffer.from(text.padEnd(SEGMENT_MAP_BYTES, ' '));
}

/**
 * Reads a map back and checks it describes this file: same size and etag, pieces in order that
 * cover `[0, size)` exactly. Anything else (torn, foreign, stale) is `null`: the caller starts
 * that file over rather than trusting it.
 */
export function decodeSegmentMap(text: string, size: number, etag: string): Segment[] | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const m = json as Partial<MapJson> | null;
  if (!m || m.v !== 1 || m.size !== size || m.etag !== etag || !Array.isArray(m.segments)) return null;
  if (m.segments.length === 0 || m.segments.length > MAX_SEGMENTS) return null;
  const out: Segment[] = [];
  let expectStart = 0;
  for (const s of m.segments) {
    if (!Array.isArray(s) || s.length !== 3 || !s.every((n) => Number.isSafeInteger(n))) return null;
    const [start, pos, end] = s as [number, number, number];
    if (start !== expectStart || pos < start || end < pos || end > size || (end === start && size > 0)) return null;
    out.push({ start, pos, end });
    expectStart = end;
  }
  return expectStart === size ? out : null;
}

/** The segments of a segmented partial on disk, or null when there is none (or it is unusable). */
export async function readSegmentMap(files: SegmentFiles, size: number, etag: string): Promise<Segment[] | null> {
  let text: string;
  try {
    text = await readFile(files.map, 'utf8');
  } catch {
    return null;
  }
  const segments = decodeSegmentMap(text, size, etag);
  if (!segments) return null;
  // The map never claims bytes that are not in the data file (it is written after them).
  const dataSize = await stat(files.data).then(
    (s) => s.size,
    () => -1,
  );
  if (dataSize < 0 || segments.some((s) => s.pos > s.start && s.pos > dataSize)) return null;
  return segments;
}

export function segmentBytes(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + (s.pos - s.start), 0);
}

/**
 * Bytes already on disk for one file's partial download: the segmented partial when it has a
 * usable map, else the plain `.incomplete` prefix. What a restarted manager counts as done.
 */
export async function partialBytesOnDisk(incompletePath: string, size: number, etag: string): Promise<number> {
  const segments = await readSegmentMap(segmentFilesFor(incompletePath), size, etag);
  if (segments) return segmentBytes(segments);
  const plain = await stat(incompletePath).then(
    (s) => s.size,
    () => 0,
  );
  return Math.min(plain, size);
}

/** Deletes one file's partial download: the plain `.incomplete` and a segmented one's pieces and map. */
export async function discardPartialFiles(incompletePath: string): Promise<void> {
  const files = segmentFilesFor(incompletePath);
  await Promise.all([incompletePath, files.data, files.map].map((p) => unlink(p).catch(() => undefined)));
}

/** `partialBytesOnDisk`, synchronously: a manager restores its jobs while it is being made. */
export function partialBytesOnDiskSync(incompletePath: string, size: number, etag: string): number {
  const files = segmentFilesFor(incompletePath);
  const sizeOf = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return -1;
    }
  };
  let text: string | null = null;
  try {
    text = readFileSync(files.map, 'utf8');
  } catch {
    // no segmented partial
  }
  const segments = text === null ? null : decodeSegmentMap(text, size, etag);
  if (segments) {
    const dataSize = sizeOf(files.data);
    if (dataSize >= 0 && !segments.some((s) => s.pos > s.start && s.pos > dataSize)) return segmentBytes(segments);
  }
  return Math.min(Math.max(0, sizeOf(incompletePath)), size);
}

/**
 * Keeps the map file up to date while pieces land. Saves are coalesced (one write in flight, the
 * newest state written next), so eight fast connections cost a few small writes, not one per chunk.
 */
export class SegmentMapWriter {
  readonly #handle: FileHandle;
  readonly #encode: () => Buffer;
  #writing: Promise<void> | null = null;
  #dirty = false;
  #error: unknown = null;

  private constructor(handle: FileHandle, encode: () => Buffer) {
    this.#handle = handle;
    this.#encode = encode;
  }

  /** `'w'` for a new map; `'r+'` to keep one that exists until the first save replaces it in place. */
  static async open(path: string, flags: 'w' | 'r+', encode: () => Buffer): Promise<SegmentMapWriter> {
    return new SegmentMapWriter(await open(path, flags), encode);
  }

  /** Something changed: write the current state soon. */
  save(): void {
    this.#dirty = true;
    if (!this.#writing) this.#writing = this.#loop();
  }

  /** Resolves once the state as of now is on disk; throws a write error. */
  async flush(): Promise<void> {
    this.save();
    while (this.#writing) await this.#writing;
    if (this.#error) throw this.#error;
  }

  async #loop(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const page = this.#encode();
        await this.#handle.write(page, 0, page.length, 0);
      }
    } catch (error) {
      this.#error ??= error;
    } finally {
      this.#writing = null;
    }
  }

  async close(): Promise<void> {
    while (this.#writing) await this.#writing;
    await this.#handle.close().catch(() => undefined);
  }
}
