import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDownloadManager, isPersianHubError, type JobSnapshot } from '../src/index.js';
import { downloadInChild, emulator, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

const BERT = 'HooshvareLab/bert-fa-base-uncased';
const MiB = 1024 * 1024;

function nextEvent<T>(m: { on: (e: never, l: never) => () => void }, event: string, pred: (s: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const off = (m.on as (e: string, l: (s: T) => void) => () => void)(event, (s: T) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** A repo with one big generated LFS file, slow enough to pause or kill mid-way. */
async function bigRepoEmulator(size = 8 * MiB) {
  return emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size }, { path: 'config.json', content: '{"a":1}' }] }] });
}

describe('DownloadManager', () => {
  it('pauses and resumes from the bytes on disk, with correct sha256 and no wasted bytes', async () => {
    const emu = await bigRepoEmulator();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 4 * MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url);
    const file = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
    const job = await m.start({ repoId: 'test/big' });
    await nextEvent<JobSnapshot>(m as never, 'progress', (s) => s.bytesDownloaded > MiB);
    const paused = await m.pause(job.id);
    expect(paused.status).toBe('paused');
    expect(paused.bytesDownloaded).toBeGreaterThan(MiB);
    expect(paused.bytesDownloaded).toBeLessThan(paused.bytesTotal!);
    const blobs = join(m.cacheDir, 'models--test--big', 'blobs');
    expect((await readdir(blobs)).some((n) => n.endsWith('.incomplete'))).toBe(true);
    emu.clearFaults();
    const resumed = await m.resume(job.id);
    expect(['queued', 'resolving', 'downloading'].includes(resumed.status)).toBe(true);
    const done = await m.waitFor(job.id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    const total = done.bytesTotal!;
    expect(emu.bytesServed((r) => r.url.startsWith('/cdn/') || r.url.includes('/resolve/'))).toBeLessThanOrEqual(total + MiB);
    const ranged = emu.requests.filter((r) => r.url.startsWith('/cdn/') && r.headers.range);
    expect(ranged.length).toBeGreaterThan(0);
  });

  it('survives SIGKILL: a new manager on the same stateDir resumes the job to completion', async () => {
    const emu = await bigRepoEmulator(12 * MiB);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 6 * MiB, match: { host: 'cdn' } }]);
    const root = await tempDir();
    const cacheDir = join(root, 'hub');
    const stateDir = join(root, 'state');
    const { child, exited, reached } = downloadInChild(emu.url, cacheDir, stateDir, { repoId: 'test/big' });
    // Wait until the child has written a few MiB, then kill it without warning.
    await reached(3 * MiB);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    const m = createDownloadManager({ endpoint: emu.url, cacheDir, stateDir, token: false, retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 } });
    await m.ready();
    const [restored] = m.list();
    expect(restored?.status).toBe('paused');
    // Counted from disk: what the child had received but not yet written (a few hundred KiB under
    // load) is not there, so the bound is looser than the 3 MiB it reported.
    expect(restored!.bytesDownloaded).toBeGreaterThan(MiB);
    emu.clearFaults();
    const servedBefore = emu.bytesServed((r) => r.url.startsWith('/cdn/'));
    await m.resume(restored!.id);
    const done = await m.waitFor(restored!.id);
    const file = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    const servedAfter = emu.bytesServed((r) => r.url.startsWith('/cdn/'));
    // Only what was not on disk came again (plus at most what was in flight when killed).
    expect(servedAfter - servedBefore).toBeLessThanOrEqual(file.size - restored!.bytesDownloaded + MiB);
    expect(emu.bytesServed((r) => r.url.startsWith('/cdn/'))).toBeLessThanOrEqual(file.size + 2 * MiB);
    await m.close();
  });

  it('two processes on one cache: the second waits for the first writer of a blob instead of writing it too', async () => {
    const emu = await bigRepoEmulator(12 * MiB);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 6 * MiB, match: { host: 'cdn' } }]);
    const root = await tempDir();
    const cacheDir = join(root, 'hub');
    const { child, exited, reached } = downloadInChild(emu.url, cacheDir, join(root, 'child-state'), { repoId: 'test/big' });
    await reached(MiB);
    // The child holds the blob's lock and writes its .incomplete; this process needs the same blob.
    const m = createDownloadManager({ endpoint: emu.url, cacheDir, stateDir: join(root, 'state'), token: false });
    await m.ready();
    const waiting = nextEvent<{ code: string; message: string }>(m as never, 'warning', (w) => w.code === 'WAITING_FOR_OTHER_PROCESS');
    const first = await m.start({ repoId: 'test/big' });
    expect((await waiting).message).toContain(`process ${child.pid}`);
    // The snapshot says so too, so a UI shows "waiting", not "stalled".
    expect(m.get(first.id)!.waitingFor).toBe('weights.bin');
    // Cancelling here must not delete the child's partial: it is the child's download in progress.
    expect((await m.cancel(first.id)).status).toBe('cancelled');
    expect((await exited).code).toBe(0);
    const job = await m.start({ repoId: 'test/big' });
    const done = await m.waitFor(job.id);
    const file = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(file.sha256);
    expect(done.waitingFor).toBeNull();
    expect(m.get(first.id)!.waitingFor).toBeNull();
    // One writer: every byte of the big file was served once (two writers would need it twice).
    expect(emu.bytesServed((r) => r.url.startsWith('/cdn/'))).toBeLessThan(file.size + MiB);
    // No lock left behind, and no folder made for one.
    expect(await readdir(cacheDir)).not.toContain('.locks');
    await m.close();
  });

  it('two processes fetching the same small files at once both finish, with whole blobs and no temp files left', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `data/${String(i).padStart(2, '0')}.json`, content: `{"i":${i},"pad":"${'x'.repeat(20_000)}"}` }));
    const emu = await emulator({ repos: [{ id: 'test/small', files }] });
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 256 * 1024 }]);
    const root = await tempDir();
    const cacheDir = join(root, 'hub');
    const { exited, reached } = downloadInChild(emu.url, cacheDir, join(root, 'child-state'), { repoId: 'test/small' });
    await reached(0);
    const m = createDownloadManager({ endpoint: emu.url, cacheDir, stateDir: join(root, 'state'), token: false });
    const done = await m.waitFor((await m.start({ repoId: 'test/small' })).id);
    expect((await exited).code).toBe(0);
    const repo = emu.repos.get('model:test/small')!.main;
    for (const f of files) expect(await readFile(join(done.path!, f.path), 'utf8')).toBe(f.content);
    const blobs = await readdir(join(cacheDir, 'models--test--small', 'blobs'));
    expect(blobs.sort()).toEqual([...new Set(files.map((f) => repo.filesByPath.get(f.path)!.etag))].sort());
    await m.close();
  });

  it('sweeps small-file temps of a crashed process (dead pid, untouched 10 min), never a live or recent one', async () => {
    const emu = await emulator({ repos: [{ id: 'test/tiny', files: [{ path: 'a.json', content: '{"a":1}' }] }] });
    const root = await tempDir();
    const blobs = join(root, 'hub', 'models--test--tiny', 'blobs');
    await mkdir(blobs, { recursive: true });
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const etag = 'ab'.repeat(20);
    const name = (pid: number) => `${etag}.incomplete.${pid}-0123abcd.tmp`;
    const old = new Date(Date.now() - 60 * 60_000);
    await writeFile(join(blobs, name(dead)), 'left by a crash');
    await utimes(join(blobs, name(dead)), old, old);
    await writeFile(join(blobs, `${etag}.incomplete.${dead}-89abcdef.tmp`), 'dead writer, but written just now');
    await writeFile(join(blobs, name(1)), 'pid 1 is alive');
    await utimes(join(blobs, name(1)), old, old);
    const m = createDownloadManager({ endpoint: emu.url, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), token: false });
    await m.waitFor((await m.start({ repoId: 'test/tiny' })).id);
    const left = (await readdir(blobs)).filter((n) => n.endsWith('.tmp')).sort();
    expect(left).toEqual([`${etag}.incomplete.${dead}-89abcdef.tmp`, name(1)].sort());
    await m.close();
  });

  it('returns the same job for a duplicate start, and queues beyond `concurrency`', async () => {
    const emu = await sharedEmulator();
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url, { concurrency: 1 });
    const a = await m.start({ repoId: BERT, include: ['pytorch_model.bin'] });
    const again = await m.start({ repoId: BERT, include: ['pytorch_model.bin'] });
    expect(again.id).toBe(a.id);
    const b = await m.start('hooshvare-bert-fa-zwnj-base');
    expect(b.id).not.toBe(a.id);
    expect(m.get(b.id)!.status).toBe('queued');
    let maxRunning = 0;
    const count = () => {
      maxRunning = Math.max(maxRunning, m.list().filter((j) => ['resolving', 'downloading', 'verifying'].includes(j.status)).length);
    };
    for (const e of ['started', 'progress', 'file-completed', 'completed'] as const) m.on(e, count);
    count();
    emu.clearFaults();
    await Promise.all([m.waitFor(a.id), m.waitFor(b.id)]);
    expect(maxRunning).toBe(1);
    await m.onIdle();
  });

  it('cancel removes the partial files and keeps other snapshots whole', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const other = await m.waitFor((await m.start({ repoId: BERT, include: ['config.json', 'vocab.txt'] })).id);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 1 * MiB, match: { host: 'cdn' } }]);
    const job = await m.start({ repoId: BERT, include: ['config.json', 'pytorch_model.bin', 'tf_model.h5'] });
    await nextEvent<JobSnapshot>(m as never, 'progress', (s) => s.id === job.id && s.bytesDownloaded > 100_000);
    const cancelled = await m.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await expect(m.waitFor(job.id)).rejects.toMatchObject({ code: 'CANCELLED' });
    const blobs = await readdir(join(m.cacheDir, 'models--HooshvareLab--bert-fa-base-uncased', 'blobs'));
    expect(blobs.filter((b) => b.endsWith('.incomplete'))).toEqual([]);
    for (const f of other.files) expect((await readFile(join(other.path!, f.path))).length).toBe(f.size);
    const installed = await m.installed();
    expect(installed.some((i) => i.repoId === BERT)).toBe(true);
  });

  it('detects a cache written in the Python layout as installed, and a partial one as not', async () => {
    const cacheDir = join(await tempDir(), 'hub');
    const commit = 'a'.repeat(40);
    const repo = join(cacheDir, 'models--HooshvareLab--bert-fa-base-uncased');
    const files = { 'config.json': '{"x":1}', 'vocab.txt': 'سلام\n', 'pytorch_model.bin': 'weights' };
    await mkdir(join(repo, 'refs'), { recursive: true });
    await writeFile(join(repo, 'refs', 'main'), commit);
    await mkdir(join(repo, 'blobs'), { recursive: true });
    await mkdir(join(repo, 'snapshots', commit), { recursive: true });
    let i = 0;
    for (const [name, content] of Object.entries(files)) {
      const blob = String(++i).repeat(40);
      await writeFile(join(repo, 'blobs', blob), content);
      await symlink(`../../blobs/${blob}`, join(repo, 'snapshots', commit, name));
    }
    const m = createDownloadManager({ cacheDir, stateDir: join(cacheDir, '..', 'state'), endpoint: 'http://127.0.0.1:9' });
    const installed = await m.installed();
    const row = installed.find((r) => r.catalogId === 'hooshvare-bert-fa-base-uncased');
    expect(row).toMatchObject({ repoId: BERT, commit, location: 'cache', refs: ['main'] });
    expect(row!.sizeOnDisk).toBe(Object.values(files).reduce((s, c) => s + Buffer.byteLength(c), 0));
    const available = await m.available({ query: 'bert' });
    expect(available.find((a) => a.id === 'hooshvare-bert-fa-base-uncased')?.installed?.commit).toBe(commit);

    // Partial: one selected file missing and its blob still .incomplete → not installed.
    const { rm } = await import('node:fs/promises');
    await rm(join(repo, 'snapshots', commit, 'pytorch_model.bin'));
    await writeFile(join(repo, 'blobs', `${'9'.repeat(64)}.incomplete`), 'wei');
    expect((await m.installed()).find((r) => r.catalogId === 'hooshvare-bert-fa-base-uncased')).toBeUndefined();
    expect((await m.installed()).find((r) => r.repoId === BERT)).toBeUndefined();
    await m.close();
  });

  it('skips a broken job file with a warning and keeps the others', async () => {
    const emu = await sharedEmulator();
    const root = await tempDir();
    const opts = { endpoint: emu.url, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), token: false as const };
    const m1 = createDownloadManager(opts);
    const done = await m1.waitFor((await m1.start({ repoId: BERT, include: ['config.json'] })).id);
    await m1.close();
    await writeFile(join(root, 'state', 'job_truncated.json'), '{"id":"job_trunc');
    await writeFile(join(root, 'state', 'job_garbage00.json'), '[1,2,3]');
    const warnings: string[] = [];
    const m2 = createDownloadManager(opts);
    m2.on('warning', (w) => warnings.push(`${w.code}: ${w.message}`));
    await m2.ready();
    await new Promise((r) => setImmediate(r));
    expect(m2.list().map((j) => j.id)).toEqual([done.id]);
    expect(warnings.filter((w) => w.startsWith('CORRUPT_JOB_FILE'))).toHaveLength(2);
    await m2.close();
  });

  it('falls back from a dead endpoint to a live one and says which served the job', async () => {
    const emu = await sharedEmulator();
    const dead = await emulator();
    const deadUrl = dead.url;
    await dead.close();
    const m = await manager(deadUrl, { endpoints: [deadUrl, emu.url], retry: { retries: 1, minDelayMs: 5, maxDelayMs: 10 } });
    const done = await m.waitFor((await m.start({ repoId: BERT, include: ['config.json'] })).id);
    expect(done.status).toBe('completed');
    expect(done.endpoint).toBe(emu.url);
  });

  it('starts a catalog entry by id and lists it as installed afterwards', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const done = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
    expect(done.catalogId).toBe('piper-fa-amir-medium');
    expect(done.files.map((f) => f.path).every((p) => p.startsWith('fa/fa_IR/amir/medium/'))).toBe(true);
    const available = await m.available({ kind: 'tts' });
    expect(available.find((a) => a.id === 'piper-fa-amir-medium')?.installed).not.toBeNull();
    expect(available.find((a) => a.id === 'piper-fa-gyro-medium')?.installed).toBeNull();
    // remove() refuses nothing here (no job running) and deletes the snapshot.
    const removed = await m.remove('piper-fa-amir-medium');
    expect(removed).toHaveLength(1);
    expect((await m.installed()).find((i) => i.catalogId === 'piper-fa-amir-medium')).toBeUndefined();
  });

  it('refuses to remove a snapshot while a job uses it', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    await m.waitFor((await m.start({ repoId: BERT, include: ['config.json'] })).id);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 512 * 1024, match: { host: 'cdn' } }]);
    const job = await m.start({ repoId: BERT, include: ['pytorch_model.bin'] });
    await nextEvent<JobSnapshot>(m as never, 'progress', (s) => s.id === job.id && s.bytesDownloaded > 0);
    await expect(m.remove(BERT)).rejects.toMatchObject({ code: 'CONFLICT' });
    await m.cancel(job.id);
  });

  describe('disk space (needs root to mount a small tmpfs)', () => {
    const isRoot = process.getuid?.() === 0;
    it.runIf(isRoot)('fails early with DISK_FULL and both numbers, and ENOSPC mid-transfer keeps completed files', async () => {
      const mnt = await tempDir('ph-tmpfs-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
      try {
        const emu = await bigRepoEmulator(3 * MiB);
        const m = await manager(emu.url, { cacheDir: join(mnt, 'hub') });
        const job = await m.start({ repoId: 'test/big' });
        const error = await m.waitFor(job.id).catch((e: unknown) => e);
        expect(isPersianHubError(error) && error.code).toBe('DISK_FULL');
        const details = (error as { details: { requiredBytes: number; availableBytes: number } }).details;
        expect(details.requiredBytes).toBe(3 * MiB + 7);
        expect(details.availableBytes).toBeLessThanOrEqual(MiB);

        const m2 = await manager(emu.url, { cacheDir: join(mnt, 'hub2'), checkDiskSpace: false, concurrency: 1, fileConcurrency: 1 });
        const small = await m2.waitFor((await m2.start({ repoId: 'test/big', include: ['config.json'] })).id);
        const big = await m2.start({ repoId: 'test/big' });
        await expect(m2.waitFor(big.id)).rejects.toMatchObject({ code: 'DISK_FULL' });
        expect(await readFile(join(small.path!, 'config.json'), 'utf8')).toBe('{"a":1}');

        // The disk is full now (m2's partial stays for a resume): even writing a ref fails,
        // and that is DISK_FULL too, not an internal error.
        const m3 = await manager(emu.url, { cacheDir: join(mnt, 'hub3'), checkDiskSpace: false, concurrency: 1, fileConcurrency: 1 });
        const full = await m3.start({ repoId: 'test/big', include: ['config.json'] });
        await expect(m3.waitFor(full.id)).rejects.toMatchObject({ code: 'DISK_FULL' });

        // On a slow link the disk fills while the engine waits for the socket: the failed
        // write must end the job as DISK_FULL, not surface as an unhandled rejection.
        const blobs2 = join(mnt, 'hub2', 'models--test--big', 'blobs');
        for (const name of await readdir(blobs2)) if (name.endsWith('.incomplete')) await rm(join(blobs2, name));
        emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
        const slow = await m3.start({ repoId: 'test/big' });
        await expect(m3.waitFor(slow.id)).rejects.toMatchObject({ code: 'DISK_FULL' });
        expect(m3.get(slow.id)!.bytesDownloaded).toBeLessThan(MiB);
        expect(await readFile(join(small.path!, 'config.json'), 'utf8')).toBe('{"a":1}');
        await m.close();
        await m2.close();
        await m3.close();
      } finally {
        execFileSync('umount', ['-l', mnt]);
      }
    });
  });
});
