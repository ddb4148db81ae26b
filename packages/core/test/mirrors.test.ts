import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDownloadManager, isPersianHubError } from '../src/index.js';
import { emulator, manager, sha256File, sharedEmulator, tempDir } from './helpers.js';

const BERT = 'HooshvareLab/bert-fa-base-uncased';

describe('mirrors that stay mirrors', () => {
  it('completes on a mirror whose Link headers and LFS redirects point back at huggingface.co', async () => {
    // A mirror that copies the Hub's headers verbatim: every Link and Location names https://huggingface.co.
    const mirror = await emulator({ publicBaseUrl: 'https://huggingface.co', pageSize: 2 });
    const raw = await fetch(`${mirror.url}/api/models/${BERT}/tree/main?recursive=true`);
    expect(raw.headers.get('link')).toMatch(/^<https:\/\/huggingface\.co\//);
    const resolve = await fetch(`${mirror.url}/${BERT}/resolve/main/pytorch_model.bin`, { redirect: 'manual' });
    expect(resolve.headers.get('location')).toMatch(/^https:\/\/huggingface\.co\/cdn\//);
    mirror.resetStats();

    const m = await manager(mirror.url, { token: 'hf_emulator_token' });
    const done = await m.waitFor((await m.start({ repoId: BERT })).id);
    const rev = mirror.repos.get(`model:${BERT}`)!.main;
    for (const f of rev.files) expect(await sha256File(join(done.path!, f.path))).toBe(f.sha256);
    // Every page was followed (small pages), every LFS file came through the mirror's /cdn/.
    expect(mirror.requests.filter((r) => r.url.includes('/tree/')).length).toBeGreaterThan(1);
    expect(mirror.requests.filter((r) => r.url.startsWith('/cdn/')).length).toBe(rev.files.filter((f) => f.lfs).length);
    // huggingface.co is unreachable here, so any request to it would have failed the job; the token
    // only ever went to the mirror that issued it.
    expect(done.endpoint).toBe(mirror.url);
  });

  it('probes endpoints, reports the error class of a dead one, and remembers the good one across restarts', async () => {
    const live = await sharedEmulator();
    const dead = await emulator();
    const deadUrl = dead.url;
    await dead.close();
    const root = await tempDir();
    const opts = { endpoints: [deadUrl, live.url], cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), token: false as const, retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } };
    const m1 = createDownloadManager(opts);
    const probes = await m1.probeEndpoints();
    expect(probes.find((p) => p.endpoint === deadUrl)).toMatchObject({ ok: false, latencyMs: null, error: { code: 'NETWORK' } });
    const good = probes.find((p) => p.endpoint === live.url)!;
    expect(good.ok).toBe(true);
    expect(good.latencyMs).toBeGreaterThanOrEqual(0);
    expect(m1.preferredEndpoint()).toBe(live.url);
    await m1.close();

    const m2 = createDownloadManager(opts);
    await m2.ready();
    expect(m2.preferredEndpoint()).toBe(live.url);
    live.resetStats();
    const done = await m2.waitFor((await m2.start({ repoId: BERT, include: ['config.json'] })).id);
    expect(done.endpoint).toBe(live.url);
    await m2.close();
  });
});

describe('BLOCKED: what filtering looks like', () => {
  it('a socket that is reset before any answer is BLOCKED, with a hint', async () => {
    const emu = await sharedEmulator();
    emu.setFaults([{ type: 'reset' }]);
    const m = await manager(emu.url, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 } });
    const error = await m.waitFor((await m.start({ repoId: BERT })).id).catch((e: unknown) => e);
    expect(isPersianHubError(error) && error.code).toBe('BLOCKED');
    expect((error as Error).message).toMatch(/mirror.*proxy.*offline bundle/);
  });

  it('a 403 page from something that is not the Hub is BLOCKED; the Hub’s own 403 is not', async () => {
    const filter = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<html><body>Access denied</body></html>');
    });
    await new Promise<void>((r) => filter.listen(0, '127.0.0.1', r));
    try {
      const m = await manager(`http://127.0.0.1:${(filter.address() as AddressInfo).port}`, { retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } });
      const error = await m.waitFor((await m.start({ repoId: BERT })).id).catch((e: unknown) => e);
      expect(isPersianHubError(error) && error.code).toBe('BLOCKED');
    } finally {
      filter.close();
    }
    const emu = await sharedEmulator();
    emu.setFaults([{ type: 'status', status: 403, match: { path: '/api/' } }]);
    const m2 = await manager(emu.url, { retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } });
    const hubError = await m2.waitFor((await m2.start({ repoId: BERT })).id).catch((e: unknown) => e);
    expect(isPersianHubError(hubError) && hubError.code).toBe('UNAUTHORIZED');
  });

  it('a DNS failure for huggingface.co itself is BLOCKED (this machine cannot resolve it)', async () => {
    const m = await manager('https://huggingface.co', { retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } });
    const error = await m.waitFor((await m.start({ repoId: BERT })).id).catch((e: unknown) => e);
    expect(isPersianHubError(error) && error.code).toBe('BLOCKED');
  });
});
