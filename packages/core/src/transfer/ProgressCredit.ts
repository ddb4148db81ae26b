/**
 * Byte ranges already counted as progress when a stream from byte 0 took over (the server
 * ignored Range). The stream rewrites them, but they are not counted again, so progress never
 * goes back and ends at exactly the file's size.
 */
export class ProgressCredit {
  readonly #spans: Array<[number, number]> = [];

  get empty(): boolean {
    return this.#spans.length === 0;
  }

  add(start: number, end: number): void {
    if (end > start) this.#spans.push([start, end]);
  }

  /** How many of the bytes `[a, b)` were not counted before. */
  countNew(a: number, b: number): number {
    let n = b - a;
    for (const [s, e] of this.#spans) {
      const lo = Math.max(a, s);
      const hi = Math.min(b, e);
      if (hi > lo) n -= hi - lo;
    }
    return Math.max(0, n);
  }

  /** Bytes counted in all: these ranges together with `more` (on disk now), overlaps once. */
  total(more: ReadonlyArray<readonly [number, number]>): number {
    const spans = [...this.#spans, ...more].sort((x, y) => x[0] - y[0]);
    let total = 0;
    let reach = 0;
    for (const [s, e] of spans) {
      const from = Math.max(s, reach);
      if (e > from) total += e - from;
      reach = Math.max(reach, e);
    }
    return total;
  }
}
