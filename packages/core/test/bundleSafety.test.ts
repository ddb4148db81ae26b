// Offline bundles come from USB disks and strangers: whatever they hold, they must never change
// what is already installed. Each case below was accepted (and rewrote the cache) before.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle, importBundle, type BundleManifest } from '../src/bundles/index.js';
import { repoFolderName, treeCacheJson } from '../src/storage/cacheLayout.js';
import { scanInstalled } from '../src/storage/scanInstalled.js';
import {
  BERT,
  cacheHashes,
  expectCode,
  fileEntry,
  manifestEntry,
  pseudoRandom,
  SYN_COMMIT,
  SYN_FILES,
  synManifest,
  writeTar,
} from './bundleFixtures.js';
import { tempDir } from './helpers.js';

type Files = Record<string, { body: Buffer; lfs: boolean }>;

const OTHER_COMMIT = 'beef'.padEnd(40, '5');
const REPO = repoFolderName('model', BERT);

/** A bundle of these files (hashes consistent with the bytes), written to `<dir>/<name>`. */
async function bundleOf(dir: string, name: string, files: Files, overrides: Partial<BundleManifest> = {}): Promise<string> {
  const file = join(dir, name);
  const m = synManifest({ files: Object.entries(files).map(([p, f]) => fileEntry(p, f.body, f.lfs)), ...overrides });
  await writeTar(file, [manifestEntry(m), ...Object.entries(files).map(([p, f]) => ({ name: `files/${p}`, body: f.body }))]);
  return file;
}

/** SYN_FILES with one file's bytes replaced (same kind, consistent hashes). */
function withOther(path: string, body = pseudoRandom(SYN_FILES[path]!.body.length + 3, 99)): Files {
  return { ...SYN_FILES, [path]: { ...SYN_FILES[path]!, body } };
}

/** Comparing hashes: vitest's deep equality walks a 300 KB Buffer byte by byte, for seconds. */
function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function etagOf(body: Buffer, lfs: boolean): string {
  return fileEntry('x', body, lfs).etag;
}

/**
 * A snapshot as huggingface_hub makes it: blobs named by etag, relative links, refs/main, and
 * (only when `tree` is true) trees/<commit>.json listing `treeFiles`.
 */
async function pythonSnapshot(cacheDir: string, files: Files, options: { tree?: Files; copies?: boolean } = {}): Promise<string> {
  const repo = join(cacheDir, REPO);
  for (const [path, { body, lfs }] of Object.entries(files)) {
    const etag = etagOf(body, lfs);
    const pointer = join(repo, 'snapshots', SYN_COMMIT, ...path.split('/'));
    await mkdir(dirname(pointer), { recursive: true });
    if (options.copies) {
      await writeFile(pointer, body); // Windows without symlinks: the snapshot holds copies
      continue;
    }
    await mkdir(join(repo, 'blobs'), { recursive: true });
    await writeFile(join(repo, 'blobs', etag), body);
    await symlink(relative(dirname(pointer), join(repo, 'blobs', etag)), pointer);
  }
  await mkdir(join(repo, 'refs'), { recursive: true });
  await writeFile(join(repo, 'refs', 'main'), SYN_COMMIT);
  if (options.tree) {
    const listed = Object.entries(options.tree).map(([path, { body, lfs }]) => {
      const e = fileEntry(path, body, lfs);
      return { path, size: e.size, oid: e.gitOid ?? gitOidOfPointer(e.etag, e.size), lfs: lfs ? { oid: e.etag, size: e.size } : null };
    });
    await mkdir(join(repo, 'trees'), { recursive: true });
    await writeFile(join(repo, 'trees', `${SYN_COMMIT}.json`), treeCacheJson(listed));
  }
  return repo;
}

function gitOidOfPointer(sha256: string, size: number): string {
  const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
  return createHash('sha1').update(`blob ${Buffer.byteLength(pointer)}\0`).update(pointer).digest('hex');
}

async function installedRows(cacheDir: string) {
  return scanInstalled({ cacheDir, catalog: [], jobs: [] });
}

