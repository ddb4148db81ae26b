import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HubEmulator, RequestRecord } from '@persian-hub/hub-emulator';
import { createDownloadManager, type DownloadManager, type JobSnapshot } from '../src/index.js';
import { decodeSegmentMap, segmentBytes } from '../src/transfer/segmentMap.js';
import { downloadInChild, emulator, manager, sha256File, tempDir } from './helpers.js';

const MiB = 1024 * 1024;
const SIZE = 8 * MiB;
/** Split every file of 1 MiB or more over 4 connections, from the first byte (deterministic ranges). */
const FOUR = { segments: { minSize: MiB, maxConnections: 4, adaptive: false } } as const;

async function bigRepo(size = SIZE): Promise<HubEmulator> {
  return emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size }, { path: 'config.json', content: '{"a":1}' }] }] });
}

function weights(emu: HubEmulator) {
  return emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
}

const cdn = (emu: HubEmulator): RequestRecord[] => emu.requests.filter((r) => r.url.startsWith('/cdn/'));
const cdnBytes = (emu: HubEmulator): number => emu.bytesServed((r) => r.url.startsWith('/cdn/'));

function rangeOf(r: RequestRecord): [number, number | null] | null {
  const m = /^bytes=(\d+)-(\d*)$/.exec(r.headers.range ?? '');
  return m ? [Number(m[1]), m[2] ? Number(m[2]) : null] : null;
}

function progressOf(m: DownloadManager, jobId: string): number[] {
  const seen: number[] = [];
  m.on('progress', (s) => {
    if (s.id === jobId) seen.push(s.bytesDownloaded);
  });
  return seen;
}

