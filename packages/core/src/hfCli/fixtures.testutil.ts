import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Real transcripts of `hf download` / `huggingface-cli download` (see the folder's README.md). */
export const FIXTURE_DIR = fileURLToPath(new URL('../../test/fixtures/hf-cli/', import.meta.url));

export interface Transcript {
  readonly name: string;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  readonly exitCode: number;
}

export function loadTranscript(name: string): Transcript {
  const read = (ext: string) => new Uint8Array(readFileSync(`${FIXTURE_DIR}${name}.${ext}`));
  return {
    name,
    stdout: read('stdout'),
    stderr: read('stderr'),
    exitCode: Number(readFileSync(`${FIXTURE_DIR}${name}.exitcode`, 'utf8').trim()),
  };
}

export const TRANSCRIPT_NAMES: readonly string[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.stderr'))
  .map((file) => file.slice(0, -'.stderr'.length))
  .sort();

/** mulberry32: small, seedable, good enough to pick chunk sizes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` into pieces of 1..maxSize elements, sizes drawn from `random`. */
export function randomChunks<T extends Uint8Array | string>(data: T, random: () => number, maxSize = 64): T[] {
  const chunks: T[] = [];
  for (let offset = 0; offset < data.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(data.slice(offset, offset + size) as T);
    offset += size;
  }
  return chunks;
}
