import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** How much of the file one catch-up read brings into memory. */
const READ_BYTES = 1 << 20;

export interface HashedFile {
  readonly size: number;
  readonly lfs: boolean;
}

export function newFileHash(file: HashedFile): Hash {
  if (file.lfs) return createHash('sha256');
  // git blob id: sha1("blob <size>\0" + content)
  return createHash('sha1').update(`blob ${file.size}\0`);
}

/**
 * The file's hash, computed front to back while its pieces arrive in any order.
 *
 * Bytes that arrive exactly where the hash stands are hashed from memory as they come (one
 * connection, or the connection that carries the front of the file). Everything else is read
 * back from disk once the bytes before it are all there (`follow`): the prefix that is complete
 * on disk is hashed while the other connections are still downloading, so little is left to
 * hash after the last byte. Measured against one pass after the last byte, see bench/README.md.
 */
export class PrefixHasher {
  readonly #file: HashedFile;
  #hash: Hash;
  #at = 0;
  #target = 0;
  #reading: Promise<void> | null = null;
  #error: unknown = null;
  #buffer: Buffer | null = null;

  constructor(file: HashedFile) {
    this.#file = file;
    this.#hash = newFileHash(file);
  }

  /** Bytes hashed so far, from offset 0. */
  get hashedTo(): number {
    return this.#at;
  }

  /** Bytes that arrived at `offset`: hashed now when they continue the hash, else left for `follow`. */
  offer(offset: number, chunk: Buffer): void {
    if (offset > this.#at || offset + chunk.length <= this.#at) return;
    this.#hash.update(offset === this.#at ? chunk : chunk.subarray(this.#at - offset));
    this.#at = offset + chunk.length;
  }

  /**
   * Bytes before `offset` might have been hashed without landing on disk (a failed write): the
   * hash starts over and will be rebuilt from what is really on disk.
   */
  rewindTo(offset: number): void {
    if (this.#at <= offset) return;
    this.#hash = newFileHash(this.#file);
    this.#at = 0;
  }

  /**
   * Starts over from byte 0 (a server that ignored Range sends the file from its start). What is
   * on disk is not the new stream's until it is written again, so `follow` starts from 0 too.
   */
  reset(): void {
    this.#hash = newFileHash(this.#file);
    this.#at = 0;
    this.#target = 0;
  }

  /** `[0, prefix)` is on disk in `handle`: hash what is not hashed yet, in the background. */
  follow(handle: FileHandle, prefix: number): void {
    if (prefix > this.#target) this.#target = prefix;
    if (!this.#reading && this.#target > this.#at) this.#reading = this.#readUpTo(handle);
  }

  /** Hashes `[hashedTo, n)` from `handle` now (a plain prefix on disk before its stream continues). */
  async hashUpTo(handle: FileHandle, n: number): Promise<void> {
    this.follow(handle, n);
    while (this.#reading) await this.#reading;
    if (this.#error) throw this.#error;
  }

  /** Hashes every byte up to `size` from `handle` (waiting for a background read) and returns the digest. */
  async digest(handle: FileHandle): Promise<string> {
    for (;;) {
      if (this.#reading) await this.#reading;
      if (this.#error) throw this.#error;
      this.follow(handle, this.#file.size);
      if (!this.#reading) break;
    }
    return this.#hash.digest('hex');
  }

  async #readUpTo(handle: FileHandle): Promise<void> {
    try {
      this.#buffer ??= Buffer.allocUnsafe(READ_BYTES);
      while (this.#at < this.#target) {
        const from = this.#at;
        const hash = this.#hash;
        const want = Math.min(READ_BYTES, this.#target - from);
        const { bytesRead } = await handle.read(this.#buffer, 0, want, from);
        if (bytesRead === 0) throw new Error(`short read at ${from} while hashing`);
        // Meanwhile `offer` may have moved the hash on (or `reset` replaced it): use only what is still new.
        if (hash !== this.#hash || this.#at < from) break;
        const skip = this.#at - from;
        if (skip < bytesRead) {
          this.#hash.update(this.#buffer.subarray(skip, bytesRead));
          this.#at = from + bytesRead;
        }
      }
    } catch (error) {
      this.#error ??= error;
    } finally {
      this.#reading = null;
    }
  }
}
