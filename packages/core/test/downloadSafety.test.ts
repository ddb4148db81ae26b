// A download may add to the cache, never change a snapshot that is installed: a mirror that
// serves other bytes under a commit the cache already has is refused before a byte is fetched.
import { mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle } from '../src/bundles/index.js';
import { linkPointer, repoCachePaths } from '../src/storage/cacheLayout.js';
import { cacheHashes } from './bundleFixtures.js';
import { emulator, manager, sharedEmulator, tempDir } from './helpers.js';

const AMIR = 'fa/fa_IR/amir/medium/fa_IR-amir-medium';
const forgedFiles = [
  { path: `${AMIR}.onnx`, size: 4096 },
  { path: `${AMIR}.onnx.json`, content: '{"audio":{"sample_rate":16000}}' },
  { path: 'fa/fa_IR/amir/medium/MODEL_CARD', content: '# not amir\n' },
];

describe('downloads never change an installed snapshot', () => {
  it.each([
    ['with its file list (trees/)', false],
    ['without trees/ (an older Python cache): the links decide', true],
  ])('a mirror serving other bytes for an installed commit %s: CONFLICT naming the file, nothing fetched, cache byte-identical', async (_label, dropTree) => {
    const honest = await sharedEmulator();
    const m = await manager(honest.url);
    const done = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
    if (dropTree) await rm(join(m.cacheDir, 'models--rhasspy--piper-voices', 'trees'), { recursive: true });
    const forger = await emulator({ repos: [{ id: 'rhasspy/piper-voices', files: forgedFiles, commits: { main: done.commit! } }] });
    const before = await cacheHashes(m.cacheDir);

    const other = await manager(forger.url, { cacheDir: m.cacheDir });
    const job = await other.start('piper-fa-amir-medium');
    const error = await other.waitFor(job.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/fa\/fa_IR\/amir\/medium\/.*nothing was downloaded/) });
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({ file: expect.stringMatching(/^fa\/fa_IR\/amir\/medium\//), commit: done.commit });
    expect(forger.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
    expect(await cacheHashes(m.cacheDir)).toEqual(before);
  });

  it('the honest Hub again, or a fuller listing than a bundle brought, is fine', async () => {
    const honest = await sharedEmulator();
    const m = await manager(honest.url);
    const done = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
    const again = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
    expect(again.status).toBe('completed');

    // A bundle exported without trees/ carries only its own files; the Hub later lists them all.
    const dir = await tempDir();
    await rm(join(m.cacheDir, 'models--rhasspy--piper-voices', 'trees'), { recursive: true });
    await exportBundle({ cacheDir: m.cacheDir, repoType: 'model', repoId: 'rhasspy/piper-voices', commit: done.commit!, file: join(dir, 'b.tar'), toolVersion: '1' });
    const target = await manager(honest.url);
    await importBundle({ cacheDir: target.cacheDir, file: join(dir, 'b.tar') });
    const gyro = await target.waitFor((await target.start('piper-fa-gyro-medium')).id);
    expect(gyro).toMatchObject({ status: 'completed', commit: done.commit });
  });
});

describe('linkPointer (the last step of every file of a download)', () => {
  it('keeps the same link or a copy, and refuses, unchanged, a link to another blob', async () => {
    const paths = repoCachePaths(await tempDir(), 'model', 'org/name');
    const commit = 'c'.repeat(40);
    const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
    const pointer = await linkPointer(paths, commit, 'dir/w.bin', a);
    const link = await readlink(pointer);
    expect(await linkPointer(paths, commit, 'dir/w.bin', a)).toBe(pointer);
    await expect(linkPointer(paths, commit, 'dir/w.bin', b)).rejects.toMatchObject({ code: 'CONFLICT', details: { file: 'dir/w.bin', commit } });
    expect(await readlink(pointer)).toBe(link);
    // An absolute link to the same blob is the same file.
    await rm(pointer);
    await symlink(paths.blob(a), pointer);
    expect(await linkPointer(paths, commit, 'dir/w.bin', a)).toBe(pointer);
    const copy = paths.pointer(commit, 'copy.bin');
    await mkdir(dirname(copy), { recursive: true });
    await writeFile(copy, 'a copy');
    await linkPointer(paths, commit, 'copy.bin', a);
    expect(await readFile(copy, 'utf8')).toBe('a copy');
  });
});
