import { PersianHubError } from '../PersianHubError.js';

/**
 * Longest pattern the matcher accepts, in UTF-16 code units. The request schemas allow 200;
 * this bound keeps the compiled tables of a library caller's pattern small (they grow with the
 * square of the pattern length).
 */
export const MAX_GLOB_LENGTH = 1024;

/** Counts the matcher's inner-loop steps, so tests can check the work is linear in the path. */
export interface GlobWork {
  steps: number;
}

export interface CompiledGlob {
  readonly pattern: string;
  /** 32-bit words of the compiled tables: what a cache entry costs. */
  readonly weight: number;
  match(path: string, work?: GlobWork): boolean;
}

const MAX_CODE_POINT = 0x10ffff;

/** Sorted, disjoint, inclusive code point ranges `[lo0, hi0, lo1, hi1, ...]`. */
type Ranges = number[];

interface Parsed {
  /** What each non-star atom accepts. */
  readonly atoms: Ranges[];
  /** `stars[j]`: a `*` stands between atom j-1 and atom j (`stars[0]`: before the first). */
  readonly stars: boolean[];
}

/**
 * Python's `fnmatch.fnmatchcase(path, pattern)` (CPython 3.11 `fnmatch.translate`), without a
 * regular expression: the pattern becomes an NFA whose state j means "the first j atoms are
 * matched", a `*` being a self-loop, and the path is run through it with all states at once as a
 * bit set (shift-and). Time is O(path × (pattern / 32 + 1)) for ASCII paths, plus a binary search
 * per other character, whatever the pattern; the translated RegExp this replaces backtracked
 * exponentially on `*?*?*?…Z`.
 */
export function compileGlob(pattern: string): CompiledGlob {
  if (typeof pattern !== 'string') {
    throw new PersianHubError('INVALID_INPUT', 'A glob pattern must be a string.');
  }
  if (pattern.length > MAX_GLOB_LENGTH) {
    throw new PersianHubError('INVALID_INPUT', `A glob pattern can be at most ${MAX_GLOB_LENGTH} characters long (this one has ${pattern.length}).`, {
      details: { length: pattern.length, max: MAX_GLOB_LENGTH },
    });
  }
  const { atoms, stars } = parsePattern(pattern);
  const k = atoms.length;
  const words = (k >>> 5) + 1; // bits 0..k

  // The alphabet cut into intervals on which every atom answers the same; one mask per interval.
  const cuts = new Set<number>([0]);
  for (const r of atoms) {
    for (let i = 0; i < r.length; i += 2) {
      cuts.add(r[i]!);
      if (r[i + 1]! < MAX_CODE_POINT) cuts.add(r[i + 1]! + 1);
    }
  }
  const bounds = Int32Array.from([...cuts].sort((a, b) => a - b));
  const masks = new Uint32Array(bounds.length * words);
  atoms.forEach((r, index) => {
    const state = index + 1; // atom j+1 moves state j to state j+1
    for (let i = 0; i < r.length; i += 2) {
      const last = intervalOf(bounds, r[i + 1]!, undefined);
      for (let t = intervalOf(bounds, r[i]!, undefined); t <= last; t++) masks[t * words + (state >>> 5)]! |= 1 << (state & 31);
    }
  });
  const loops = new Uint32Array(words);
  stars.forEach((star, state) => {
    if (star) loops[state >>> 5]! |= 1 << (state & 31);
  });
  // ASCII (almost every repo path) skips the binary search.
  const ascii = new Uint16Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = intervalOf(bounds, c, undefined);
  const acceptWord = k >>> 5;
  const acceptBit = 1 << (k & 31);

  return {
    pattern,
    weight: masks.length + bounds.length + words + ascii.length / 2,
    match(path: string, work?: GlobWork): boolean {
      const d = new Uint32Array(words);
      d[0] = 1;
      let steps = 0;
      for (let i = 0; i < path.length; i++) {
        let c = path.charCodeAt(i);
        // One state step per code point, as Python strings count them.
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < path.length) {
          const low = path.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
            i++;
          }
        }
        const base = (c < 128 ? ascii[c]! : intervalOf(bounds, c, work)) * words;
        let alive = 0;
        for (let w = words - 1; w >= 0; w--) {
          const shifted = (d[w]! << 1) | (w > 0 ? d[w - 1]! >>> 31 : 0);
          const next = (shifted & masks[base + w]!) | (d[w]! & loops[w]!);
          d[w] = next;
          alive |= next;
        }
        steps += words + 1;
        if (alive === 0) break;
      }
      if (work) work.steps += steps;
      return (d[acceptWord]! & acceptBit) !== 0;
    },
  };
}

