import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle, type BundleProgress } from '../src/bundles/index.js';
import type { PersianHubErrorCode } from '../src/PersianHubError.js';
import { repoFolderName, treeCacheJson } from '../src/storage/cacheLayout.js';
import type { RepoType } from '../src/types.js';
import {
  BERT,
  cacheState,
  expectCode,
  flipByte,
  gitSha1,
  manifestEntry,
  pseudoRandom,
  SYN_COMMIT,
  SYN_FILES,
  synEntries,
  synManifest,
  tarEntryNames,
  writeTar,
  type RawEntry,
} from './bundleFixtures.js';
import { describeTree, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

const PARQUET_DS = 'community-datasets/parsinlu_reading_comprehension';

async function download(repoId: string, repoType: RepoType, revision: string, include: string[] = []) {
  const emu = await sharedEmulator();
  const m = await manager(emu.url);
  const job = await m.waitFor((await m.start({ repoId, repoType, revision, include })).id);
  expect(job.status, JSON.stringify(job.error)).toBe('completed');
  return { m, job, cacheDir: m.cacheDir, commit: job.commit! };
}

describe('offline bundles: round trip through a real cache', () => {
  it.each([
    ['model', BERT, 'main', ['*.json', 'vocab.txt', 'pytorch_model.bin']],
    ['dataset', PARQUET_DS, 'refs/convert/parquet', []],
  ] as const)('%s %s@%s: export, import into an empty cache, identical layout; again → alreadyInstalled', async (type, repoId, revision, include) => {
    const { cacheDir, commit, job } = await download(repoId, type, revision, [...include]);
    const folder = repoFolderName(type, repoId);
    const outDir = await tempDir();
    const bundle = join(outDir, 'bundle.tar');
    const exportProgress: BundleProgress[] = [];
    const manifest = await exportBundle({
      cacheDir,
      repoType: type,
      repoId,
      commit,
      revision,
      catalogId: 'test-entry',
      file: bundle,
      toolVersion: '9.9.9',
      onProgress: (p) => exportProgress.push(p),
    });
    expect(await readdir(outDir)).toEqual(['bundle.tar']); // no .partial left behind

    // The manifest says what the snapshot holds, with the blob names as hashes.
    expect(manifest).toMatchObject({ format: 'persian-hub-bundle', formatVersion: 1, tool: { name: '@persian-hub/core', version: '9.9.9' }, repoId, repoType: type, revision, commit, catalogId: 'test-entry' });
    expect(manifest.files.map((f) => f.path).sort()).toEqual(job.files.map((f) => f.path).sort());
    for (const f of manifest.files) {
      const j = job.files.find((x) => x.path === f.path)!;
      expect(f).toMatchObject({ size: j.size, lfs: j.lfs, etag: j.etag });
      expect(f.lfs ? f.sha256 : f.gitOid).toBe(f.etag);
    }
    if (type === 'model') {
      expect(manifest.files.some((f) => f.lfs)).toBe(true);
      expect(manifest.otherFiles.map((f) => f.path)).toContain('README.md'); // not selected, but part of the repo's file list
    }
    const entries = await tarEntryNames(bundle);
    expect(entries[0]).toEqual({ name: 'persian-hub-bundle.json', type: 'file', size: expect.any(Number) });
    expect(entries.slice(1).map((e) => e.name)).toEqual(manifest.files.map((f) => `files/${f.path}`));
    expect(entries.every((e) => e.type === 'file')).toBe(true);
    const total = manifest.files.reduce((n, f) => n + f.size, 0);
    expect(exportProgress.at(-1)).toEqual({ bytesDone: total, bytesTotal: total, currentFile: null });

    // Import into a cache folder that does not exist yet.
    const target = join(await tempDir(), 'hub');
    const progress: BundleProgress[] = [];
    const r = await importBundle({ cacheDir: target, file: bundle, onProgress: (p) => progress.push(p) });
    expect(r.alreadyInstalled).toBe(false);
    expect(r.signature).toBeNull();
    expect(r.ref).toEqual({ revision, commit, updated: true });
    expect(r.path).toBe(join(target, folder, 'snapshots', commit));
    expect(r.manifest).toEqual(manifest);
    expect(await readdir(target)).toEqual([folder]); // no staging leftovers

    const original = await cacheState(join(cacheDir, folder));
    const imported = await cacheState(join(target, folder));
    expect(imported).toEqual(original);
    // Python's rules: refs/<rev> is the bare commit; links are relative, one `../` per folder level.
    const refFile = join('refs', ...revision.split('/'));
    expect(await readFile(join(target, folder, refFile), 'utf8')).toBe(commit);
    expect(await readFile(join(target, folder, refFile))).toEqual(await readFile(join(cacheDir, folder, refFile)));
    expect(await readFile(join(target, folder, 'trees', `${commit}.json`))).toEqual(await readFile(join(cacheDir, folder, 'trees', `${commit}.json`)));
    for (const f of manifest.files) {
      const pointer = join(target, folder, 'snapshots', commit, ...f.path.split('/'));
      const depth = f.path.split('/').length - 1;
      expect(await readlink(pointer)).toBe(`${'../'.repeat(depth)}../../blobs/${f.etag}`);
      expect(await sha256File(pointer)).toBe(await sha256File(join(cacheDir, folder, 'snapshots', commit, ...f.path.split('/'))));
    }
    expect(progress.at(-1)).toEqual({ bytesDone: total, bytesTotal: total, currentFile: null });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);

    // The importing manager sees it as installed.
    const before = await cacheState(target);
    const again = await importBundle({ cacheDir: target, file: bundle });
    expect(again).toEqual({ manifest, alreadyInstalled: true, path: r.path, signature: null, ref: { revision, commit, updated: false } });
    expect(await cacheState(target)).toEqual(before);
  });

  it('removes staging folders left by a crashed import (dead pid), keeps its own cache otherwise intact', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const stale = join(cacheDir, '.persian-hub-import-2147483646-abc123');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'a'.repeat(64)), 'half a blob');
    const bundle = join(dir, 'b.tar');
    await writeTar(bundle, [manifestEntry(synManifest()), ...synEntries()]);
    await importBundle({ cacheDir, file: bundle });
    expect(await readdir(cacheDir)).toEqual([repoFolderName('model', BERT)]);
  });

  it('hand-built bundle: Persian and nested paths, LFS + regular files, tree json and ref per Python rules', async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'b.tar');
    const m = synManifest();
    await writeTar(bundle, [manifestEntry(m), ...synEntries()]);
    const cacheDir = join(dir, 'hub');
    const r = await importBundle({ cacheDir, file: bundle });
    expect(r.alreadyInstalled).toBe(false);
    const repo = join(cacheDir, repoFolderName('model', BERT));
    const tree = await describeTree(repo);
    const expected: Record<string, string> = { 'refs/main': 'file 40', [`trees/${SYN_COMMIT}.json`]: expect.stringMatching(/^file \d+$/) as unknown as string };
    for (const f of m.files) {
      expected[`blobs/${f.etag}`] = `file ${f.size}`;
      expected[`snapshots/${SYN_COMMIT}/${f.path}`] = `-> ${'../'.repeat(f.path.split('/').length - 1)}../../blobs/${f.etag}`;
    }
    expect(tree).toEqual(expected);
    expect(await readFile(join(repo, 'refs', 'main'), 'utf8')).toBe(SYN_COMMIT);
    const treeJson = await readFile(join(repo, 'trees', `${SYN_COMMIT}.json`), 'utf8');
    expect(JSON.parse(treeJson).files['model.bin']).toMatchObject({ lfs_sha256: m.files.find((f) => f.path === 'model.bin')!.etag, size: 300 * 1024 + 7 });
    expect(treeJson).toBe(
      treeCacheJson(
        m.files.map((f) => ({
          path: f.path,
          size: f.size,
          oid: f.lfs ? (JSON.parse(treeJson).files[f.path].blob_id as string) : f.etag,
          lfs: f.lfs ? { oid: f.etag, size: f.size } : null,
        })),
      ),
    );
    for (const [path, { body }] of Object.entries(SYN_FILES)) {
      // Hashes, not the bytes: deep equality walks a 300 KB Buffer element by element, for seconds.
      expect(await sha256File(join(repo, 'snapshots', SYN_COMMIT, ...path.split('/')))).toBe(createHash('sha256').update(body).digest('hex'));
    }
    // And it exports back to the same manifest (modulo createdAt/tool), non-ASCII names in pax headers.
    const back = await exportBundle({ cacheDir, repoType: 'model', repoId: BERT, commit: SYN_COMMIT, file: join(dir, 'back.tar'), toolVersion: '1.0.0' });
    expect(back.revision).toBe('main');
    expect(back.files.map(({ gitOid: _g, ...f }) => f)).toEqual([...m.files].sort((a, b) => (a.path < b.path ? -1 : 1)).map(({ gitOid: _g, ...f }) => f));
    const other = join(dir, 'hub2');
    await importBundle({ cacheDir: other, file: join(dir, 'back.tar') });
    expect(await describeTree(join(other, repoFolderName('model', BERT)))).toEqual(tree);
  });
});

