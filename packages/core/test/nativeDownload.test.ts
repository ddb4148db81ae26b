import { readFile, readlink, lstat, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join, relative, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPersianHubError, type JobSnapshot } from '../src/index.js';
import { emulator, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

const BERT = 'HooshvareLab/bert-fa-base-uncased';

function repoOf(emu: Awaited<ReturnType<typeof sharedEmulator>>, type: 'model' | 'dataset', id: string, revision = 'main') {
  const repo = emu.repos.get(`${type}:${id}`);
  if (!repo) throw new Error(`emulator has no ${type}:${id}`);
  const rev = repo.revisions.get(revision);
  if (!rev) throw new Error(`emulator has no ${revision} in ${id}`);
  return { repo, rev };
}

async function expectFailure(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isPersianHubError(error), `expected a PersianHubError ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

describe('native download engine against the Hub emulator', () => {
  it('downloads a model with include patterns into the HF cache layout, with verified bytes', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const job = await m.start({ repoId: BERT, repoType: 'model', revision: 'main', include: ['*.json', 'pytorch_model.bin'] });
    const done = await m.waitFor(job.id);
    const { rev } = repoOf(emu, 'model', BERT);
    const expected = rev.files.filter((f) => f.path.endsWith('.json') || f.path === 'pytorch_model.bin');
    expect(expected.length).toBeGreaterThan(1);
    expect(done.status).toBe('completed');
    expect(done.commit).toBe(rev.commit);
    expect(done.files.map((f) => f.path).sort()).toEqual(expected.map((f) => f.path).sort());
    expect(done.bytesTotal).toBe(expected.reduce((s, f) => s + f.size, 0));
    expect(done.bytesDownloaded).toBe(done.bytesTotal);
    expect(done.progress).toBe(100);
    const repoDir = join(m.cacheDir, 'models--HooshvareLab--bert-fa-base-uncased');
    expect(done.path).toBe(join(repoDir, 'snapshots', rev.commit));
    for (const f of expected) {
      const pointer = join(repoDir, 'snapshots', rev.commit, f.path);
      expect(await sha256File(pointer)).toBe(f.sha256);
    }
    // Files outside the include list were not fetched.
    const fetched = emu.requests.filter((r) => r.url.includes('/resolve/') && r.method === 'GET').map((r) => decodeURIComponent(r.url));
    expect(fetched.some((u) => u.endsWith('tf_model.h5'))).toBe(false);
  });

  it('writes refs, blobs and relative symlinks exactly as huggingface_hub does (model and dataset)', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    for (const [type, id, folder] of [
      ['model', BERT, 'models--HooshvareLab--bert-fa-base-uncased'],
      ['dataset', 'HooshvareLab/pn_summary', 'datasets--HooshvareLab--pn_summary'],
    ] as const) {
      const job = await m.start({ repoId: id, repoType: type });
      await m.waitFor(job.id);
      const { rev } = repoOf(emu, type, id);
      const repoDir = join(m.cacheDir, folder);
      // refs/main: the 40-hex commit, no trailing newline.
      expect(await readFile(join(repoDir, 'refs', 'main'), 'utf8')).toBe(rev.commit);
      // blobs: one per distinct etag, named by sha256 (LFS) or git blob sha1 (regular).
      const blobs = (await readdir(join(repoDir, 'blobs'))).sort();
      expect(blobs).toEqual([...new Set(rev.files.map((f) => f.etag))].sort());
      for (const f of rev.files) {
        expect(f.etag).toMatch(f.lfs ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{40}$/);
        const pointer = join(repoDir, 'snapshots', rev.commit, ...f.path.split('/'));
        expect((await lstat(pointer)).isSymbolicLink()).toBe(true);
        // os.path.relpath(blob, dirname(pointer)): `../../blobs/x` at the top, one more `../` per folder.
        expect(await readlink(pointer)).toBe(relative(dirname(pointer), join(repoDir, 'blobs', f.etag)));
        expect(await readlink(pointer)).toBe(`${'../'.repeat(f.path.split('/').length + 1)}blobs/${f.etag}`);
        expect(await sha256File(pointer)).toBe(f.sha256);
      }
      const incompletes = blobs.filter((b) => b.endsWith('.incomplete'));
      expect(incompletes).toEqual([]);
    }
  });

  it('downloads a dataset at a revision with slashes (refs/convert/parquet)', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const id = 'persiannlp/parsinlu_translation_en_fa';
    const job = await m.start({ repoId: id, repoType: 'dataset', revision: 'refs/convert/parquet' });
    const done = await m.waitFor(job.id);
    const { rev } = repoOf(emu, 'dataset', id, 'refs/convert/parquet');
    const repoDir = join(m.cacheDir, 'datasets--persiannlp--parsinlu_translation_en_fa');
    expect(await readFile(join(repoDir, 'refs', 'refs', 'convert', 'parquet'), 'utf8')).toBe(rev.commit);
    expect(done.files.map((f) => f.path).sort()).toEqual(rev.files.map((f) => f.path).sort());
    expect(done.files.filter((f) => f.path.endsWith('.parquet')).map((f) => f.path).sort()).toEqual(['parsinlu-repo/test/0000.parquet', 'parsinlu-repo/train/0000.parquet', 'parsinlu-repo/validation/0000.parquet']);
    // The revision travelled percent-encoded, as the official clients send it.
    expect(emu.requests.some((r) => r.url.includes('refs%2Fconvert%2Fparquet'))).toBe(true);
  });

  it('downloads 300+ small files listed across many tree pages', async () => {
    const files = Array.from({ length: 320 }, (_, i) => ({ path: `shards/${String(i % 7)}/part-${String(i).padStart(4, '0')}.json`, content: `{"i":${i}}\n` }));
    const emu = await emulator({ pageSize: 50, repos: [{ id: 'test/many-files', files }] });
    const m = await manager(emu.url);
    const job = await m.start({ repoId: 'test/many-files' });
    const done = await m.waitFor(job.id);
    expect(done.files).toHaveLength(320);
    expect(done.bytesDownloaded).toBe(files.reduce((s, f) => s + Buffer.byteLength(f.content), 0));
    const treePages = emu.requests.filter((r) => r.url.includes('/tree/'));
    expect(treePages.length).toBe(7); // 320 / 50 → 7 pages, every Link followed
    const snap = done.path!;
    expect(await readFile(join(snap, 'shards/2/part-0310.json'), 'utf8')).toBe('{"i":310}\n');
  });

  it('does not fetch files that are already in the cache', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    const first = await m.waitFor((await m.start({ repoId: BERT, include: ['*.json', 'vocab.txt'] })).id);
    emu.resetStats();
    const second = await m.waitFor((await m.start({ repoId: BERT, include: ['*.json', 'vocab.txt', 'pytorch_model.bin'] })).id);
    const gets = emu.requests.filter((r) => r.method === 'GET' && (r.url.includes('/resolve/') || r.url.startsWith('/cdn/')));
    expect(gets.map((r) => decodeURIComponent(r.url)).filter((u) => u.includes('/resolve/'))).toEqual([
      expect.stringContaining('pytorch_model.bin'),
    ]);
    expect(second.files.filter((f) => f.status === 'cached').map((f) => f.path).sort()).toEqual(first.files.map((f) => f.path).sort());
  });

  describe('faults', () => {
    it('resumes a file with Range after the connection drops', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      const { rev } = repoOf(emu, 'model', BERT);
      const big = rev.filesByPath.get('pytorch_model.bin')!;
      emu.setFaults([{ type: 'drop', afterBytes: Math.floor(big.size / 3), times: 1, match: { host: 'cdn' } }]);
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin'] })).id);
      expect(await sha256File(join(done.path!, 'pytorch_model.bin'))).toBe(big.sha256);
      const cdn = emu.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn).toHaveLength(2);
      expect(cdn[1]!.headers.range).toBe(`bytes=${Math.floor(big.size / 3)}-`);
      // Nothing was downloaded twice.
      expect(emu.bytesServed((r) => r.url.startsWith('/cdn/'))).toBe(big.size);
    });

    it('retries a 500 and honours 429 Retry-After', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { retry: { retries: 3, minDelayMs: 5, maxDelayMs: 2000 } });
      emu.setFaults([
        { type: 'status', status: 500, times: 1, match: { path: 'config.json' } },
        { type: 'status', status: 429, retryAfter: 1, times: 1, match: { path: 'vocab.txt' } },
      ]);
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['config.json', 'vocab.txt'] })).id);
      expect(done.status).toBe('completed');
      const vocab = emu.requests.filter((r) => r.url.includes('vocab.txt') && r.method === 'GET');
      expect(vocab.map((r) => r.status)).toEqual([429, 200]);
      // Retry-After: 1 s was honoured, not the 5 ms backoff.
      expect(vocab[1]!.startedAt - vocab[0]!.startedAt).toBeGreaterThanOrEqual(950);
      expect(emu.requests.filter((r) => r.url.includes('config.json') && r.method === 'GET').map((r) => r.status)).toEqual([500, 200]);
    });

    it('fails with RATE_LIMITED when 429s outlast the retries', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { retry: { retries: 1, minDelayMs: 5, maxDelayMs: 20 } });
      emu.setFaults([{ type: 'status', status: 429, retryAfter: 0, match: { path: 'config.json' } }]);
      const job = await m.start({ repoId: BERT, include: ['config.json'] });
      await expectFailure(m.waitFor(job.id), 'RATE_LIMITED');
    });

    it('re-fetches a corrupted file once, then fails with CHECKSUM_MISMATCH if it stays corrupt', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      const { rev } = repoOf(emu, 'model', BERT);
      emu.setFaults([{ type: 'corrupt', times: 1, match: { host: 'cdn' } }]);
      const ok = await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin'] })).id);
      expect(await sha256File(join(ok.path!, 'pytorch_model.bin'))).toBe(rev.filesByPath.get('pytorch_model.bin')!.sha256);

      emu.setFaults([{ type: 'corrupt', match: { host: 'cdn' } }]);
      const m2 = await manager(emu.url);
      const bad = await m2.start({ repoId: BERT, include: ['flax_model.msgpack'] });
      await expectFailure(m2.waitFor(bad.id), 'CHECKSUM_MISMATCH');
      // The corrupt bytes never became a blob.
      const blobs = await readdir(join(m2.cacheDir, 'models--HooshvareLab--bert-fa-base-uncased', 'blobs'));
      expect(blobs.filter((b) => !b.endsWith('.incomplete'))).toEqual([]);
    });

    it('detects a stalled transfer and resumes it', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { stallTimeoutMs: 300 });
      const { rev } = repoOf(emu, 'model', BERT);
      const big = rev.filesByPath.get('pytorch_model.bin')!;
      emu.setFaults([{ type: 'stall', afterBytes: 1000, times: 1, match: { host: 'cdn' } }]);
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin'] })).id);
      expect(await sha256File(join(done.path!, 'pytorch_model.bin'))).toBe(big.sha256);
      const cdn = emu.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn[1]!.headers.range).toBe('bytes=1000-');
    });

    it('fails with STALLED when every attempt stalls', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { stallTimeoutMs: 150, retry: { retries: 1, minDelayMs: 5, maxDelayMs: 10 } });
      emu.setFaults([{ type: 'stall', afterBytes: 0, match: { host: 'cdn' } }]);
      const job = await m.start({ repoId: BERT, include: ['pytorch_model.bin'] });
      await expectFailure(m.waitFor(job.id), 'STALLED');
    });

    it('survives a connection reset and a throttled server', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      emu.setFaults([
        { type: 'reset', times: 1, match: { path: 'vocab.txt' } },
        { type: 'throttle', bytesPerSecond: 2_000_000, match: { host: 'cdn' } },
      ]);
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['vocab.txt', 'pytorch_model.bin'] })).id);
      expect(done.status).toBe('completed');
    });

    it('starts over when a server ignores Range and answers 200 with the whole file', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      const { rev } = repoOf(emu, 'model', BERT);
      const big = rev.filesByPath.get('pytorch_model.bin')!;
      emu.setFaults([
        { type: 'drop', afterBytes: 300_000, times: 1, match: { host: 'cdn' } },
        { type: 'ignore-range', times: 1, match: { host: 'cdn' } },
      ]);
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin'] })).id);
      expect(await sha256File(join(done.path!, 'pytorch_model.bin'))).toBe(big.sha256);
      const cdn = emu.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn.map((r) => [r.headers.range ?? null, r.status])).toEqual([
        [null, 200],
        ['bytes=300000-', 200],
      ]);
    });

    it('throws away a partial file that is longer than the real one', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      const { rev } = repoOf(emu, 'model', BERT);
      const big = rev.filesByPath.get('pytorch_model.bin')!;
      const blobs = join(m.cacheDir, 'models--HooshvareLab--bert-fa-base-uncased', 'blobs');
      await mkdir(blobs, { recursive: true });
      await writeFile(join(blobs, `${big.etag}.incomplete`), Buffer.alloc(big.size + 10, 1));
      const done = await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin'] })).id);
      expect(await sha256File(join(done.path!, 'pytorch_model.bin'))).toBe(big.sha256);
    });
  });

  describe('errors the Hub can cause', () => {
    it.each([
      [{ repoId: 'nobody/does-not-exist' }, 'REPO_NOT_FOUND'],
      [{ repoId: BERT, revision: 'no-such-branch' }, 'REVISION_NOT_FOUND'],
      [{ repoId: BERT, include: ['no-such-file.bin'] }, 'ENTRY_NOT_FOUND'],
      [{ repoId: 'mozilla-foundation/common_voice_13_0', repoType: 'dataset' as const }, 'GATED_REPO'],
    ])('%o → %s', async (request, code) => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      const job = await m.start(request);
      await expectFailure(m.waitFor(job.id), code);
      const failed = m.get(job.id)!;
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe(code);
      expect(failed.error?.message.length).toBeGreaterThan(10);
    });

    it('maps a missing file behind a listed name to ENTRY_NOT_FOUND', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      emu.setFaults([{ type: 'status', status: 404, match: { path: 'vocab.txt' } }]);
      await expectFailure(m.waitFor((await m.start({ repoId: BERT, include: ['vocab.txt'] })).id), 'ENTRY_NOT_FOUND');
    });

    it('downloads a gated repo with a token, and refuses a bad token with UNAUTHORIZED', async () => {
      const emu = await sharedEmulator();
      const ok = await manager(emu.url, { token: 'hf_emulator_token' });
      const done = await ok.waitFor((await ok.start({ repoId: 'mozilla-foundation/common_voice_13_0', repoType: 'dataset', include: ['*.json', '*.md'] })).id);
      expect(done.status).toBe('completed');
      // The token went to the Hub but never to the CDN host.
      const withAuth = emu.requests.filter((r) => r.headers.authorization);
      expect(withAuth.length).toBeGreaterThan(0);
      expect(withAuth.every((r) => !r.url.startsWith('/cdn/'))).toBe(true);

      const bad = await manager(emu.url, { token: 'hf_wrong' });
      await expectFailure(bad.waitFor((await bad.start({ repoId: BERT, include: ['config.json'] })).id), 'UNAUTHORIZED');
    });

    it('never sends the token to the CDN host', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url, { token: 'hf_emulator_token' });
      await m.waitFor((await m.start({ repoId: BERT, include: ['pytorch_model.bin', 'config.json'] })).id);
      const cdn = emu.requests.filter((r) => r.url.startsWith('/cdn/'));
      expect(cdn.length).toBeGreaterThan(0);
      expect(cdn.every((r) => r.headers.authorization === undefined)).toBe(true);
      expect(emu.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.headers.authorization === 'Bearer hf_emulator_token')).toBe(true);
    });

    it('fails with NETWORK when the endpoint is down', async () => {
      const emu = await emulator();
      const url = emu.url;
      await emu.close();
      const m = await manager(url, { retry: { retries: 1, minDelayMs: 5, maxDelayMs: 10 } });
      await expectFailure(m.waitFor((await m.start({ repoId: BERT })).id), 'NETWORK');
    });

    it('rejects bad requests up front with INVALID_INPUT', async () => {
      const emu = await sharedEmulator();
      const m = await manager(emu.url);
      for (const bad of [{ repoId: '../etc' }, { repoId: 'a/b/c' }, { repoId: 'a--b/c' }, { repoId: BERT, revision: '../../x' }, { repoId: BERT, include: ['x'.repeat(500)] }]) {
        await expectFailure(m.start(bad), 'INVALID_INPUT');
      }
    });
  });

  describe('untrusted paths from the Hub', () => {
    it.each(['../evil.txt', 'a/../../evil.txt', '/etc/evil', 'a//b.txt', 'a/./b.txt', 'a\\..\\evil.txt'])(
      'refuses %s with UNSAFE_PATH and writes nothing',
      async (path) => {
        const emu = await emulator({ repos: [{ id: 'evil/repo', hostile: true, files: [{ path: 'ok.txt', content: 'fine' }, { path, content: 'pwned' }] }] });
        const m = await manager(emu.url);
        const job = await m.start({ repoId: 'evil/repo' });
        await expectFailure(m.waitFor(job.id), 'UNSAFE_PATH');
        const root = dirname(m.cacheDir);
        const everything = await readdir(root, { recursive: true });
        expect(everything.some((p) => String(p).includes('evil'))).toBe(false);
        expect(emu.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
      },
    );

    it.each([
      ['a right-to-left override', 'evil\u202Etxt.exe', '\\u{202E}'],
      ['a bidi isolate', 'evil\u2067.txt', '\\u{2067}'],
      ['a right-to-left mark', 'evil\u200F.txt', '\\u{200F}'],
      ['an Arabic letter mark', 'evil\u061C.txt', '\\u{061C}'],
      ['a newline', 'evil\n.txt', '\\u{000A}'],
      ['a terminal escape', 'evil\u001b]0;title\u0007.txt', '\\u{001B}'],
      ['a zero-width space', 'evil\u200B.txt', '\\u{200B}'],
      ['a tag character', 'evil\u{E0041}.txt', '\\u{E0041}'],
      ['a lone surrogate', 'evil\uD800.txt', 'valid Unicode'],
    ])('refuses a file name with %s as UNSAFE_PATH, naming it printably', async (_label, path, shown) => {
      const emu = await emulator({ repos: [{ id: 'evil/repo', hostile: true, files: [{ path: 'ok.txt', content: 'fine' }, { path, content: 'pwned' }] }] });
      const m = await manager(emu.url);
      const error = await expectFailure(m.waitFor((await m.start({ repoId: 'evil/repo' })).id), 'UNSAFE_PATH');
      expect(error.message).toContain(shown);
      expect(error.message).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0000-\u001F]/);
      const everything = await readdir(dirname(m.cacheDir), { recursive: true });
      expect(everything.some((p) => String(p).includes('evil'))).toBe(false);
      expect(emu.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
    });

    it('keeps Persian names with ZWNJ and emoji with ZWJ', async () => {
      const names = ['کتاب\u200Cها.txt', 'family-\u{1F468}\u200D\u{1F469}.txt'];
      const emu = await emulator({ repos: [{ id: 'fa/names', files: names.map((path) => ({ path, content: path })) }] });
      const m = await manager(emu.url);
      const done = await m.waitFor((await m.start({ repoId: 'fa/names' })).id);
      expect(done.status).toBe('completed');
      for (const name of names) expect(await readFile(join(done.path!, name), 'utf8')).toBe(name);
    });
  });

  it('reports progress inside a small file on a slow link (not only when a write batch fills)', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 400_000, match: { host: 'cdn' } }]);
    const seen: number[] = [];
    m.on('progress', (s) => seen.push(s.bytesDownloaded));
    const done = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
    const onnx = done.files.find((f) => f.path.endsWith('.onnx'))!;
    expect(onnx.size).toBeLessThan(1 << 20);
    const between = seen.filter((b) => b > 10_000 && b < done.bytesTotal! - 10_000);
    expect(between.length).toBeGreaterThan(0);
  });

  it('emits throttled progress where bytesDownloaded never goes down within an attempt', async () => {
    const emu = await sharedEmulator();
    const m = await manager(emu.url);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 4_000_000, match: { host: 'cdn' } }]);
    const seen: JobSnapshot[] = [];
    m.on('progress', (s) => seen.push(s));
    const job = await m.start({ repoId: BERT, include: ['pytorch_model.bin', 'tf_model.h5'] });
    const done = await m.waitFor(job.id);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDownloaded).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDownloaded);
    expect(seen.every((s) => s.bytesTotal === done.bytesTotal)).toBe(true);
    expect(seen.some((s) => s.speed > 0 && s.eta !== null)).toBe(true);
  });
});

export { tempDir };
