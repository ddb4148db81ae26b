/**
 * Deterministic pseudo-random bytes, produced in fixed blocks so that any byte range of a huge
 * "file" can be served (and hashed) without ever holding the whole file in memory.
 */
export const GENERATED_BLOCK_SIZE = 64 * 1024;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** One full block (always GENERATED_BLOCK_SIZE bytes) of the stream identified by `seed`. */
export function generatedBlock(seed: string, blockIndex: number): Buffer {
  const base = fnv1a(seed);
  let a = mix(base ^ Math.imul(blockIndex + 1, 0x9e3779b9)) | 1;
  let b = mix(a + 0x6a09e667) | 1;
  let c = mix(b ^ 0xbb67ae85) | 1;
  let d = mix(c + blockIndex) | 1;
  const words = new Uint32Array(GENERATED_BLOCK_SIZE / 4);
  for (let i = 0; i < words.length; i++) {
    // xorshift128
    let t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    words[i] = d;
  }
  return Buffer.from(words.buffer);
}

/** Yields the bytes `[start, end)` of the generated stream, in chunks of at most one block. */
export function* generatedRange(seed: string, start: number, end: number): Generator<Buffer> {
  let pos = start;
  while (pos < end) {
    const index = Math.floor(pos / GENERATED_BLOCK_SIZE);
    const blockStart = index * GENERATED_BLOCK_SIZE;
    const block = generatedBlock(seed, index);
    const from = pos - blockStart;
    const to = Math.min(GENERATED_BLOCK_SIZE, end - blockStart);
    yield block.subarray(from, to);
    pos = blockStart + to;
  }
}
