import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoCachePaths } from '@persian-hub/core';
import { createMirrorFixture, DATASET, MIRRORS, MODEL, OFFLINE, PARQUET, type MirrorFixture, type StartedMirror } from './mirrorFixture.js';
import { rawRequest } from './rawRequest.js';

let fx: MirrorFixture;
beforeAll(async () => {
  fx = await createMirrorFixture();
}, 120_000);
afterAll(async () => {
  await fx?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the asserts
const json = (res: Response): Promise<any> => res.json();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(MIRRORS)('the Hub mirror on %s', (_name, start) => {
  let mirror: StartedMirror;
  beforeAll(async () => {
    mirror = await start(fx.manager, { pageSize: 3 });
  });
  afterAll(async () => {
    await mirror.close();
  });

  it('answers repo info with the commit and the installed files', async () => {
    const rev = fx.revision('model', MODEL, 'main');
    const res = await fetch(`${mirror.url}/api/models/${MODEL}/revision/main`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.id).toBe(MODEL);
    expect(body.sha).toBe(rev.commit);
    expect(body.siblings.map((s: { rfilename: string }) => s.rfilename).sort()).toEqual(rev.files.map((f) => f.path).sort());
    const parquet = await json(await fetch(`${mirror.url}/api/datasets/${DATASET}/revision/${encodeURIComponent(PARQUET)}?blobs=true`));
    const prev = fx.revision('dataset', DATASET, PARQUET);
    expect(parquet.sha).toBe(prev.commit);
    for (const f of prev.files) {
      const s = parquet.siblings.find((x: { rfilename: string }) => x.rfilename === f.path);
      expect(s).toMatchObject({ size: f.size, blobId: f.oid, ...(f.lfs ? { lfs: { sha256: f.sha256, size: f.size, pointerSize: f.pointerSize } } : {}) });
    }
  });

  it('sends the Hub headers on HEAD and GET: ETag, X-Repo-Commit, X-Linked-*, Content-Length', async () => {
    const rev = fx.revision('model', MODEL, 'main');
    const lfs = rev.files.find((f) => f.lfs)!;
    const plain = rev.files.find((f) => !f.lfs)!;
    const head = await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-repo-commit')).toBe(rev.commit);
    expect(head.headers.get('etag')).toBe(`"${lfs.sha256}"`);
    expect(head.headers.get('x-linked-etag')).toBe(`"${lfs.sha256}"`);
    expect(head.headers.get('x-linked-size')).toBe(String(lfs.size));
    expect(head.headers.get('content-length')).toBe(String(lfs.size));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const get = await fetch(`${mirror.url}/${MODEL}/resolve/${rev.commit}/${plain.path}`);
    expect(get.headers.get('etag')).toBe(`"${plain.oid}"`);
    expect(get.headers.get('x-linked-etag')).toBeNull();
    expect(sha256(Buffer.from(await get.arrayBuffer()))).toBe(plain.sha256);
  });

  it('serves byte ranges with 206 and refuses ranges past the end with 416', async () => {
    const lfs = fx.revision('model', MODEL, 'main').files.find((f) => f.lfs)!;
    const whole = Buffer.from(await (await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`)).arrayBuffer());
    const part = await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`, { headers: { range: 'bytes=10-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-99/${lfs.size}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 100))).toBe(true);
    const tail = await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`, { headers: { range: `bytes=${lfs.size - 5}-` } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(lfs.size - 5))).toBe(true);
    const past = await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`, { headers: { range: `bytes=${lfs.size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${lfs.size}`);
    const stale = await fetch(`${mirror.url}/${MODEL}/resolve/main/${lfs.path}`, { headers: { range: 'bytes=10-99', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  });

  it('answers unknown repos, revisions and files with the Hub error codes', async () => {
    const repo = await fetch(`${mirror.url}/api/models/nobody/nothing/revision/main`);
    expect([repo.status, repo.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
    const rev = await fetch(`${mirror.url}/api/models/${MODEL}/revision/no-such-branch`);
    expect([rev.status, rev.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
    const file = await fetch(`${mirror.url}/${MODEL}/resolve/main/missing.bin`, { method: 'HEAD' });
    expect([file.status, file.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
    expect(file.headers.get('x-repo-commit')).toBe(fx.revision('model', MODEL, 'main').commit);
    const ds = await fetch(`${mirror.url}/datasets/${DATASET}/resolve/main/README.md`);
    // Only refs/convert/parquet was downloaded: main is not on this mirror.
    expect([ds.status, ds.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
  });

  it('lists the tree in pages linked with an absolute Link header', async () => {
    const rev = fx.revision('model', MODEL, 'main');
    const seen: string[] = [];
    let url: string | null = `${mirror.url}/api/models/${MODEL}/tree/main?recursive=True&expand=False`;
    let pages = 0;
    while (url && pages++ < 50) {
      const res: Response = await fetch(url);
      const page = (await res.json()) as { type: string; path: string; oid: string; size: number }[];
      expect(page.length).toBeLessThanOrEqual(3);
      for (const e of page) if (e.type === 'file') seen.push(e.path);
      const link = res.headers.get('link');
      url = link ? /^<(https?:\/\/[^>]+)>;\s+rel="next"$/.exec(link)![1]! : null;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen.sort()).toEqual(rev.files.map((f) => f.path).sort());
  });

  it('answers paths-info for form (Python) and JSON (@huggingface/hub) bodies', async () => {
    const rev = fx.revision('model', MODEL, 'main');
    const lfs = rev.files.find((f) => f.lfs)!;
    const form = await fetch(`${mirror.url}/api/models/${MODEL}/paths-info/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `paths=${encodeURIComponent(lfs.path)}&paths=nope.txt&expand=False`,
    });
    expect(await json(form)).toEqual([{ type: 'file', oid: lfs.oid, size: lfs.size, lfs: { oid: lfs.sha256, size: lfs.size, pointerSize: lfs.pointerSize }, path: lfs.path }]);
    const jsonRes = await fetch(`${mirror.url}/api/models/${MODEL}/paths-info/${rev.commit}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths: [lfs.path], expand: true }),
    });
    expect((await json(jsonRes))[0].lastCommit.id).toBe(rev.commit);
  });

  it('serves a repo that came from an offline bundle', async () => {
    const res = await fetch(`${mirror.url}/api/models/${OFFLINE}`);
    expect((await json(res)).sha).toBe(fx.offline.commit);
    const file = await fetch(`${mirror.url}/${OFFLINE}/resolve/main/fa/voice.onnx`);
    expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(fx.offline.files.get('fa/voice.onnx'));
  });

  it('never serves a partial blob, a missing one, or a link that leaves the cache', async () => {
    const commit = fx.revision('model', MODEL, 'main').commit;
    const paths = repoCachePaths(fx.manager.cacheDir, 'model', MODEL);
    const partial = 'a'.repeat(64);
    await writeFile(paths.incomplete(partial), 'half of a file');
    const snap = paths.snapshotDir(commit);
    await mkdir(join(snap, 'bad'), { recursive: true });
    await symlink(`../../../blobs/${partial}.incomplete`, join(snap, 'bad', 'partial.bin'));
    await symlink(`../../../blobs/${'b'.repeat(64)}`, join(snap, 'bad', 'missing.bin'));
    await symlink('/etc/hostname', join(snap, 'bad', 'escape.txt'));
    // With trees/<commit>.json (the manager's) and without (a cache Python wrote): the links
    // alone must be enough to refuse them.
    const tree = paths.tree(commit);
    try {
      for (const withTree of [true, false]) {
        if (!withTree) await rename(tree, `${tree}.away`);
        for (const name of ['partial.bin', 'missing.bin', 'escape.txt']) {
          for (const method of ['HEAD', 'GET']) {
            const res = await fetch(`${mirror.url}/${MODEL}/resolve/main/bad/${name}`, { method });
            expect([withTree, name, method, res.status, res.headers.get('x-error-code')]).toEqual([withTree, name, method, 404, 'EntryNotFound']);
          }
        }
        const info = await json(await fetch(`${mirror.url}/api/models/${MODEL}`));
        expect(info.siblings.filter((s: { rfilename: string }) => s.rfilename.startsWith('bad/'))).toEqual([]);
        expect(info.siblings).toHaveLength(fx.revision('model', MODEL, 'main').files.length);
      }
    } finally {
      await rename(`${tree}.away`, tree).catch(() => undefined);
      await rm(join(snap, 'bad'), { recursive: true, force: true });
      await rm(paths.incomplete(partial), { force: true });
    }
  });

  it('refuses paths and revisions that would leave the repo with 400', async () => {
    for (const url of [
      `${mirror.url}/${MODEL}/resolve/main/..%2F..%2Frefs%2Fmain`,
      `${mirror.url}/${MODEL}/resolve/..%2F..%2Fx/config.json`,
      `${mirror.url}/api/models/${MODEL}/revision/..%2Fmain`,
      `${mirror.url}/${MODEL}/resolve/main/%E0%A4%A`,
      `${mirror.url}/api/models/${MODEL}/tree/main?cursor=-1`,
      `${mirror.url}/api/models/${MODEL}/tree/main?cursor=${'9'.repeat(12)}`,
    ]) {
      const res = await rawRequest(url);
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.text).not.toContain(fx.root);
    }
  });
});

describe('mirror access control', () => {
  it('needs the read-only token when one is set, compared as Bearer', async () => {
    const { startExpressMirror } = await import('./mirrorFixture.js');
    const token = 'lan-token-0123456789abcdef';
    const mirror = await startExpressMirror(fx.manager, { token });
    try {
      const none = await fetch(`${mirror.url}/api/models/${MODEL}`);
      expect(none.status).toBe(401);
      const wrong = await fetch(`${mirror.url}/api/models/${MODEL}`, { headers: { authorization: 'Bearer lan-token-0123456789abcdeX' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${mirror.url}/api/models/${MODEL}`, { headers: { authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
    } finally {
      await mirror.close();
    }
    await expect(startExpressMirror(fx.manager, { token: 'short' })).rejects.toThrow(/16 characters/);
  });

  it('serves only what the policy allows, as RepoNotFound otherwise, and asks authorize with "mirror"', async () => {
    const { startFastifyMirror } = await import('./mirrorFixture.js');
    const actions: string[] = [];
    const mirror = await startFastifyMirror(fx.manager, {
      policy: { serve: ['dataset:*', 'lab/*'] },
      authorize: (_req, action) => {
        actions.push(action);
        return true;
      },
    });
    try {
      const model = await fetch(`${mirror.url}/${MODEL}/resolve/main/config.json`, { method: 'HEAD' });
      expect([model.status, model.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
      expect((await fetch(`${mirror.url}/api/models/${OFFLINE}`)).status).toBe(200);
      expect((await fetch(`${mirror.url}/api/datasets/${DATASET}/revision/${encodeURIComponent(PARQUET)}`)).status).toBe(200);
      expect(new Set(actions)).toEqual(new Set(['mirror']));
    } finally {
      await mirror.close();
    }
  });

  it('refuses a host name it does not know (DNS rebinding) like the REST routes', async () => {
    const { startExpressMirror } = await import('./mirrorFixture.js');
    const mirror = await startExpressMirror(fx.manager, {});
    try {
      const res = await rawRequest(`${mirror.url}/api/models/${MODEL}`, { headers: { host: 'evil.example' } });
      expect(res.status).toBe(403);
      const ok = await rawRequest(`${mirror.url}/api/models/${MODEL}`, { headers: { host: 'localhost:1234' } });
      expect(ok.status).toBe(200);
      expect(await readFile(join(fx.manager.cacheDir, '..', 'hub', 'models--lab--offline-voice', 'refs', 'main'), 'utf8')).toBe(fx.offline.commit);
    } finally {
      await mirror.close();
    }
  });
});

describe('GET /capabilities on the REST routes', () => {
  it('tells the page where the mirror is, or that there is none', async () => {
    const { createPersianHubHandler } = await import('../src/index.js');
    const ask = async (options: Parameters<typeof createPersianHubHandler>[1]) => {
      const handler = createPersianHubHandler(fx.manager, options);
      try {
        const res = await handler.handle({ method: 'GET', url: '/capabilities', headers: { host: '127.0.0.1:3001' } });
        return res?.kind === 'json' ? [res.status, JSON.parse(res.body).hubMirror] : res;
      } finally {
        handler.close();
      }
    };
    expect(await ask({})).toEqual([200, undefined]);
    expect(await ask({ hubMirror: { path: 'hub/', tokenRequired: true } })).toEqual([200, { path: '/hub', tokenRequired: true }]);
  });
});
