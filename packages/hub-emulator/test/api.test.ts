import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manySmallFiles, startHubEmulator, type HubEmulator } from '../src/index.js';
import { LINK_RE, TOKEN, file, repo } from './helpers.js';

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator({ pageSize: 50 });
  await hub.addRepo(manySmallFiles(300));
});
afterAll(() => hub.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side JSON access
const json = (res: Response): Promise<any> => res.json();

const auth = { authorization: `Bearer ${TOKEN}` };

describe('repo info', () => {
  it('answers /api/models/{id}/revision/main with id, sha and siblings', async () => {
    const res = await fetch(`${hub.url}/api/models/HooshvareLab/bert-fa-base-uncased/revision/main?expand=sha&expand=gated`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    const info = (await res.json()) as Record<string, unknown> & { siblings: { rfilename: string }[] };
    expect(info.id).toBe('HooshvareLab/bert-fa-base-uncased');
    expect(info._id).toMatch(/^[0-9a-f]{24}$/);
    expect(info.sha).toBe('848a6f398faf0d124912524720a1066353305fd3');
    expect(info).toMatchObject({ private: false, gated: false, disabled: false });
    expect(new Date(info.lastModified as string).getTime()).not.toBeNaN();
    expect(info.siblings.map((s) => s.rfilename)).toEqual(
      expect.arrayContaining(['config.json', 'pytorch_model.bin', 'tf_model.h5', 'flax_model.msgpack', 'vocab.txt', 'README.md']),
    );
    expect(info.siblings.map((s) => s.rfilename)).not.toContain('model.safetensors');
  });

  it('answers without a revision, for datasets, and resolves ids case-insensitively', async () => {
    const plain = await json(await fetch(`${hub.url}/api/models/Kamtera/persian-tts-female-vits`));
    expect(plain.sha).toBe('b9ce840a936f6e269e8985a6ebc03e8ad9705be7');
    const ds = await json(await fetch(`${hub.url}/api/datasets/hooshvarelab/pn_summary/revision/main`));
    expect(ds.id).toBe('HooshvareLab/pn_summary');
    expect(ds.sha).toBe('42dfe6e4d07ffa335c4791068b5a0ecd61f25fa6');
  });

  it('adds size, blobId and lfs with ?blobs=true', async () => {
    const r = repo(hub, 'model:HooshvareLab/bert-fa-base-uncased');
    const info = await json(await fetch(`${hub.url}/api/models/HooshvareLab/bert-fa-base-uncased?blobs=True`));
    const bin = info.siblings.find((s: { rfilename: string }) => s.rfilename === 'pytorch_model.bin');
    const f = file(r, 'pytorch_model.bin');
    expect(bin).toEqual({ rfilename: 'pytorch_model.bin', size: f.size, blobId: f.oid, lfs: { size: f.size, sha256: f.sha256, pointerSize: f.pointerSize } });
    const cfg = info.siblings.find((s: { rfilename: string }) => s.rfilename === 'config.json');
    expect(cfg.lfs).toBeUndefined();
    expect(cfg.blobId).toBe(file(r, 'config.json').oid);
  });

  it('resolves refs/pr/1 (encoded), tags and commits', async () => {
    const r = repo(hub, 'model:HooshvareLab/bert-fa-base-uncased');
    const pr = await json(await fetch(`${hub.url}/api/models/HooshvareLab/bert-fa-base-uncased/revision/refs%2Fpr%2F1`));
    expect(pr.sha).toBe(r.revisions.get('refs/pr/1')!.commit);
    expect(pr.siblings.map((s: { rfilename: string }) => s.rfilename)).toContain('model.safetensors');
    const tag = await json(await fetch(`${hub.url}/api/models/rhasspy/piper-voices/revision/v1.0.0`));
    expect(tag.sha).toBe(repo(hub, 'model:rhasspy/piper-voices').revisions.get('v1.0.0')!.commit);
    const byCommit = await json(await fetch(`${hub.url}/api/models/HooshvareLab/bert-fa-base-uncased/revision/${pr.sha}`));
    expect(byCommit.sha).toBe(pr.sha);
  });
});

describe('tree', () => {
  async function listAll(first: string): Promise<{ entries: { path: string; type: string }[]; pages: number }> {
    const entries: { path: string; type: string }[] = [];
    let next: string | undefined = first;
    let pages = 0;
    while (next) {
      const res: Response = await fetch(next);
      expect(res.status).toBe(200);
      entries.push(...((await res.json()) as { path: string; type: string }[]));
      pages++;
      const link = res.headers.get('link');
      const m = link ? LINK_RE.exec(link) : null;
      if (m) expect(m[2]).toBe('next');
      next = m?.[1];
    }
    return { entries, pages };
  }

  it('paginates with an absolute Link header until it is absent', async () => {
    const { entries, pages } = await listAll(`${hub.url}/api/models/emulator/many-small-files/tree/main?recursive=True&expand=False`);
    const files = entries.filter((e) => e.type === 'file');
    const dirs = entries.filter((e) => e.type === 'directory');
    expect(files).toHaveLength(300);
    expect(dirs).toHaveLength(12 + 36);
    expect(pages).toBe(Math.ceil(348 / 50));
    expect(new Set(entries.map((e) => e.path)).size).toBe(348);
  });

  it('puts the endpoint in the Link (with a space after ;) and keeps the query', async () => {
    const res = await fetch(`${hub.url}/api/models/emulator/many-small-files/tree/main?recursive=true&expand=false`);
    const link = res.headers.get('link')!;
    expect(link).toBe(`<${hub.url}/api/models/emulator/many-small-files/tree/main?recursive=true&expand=false&cursor=50>; rel="next"`);
  });

  it('lists one level when not recursive, and a sub-path with %2F', async () => {
    const top = await json(await fetch(`${hub.url}/api/models/rhasspy/piper-voices/tree/main`));
    expect(top.map((e: { path: string }) => e.path).sort()).toEqual(['.gitattributes', 'README.md', 'de', 'en', 'fa', 'voices.json']);
    const amir = await json(await fetch(`${hub.url}/api/models/rhasspy/piper-voices/tree/v1.0.0/fa%2Ffa_IR%2Famir%2Fmedium?recursive=false`));
    expect(amir.map((e: { path: string }) => e.path)).toEqual([
      'fa/fa_IR/amir/medium/MODEL_CARD',
      'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx',
      'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx.json',
      'fa/fa_IR/amir/medium/samples',
    ]);
    const onnx = amir.find((e: { path: string }) => e.path.endsWith('.onnx'));
    const f = file(repo(hub, 'model:rhasspy/piper-voices'), 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    expect(onnx).toEqual({ type: 'file', oid: f.oid, size: f.size, lfs: { oid: f.sha256, size: f.size, pointerSize: f.pointerSize }, path: f.path });
    expect(JSON.stringify(amir)).not.toContain('xetHash');
  });

  it('serves refs/convert/parquet given as %2F-encoded revision', async () => {
    const res = await fetch(`${hub.url}/api/datasets/persiannlp/parsinlu_translation_en_fa/tree/refs%2Fconvert%2Fparquet?recursive=true`);
    const paths = ((await res.json()) as { path: string; type: string }[]).filter((e) => e.type === 'file').map((e) => e.path);
    expect(paths).toEqual(['.gitattributes', 'parsinlu-repo/test/0000.parquet', 'parsinlu-repo/train/0000.parquet', 'parsinlu-repo/validation/0000.parquet']);
  });

  it('adds lastCommit with expand=true', async () => {
    const r = repo(hub, 'model:PartAI/Tooka-SBERT');
    const entries = await json(await fetch(`${hub.url}/api/models/PartAI/Tooka-SBERT/tree/main?expand=true`));
    for (const e of entries) expect(e.lastCommit).toMatchObject({ id: r.commit, title: expect.any(String), date: expect.any(String) });
  });
});

describe('paths-info', () => {
  it('accepts a form-encoded body (python) and omits missing paths', async () => {
    const r = repo(hub, 'model:Kamtera/persian-tts-male-vits');
    const res = await fetch(`${hub.url}/api/models/Kamtera/persian-tts-male-vits/paths-info/main`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'paths=config.json&paths=best_model_91323.pth&paths=nope.txt&expand=False',
    });
    const entries = await json(res);
    expect(entries).toEqual([
      { type: 'file', oid: file(r, 'config.json').oid, size: file(r, 'config.json').size, path: 'config.json' },
      expect.objectContaining({ path: 'best_model_91323.pth', lfs: expect.objectContaining({ oid: file(r, 'best_model_91323.pth').sha256 }) }),
    ]);
  });

  it('accepts a JSON body (js) and returns lastCommit when expand is true', async () => {
    const r = repo(hub, 'dataset:persiannlp/parsinlu_translation_en_fa');
    const res = await fetch(`${hub.url}/api/datasets/persiannlp/parsinlu_translation_en_fa/paths-info/refs%2Fconvert%2Fparquet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paths: ['parsinlu-repo/train/0000.parquet', 'parsinlu-repo'], expand: true }),
    });
    const entries = await json(res);
    expect(entries).toHaveLength(2);
    expect(entries[0].lastCommit.id).toBe(r.revisions.get('refs/convert/parquet')!.commit);
    expect(entries[1]).toMatchObject({ type: 'directory', path: 'parsinlu-repo', size: 0 });
  });
});

describe('renamed repos', () => {
  const noFollow = { redirect: 'manual' as const };

  it('answers a former id with 307 and a relative Location naming the new id, path and query kept', async () => {
    const info = await fetch(`${hub.url}/api/datasets/parsinlu_reading_comprehension/revision/main?expand=sha`, noFollow);
    expect(info.status).toBe(307);
    expect(info.headers.get('location')).toBe('/api/datasets/community-datasets/parsinlu_reading_comprehension/revision/main?expand=sha');
    const tree = await fetch(`${hub.url}/api/datasets/parsinlu_reading_comprehension/tree/main?recursive=true`, noFollow);
    expect(tree.headers.get('location')).toBe('/api/datasets/community-datasets/parsinlu_reading_comprehension/tree/main?recursive=true');
    const resolve = await fetch(`${hub.url}/datasets/parsinlu_reading_comprehension/resolve/main/README.md`, noFollow);
    expect(resolve.status).toBe(307);
    expect(resolve.headers.get('location')).toBe('/datasets/community-datasets/parsinlu_reading_comprehension/resolve/main/README.md');
  });

  it('redirects an org/name former id of a model, and following it gives the new repo', async () => {
    const emu = await startHubEmulator({
      repos: [{ id: 'new-org/voice', renamedFrom: ['Old-Org/voice'], files: [{ path: 'config.json', content: '{}' }] }],
    });
    try {
      const moved = await fetch(`${emu.url}/api/models/old-org/voice/revision/main`, noFollow);
      expect(moved.status).toBe(307);
      expect(moved.headers.get('location')).toBe('/api/models/new-org/voice/revision/main');
      const followed = await json(await fetch(`${emu.url}/api/models/old-org/voice/revision/main`));
      expect(followed.id).toBe('new-org/voice');
      const resolve = await fetch(`${emu.url}/old-org/voice/resolve/main/config.json`, noFollow);
      expect(resolve.headers.get('location')).toBe('/new-org/voice/resolve/main/config.json');
      expect(await (await fetch(`${emu.url}/old-org/voice/resolve/main/config.json`)).text()).toBe('{}');
      // Another repo type with the same former name does not exist.
      expect((await fetch(`${emu.url}/api/datasets/old-org/voice`, noFollow)).status).toBe(401);
    } finally {
      await emu.close();
    }
  });
});

describe('errors', () => {
  async function errorOf(url: string, init: RequestInit = {}) {
    const res = await fetch(url, { redirect: 'manual', ...init });
    const body = init.method === 'HEAD' ? null : await res.json();
    return { status: res.status, code: res.headers.get('x-error-code'), message: res.headers.get('x-error-message'), commit: res.headers.get('x-repo-commit'), body };
  }

  it('unknown repo: 401 RepoNotFound anonymous, 404 with a valid token', async () => {
    const anon = await errorOf(`${hub.url}/api/models/nobody/does-not-exist/revision/main`);
    expect(anon).toMatchObject({ status: 401, code: 'RepoNotFound', body: { error: 'Repository not found' } });
    const authed = await errorOf(`${hub.url}/nobody/does-not-exist/resolve/main/x.bin`, { method: 'HEAD', headers: auth });
    expect(authed).toMatchObject({ status: 404, code: 'RepoNotFound' });
  });

  it('unknown revision: 404 RevisionNotFound', async () => {
    expect(await errorOf(`${hub.url}/api/models/Kamtera/persian-tts-male-vits/revision/nope`)).toMatchObject({ status: 404, code: 'RevisionNotFound', message: 'Invalid rev id: nope' });
    expect(await errorOf(`${hub.url}/Kamtera/persian-tts-male-vits/resolve/nope/config.json`)).toMatchObject({ status: 404, code: 'RevisionNotFound' });
    expect(await errorOf(`${hub.url}/api/models/Kamtera/persian-tts-male-vits/tree/nope`)).toMatchObject({ status: 404, code: 'RevisionNotFound' });
  });

  it('missing file: 404 EntryNotFound with X-Repo-Commit', async () => {
    const r = repo(hub, 'model:Kamtera/persian-tts-male-vits');
    const e = await errorOf(`${hub.url}/Kamtera/persian-tts-male-vits/resolve/main/nothere.bin`, { method: 'HEAD' });
    expect(e).toMatchObject({ status: 404, code: 'EntryNotFound', commit: r.commit, message: 'nothere.bin does not exist on "main"' });
  });

  it('bad token: 401 Invalid credentials', async () => {
    const e = await errorOf(`${hub.url}/api/models/Kamtera/persian-tts-male-vits`, { headers: { authorization: 'Bearer x' } });
    expect(e).toMatchObject({ status: 401, code: null, message: 'Invalid credentials in Authorization header' });
  });

  it('gated: 401 GatedRepo for info, tree and resolve without a token; 200 with one', async () => {
    const base = `${hub.url}/api/datasets/mozilla-foundation/common_voice_13_0`;
    for (const url of [`${base}/revision/main`, `${base}/tree/main`, `${hub.url}/datasets/mozilla-foundation/common_voice_13_0/resolve/main/README.md`]) {
      const e = await errorOf(url);
      expect(e.status).toBe(401);
      expect(e.code).toBe('GatedRepo');
      expect(e.message).toContain('is restricted');
      expect((await fetch(url, { headers: auth })).status).toBe(200);
    }
    const r = repo(hub, 'dataset:mozilla-foundation/common_voice_13_0');
    expect(r.commit).toBe('051fa0b223c830523f411d63c94252ce29616cc8');
    expect((await errorOf(`${hub.url}/api/models/PartAI/Dorna2-Llama3.1-8B-Instruct`)).code).toBe('GatedRepo');
  });

  it('private: RepoNotFound anonymous, 200 with a token', async () => {
    await hub.addRepo({ id: 'secret/repo', private: true, files: [{ path: 'a.txt', content: 'a' }] });
    expect(await errorOf(`${hub.url}/api/models/secret/repo`)).toMatchObject({ status: 401, code: 'RepoNotFound' });
    expect((await fetch(`${hub.url}/secret/repo/resolve/main/a.txt`, { headers: auth })).status).toBe(200);
  });

  it('/api/agent-harnesses is 404', async () => {
    expect((await fetch(`${hub.url}/api/agent-harnesses`)).status).toBe(404);
  });
});
