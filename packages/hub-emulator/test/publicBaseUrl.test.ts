import { afterAll, beforeAll, expect, it } from 'vitest';
import { manySmallFiles, startHubEmulator, type HubEmulator } from '../src/index.js';
import { LINK_RE, file, repo } from './helpers.js';

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator({ repos: [manySmallFiles(30), { id: 'm/lfs', files: [{ path: 'w.bin', size: 5000 }] }], pageSize: 10, publicBaseUrl: 'https://huggingface.co' });
});
afterAll(() => hub.close());

it('puts publicBaseUrl in Link headers and LFS redirects, like a mirror that forwards the Hub', async () => {
  const res = await fetch(`${hub.url}/api/models/emulator/many-small-files/tree/main?recursive=true`);
  const m = LINK_RE.exec(res.headers.get('link') ?? '');
  expect(m?.[1]).toBe('https://huggingface.co/api/models/emulator/many-small-files/tree/main?recursive=true&cursor=10');
  // a client that maps the public base back onto the mirror gets the next page
  const next = await fetch(m![1]!.replace('https://huggingface.co', hub.url));
  expect(((await next.json()) as unknown[]).length).toBe(10);

  const f = file(repo(hub, 'model:m/lfs'), 'w.bin');
  const head = await fetch(`${hub.url}/m/lfs/resolve/main/w.bin`, { method: 'HEAD', redirect: 'manual' });
  const location = head.headers.get('location')!;
  expect(location).toBe(`https://huggingface.co/cdn/${f.sha256}?response-content-disposition=attachment`);
  // with publicBaseUrl, /cdn/ answers on any host so the rewritten URL works
  const body = await fetch(location.replace('https://huggingface.co', hub.url));
  expect(body.status).toBe(200);
  expect((await body.arrayBuffer()).byteLength).toBe(f.size);
});
