// An import that fails while installing undoes its own steps, and only its own: a file another
// writer (a download of the same commit) put into a folder the import created stays.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { importBundle } from '../src/bundles/index.js';
import { repoFolderName } from '../src/storage/cacheLayout.js';
import { BERT, manifestEntry, SYN_COMMIT, synEntries, synManifest, writeTar } from './bundleFixtures.js';
import { describeTree, tempDir } from './helpers.js';

/** When set, the first link made under this folder is followed by another writer's file beside it. */
const intruder = vi.hoisted(() => ({ under: null as string | null, wrote: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const symlink = async (target: string, path: string) => {
    await fs.symlink(target, path);
    if (intruder.under && !intruder.wrote && path.startsWith(intruder.under + sep)) {
      intruder.wrote = join(dirname(path), 'written-by-a-download.txt');
      await fs.writeFile(intruder.wrote, 'not the import’s');
    }
  };
  const wrapped = { ...fs, symlink };
  return { ...wrapped, default: wrapped };
});

describe('undoing a failed install', () => {
  it('removes the folders it made only while they are empty', async () => {
    const dir = await tempDir();
    const cacheDir = join(dir, 'hub');
    const repo = join(cacheDir, repoFolderName('model', BERT));
    // refs/main is a folder: writing the ref, the last step, fails, after every link was made.
    await mkdir(join(repo, 'refs', 'main', 'x'), { recursive: true });
    const bundle = join(dir, 'b.tar');
    await writeTar(bundle, [manifestEntry(synManifest()), ...synEntries()]);
    intruder.under = join(repo, 'snapshots', SYN_COMMIT);
    const error = await importBundle({ cacheDir, file: bundle }).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error?.code).toMatch(/^E(ISDIR|NOTEMPTY|EXIST|NOTDIR)$/);
    // The import's own links are gone; the other writer's file, and the folders holding it, stay.
    expect(intruder.wrote).not.toBeNull();
    expect(await readFile(intruder.wrote!, 'utf8')).toBe('not the import’s');
    expect(await describeTree(join(repo, 'snapshots'))).toEqual({ [relative(join(repo, 'snapshots'), intruder.wrote!)]: `file ${Buffer.byteLength('not the import’s')}` });
  });
});
