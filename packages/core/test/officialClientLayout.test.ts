import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotDownload } from '@huggingface/hub';
import { describe, expect, it } from 'vitest';
import { describeTree, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

/**
 * The cache must be the one the official clients write: same folder names, blob names,
 * relative symlink targets and refs. `@huggingface/hub`'s snapshotDownload is the reference
 * we can run here (Python's is not installable offline; its rules are in hf-protocol.md §5).
 */
describe('cache layout is identical to @huggingface/hub snapshotDownload', () => {
  it.each([
    ['model', 'HooshvareLab/bert-fa-base-uncased', 'models--HooshvareLab--bert-fa-base-uncased'],
    ['dataset', 'HooshvareLab/pn_summary', 'datasets--HooshvareLab--pn_summary'],
  ] as const)('%s %s', async (type, repoId, folder) => {
    const emu = await sharedEmulator();
    const commit = emu.repos.get(`${type}:${repoId}`)!.commit;
    const theirs = join(await tempDir(), 'hub');
    // At a commit, @huggingface/hub names the snapshot folder after that commit (as Python does).
    await snapshotDownload({ repo: { name: repoId, type }, revision: commit, cacheDir: theirs, hubUrl: emu.url });

    const m = await manager(emu.url);
    const done = await m.waitFor((await m.start({ repoId, repoType: type })).id);
    const ours = m.cacheDir;

    const a = await describeTree(join(theirs, folder));
    const b = await describeTree(join(ours, folder));
    // Ours also writes refs/main (as Python does for a branch) and trees/<commit>.json (Python ≥ 1.22).
    const { [`refs/main`]: refMain, [`trees/${commit}.json`]: tree, ...rest } = b;
    expect(rest).toEqual(a);
    expect(refMain).toBe('file 40');
    expect(await readFile(join(ours, folder, 'refs', 'main'), 'utf8')).toBe(commit);
    expect(tree).toMatch(/^file \d+$/);
    for (const f of done.files) {
      expect(await sha256File(join(ours, folder, 'snapshots', commit, f.path))).toBe(
        await sha256File(join(theirs, folder, 'snapshots', commit, f.path)),
      );
    }
  });
});
