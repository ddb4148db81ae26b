import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBlobSha1, startHubEmulator, type HubEmulator } from '../src/index.js';
import { bytesOf, file, repo, sha256 } from './helpers.js';

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator();
});
afterAll(() => hub.close());

const BERT = 'HooshvareLab/bert-fa-base-uncased';

describe('resolve', () => {
  it('regular file: 200 with ETag (git sha1), X-Repo-Commit, Content-Length on HEAD, Accept-Ranges', async () => {
    const f = file(repo(hub, `model:${BERT}`), 'config.json');
    const head = await fetch(`${hub.url}/${BERT}/resolve/main/config.json`, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(`"${f.oid}"`);
    expect(head.headers.get('x-repo-commit')).toBe('848a6f398faf0d124912524720a1066353305fd3');
    expect(head.headers.get('content-length')).toBe(String(f.size));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const get = await fetch(`${hub.url}/${BERT}/resolve/main/config.json`, { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(get.headers.get('content-encoding')).toBeNull();
    const body = await bytesOf(get);
    expect(gitBlobSha1(body)).toBe(f.oid);
    expect(JSON.parse(body.toString('utf8')).model_type).toBe('bert');
  });

  it('LFS file: 302 to the CDN host with X-Linked-Etag and X-Linked-Size', async () => {
    const f = file(repo(hub, `model:${BERT}`), 'pytorch_model.bin');
    const res = await fetch(`${hub.url}/${BERT}/resolve/main/pytorch_model.bin`, { method: 'HEAD', redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`http://localhost:${hub.port}/cdn/${f.sha256}?response-content-disposition=attachment`);
    expect(res.headers.get('x-linked-etag')).toBe(`"${f.sha256}"`);
    expect(res.headers.get('x-linked-size')).toBe(String(f.size));
    expect(res.headers.get('x-repo-commit')).toBe(repo(hub, `model:${BERT}`).commit);
    expect(res.headers.get('etag')).toBeTruthy();
    expect([...res.headers.keys()].filter((k) => k.startsWith('x-xet'))).toEqual([]);
  });

  it('follows the redirect to bytes that match the sha256', async () => {
    const f = file(repo(hub, `model:${BERT}`), 'pytorch_model.bin');
    const res = await fetch(`${hub.url}/${BERT}/resolve/main/pytorch_model.bin`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${f.sha256}"`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="pytorch_model.bin";');
    expect(res.headers.get('x-repo-commit')).toBeNull();
    const body = await bytesOf(res);
    expect(body.length).toBe(f.size);
    expect(sha256(body)).toBe(f.sha256);
  });

  it('accepts a revision with encoded slashes, a commit and a dataset prefix', async () => {
    const r = repo(hub, 'dataset:persiannlp/parsinlu_translation_en_fa');
    const rev = r.revisions.get('refs/convert/parquet')!;
    const f = file(r, 'parsinlu-repo/train/0000.parquet', 'refs/convert/parquet');
    for (const ref of ['refs%2Fconvert%2Fparquet', rev.commit]) {
      const res = await fetch(`${hub.url}/datasets/persiannlp/parsinlu_translation_en_fa/resolve/${ref}/parsinlu-repo/train/0000.parquet`, { method: 'HEAD', redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('x-repo-commit')).toBe(rev.commit);
      expect(res.headers.get('x-linked-etag')).toBe(`"${f.sha256}"`);
    }
    const main = await fetch(`${hub.url}/datasets/persiannlp/parsinlu_translation_en_fa/resolve/main/parsinlu-repo/train/0000.parquet`, { method: 'HEAD' });
    expect(main.headers.get('x-error-code')).toBe('EntryNotFound');
  });

  it('percent-decodes file paths (js sends them raw, python quoted)', async () => {
    await hub.addRepo({ id: 'test/unicode', files: [{ path: 'داده ها/نمونه 1.txt', content: 'سلام' }] });
    const quoted = `${hub.url}/test/unicode/resolve/main/${encodeURI('داده ها/نمونه 1.txt')}`;
    const res = await fetch(quoted);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('سلام');
  });

  it('serves Range requests on regular files with 206', async () => {
    const f = file(repo(hub, 'model:Kamtera/persian-tts-male-vits'), 'train_vits.py');
    const res = await fetch(`${hub.url}/Kamtera/persian-tts-male-vits/resolve/main/train_vits.py`, { headers: { range: 'bytes=7-' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 7-${f.size - 1}/${f.size}`);
    expect((await bytesOf(res)).length).toBe(f.size - 7);
  });

  it('serves the LFS pointer on /raw/', async () => {
    const f = file(repo(hub, `model:${BERT}`), 'pytorch_model.bin');
    const res = await fetch(`${hub.url}/${BERT}/raw/main/pytorch_model.bin`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(f.pointer);
    expect(gitBlobSha1(f.pointer!)).toBe(f.oid);
  });
});

describe('CDN', () => {
  const cdn = (sha: string) => `http://localhost:${hub.port}/cdn/${sha}`;

  it('answers Range bytes=0-0 with 206, Content-Range and ETag (what the js client needs)', async () => {
    const f = file(repo(hub, 'model:rhasspy/piper-voices'), 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    const res = await fetch(cdn(f.sha256), { headers: { range: 'bytes=0-0' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-0/${f.size}`);
    expect(res.headers.get('etag')).toBe(`"${f.sha256}"`);
    expect((await bytesOf(res)).length).toBe(1);
  });

  it('answers bytes=a-b and bytes=a- with the right slice of the full body', async () => {
    const f = file(repo(hub, 'model:rhasspy/piper-voices'), 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    const full = await bytesOf(await fetch(cdn(f.sha256)));
    expect(sha256(full)).toBe(f.sha256);
    const mid = await fetch(cdn(f.sha256), { headers: { range: 'bytes=65530-70000' } });
    expect(mid.status).toBe(206);
    expect(mid.headers.get('content-range')).toBe(`bytes 65530-70000/${f.size}`);
    expect((await bytesOf(mid)).equals(full.subarray(65530, 70001))).toBe(true);
    const tail = await fetch(cdn(f.sha256), { headers: { range: `bytes=${f.size - 10}-` } });
    expect((await bytesOf(tail)).equals(full.subarray(f.size - 10))).toBe(true);
  });

  it('answers a Range past the end with 416 and bytes */total', async () => {
    const f = file(repo(hub, 'model:rhasspy/piper-voices'), 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    const res = await fetch(cdn(f.sha256), { headers: { range: `bytes=${f.size}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${f.size}`);
  });

  it('is only served on the CDN host name', async () => {
    const f = file(repo(hub, `model:${BERT}`), 'pytorch_model.bin');
    expect((await fetch(`${hub.url}/cdn/${f.sha256}`)).status).toBe(404);
  });

  it('serves a 256 MiB generated file by range without buffering it', async () => {
    const big = await hub.addRepo({ id: 'test/big', files: [{ path: 'huge.safetensors', size: 256 * 1024 * 1024 }] });
    const f = file(big, 'huge.safetensors');
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    const res = await fetch(cdn(f.sha256), { headers: { range: `bytes=${f.size - 100000}-` } });
    expect(res.status).toBe(206);
    expect((await bytesOf(res)).length).toBe(100000);
  });
});

describe('what the Python client reads from a HEAD (hf-protocol §2.3)', () => {
  // Mirrors file_download.py:get_hf_file_metadata with allow_redirects=False and
  // follow_relative_redirects=True, for every file of a few repos.
  async function pyMetadata(url: string) {
    let res = await fetch(url, { method: 'HEAD', redirect: 'manual', headers: { 'accept-encoding': 'identity' } });
    while (res.status >= 300 && res.status < 400 && !/^https?:\/\//.test(res.headers.get('location') ?? '')) {
      res = await fetch(new URL(res.headers.get('location')!, url).toString().replace(/\?.*$/, ''), { method: 'HEAD', redirect: 'manual' });
    }
    const h = res.headers;
    return {
      status: res.status,
      commit: h.get('x-repo-commit'),
      etag: (h.get('x-linked-etag') ?? h.get('etag'))?.replace(/^W\//, '').replace(/"/g, ''),
      size: Number(h.get('x-linked-size') ?? (res.status >= 300 && res.status < 400 ? null : h.get('content-length'))),
      location: h.get('location') ?? url,
    };
  }

  for (const key of ['model:HooshvareLab/bert-fa-base-uncased', 'model:Kamtera/persian-tts-female-vits', 'dataset:HooshvareLab/pn_summary']) {
    it(`gives commit, etag, size and a cross-host location for ${key}`, async () => {
      const r = repo(hub, key);
      const prefix = r.type === 'dataset' ? 'datasets/' : '';
      for (const f of r.main.files) {
        const url = `${hub.url}/${prefix}${r.id}/resolve/${r.commit}/${encodeURI(f.path)}`;
        const meta = await pyMetadata(url);
        expect(meta.commit).toBe(r.commit);
        expect(meta.etag).toBe(f.etag);
        expect(meta.size).toBe(f.size);
        if (f.lfs) {
          expect(meta.status).toBe(302);
          const target = new URL(meta.location);
          expect(target.hostname).not.toBe(new URL(hub.url).hostname);
          const got = await fetch(meta.location); // python sends no authorization here
          expect(Number(got.headers.get('content-length'))).toBe(f.size);
          await got.arrayBuffer();
        } else {
          expect(meta.status).toBe(200);
        }
      }
    });
  }
});