/** Index of the interval holding `c`: the last bound ≤ c (bounds[0] is 0). */
function intervalOf(bounds: Int32Array, c: number, work: GlobWork | undefined): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bounds[mid]! <= c) lo = mid;
    else hi = mid - 1;
    if (work) work.steps++;
  }
  return lo;
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const BANG = 0x21; // !
const HYPHEN = 0x2d; // -

/** CPython 3.11 `fnmatch.translate`, step by step, producing atoms instead of regex text. */
function parsePattern(pattern: string): Parsed {
  const pat = codePoints(pattern);
  const n = pat.length;
  const atoms: Ranges[] = [];
  const stars: boolean[] = [false];
  let i = 0;
  while (i < n) {
    const c = pat[i++]!;
    if (c === STAR) {
      stars[atoms.length] = true; // runs of `*` are one star
    } else if (c === QUESTION) {
      pushAtom(atoms, stars, [0, MAX_CODE_POINT]);
    } else if (c === OPEN) {
      let j = i;
      if (j < n && pat[j] === BANG) j++;
      if (j < n && pat[j] === CLOSE) j++;
      while (j < n && pat[j] !== CLOSE) j++;
      if (j >= n) {
        pushAtom(atoms, stars, [OPEN, OPEN]); // no closing `]`: a literal `[`
      } else {
        pushAtom(atoms, stars, parseClass(pat, i, j));
        i = j + 1;
      }
    } else {
      pushAtom(atoms, stars, [c, c]);
    }
  }
  return { atoms, stars };
}

function pushAtom(atoms: Ranges[], stars: boolean[], ranges: Ranges): void {
  atoms.push(ranges);
  stars[atoms.length] = false;
}

/**
 * `pat[start, end)` is the inside of `[...]`. Python splits it at hyphens into chunks; the last
 * character of a chunk and the first of the next bound a range, a reversed range is dropped
 * together with its ends, and every other character is itself. A leading `!` negates.
 */
function parseClass(pat: readonly number[], start: number, end: number): Ranges {
  let chunks: number[][];
  if (!pat.slice(start, end).includes(HYPHEN)) {
    chunks = [pat.slice(start, end)];
  } else {
    chunks = [];
    let i = start;
    let k = pat[start] === BANG ? start + 2 : start + 1;
    for (;;) {
      k = indexOfIn(pat, HYPHEN, k, end);
      if (k < 0) break;
      chunks.push(pat.slice(i, k));
      i = k + 1;
      k = k + 3;
    }
    const chunk = pat.slice(i, end);
    if (chunk.length > 0) chunks.push(chunk);
    else chunks[chunks.length - 1]!.push(HYPHEN);
    for (let m = chunks.length - 1; m > 0; m--) {
      const prev = chunks[m - 1]!;
      const cur = chunks[m]!;
      if (prev[prev.length - 1]! > cur[0]!) {
        chunks[m - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
        chunks.splice(m, 1);
      }
    }
  }
  // Python's special cases: nothing left never matches, a lone `!` matches any character. The
  // `!` test comes after the merging, so `[z-a!b]` (chunks `z`, `a!b` → `!b`) means "not b".
  const flat = chunks.flat();
  if (flat.length === 0) return [];
  const negate = flat[0] === BANG;
  if (negate && flat.length === 1) return [0, MAX_CODE_POINT];
  const pairs: Array<[number, number]> = [];
  chunks.forEach((chunk, m) => {
    for (let t = m === 0 && negate ? 1 : 0; t < chunk.length; t++) pairs.push([chunk[t]!, chunk[t]!]);
    if (m === 0) return;
    const prev = chunks[m - 1]!;
    // `!-c` becomes `[^-c]`, where re reads a hyphen right after `^` as itself, not a range.
    if (m === 1 && negate && prev.length === 1) pairs.push([HYPHEN, HYPHEN]);
    else pairs.push([prev[prev.length - 1]!, chunk[0]!]);
  });
  const set = union(pairs);
  return negate ? complement(set) : set;
}

function indexOfIn(a: readonly number[], value: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (a[i] === value) return i;
  return -1;
}

function union(pairs: Array<[number, number]>): Ranges {
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i]! > next) out.push(next, r[i]! - 1);
    next = r[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}