describe('a bundle for an installed commit never changes it', () => {
  it.each(['config.json', 'model.bin', 'پوشه/واژگان.txt'])(
    'same commit, other bytes for %s (hashes consistent): CONFLICT naming the file, cache byte-identical',
    async (path) => {
      const dir = await tempDir();
      const cacheDir = join(dir, 'hub');
      await importBundle({ cacheDir, file: await bundleOf(dir, 'good.tar', SYN_FILES) });
      const evil = await bundleOf(dir, 'evil.tar', withOther(path));
      const before = await cacheHashes(cacheDir);
      const error = await expectCode(importBundle({ cacheDir, file: evil }), 'CONFLICT', new RegExp(path.replace('.', '\\.')));
      expect((error as unknown as { details: Record<string, unknown> }).details).toMatchObject({ file: path, repoId: BERT, commit: SYN_COMMIT });
      expect(await cacheHashes(cacheDir)).toEqual(before);
    },
  );

  it('same commit made by Python without trees/ (links only): the links are what the bundle must agree with', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    await pythonSnapshot(cacheDir, SYN_FILES);
    const before = await cacheHashes(cacheDir);
    await expectCode(importBundle({ cacheDir, file: await bundleOf(dir, 'evil.tar', withOther('sub/dir/notes.txt')) }), 'CONFLICT', /sub\/dir\/notes\.txt/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
    // The same bytes as installed: nothing to do, nothing changed.
    const same = await importBundle({ cacheDir, file: await bundleOf(dir, 'same.tar', SYN_FILES) });
    expect(same.alreadyInstalled).toBe(true);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it.each([
    ['another size', pseudoRandom(50, 3)],
    ['the same size (not "already installed")', Buffer.from('{"model_type":"gpt2","vocab_size":100000}\n')],
  ])('a snapshot of real files (no links, no trees/) with %s for a file is CONFLICT', async (_label, body) => {
    expect(body.length === SYN_FILES['config.json']!.body.length).toBe(_label.startsWith('the same'));
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    await pythonSnapshot(cacheDir, SYN_FILES, { copies: true });
    const before = await cacheHashes(cacheDir);
    await expectCode(importBundle({ cacheDir, file: await bundleOf(dir, 'evil.tar', withOther('config.json', body)) }), 'CONFLICT', /config\.json/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it('a file that trees/<commit>.json lists with another hash is refused, even while the snapshot lacks it', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    // An include-limited download: only config.json on disk, the whole commit in trees/.
    await pythonSnapshot(cacheDir, { 'config.json': SYN_FILES['config.json']! }, { tree: SYN_FILES });
    const before = await cacheHashes(cacheDir);
    await expectCode(importBundle({ cacheDir, file: await bundleOf(dir, 'evil.tar', withOther('model.bin')) }), 'CONFLICT', /model\.bin/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it('a file that trees/<commit>.json does not list at all is refused', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    await pythonSnapshot(cacheDir, SYN_FILES, { tree: SYN_FILES });
    const before = await cacheHashes(cacheDir);
    const extra = { ...SYN_FILES, 'extra.safetensors': { body: pseudoRandom(1000, 5), lfs: true } };
    await expectCode(importBundle({ cacheDir, file: await bundleOf(dir, 'evil.tar', extra) }), 'CONFLICT', /extra\.safetensors.*not part of/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it('otherFiles that contradict trees/<commit>.json are refused', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const readme = Buffer.from('# bert\n');
    await pythonSnapshot(cacheDir, SYN_FILES, { tree: { ...SYN_FILES, 'README.md': { body: readme, lfs: false } } });
    const before = await cacheHashes(cacheDir);
    const lie = Buffer.from('# not bert\n');
    const file = await bundleOf(dir, 'evil.tar', SYN_FILES, { otherFiles: [{ path: 'README.md', size: lie.length, lfs: false, gitOid: etagOf(lie, false) }] });
    await expectCode(importBundle({ cacheDir, file }), 'CONFLICT', /README\.md/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it('a bundle that agrees with a partial snapshot completes it, and keeps the links that were there', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const repo = await pythonSnapshot(cacheDir, { 'config.json': SYN_FILES['config.json']! }, { tree: SYN_FILES });
    const link = await readlink(join(repo, 'snapshots', SYN_COMMIT, 'config.json'));
    const r = await importBundle({ cacheDir, file: await bundleOf(dir, 'good.tar', SYN_FILES) });
    expect(r.alreadyInstalled).toBe(false);
    expect(await readlink(join(repo, 'snapshots', SYN_COMMIT, 'config.json'))).toBe(link);
    for (const [path, { body }] of Object.entries(SYN_FILES)) expect(sha(await readFile(join(repo, 'snapshots', SYN_COMMIT, ...path.split('/'))))).toBe(sha(body));
  });

  it('a Python snapshot holding files the bundle does not list stays whole: no trees/ file is made up', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const readme = { body: Buffer.from('# bert\n'), lfs: false };
    const repo = await pythonSnapshot(cacheDir, { 'config.json': SYN_FILES['config.json']!, 'README.md': readme });
    expect((await installedRows(cacheDir)).map((r) => r.fileCount)).toEqual([2]);
    await importBundle({ cacheDir, file: await bundleOf(dir, 'good.tar', SYN_FILES) });
    // A file list without README.md would say the commit has no README.md, and hide the snapshot.
    expect(await lstat(join(repo, 'trees', `${SYN_COMMIT}.json`)).catch(() => null)).toBeNull();
    expect((await installedRows(cacheDir)).map((r) => r.fileCount)).toEqual([5]);
  });

  it('a blob name held by a symlink (blobs moved to another disk, now unplugged) is not replaced', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const blobs = join(cacheDir, REPO, 'blobs');
    await mkdir(blobs, { recursive: true });
    const etag = etagOf(SYN_FILES['model.bin']!.body, true);
    await symlink(join(dir, 'unplugged-disk', etag), join(blobs, etag));
    const before = await cacheHashes(cacheDir);
    await expectCode(importBundle({ cacheDir, file: await bundleOf(dir, 'good.tar', SYN_FILES) }), 'CONFLICT', /model\.bin/);
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });

  it('a blob of the wrong size under its name is replaced by the verified bytes (it cannot be what its name says)', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const blobs = join(cacheDir, REPO, 'blobs');
    await mkdir(blobs, { recursive: true });
    const etag = etagOf(SYN_FILES['model.bin']!.body, true);
    await writeFile(join(blobs, etag), 'half a download');
    await importBundle({ cacheDir, file: await bundleOf(dir, 'good.tar', SYN_FILES) });
    expect(sha(await readFile(join(blobs, etag)))).toBe(sha(SYN_FILES['model.bin']!.body));
  });
});

describe('refs: a bundle never moves an existing ref unless asked', () => {
  it('a new commit is installed and reachable by commit; refs/main stays; updateRefs: true moves it', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const first = await importBundle({ cacheDir, file: await bundleOf(dir, 'a.tar', SYN_FILES) });
    const refFile = join(cacheDir, REPO, 'refs', 'main');
    expect(await readFile(refFile, 'utf8')).toBe(SYN_COMMIT);

    const newer = await bundleOf(dir, 'b.tar', withOther('config.json'), { commit: OTHER_COMMIT });
    const r = await importBundle({ cacheDir, file: newer });
    expect(await readFile(refFile, 'utf8')).toBe(SYN_COMMIT);
    expect(first.ref).toEqual({ revision: 'main', commit: SYN_COMMIT, updated: true }); // there was none: written
    expect(r.alreadyInstalled).toBe(false);
    expect(r.path).toBe(join(cacheDir, REPO, 'snapshots', OTHER_COMMIT));
    expect(r.ref).toEqual({ revision: 'main', commit: SYN_COMMIT, updated: false });
    expect(await readFile(refFile, 'utf8')).toBe(SYN_COMMIT);
    expect(sha(await readFile(join(r.path, 'config.json')))).toBe(sha(withOther('config.json')['config.json']!.body));
    const rows = await installedRows(cacheDir);
    expect(rows.map((x) => [x.commit, x.refs])).toEqual(
      expect.arrayContaining([
        [SYN_COMMIT, ['main']],
        [OTHER_COMMIT, []],
      ]),
    );

    // Already complete: the ref alone moves, only when asked.
    const again = await importBundle({ cacheDir, file: newer });
    expect(again).toMatchObject({ alreadyInstalled: true, ref: { revision: 'main', commit: SYN_COMMIT, updated: false } });
    expect(await readFile(refFile, 'utf8')).toBe(SYN_COMMIT);
    const moved = await importBundle({ cacheDir, file: newer, updateRefs: true });
    expect(moved.ref).toEqual({ revision: 'main', commit: OTHER_COMMIT, updated: true });
    expect(await readFile(refFile, 'utf8')).toBe(OTHER_COMMIT);
    // Back again, in one go with the snapshot this time.
    const dir2 = join(dir, 'hub2');
    await importBundle({ cacheDir: dir2, file: await bundleOf(dir, 'a.tar', SYN_FILES) });
    const both = await importBundle({ cacheDir: dir2, file: newer, updateRefs: true });
    expect(both).toMatchObject({ alreadyInstalled: false, ref: { revision: 'main', commit: OTHER_COMMIT, updated: true } });
    expect(await readFile(join(dir2, REPO, 'refs', 'main'), 'utf8')).toBe(OTHER_COMMIT);
  });

  it('a bundle made of a commit (no branch) touches no ref', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const r = await importBundle({ cacheDir, file: await bundleOf(dir, 'a.tar', SYN_FILES, { revision: SYN_COMMIT }) });
    expect(r.ref).toBeNull();
    expect(await lstat(join(cacheDir, REPO, 'refs')).catch(() => null)).toBeNull();
  });
});

describe('export reads only what the snapshot really holds', () => {
  it('a link swapped to another blob of the repo is CHECKSUM_MISMATCH when trees/ says otherwise', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const repo = await pythonSnapshot(cacheDir, SYN_FILES, { tree: SYN_FILES });
    const pointer = join(repo, 'snapshots', SYN_COMMIT, 'config.json');
    await rm(pointer);
    await symlink(`../../blobs/${etagOf(SYN_FILES['sub/dir/notes.txt']!.body, false)}`, pointer);
    await expectCode(
      exportBundle({ cacheDir, repoType: 'model', repoId: BERT, commit: SYN_COMMIT, file: join(dir, 'x.tar'), toolVersion: '1' }),
      'CHECKSUM_MISMATCH',
      /config\.json/,
    );
  });

  it('a file that trees/<commit>.json does not list is refused: the bundle would say the commit has it', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const planted = { body: Buffer.from('planted\n'), lfs: false };
    await pythonSnapshot(cacheDir, { ...SYN_FILES, 'planted.txt': planted }, { tree: SYN_FILES });
    await expectCode(
      exportBundle({ cacheDir, repoType: 'model', repoId: BERT, commit: SYN_COMMIT, file: join(dir, 'x.tar'), toolVersion: '1' }),
      'CHECKSUM_MISMATCH',
      /planted\.txt.*trees/,
    );
  });
});
