import { readFile, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBundleKeyPair, isPersianHubError, type JobSnapshot } from '../src/index.js';
import { describeTree, emulator, manager, sharedEmulator, tempDir } from './helpers.js';

const AMIR = 'fa/fa_IR/amir/medium/fa_IR-amir-medium';

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

  it('a newer commit of an installed entry is installed beside it; refs/main and the catalog entry stay on the old one unless updateRefs', async () => {
    const emu = await sharedEmulator();
    const first = await manager(emu.url);
    const v1 = await first.waitFor((await first.start('piper-fa-amir-medium')).id);
    const dir = await tempDir();
    await first.exportBundle('piper-fa-amir-medium', join(dir, 'v1.tar'));
    // The same repo one commit later: other bytes for the voice.
    const later = await emulator({
      repos: [{ id: 'rhasspy/piper-voices', files: [{ path: `${AMIR}.onnx`, size: 4096 }, { path: `${AMIR}.onnx.json`, content: '{"audio":{"sample_rate":16000}}' }, { path: `fa/fa_IR/amir/medium/MODEL_CARD`, content: '# amir v2\n' }] }],
    });
    const second = await manager(later.url);
    const v2 = await second.waitFor((await second.start('piper-fa-amir-medium')).id);
    expect(v2.commit).not.toBe(v1.commit);
    await second.exportBundle('piper-fa-amir-medium', join(dir, 'v2.tar'));

    const offline = await manager('http://127.0.0.1:9');
    const refMain = join(offline.cacheDir, 'models--rhasspy--piper-voices', 'refs', 'main');
    await offline.importBundle(join(dir, 'v1.tar'));
    const kept = await offline.importBundle(join(dir, 'v2.tar'));
    expect(await readFile(refMain, 'utf8')).toBe(v1.commit);
    expect(kept).toMatchObject({ alreadyInstalled: false, signature: null, ref: { revision: 'main', commit: v1.commit, updated: false } });
    expect(kept.job).toMatchObject({ status: 'completed', commit: v2.commit });
    // Both are installed; the catalog entry (revision main) is the one refs/main names.
    const rows = await offline.installed();
    expect(rows.map((r) => [r.commit, r.refs])).toEqual([
      [v1.commit, ['main']],
      [v2.commit, []],
    ]);
    expect((await offline.available({ query: 'amir' })).find((e) => e.id === 'piper-fa-amir-medium')?.installed?.commit).toBe(v1.commit);
    expect((await offline.exportBundle('piper-fa-amir-medium', join(dir, 'again.tar'))).commit).toBe(v1.commit);

    const moved = await offline.importBundle(join(dir, 'v2.tar'), { updateRefs: true });
    expect(moved).toMatchObject({ alreadyInstalled: true, ref: { revision: 'main', commit: v2.commit, updated: true } });
    expect(await readFile(refMain, 'utf8')).toBe(v2.commit);
    expect((await offline.available({ query: 'amir' })).find((e) => e.id === 'piper-fa-amir-medium')?.installed?.commit).toBe(v2.commit);
  });

  it('signs an export with signingKey, and an import that trusts the key says so', async () => {
    const emu = await sharedEmulator();
    const online = await manager(emu.url);
    await online.waitFor((await online.start('piper-fa-amir-medium')).id);
    const key = generateBundleKeyPair();
    const file = join(await tempDir(), 'amir.tar');
    await online.exportBundle('piper-fa-amir-medium', file, { signingKey: key.privateKeyPem });
    const offline = await manager('http://127.0.0.1:9');
    const stranger = generateBundleKeyPair();
    const refused = await offline.importBundle(file, { trustedKeys: [stranger.publicKey], requireSignature: true }).catch((e: unknown) => e);
    expect(isPersianHubError(refused) && refused.code).toBe('BUNDLE_UNTRUSTED');
    expect(await offline.installed()).toEqual([]);
    const r = await offline.importBundle(file, { trustedKeys: [key.publicKey], requireSignature: true });
    expect(r).toMatchObject({ alreadyInstalled: false, signature: { keyId: key.keyId, trusted: true }, job: { status: 'completed' } });
  });

  it('export of something not installed is NOT_FOUND', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const error = await m.exportBundle('tooka-sbert', join(await tempDir(), 'x.tar')).catch((e: unknown) => e);
    expect(isPersianHubError(error) && error.code).toBe('NOT_FOUND');
  });
});
