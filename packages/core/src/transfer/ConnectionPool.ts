/**
 * Extra connections a job may open to split its large files. Every file has its own first
 * connection; a file that splits takes more from here and gives them back as its pieces end, so
 * one job never holds more than `fileConcurrency + size` connections however many large files
 * it has.
 */
export class ConnectionPool {
  #free: number;

  constructor(size: number) {
    this.#free = Math.max(0, Math.floor(size));
  }

  /** Takes up to `wanted` connections; returns how many it got (maybe 0). */
  take(wanted: number): number {
    const got = Math.max(0, Math.min(Math.floor(wanted), this.#free));
    this.#free -= got;
    return got;
  }

  release(count: number): void {
    this.#free += count;
  }

  get free(): number {
    return this.#free;
  }
}
