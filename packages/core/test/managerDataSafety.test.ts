import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createDownloadManager,
  createJobStore,
  isPersianHubError,
  type DownloadManagerOptions,
  type InstalledSnapshot,
  type JobSnapshot,
  type JobStore,
} from '../src/index.js';
import { emulator, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
const PIPER = 'rhasspy/piper-voices';
const AMIR = 'piper-fa-amir-medium';
const GYRO = 'piper-fa-gyro-medium';
const BERT = 'HooshvareLab/bert-fa-base-uncased';

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

async function install(m: Awaited<ReturnType<typeof manager>>, id: string): Promise<JobSnapshot> {
  return m.waitFor((await m.start(id)).id);
}

const piperDir = (cacheDir: string) => join(cacheDir, 'models--rhasspy--piper-voices');

describe('remove: only what was asked', () => {
  it('removing one of two catalog entries that share a snapshot keeps the other whole, and its refs and tree', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const amir = await install(m, AMIR);
    const gyro = await install(m, GYRO);
    expect(amir.path).toBe(gyro.path);
    const rev = emu.repos.get(`model:${PIPER}`)!.main;
    const repo = piperDir(m.cacheDir);
    const events: InstalledSnapshot[] = [];
    m.on('removed', (r) => events.push(r));

    const removed = await m.remove(AMIR);

    expect(removed.map((r) => r.catalogId)).toEqual([AMIR]);
    expect(events.map((r) => r.catalogId)).toEqual([AMIR]);
    for (const f of amir.files) expect(existsSync(join(amir.path!, f.path))).toBe(false);
    for (const f of gyro.files) expect(await sha256File(join(gyro.path!, f.path))).toBe(rev.filesByPath.get(f.path)!.sha256);
    const blobs = await readdir(join(repo, 'blobs'));
    for (const f of amir.files) expect(blobs).not.toContain(f.etag);
    for (const f of gyro.files) expect(blobs).toContain(f.etag);
    expect(await readFile(join(repo, 'refs', 'main'), 'utf8')).toBe(gyro.commit);
    expect(existsSync(join(repo, 'trees', `${gyro.commit}.json`))).toBe(true);
    expect((await m.installed()).map((i) => i.catalogId)).toEqual([GYRO]);

    // The last entry of the snapshot: now the snapshot, its ref and its tree go, and the repo folder.
    expect((await m.remove(GYRO)).map((r) => r.catalogId)).toEqual([GYRO]);
    expect(existsSync(repo)).toBe(false);
    expect(await m.installed()).toEqual([]);
  });

  it('a second entry of the same snapshot being downloaded does not hide the first one', async () => {
    const emu = await emulator();
    const m = await manager(emu.url);
    await install(m, AMIR);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const gyro = await m.start(GYRO);
    await nextEvent<JobSnapshot>(m as never, 'progress', (s) => s.id === gyro.id && s.bytesDownloaded > 0);
    expect((await m.installed()).map((i) => i.catalogId)).toEqual([AMIR]);
    await m.cancel(gyro.id);
  });

  it('cancel leaves another program’s partial of the same blob (Python’s <etag>.<id>.incomplete) alone', async () => {
    const emu = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size: 8 * MiB }] }] });
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const m = await manager(emu.url);
    const etag = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!.etag;
    const blobs = join(m.cacheDir, 'models--test--big', 'blobs');
    await mkdir(blobs, { recursive: true });
    const theirs = join(blobs, `${etag}.1a2b3c4d.incomplete`);
    await writeFile(theirs, Buffer.alloc(1234, 7));
    const job = await m.start({ repoId: 'test/big' });
    await nextEvent<JobSnapshot>(m as never, 'progress', (s) => s.bytesDownloaded > 0);
    await m.cancel(job.id);
    expect(existsSync(join(blobs, `${etag}.incomplete`))).toBe(false);
    expect((await readFile(theirs)).length).toBe(1234);
  });
});