function whenProgress(m: DownloadManager, pred: (s: JobSnapshot) => boolean): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const off = m.on('progress', (s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

async function blobNames(m: DownloadManager): Promise<string[]> {
  return (await readdir(join(m.cacheDir, 'models--test--big', 'blobs'))).sort();
}

/** The segment map on disk for this blob: its pieces, or null when there is none. */
async function mapOnDisk(cacheDir: string, etag: string, size: number) {
  const text = await readFile(join(cacheDir, 'models--test--big', 'blobs', `${etag}.persian-hub-map.incomplete`), 'utf8').catch(() => null);
  return text === null ? null : decodeSegmentMap(text, size, etag);
}

function expectMonotonic(seen: number[]): void {
  for (let i = 1; i < seen.length; i++) expect(seen[i]!, `progress went back at event ${i}`).toBeGreaterThanOrEqual(seen[i - 1]!);
}

describe('large files over several connections', () => {
  it('fetches the pieces in parallel, verifies the sha256 and links the blob; progress is monotonic and exact', async () => {
    const emu = await bigRepo();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url, FOUR);
    const job = await m.start({ repoId: 'test/big' });
    const seen = progressOf(m, job.id);
    const done = await m.waitFor(job.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const ranges = cdn(emu).map((r) => r.headers.range);
    expect(ranges.sort()).toEqual(['bytes=0-2097151', 'bytes=2097152-4194303', 'bytes=4194304-6291455', 'bytes=6291456-']);
    expect(cdn(emu).every((r) => r.status === 206)).toBe(true);
    // Four connections at once, and nothing fetched twice (a connection cut short when another
    // takes half of its piece may have had a chunk on its way: that is all).
    expect(new Set(cdn(emu).map((r) => r.connection)).size).toBe(4);
    expect(cdnBytes(emu)).toBeGreaterThanOrEqual(SIZE);
    expect(cdnBytes(emu)).toBeLessThanOrEqual(SIZE + 256 * 1024);
    expectMonotonic(seen);
    expect(seen.every((b) => b <= done.bytesTotal!)).toBe(true);
    expect(done.bytesDownloaded).toBe(done.bytesTotal);
    // Only the blob is left: no segment map, no partial.
    expect(await blobNames(m)).toEqual([weights(emu).etag, emu.repos.get('model:test/big')!.main.filesByPath.get('config.json')!.etag].sort());
  });

  it('adaptive: a slow first connection gets the rest of the file split over more connections', async () => {
    const emu = await bigRepo(6 * MiB);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url, { segments: { minSize: MiB, maxConnections: 4 } });
    const done = await m.waitFor((await m.start({ repoId: 'test/big' })).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const requests = cdn(emu);
    // It starts as one plain GET, then asks for pieces of the rest.
    expect(requests[0]!.headers.range).toBeUndefined();
    expect(requests.slice(1).length).toBeGreaterThanOrEqual(1);
    expect(requests.slice(1).every((r) => r.status === 206 && rangeOf(r) !== null)).toBe(true);
    // The first connection stops where its piece ends: little beyond the file is sent.
    expect(cdnBytes(emu)).toBeLessThanOrEqual(6 * MiB + 4 * 256 * 1024);
  });

  it('resumes every piece after kill -9: the hash is right and only a little is fetched twice', async () => {
    const emu = await bigRepo();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const root = await tempDir();
    const cacheDir = join(root, 'hub');
    const stateDir = join(root, 'state');
    const { child, exited, reached } = downloadInChild(emu.url, cacheDir, stateDir, { repoId: 'test/big' }, FOUR);
    await reached(4 * MiB);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    const file = weights(emu);
    const pieces = await mapOnDisk(cacheDir, file.etag, SIZE);
    expect(pieces).not.toBeNull();
    // Every piece had made progress, and none was done.
    expect(pieces!.filter((p) => p.pos > p.start)).toHaveLength(4);
    const onDisk = segmentBytes(pieces!);
    const servedBefore = cdnBytes(emu);

    emu.setFaults([{ type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } }]);
    const m = createDownloadManager({ endpoint: emu.url, cacheDir, stateDir, token: false, retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 }, ...FOUR });
    await m.ready();
    const [restored] = m.list();
    expect(restored?.status).toBe('paused');
    // What a restarted manager counts is what the map says is on disk (not the sparse file's size).
    expect(m.get(restored!.id)!.files.find((f) => f.path === 'weights.bin')!.bytesDownloaded).toBe(onDisk);
    emu.resetStats();
    await m.resume(restored!.id);
    const done = await m.waitFor(restored!.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    // Each piece continued where its map said: the second run asked for exactly the missing bytes.
    const resumed = cdn(emu).map(rangeOf);
    for (const p of pieces!.filter((x) => x.pos < x.end)) expect(resumed.some((r) => r?.[0] === p.pos)).toBe(true);
    expect(cdnBytes(emu)).toBeGreaterThanOrEqual(SIZE - onDisk);
    expect(cdnBytes(emu)).toBeLessThanOrEqual(SIZE - onDisk + 256 * 1024);
    // Fetched twice: what arrived before the kill but was not yet recorded, about 1 MiB per piece at most.
    expect(servedBefore - onDisk).toBeLessThanOrEqual(4 * MiB);
    await m.close();
  });

  it('a server that ignores Range: one stream takes over from byte 0, progress never goes back', async () => {
    const emu = await bigRepo();
    emu.setFaults([
      { type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } },
      { type: 'ignore-range', times: 1, match: { host: 'cdn' } },
    ]);
    const m = await manager(emu.url, FOUR);
    const job = await m.start({ repoId: 'test/big' });
    const seen = progressOf(m, job.id);
    const done = await m.waitFor(job.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const requests = cdn(emu);
    const whole = requests.filter((r) => r.status === 200);
    // One ranged request got the whole file, and that stream finished it: no request but the first four
    // (some of those may have been stopped before they were sent), each once.
    expect(whole).toHaveLength(1);
    const first = ['bytes=0-2097151', 'bytes=2097152-4194303', 'bytes=4194304-6291455', 'bytes=6291456-'];
    expect(first).toContain(whole[0]!.headers.range);
    const ranges = requests.map((r) => r.headers.range!);
    expect(ranges.every((r) => first.includes(r))).toBe(true);
    expect(new Set(ranges).size).toBe(ranges.length);
    expectMonotonic(seen);
    expect(seen.every((b) => b <= done.bytesTotal!)).toBe(true);
  });

  it('an expired CDN URL (403) is resolved again through the Hub and never written into the file', async () => {
    const emu = await bigRepo();
    emu.setFaults([
      // A connection drops, so its piece is asked for again, at the CDN URL it already knows…
      { type: 'drop', afterBytes: 100_000, times: 1, match: { host: 'cdn' } },
      // …which has expired by then (the four first requests went through).
      { type: 'expired', after: 4, times: 1, match: { host: 'cdn' } },
    ]);
    const m = await manager(emu.url, FOUR);
    const done = await m.waitFor((await m.start({ repoId: 'test/big' })).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const requests = emu.requests.filter((r) => r.url.startsWith('/cdn/') || r.url.includes('/resolve/'));
    const expired = requests.findIndex((r) => r.status === 403);
    expect(expired).toBeGreaterThan(0);
    // Only a retry met the expired URL: it was one the client already knew (no Hub request just before it).
    expect(requests.slice(0, expired).filter((r) => r.url.includes('/resolve/') && r.url.endsWith('/weights.bin'))).toHaveLength(4);
    const after = requests.slice(expired + 1);
    // Then: the Hub again (a fresh redirect), and the same bytes from the CDN.
    expect(after.some((r) => r.url.includes('/resolve/') && r.status === 302)).toBe(true);
    const again = after.find((r) => r.url.startsWith('/cdn/') && r.headers.range === requests[expired]!.headers.range);
    expect(again?.status).toBe(206);
  });

  it('a stall in one piece is retried on its own while the other connections finish theirs', async () => {
    const emu = await bigRepo();
    emu.setFaults([
      { type: 'stall', afterBytes: 64 * 1024, times: 1, match: { host: 'cdn' } },
      { type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } },
    ]);
    const m = await manager(emu.url, { ...FOUR, stallTimeoutMs: 300 });
    const done = await m.waitFor((await m.start({ repoId: 'test/big' })).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const requests = cdn(emu);
    const stalled = requests[0]!;
    const [from] = rangeOf(stalled)!;
    // The stalled piece came back from where it stopped, not from its start.
    const retry = requests.find((r) => r !== stalled && rangeOf(r)?.[0] === from + 64 * 1024);
    expect(retry?.status).toBe(206);
    // The three other first requests were not disturbed: whole pieces, each once.
    expect(requests.slice(1, 4).every((r) => r.status === 206)).toBe(true);
    expect(cdnBytes(emu)).toBeGreaterThanOrEqual(SIZE);
    expect(cdnBytes(emu)).toBeLessThanOrEqual(SIZE + 256 * 1024);
  });

  it("continues a plain partial (huggingface_hub's `<etag>.incomplete`) and splits only the rest", async () => {
    const emu = await bigRepo();
    const m = await manager(emu.url, FOUR);
    const file = weights(emu);
    // The first 3 MiB, as Python (or an earlier single-connection download) leaves them.
    const full = await fetch(`${emu.url}/test/big/resolve/main/weights.bin`).then(async (r) => Buffer.from(await r.arrayBuffer()));
    const blobs = join(m.cacheDir, 'models--test--big', 'blobs');
    await mkdir(blobs, { recursive: true });
    await writeFile(join(blobs, `${file.etag}.incomplete`), full.subarray(0, 3 * MiB));
    emu.resetStats();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } }]);
    const done = await m.waitFor((await m.start({ repoId: 'test/big', include: ['weights.bin'] })).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    expect(cdn(emu).every((r) => rangeOf(r)![0] >= 3 * MiB)).toBe(true);
    expect(cdn(emu).length).toBe(4);
    expect(cdnBytes(emu)).toBeGreaterThanOrEqual(SIZE - 3 * MiB);
    expect(cdnBytes(emu)).toBeLessThanOrEqual(SIZE - 3 * MiB + 256 * 1024);
  });

  it('a paused segmented partial goes once another program finished the blob (no leftovers beside it)', async () => {
    const emu = await bigRepo();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url, FOUR);
    const file = weights(emu);
    const job = await m.start({ repoId: 'test/big', include: ['weights.bin'] });
    await whenProgress(m, (s) => s.bytesDownloaded > MiB);
    await m.pause(job.id);
    expect((await blobNames(m)).filter((n) => n.includes('.persian-hub'))).toHaveLength(2);
    // Meanwhile Python's huggingface_hub (which never opens our pieces) fetched the file whole.
    emu.clearFaults();
    const whole = await fetch(`${emu.url}/test/big/resolve/main/weights.bin`).then(async (r) => Buffer.from(await r.arrayBuffer()));
    await writeFile(join(m.cacheDir, 'models--test--big', 'blobs', file.etag), whole);
    const done = await m.waitFor((await m.resume(job.id)).id);
    expect(m.get(done.id)!.files.map((f) => f.status)).toEqual(['cached']);
    expect(await blobNames(m)).toEqual([file.etag]);
  });

  it('asks for a piece bigger than 16 MiB in parts (so another connection can take work without cutting one short)', async () => {
    const size = 40 * MiB;
    const emu = await bigRepo(size);
    const m = await manager(emu.url, { segments: { minSize: MiB, maxConnections: 2, adaptive: false } });
    const done = await m.waitFor((await m.start({ repoId: 'test/big', include: ['weights.bin'] })).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(weights(emu).sha256);
    const requests = cdn(emu);
    const at = (start: number) => requests.find((r) => rangeOf(r)?.[0] === start);
    // Two pieces of 20 MiB: each asked for as 16 MiB, then the rest.
    expect(at(0)?.headers.range).toBe(`bytes=0-${16 * MiB - 1}`);
    expect(at(16 * MiB)?.status).toBe(206);
    expect(at(20 * MiB)?.headers.range).toBe(`bytes=${20 * MiB}-${36 * MiB - 1}`);
    expect(at(36 * MiB)?.status).toBe(206);
    for (const r of requests) {
      const [from, to] = rangeOf(r)!;
      expect((to === null ? size - 1 : to) - from + 1).toBeLessThanOrEqual(16 * MiB);
    }
  });

  it('splits into a local dir too, and leaves only the file and its metadata', async () => {
    const emu = await bigRepo();
    const m = await manager(emu.url, FOUR);
    const dir = await tempDir();
    const done = await m.waitFor((await m.start({ repoId: 'test/big', include: ['weights.bin'], localDir: dir })).id);
    expect(await sha256File(join(dir, 'weights.bin'))).toBe(weights(emu).sha256);
    expect(done.path).toBe(dir);
    expect(cdn(emu).length).toBeGreaterThanOrEqual(4);
    const download = await readdir(join(dir, '.cache', 'huggingface', 'download'));
    expect(download.filter((n) => n.endsWith('.incomplete'))).toEqual([]);
    expect(download).toContain('weights.bin.metadata');
  });

  it('pause keeps every piece (the count equals the map on disk); resume completes; cancel removes the pieces', async () => {
    const emu = await bigRepo();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url, FOUR);
    const file = weights(emu);
    const job = await m.start({ repoId: 'test/big' });
    await whenProgress(m, (s) => s.bytesDownloaded > 2 * MiB);
    expect((await m.pause(job.id)).status).toBe('paused');
    const paused = m.get(job.id)!;
    const pieces = await mapOnDisk(m.cacheDir, file.etag, SIZE);
    expect(pieces?.filter((p) => p.pos > p.start).length).toBe(4);
    // The pieces live under names huggingface_hub never opens: its `<etag>.incomplete` (which it
    // resumes from its size, or moves into place when the size is right) never holds a file with holes.
    expect(await blobNames(m)).not.toContain(`${file.etag}.incomplete`);
    const configDone = paused.files.find((f) => f.path === 'config.json')!.bytesDownloaded;
    // Exact: what the job says is what the pieces on disk hold.
    expect(paused.files.find((f) => f.path === 'weights.bin')!.bytesDownloaded).toBe(segmentBytes(pieces!));
    expect(paused.bytesDownloaded).toBe(segmentBytes(pieces!) + configDone);
    expect(cdnBytes(emu) - segmentBytes(pieces!)).toBeLessThanOrEqual(4 * MiB);

    emu.setFaults([{ type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } }]);
    emu.resetStats();
    await m.resume(job.id);
    const done = await m.waitFor(job.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    // Each piece went on from its own position: the missing bytes came, and hardly more.
    for (const p of pieces!.filter((x) => x.pos < x.end)) expect(cdn(emu).some((r) => rangeOf(r)?.[0] === p.pos)).toBe(true);
    expect(cdnBytes(emu)).toBeGreaterThanOrEqual(SIZE - segmentBytes(pieces!));
    expect(cdnBytes(emu)).toBeLessThanOrEqual(SIZE - segmentBytes(pieces!) + 256 * 1024);
    expect(await mapOnDisk(m.cacheDir, file.etag, SIZE)).toBeNull();

    // Cancel in the middle: the pieces and their map go, nothing becomes a blob.
    const emu2 = await bigRepo();
    emu2.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const m2 = await manager(emu2.url, FOUR);
    const job2 = await m2.start({ repoId: 'test/big', include: ['weights.bin'] });
    await whenProgress(m2, (s) => s.bytesDownloaded > 2 * MiB);
    expect((await blobNames(m2)).some((n) => n.endsWith('.persian-hub.incomplete'))).toBe(true);
    const cancelled = await m2.cancel(job2.id);
    expect(cancelled.status).toBe('cancelled');
    expect(await blobNames(m2)).toEqual([]);
  });
});
