import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, fileDownloadInfo, listFiles, snapshotDownload } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manySmallFiles, startHubEmulator, type HubEmulator } from '../src/index.js';
import { TOKEN, file, repo, sha256 } from './helpers.js';

let hub: HubEmulator;
let tmp: string;
beforeAll(async () => {
  // downloadFileToCacheDir logs every file with console.debug
  vi.spyOn(console, 'debug').mockImplementation(() => undefined);
  hub = await startHubEmulator({ pageSize: 4 });
  tmp = await mkdtemp(join(tmpdir(), 'hub-emulator-js-'));
});
afterAll(async () => {
  await hub.close();
  await rm(tmp, { recursive: true, force: true });
});

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

describe('@huggingface/hub (official js client) against the emulator', () => {
  it('snapshotDownload writes every file with the right bytes and refs/main', async () => {
    const r = repo(hub, 'model:HooshvareLab/bert-fa-base-uncased');
    const cacheDir = join(tmp, 'cache');
    const snapshot = await snapshotDownload({ repo: { name: r.id, type: 'model' }, cacheDir, hubUrl: hub.url });
    const storage = join(cacheDir, 'models--HooshvareLab--bert-fa-base-uncased');
    expect(snapshot).toBe(join(storage, 'snapshots', r.commit));
    expect(await readFile(join(storage, 'refs', 'main'), 'utf8')).toBe(r.commit);
    const files = (await walk(snapshot)).sort();
    expect(files).toEqual(r.main.files.map((f) => f.path).sort());
    for (const f of r.main.files) {
      const bytes = await readFile(join(snapshot, f.path));
      expect(sha256(bytes), f.path).toBe(f.sha256);
    }
    // blobs are named by ETag: sha256 for LFS files, git sha1 otherwise
    const blobs = (await readdir(join(storage, 'blobs'))).sort();
    expect(blobs).toEqual([...new Set(r.main.files.map((f) => f.etag))].sort());
    // the tree was read across several pages (pageSize 4)
    expect(hub.requests.filter((q) => q.url.includes('/tree/') && q.url.includes('cursor=')).length).toBeGreaterThan(0);
  });

  it('snapshotDownload of a dataset on refs/convert/parquet', async () => {
    const r = repo(hub, 'dataset:persiannlp/parsinlu_translation_en_fa');
    const rev = r.revisions.get('refs/convert/parquet')!;
    const cacheDir = join(tmp, 'cache-ds');
    const snapshot = await snapshotDownload({ repo: { name: r.id, type: 'dataset' }, revision: 'refs/convert/parquet', cacheDir, hubUrl: hub.url });
    expect(snapshot.endsWith(rev.commit)).toBe(true);
    const storage = join(cacheDir, 'datasets--persiannlp--parsinlu_translation_en_fa');
    expect(await readFile(join(storage, 'refs', 'refs', 'convert', 'parquet'), 'utf8')).toBe(rev.commit);
    for (const f of rev.files) expect(sha256(await readFile(join(snapshot, f.path)))).toBe(f.sha256);
  });

  it('snapshotDownload of a gated repo works with an access token', async () => {
    const r = repo(hub, 'dataset:mozilla-foundation/common_voice_13_0');
    const cacheDir = join(tmp, 'cache-gated');
    await expect(snapshotDownload({ repo: { name: r.id, type: 'dataset' }, cacheDir, hubUrl: hub.url })).rejects.toThrow();
    const snapshot = await snapshotDownload({ repo: { name: r.id, type: 'dataset' }, cacheDir, hubUrl: hub.url, accessToken: TOKEN });
    expect((await stat(join(snapshot, 'audio/fa/train/fa_train_0.tar'))).size).toBe(file(r, 'audio/fa/train/fa_train_0.tar').size);
  });

  it('snapshotDownload of 300 small files', async () => {
    const r = await hub.addRepo(manySmallFiles(300));
    const snapshot = await snapshotDownload({ repo: r.id, cacheDir: join(tmp, 'cache-many'), hubUrl: hub.url });
    expect((await walk(snapshot)).length).toBe(300);
  });

  it('listFiles follows the Link header across pages', async () => {
    const r = repo(hub, 'model:rhasspy/piper-voices');
    const paths: string[] = [];
    for await (const entry of listFiles({ repo: r.id, recursive: true, hubUrl: hub.url })) {
      if (entry.type === 'file') paths.push(entry.path);
    }
    expect(paths.sort()).toEqual(r.main.files.map((f) => f.path).sort());
  });

  it('fileDownloadInfo reads size and etag for regular and LFS files, null when missing', async () => {
    const r = repo(hub, 'model:HooshvareLab/bert-fa-base-uncased');
    const cfg = await fileDownloadInfo({ repo: r.id, path: 'config.json', hubUrl: hub.url });
    expect(cfg).toMatchObject({ size: file(r, 'config.json').size, etag: `"${file(r, 'config.json').oid}"` });
    const bin = await fileDownloadInfo({ repo: r.id, path: 'pytorch_model.bin', hubUrl: hub.url });
    expect(bin).toMatchObject({ size: file(r, 'pytorch_model.bin').size, etag: `"${file(r, 'pytorch_model.bin').sha256}"` });
    expect(await fileDownloadInfo({ repo: r.id, path: 'missing.bin', hubUrl: hub.url })).toBeNull();
  });

  it('downloadFile returns a Blob with the right bytes, on a refs/pr/1 revision too', async () => {
    const r = repo(hub, 'model:HooshvareLab/bert-fa-base-uncased');
    const f = file(r, 'model.safetensors', 'refs/pr/1');
    const blob = await downloadFile({ repo: r.id, path: 'model.safetensors', revision: 'refs/pr/1', hubUrl: hub.url });
    expect(blob).not.toBeNull();
    expect(sha256(Buffer.from(await blob!.arrayBuffer()))).toBe(f.sha256);
    const slice = await blob!.slice(10, 20).arrayBuffer();
    expect(slice.byteLength).toBe(10);
  });
});