describe('offline bundles: hostile or broken bundles leave the cache exactly as it was', () => {
  /** A real cache with bert installed, which each bad bundle (for the same repo) must not touch. */
  async function targetCache() {
    const { cacheDir } = await download(BERT, 'model', 'main', ['*.json', 'vocab.txt']);
    return cacheDir;
  }

  const m = synManifest();
  const good = synEntries();
  const cases: Array<[string, () => RawEntry[], PersianHubErrorCode, RegExp]> = [
    [
      'one file with altered bytes (wrong hash)',
      () => good.map((e) => (e.name === 'files/model.bin' ? { ...e, body: flipByte(e.body!, 1000) } : e)),
      'BUNDLE_INVALID',
      /model\.bin/,
    ],
    ['a manifest file the tar lacks', () => good.filter((e) => e.name !== 'files/sub/dir/notes.txt'), 'BUNDLE_INVALID', /lacks.*sub\/dir\/notes\.txt/],
    ['an entry named files/../../evil', () => [...good, { name: 'files/../../evil', body: Buffer.from('x') }], 'UNSAFE_PATH', /files\/\.\.\/\.\.\/evil/],
    ['an entry with an absolute name', () => [...good, { name: '/tmp/evil', body: Buffer.from('x') }], 'UNSAFE_PATH', /\/tmp\/evil/],
    ['a symlink entry', () => [good[0]!, { name: 'files/sub/dir/notes.txt', type: 'symlink', linkname: '/etc/passwd' }, ...good.slice(2)], 'UNSAFE_PATH', /symbolic link.*notes\.txt/],
    ['a hardlink entry', () => [good[0]!, { name: 'files/sub/dir/notes.txt', type: 'link', linkname: 'files/config.json' }, ...good.slice(2)], 'UNSAFE_PATH', /hard link/],
    ['a directory entry', () => [{ name: 'files/sub/', type: 'directory' }, ...good], 'BUNDLE_INVALID', /directory "files\/sub\/"/],
    ['an entry not in the manifest', () => [...good, { name: 'files/extra.txt', body: Buffer.from('hello') }], 'BUNDLE_INVALID', /files\/extra\.txt.*not listed/],
    ['an entry outside files/', () => [...good, { name: 'notes.txt', body: Buffer.from('hello') }], 'BUNDLE_INVALID', /"notes\.txt"/],
    ['a duplicate entry', () => [...good, good[0]!], 'BUNDLE_INVALID', /config\.json.*twice/],
    ['a second manifest', () => [...good, manifestEntry(m)], 'BUNDLE_INVALID', /persian-hub-bundle\.json/],
    ['a header size that differs from the manifest', () => good.map((e) => (e.name === 'files/config.json' ? { ...e, body: Buffer.concat([e.body!, Buffer.from(' ')]) } : e)), 'BUNDLE_INVALID', /config\.json.*bytes/],
  ];

  it.each(cases)('%s', async (_label, build, code, message) => {
    const cacheDir = await targetCache();
    const dir = await tempDir();
    const bundle = join(dir, 'bad.tar');
    await writeTar(bundle, [manifestEntry(m), ...build()]);
    const before = await cacheState(cacheDir);
    await expectCode(importBundle({ cacheDir, file: bundle }), code, message);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('a truncated tar (cut in half)', async () => {
    const cacheDir = await targetCache();
    const dir = await tempDir();
    const bundle = join(dir, 'cut.tar');
    await writeTar(bundle, [manifestEntry(m), ...good]);
    await truncate(bundle, Math.floor((await stat(bundle)).size / 2));
    const before = await cacheState(cacheDir);
    await expectCode(importBundle({ cacheDir, file: bundle }), 'BUNDLE_INVALID', /truncated/);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('a tar cut exactly after a complete entry (no end marker) still misses files', async () => {
    const cacheDir = await targetCache();
    const dir = await tempDir();
    const bundle = join(dir, 'cut.tar');
    await writeTar(bundle, [manifestEntry(m), good[0]!]);
    await truncate(bundle, (await stat(bundle)).size - 1024); // drop the two zero blocks
    const before = await cacheState(cacheDir);
    await expectCode(importBundle({ cacheDir, file: bundle }), 'BUNDLE_INVALID', /lacks/);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('a failed import into a cache folder that did not exist does not leave that folder behind', async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'b.tar');
    await writeTar(bundle, [manifestEntry(m), ...good.map((e) => (e.name === 'files/model.bin' ? { ...e, body: flipByte(e.body!, 5) } : e))]);
    await expectCode(importBundle({ cacheDir: join(dir, 'new', 'hub'), file: bundle }), 'BUNDLE_INVALID', /model\.bin/);
    expect((await readdir(dir)).sort()).toEqual(['b.tar']);
  });

  it('a tar whose first entry is not the manifest', async () => {
    const cacheDir = await targetCache();
    const bundle = join(await tempDir(), 'b.tar');
    await writeTar(bundle, [...good, manifestEntry(m)]);
    const before = await cacheState(cacheDir);
    await expectCode(importBundle({ cacheDir, file: bundle }), 'BUNDLE_INVALID', /first entry.*files\/config\.json/);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it.each([
    ['a ".." path', { files: [...m.files, { path: '../evil', size: 1, lfs: false, gitOid: gitSha1(Buffer.from('x')), etag: gitSha1(Buffer.from('x')) }] }, 'UNSAFE_PATH', /"\.\.\/evil"/],
    ['an absolute path', { files: [{ ...m.files[0]!, path: '/etc/passwd' }] }, 'UNSAFE_PATH', /\/etc\/passwd/],
    ['a nested ".." path', { files: [{ ...m.files[0]!, path: 'a/../../b' }] }, 'UNSAFE_PATH', /a\/\.\.\/\.\.\/b/],
    ['a bad commit', { commit: 'main' }, 'BUNDLE_INVALID', /commit/],
    ['a bad repo id', { repoId: '../../etc' }, 'BUNDLE_INVALID', /repoId/],
    ['an etag that is not the sha256 of an LFS file', { files: m.files.map((f) => (f.lfs ? { ...f, etag: 'a'.repeat(64) } : f)) }, 'BUNDLE_INVALID', /etag/],
    ['duplicate paths', { files: [...m.files, m.files[0]!] }, 'BUNDLE_INVALID', /duplicate/],
    ['a file inside a file', { files: [...m.files, { ...m.files[0]!, path: 'config.json/x' }] }, 'BUNDLE_INVALID', /inside "config\.json"/],
    ['a negative size', { files: [{ ...m.files[0]!, size: -1 }] }, 'BUNDLE_INVALID', /size/],
    ['an unknown format version', { formatVersion: 2 as 1 }, 'BUNDLE_INVALID', /formatVersion/],
  ] as const)('a manifest with %s', async (_label, patch, code, message) => {
    const cacheDir = await targetCache();
    const bundle = join(await tempDir(), 'b.tar');
    await writeTar(bundle, [manifestEntry({ ...m, ...patch }), ...good]);
    const before = await cacheState(cacheDir);
    await expectCode(importBundle({ cacheDir, file: bundle }), code, message);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('a manifest that is not JSON, or not a tar at all', async () => {
    const cacheDir = await targetCache();
    const dir = await tempDir();
    const before = await cacheState(cacheDir);
    await writeTar(join(dir, 'a.tar'), [{ name: 'persian-hub-bundle.json', body: Buffer.from('{nope') }, ...good]);
    await expectCode(importBundle({ cacheDir, file: join(dir, 'a.tar') }), 'BUNDLE_INVALID', /not JSON/);
    await writeFile(join(dir, 'b.tar'), pseudoRandom(4096, 7));
    await expectCode(importBundle({ cacheDir, file: join(dir, 'b.tar') }), 'BUNDLE_INVALID', /not a valid tar/);
    await expectCode(importBundle({ cacheDir, file: join(dir, 'missing.tar') }), 'NOT_FOUND');
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('refuses with DISK_FULL (both numbers) before staging anything', async () => {
    const cacheDir = await targetCache();
    const bundle = join(await tempDir(), 'b.tar');
    const huge = 2 ** 52;
    const sha = 'b'.repeat(64);
    await writeTar(bundle, [manifestEntry({ ...m, files: [...m.files, { path: 'huge.bin', size: huge, lfs: true, sha256: sha, etag: sha }] }), ...good]);
    const before = await cacheState(cacheDir);
    const error = await expectCode(importBundle({ cacheDir, file: bundle }), 'DISK_FULL');
    expect((error as unknown as { details: { requiredBytes: number; availableBytes: number } }).details.requiredBytes).toBeGreaterThanOrEqual(huge);
    expect((error as unknown as { details: { availableBytes: number } }).details.availableBytes).toBeGreaterThan(0);
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('an import aborted mid-stream is CANCELLED and leaves nothing behind', async () => {
    const cacheDir = await targetCache();
    const bundle = join(await tempDir(), 'b.tar');
    await writeTar(bundle, [manifestEntry(m), ...good]);
    const before = await cacheState(cacheDir);
    const ac = new AbortController();
    await expectCode(
      importBundle({ cacheDir, file: bundle, signal: ac.signal, onProgress: (p) => p.bytesDone > 0 && ac.abort() }),
      'CANCELLED',
    );
    expect(await cacheState(cacheDir)).toEqual(before);
  });

  it('a failure while installing (a folder blocks a link) undoes every step', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const bundle = join(dir, 'b.tar');
    await writeTar(bundle, [manifestEntry(m), ...good]);
    // Pre-existing cache state: refs/main pointing elsewhere, and a folder where a link must go.
    const repo = join(cacheDir, repoFolderName('model', BERT));
    await mkdir(join(repo, 'refs'), { recursive: true });
    await writeFile(join(repo, 'refs', 'main'), 'f'.repeat(40));
    await mkdir(join(repo, 'snapshots', SYN_COMMIT, 'sub', 'dir', 'notes.txt'), { recursive: true });
    const before = await cacheState(dir);
    await expectCode(importBundle({ cacheDir, file: bundle }), 'CONFLICT', /sub\/dir\/notes\.txt/);
    expect(await cacheState(dir)).toEqual(before);
    expect(await readFile(join(repo, 'refs', 'main'), 'utf8')).toBe('f'.repeat(40));
  });
});

describe('offline bundles: export refuses a corrupt cache', () => {
  it('CHECKSUM_MISMATCH when a blob no longer matches its name, and no partial file is left', async () => {
    const { cacheDir, commit } = await download(BERT, 'model', 'main', ['*.json', 'pytorch_model.bin']);
    const folder = repoFolderName('model', BERT);
    const pointer = join(cacheDir, folder, 'snapshots', commit, 'pytorch_model.bin');
    const blob = join(cacheDir, folder, 'snapshots', commit, await readlink(pointer));
    const bytes = await readFile(blob);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(blob, bytes);
    const out = await tempDir();
    await expectCode(
      exportBundle({ cacheDir, repoType: 'model', repoId: BERT, commit, revision: 'main', file: join(out, 'x.tar'), toolVersion: '1' }),
      'CHECKSUM_MISMATCH',
      /pytorch_model\.bin/,
    );
    expect(await readdir(out)).toEqual([]);
    expect((await lstat(pointer)).isSymbolicLink()).toBe(true);
  });

  it('an aborted export is CANCELLED and leaves neither the bundle nor its .partial', async () => {
    const { cacheDir, commit } = await download(BERT, 'model', 'main', ['*.json', 'pytorch_model.bin']);
    const out = await tempDir();
    const ac = new AbortController();
    await expectCode(
      exportBundle({
        cacheDir,
        repoType: 'model',
        repoId: BERT,
        commit,
        file: join(out, 'x.tar'),
        toolVersion: '1',
        signal: ac.signal,
        onProgress: (p) => p.bytesDone > 0 && ac.abort(),
      }),
      'CANCELLED',
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('NOT_FOUND for a snapshot that is not in the cache', async () => {
    const cacheDir = await tempDir();
    await expectCode(
      exportBundle({ cacheDir, repoType: 'model', repoId: BERT, commit: 'a'.repeat(40), file: join(cacheDir, 'x.tar'), toolVersion: '1' }),
      'NOT_FOUND',
    );
  });
});