describe('job records: one cache, its own jobs', () => {
  it('two apps whose caches sit side by side do not see each other’s jobs (default stateDir)', async () => {
    const emu = await sharedEmulator();
    const root = await tempDir();
    const base: DownloadManagerOptions = { endpoint: emu.url, token: false, retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 } };
    const a = createDownloadManager({ ...base, cacheDir: join(root, 'app-a-cache') });
    const done = await a.waitFor((await a.start({ repoId: BERT, include: ['config.json'] })).id);
    await a.close();
    const b = createDownloadManager({ ...base, cacheDir: join(root, 'app-b-cache') });
    expect(b.stateDir).not.toBe(a.stateDir);
    expect(b.list()).toEqual([]);
    await b.close();
    const again = createDownloadManager({ ...base, cacheDir: join(root, 'app-a-cache') });
    expect(again.list().map((j) => j.id)).toEqual([done.id]);
    // Beside the cache, never inside it: Python's cache scan reports unknown folders as corrupt repos.
    expect(again.stateDir.startsWith(join(root, 'app-a-cache'))).toBe(false);
    await again.close();
  });

  it('a second manager on the same stateDir leaves a running manager’s jobs alone, and takes them once it stops', async () => {
    const emu = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size: 8 * MiB }] }] });
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const root = await tempDir();
    const opts: DownloadManagerOptions = { endpoint: emu.url, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), progressIntervalMs: 50 };
    const first = createDownloadManager(opts);
    const job = await first.start({ repoId: 'test/big' });
    await nextEvent<JobSnapshot>(first as never, 'progress', (s) => s.bytesDownloaded > 0);

    const second = createDownloadManager(opts);
    expect(second.list()).toEqual([]);
    await expect(second.pause(job.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(first.get(job.id)!.status).toBe('downloading');
    // A job of the second manager (it fails at once: no such repo), kept as its own history.
    const own = await second.start({ repoId: 'test/nothing' });
    await expect(second.waitFor(own.id)).rejects.toMatchObject({ code: 'REPO_NOT_FOUND' });

    await first.close();
    const third = createDownloadManager(opts);
    const restored = third.get(job.id);
    expect(restored?.status).toBe('paused');
    // The second manager is still open: its own job stays its own.
    expect(third.list().map((j) => j.id)).toEqual([job.id]);
    emu.clearFaults();
    const done = await third.waitFor((await third.resume(job.id)).id);
    expect(await sha256File(join(done.path!, 'weights.bin'))).toBe(emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!.sha256);
    await second.close();
    await third.close();
  });

  it('restored jobs are listed the moment the manager exists, without awaiting anything', async () => {
    const emu = await sharedEmulator();
    const root = await tempDir();
    const opts: DownloadManagerOptions = { endpoint: emu.url, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 'state') };
    const m1 = createDownloadManager(opts);
    const done = await m1.waitFor((await m1.start({ repoId: BERT, include: ['config.json'] })).id);
    await m1.close();
    const m2 = createDownloadManager(opts);
    expect(m2.list().map((j) => j.id)).toEqual([done.id]);
    expect(m2.get(done.id)?.files.map((f) => f.path)).toEqual(['config.json']);
    await m2.close();
  });
});

describe('offline bundles and the job list', () => {
  it('an import killed with SIGKILL leaves nothing that blocks a retry: re-import, installed, export, rm all work', async () => {
    const emu = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size: 64 * MiB }, { path: 'config.json', content: '{"a":1}' }] }] });
    const online = await manager(emu.url);
    await online.waitFor((await online.start({ repoId: 'test/big' })).id);
    const root = await tempDir();
    const bundle = join(root, 'big.tar');
    await online.exportBundle('test/big', bundle);

    const cacheDir = join(root, 'offline', 'hub');
    const stateDir = join(root, 'offline', 'state');
    const child = spawn(process.execPath, [join(here, 'fixtures', 'importChild.mjs')], {
      env: { ...process.env, CACHE_DIR: cacheDir, STATE_DIR: stateDir, BUNDLE: bundle },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    expect(exit.signal).toBe('SIGKILL');
    expect(out).toContain('killing');

    const m = createDownloadManager({ endpoint: 'http://127.0.0.1:9', token: false, cacheDir, stateDir });
    const [crashed] = m.list();
    expect(crashed).toMatchObject({ backend: 'bundle', status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(await m.installed()).toEqual([]);
    const { job } = await m.importBundle(bundle);
    expect(job.status).toBe('completed');
    expect((await m.installed()).map((i) => i.repoId)).toEqual(['test/big']);
    await m.exportBundle('test/big', join(root, 'again.tar'));
    expect((await m.remove('test/big')).map((i) => i.repoId)).toEqual(['test/big']);
    await m.close();
  });

  it('a bundle of an include-limited download is installed after import, and can be exported and removed', async () => {
    const emu = await sharedEmulator();
    const online = await manager(emu.url);
    await online.waitFor((await online.start({ repoId: BERT, include: ['config.json', 'vocab.txt'] })).id);
    const root = await tempDir();
    const bundle = join(root, 'bert-part.tar');
    await online.exportBundle(BERT, bundle);

    const offline = await manager('http://127.0.0.1:9');
    await offline.importBundle(bundle);
    const [row] = await offline.installed();
    expect(row).toMatchObject({ repoId: BERT, fileCount: 2 });
    await offline.exportBundle(BERT, join(root, 'again.tar'));
    expect((await offline.remove(BERT)).map((i) => i.repoId)).toEqual([BERT]);
    expect(await offline.installed()).toEqual([]);
  });
});

