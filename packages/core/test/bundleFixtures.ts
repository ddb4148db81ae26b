// Hand-built bundles and cache snapshots for the bundle tests: same tar library as the code under
// test, every byte under the test's control.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract, pack as tarPack } from 'tar-stream';
import { expect } from 'vitest';
import type { BundleManifest } from '../src/bundles/index.js';
import { isPersianHubError, type PersianHubErrorCode } from '../src/PersianHubError.js';
import { describeTree } from './helpers.js';

export const BERT = 'HooshvareLab/bert-fa-base-uncased';

export async function expectCode(promise: Promise<unknown>, code: PersianHubErrorCode, message?: RegExp): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  expect(isPersianHubError(error), String(error)).toBe(true);
  expect((error as { code: string }).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as Error;
}

/** describeTree plus every folder (describeTree alone would not show an empty leftover staging folder). */
export async function cacheState(dir: string): Promise<Record<string, string>> {
  return describeTree(dir, { dirs: true });
}

export async function tarEntryNames(file: string): Promise<Array<{ name: string; type: string; size: number }>> {
  const out: Array<{ name: string; type: string; size: number }> = [];
  const ex = tarExtract();
  ex.on('entry', (h, stream, next) => {
    out.push({ name: h.name, type: h.type ?? 'unknown', size: h.size });
    stream.on('end', () => next());
    stream.resume();
  });
  await pipeline(createReadStream(file), ex as unknown as NodeJS.WritableStream);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-built bundles (for the hostile cases): same tar library, every byte under our control.
// ---------------------------------------------------------------------------------------------

export interface RawEntry {
  name: string;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'character-device' | 'fifo';
  body?: Buffer;
  size?: number;
  linkname?: string;
}

export async function writeTar(file: string, entries: RawEntry[]): Promise<void> {
  const p = tarPack();
  const done = pipeline(p, createWriteStream(file));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type: e.type ?? 'file', size: e.body?.length ?? e.size ?? 0, linkname: e.linkname ?? '', mode: 0o644, mtime: new Date(0) };
      if (e.body) p.entry(header, e.body, (err) => (err ? reject(err) : resolve()));
      else p.entry(header, (err) => (err ? reject(err) : resolve())).end(undefined);
    });
  }
  p.finalize();
  await done;
}

export function gitSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function flipByte(b: Buffer, at: number): Buffer {
  const copy = Buffer.from(b);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

export function pseudoRandom(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export const SYN_COMMIT = 'c0ffee'.padEnd(40, '7');
export const SYN_FILES: Record<string, { body: Buffer; lfs: boolean }> = {
  'config.json': { body: Buffer.from('{"model_type":"bert","vocab_size":100000}\n'), lfs: false },
  'sub/dir/notes.txt': { body: Buffer.from('یادداشت\n'), lfs: false },
  'پوشه/واژگان.txt': { body: Buffer.from('سلام\nدنیا\n'), lfs: false },
  'model.bin': { body: pseudoRandom(300 * 1024 + 7, 42), lfs: true },
};

export function synManifest(overrides: Partial<BundleManifest> = {}): BundleManifest {
  return {
    format: 'persian-hub-bundle',
    formatVersion: 1,
    tool: { name: '@persian-hub/core', version: '0.0.0-test' },
    createdAt: '2025-01-01T00:00:00.000Z',
    repoId: BERT,
    repoType: 'model',
    revision: 'main',
    commit: SYN_COMMIT,
    catalogId: null,
    files: Object.entries(SYN_FILES).map(([path, { body, lfs }]) => fileEntry(path, body, lfs)),
    otherFiles: [],
    ...overrides,
  };
}

export function manifestEntry(m: unknown): RawEntry {
  return { name: 'persian-hub-bundle.json', body: Buffer.from(JSON.stringify(m)) };
}

export function synEntries(): RawEntry[] {
  return Object.entries(SYN_FILES).map(([path, { body }]) => ({ name: `files/${path}`, body }));
}

/** Every file's sha256, every link's target and every folder: equal results mean a byte-identical cache. */
export async function cacheHashes(dir: string): Promise<Record<string, string>> {
  return describeTree(dir, { dirs: true, hash: true });
}

/** A manifest entry for these bytes (LFS: sha256, else git blob sha1), as the exporter writes it. */
export function fileEntry(path: string, body: Buffer, lfs: boolean): BundleManifest['files'][number] {
  if (!lfs) return { path, size: body.length, lfs, gitOid: gitSha1(body), etag: gitSha1(body) };
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { path, size: body.length, lfs, sha256, etag: sha256 };
}

/** Every entry of a (small) tar with its bytes, to rebuild it with changes. */
export async function readTar(file: string): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  const ex = tarExtract();
  ex.on('entry', (h, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: unknown) => parts.push(c as Buffer));
    stream.on('end', () => {
      out.push({ name: h.name, type: (h.type ?? 'file') as RawEntry['type'], body: Buffer.concat(parts) });
      next();
    });
  });
  await pipeline(createReadStream(file), ex as unknown as NodeJS.WritableStream);
  return out;
}
