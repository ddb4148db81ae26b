import { readFile, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPersianHubError, type JobSnapshot } from '../src/index.js';
import { describeTree, manager, sharedEmulator, tempDir } from './helpers.js';

describe('manager.exportBundle / importBundle (USB-disk workflow)', () => {
  it('exports a catalog entry and imports it into an empty cache as a job with progress events', async () => {
    const emu = await sharedEmulator();
    const online = await manager(emu.url);
    const done = await online.waitFor((await online.start('piper-fa-amir-medium')).id);
    const file = join(await tempDir(), 'amir.tar');
    const manifest = await online.exportBundle('piper-fa-amir-medium', file);
    expect(manifest).toMatchObject({ repoId: 'rhasspy/piper-voices', commit: done.commit, catalogId: 'piper-fa-amir-medium', revision: 'main' });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(done.files.map((f) => f.path).sort());

    // Someone without internet: an endpoint that does not exist, an empty cache.
    const offline = await manager('http://127.0.0.1:9');
    const events: string[] = [];
    const progress: JobSnapshot[] = [];
    for (const e of ['queued', 'started', 'completed', 'failed'] as const) offline.on(e, () => events.push(e));
    offline.on('progress', (s) => progress.push(s));
    const { job, alreadyInstalled } = await offline.importBundle(file);
    expect(alreadyInstalled).toBe(false);
    expect(job).toMatchObject({ status: 'completed', backend: 'bundle', catalogId: 'piper-fa-amir-medium', bytesDownloaded: done.bytesTotal, bytesTotal: done.bytesTotal });
    expect(events).toEqual(['queued', 'started', 'completed']);
    const installed = await offline.installed();
    expect(installed.find((i) => i.catalogId === 'piper-fa-amir-medium')?.commit).toBe(done.commit);
    const repo = 'models--rhasspy--piper-voices';
    expect(await describeTree(join(offline.cacheDir, repo, 'snapshots'))).toEqual(await describeTree(join(online.cacheDir, repo, 'snapshots')));
    expect(await readFile(join(offline.cacheDir, repo, 'refs', 'main'), 'utf8')).toBe(done.commit);

    const again = await offline.importBundle(file);
    expect(again.alreadyInstalled).toBe(true);
    expect(again.job.status).toBe('completed');
  });

  it('a tampered bundle fails the import job and leaves the cache as it was', async () => {
    const emu = await sharedEmulator();
    const online = await manager(emu.url);
    await online.waitFor((await online.start({ repoId: 'HooshvareLab/bert-fa-base-uncased', include: ['config.json', 'vocab.txt'] })).id);
    const file = join(await tempDir(), 'bert.tar');
    await online.exportBundle('HooshvareLab/bert-fa-base-uncased', file);
    // Flip one byte near the end of the tar, inside the last file's data.
    const bytes = await readFile(file);
    const size = (await stat(file)).size;
    const at = bytes.lastIndexOf(Buffer.from('[PAD]')) > 0 ? bytes.lastIndexOf(Buffer.from('[PAD]')) : size - 2048;
    bytes[at] = bytes[at]! ^ 0xff;
    await writeFile(file, bytes);
    const offline = await manager('http://127.0.0.1:9');
    const before = await describeTree(offline.cacheDir).catch(() => ({}));
    const error = await offline.importBundle(file).catch((e: unknown) => e);
    expect(isPersianHubError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('BUNDLE_INVALID');
    expect(offline.list()[0]?.status).toBe('failed');
    expect(await describeTree(offline.cacheDir).catch(() => ({}))).toEqual(before);
  });

  it('export of something not installed is NOT_FOUND', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const error = await m.exportBundle('tooka-sbert', join(await tempDir(), 'x.tar')).catch((e: unknown) => e);
    expect(isPersianHubError(error) && error.code).toBe('NOT_FOUND');
  });
});