describe('events a host can rely on, and that stay small', () => {
  it('a fast download still ends with a progress event at 100 % before completed', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url, { progressIntervalMs: 10_000 });
    const events: Array<[string, JobSnapshot]> = [];
    for (const name of ['progress', 'completed'] as const) m.on(name, (j) => events.push([name, j]));
    const done = await m.waitFor((await m.start({ repoId: BERT, include: ['config.json'] })).id);
    const names = events.map(([n]) => n);
    expect(names.at(-1)).toBe('completed');
    const lastProgress = events.filter(([n]) => n === 'progress').at(-1)?.[1];
    expect(lastProgress).toMatchObject({ progress: 100, bytesDownloaded: done.bytesTotal });
  });

  it('a job of 600 files: events carry at most 256 files, list() none, get() all, and the file list is saved twice', async () => {
    const files = Array.from({ length: 600 }, (_, i) => ({ path: `shards/part-${String(i).padStart(4, '0')}.json`, content: `{"i":${i}}\n` }));
    const emu = await emulator({ pageSize: 200, repos: [{ id: 'test/many-files', files }] });
    const root = await tempDir();
    const inner = createJobStore(join(root, 'state'));
    const saves: Array<{ withFiles: boolean; summaryBytes: number }> = [];
    const counting: JobStore = {
      ...inner,
      loadAll: (c) => inner.loadAll(c),
      save: (job, withFiles) => {
        const { files: _f, ...summary } = job;
        saves.push({ withFiles, summaryBytes: JSON.stringify(summary).length });
        return inner.save(job, withFiles);
      },
      delete: (id) => inner.delete(id),
      close: () => inner.close(),
    };
    const m = await manager(emu.url, { jobStore: counting, progressIntervalMs: 10 });
    const events: JobSnapshot[] = [];
    for (const name of ['queued', 'started', 'progress', 'completed'] as const) m.on(name, (j) => events.push(j));
    const job = await m.start({ repoId: 'test/many-files' });
    const done = await m.waitFor(job.id);
    expect(done.files).toHaveLength(600);
    expect(done).toMatchObject({ fileDetail: 'all', fileCount: 600, filesCompleted: 600 });
    expect(m.list()).toEqual([expect.objectContaining({ id: job.id, files: [], fileDetail: 'none', fileCount: 600 })]);
    for (const e of events) {
      expect(e.fileDetail).toBe('changed');
      expect(e.files.length).toBeLessThanOrEqual(256);
    }
    // Every file's completion reached some event.
    expect(new Set(events.flatMap((e) => e.files.filter((f) => f.status === 'completed').map((f) => f.path))).size).toBe(600);
    expect(saves.filter((s) => s.withFiles)).toHaveLength(2); // the plan, and the end
    expect(Math.max(...saves.map((s) => s.summaryBytes))).toBeLessThan(4096);
  });

  it('forget drops a finished job’s record (never a running one), and the history keeps the newest', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url, { history: { maxJobs: 2 } });
    const forgotten: string[] = [];
    m.on('forgotten', (j) => forgotten.push(j.id));
    const ids: string[] = [];
    for (const file of ['config.json', 'vocab.txt', 'README.md']) {
      ids.push((await m.waitFor((await m.start({ repoId: BERT, include: [file] })).id)).id);
    }
    expect(forgotten).toEqual([ids[0]]);
    expect(m.list().map((j) => j.id).sort()).toEqual([ids[1], ids[2]].sort());

    const emuSlow = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size: 8 * MiB }] }] });
    emuSlow.setFaults([{ type: 'throttle', bytesPerSecond: MiB, match: { host: 'cdn' } }]);
    const m2 = await manager(emuSlow.url);
    const running = await m2.start({ repoId: 'test/big' });
    const refused = await m2.forget(running.id).catch((e: unknown) => e);
    expect(isPersianHubError(refused) && refused.code).toBe('CONFLICT');
    await m2.cancel(running.id);
    expect((await m2.forget(running.id)).id).toBe(running.id);
    expect(m2.get(running.id)).toBeUndefined();

    expect(await m.forgetFinished()).toBe(2);
    expect(m.list()).toEqual([]);
    await m.close();
    const left = await readdir(m.stateDir);
    for (const id of ids) expect(left.filter((n) => n.startsWith(id))).toEqual([]);
  });
});
