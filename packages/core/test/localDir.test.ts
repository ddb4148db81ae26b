import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

describe('local-dir mode (huggingface_hub local_dir)', () => {
  it('writes real files and .cache/huggingface/download/*.metadata, and skips them next time', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const dir = join(await tempDir(), 'datasets', 'parsinlu');
    const id = 'persiannlp/parsinlu_translation_en_fa';
    const rev = emu.repos.get(`dataset:${id}`)!.main;
    const done = await m.waitFor((await m.start({ repoId: id, repoType: 'dataset', localDir: dir })).id);
    expect(done.path).toBe(dir);
    for (const f of rev.files) {
      const p = join(dir, ...f.path.split('/'));
      expect((await lstat(p)).isFile()).toBe(true);
      expect(await sha256File(p)).toBe(f.sha256);
      const meta = await readFile(join(dir, '.cache', 'huggingface', 'download', `${f.path}.metadata`), 'utf8');
      const [commit, etag, ts, end] = meta.split('\n');
      expect(commit).toBe(rev.commit);
      expect(etag).toBe(f.etag);
      expect(Number(ts)).toBeGreaterThan(1.7e9);
      expect(end).toBe('');
    }
    expect(await readFile(join(dir, '.cache', 'huggingface', '.gitignore'), 'utf8')).toBe('*');
    const leftovers = (await readdir(join(dir, '.cache'), { recursive: true })).filter((p) => String(p).endsWith('.incomplete'));
    expect(leftovers).toEqual([]);
    // Python also records the ref in the cache dir for local-dir downloads.
    expect(await readFile(join(m.cacheDir, 'datasets--persiannlp--parsinlu_translation_en_fa', 'refs', 'main'), 'utf8')).toBe(rev.commit);

    emu.resetStats();
    const again = await m.waitFor((await m.start({ repoId: id, repoType: 'dataset', localDir: dir })).id);
    expect(again.files.every((f) => f.status === 'cached')).toBe(true);
    expect(emu.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
    const installed = await m.installed();
    expect(installed.some((i) => i.location === 'local-dir' && i.path === dir)).toBe(true);
  });
});
