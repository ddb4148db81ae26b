import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../src/index.js';
import { file, repo, sha256 } from './helpers.js';

let hub: HubEmulator;
let ttlHub: HubEmulator;
beforeAll(async () => {
  const repos = [
    {
      id: 'shaping/repo',
      files: [
        { path: 'weights.bin', size: 200 * 1024 },
        { path: 'liar.bin', size: 100 * 1024, listedSize: 300 * 1024 },
        { path: 'notes.txt', content: 'hello' },
      ],
    },
  ];
  hub = await startHubEmulator({ repos });
  ttlHub = await startHubEmulator({ repos, redirectTtlMs: 60_000 });
});
afterAll(async () => {
  await hub.close();
  await ttlHub.close();
});

/** One GET on a keep-alive agent, without following redirects. */
function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('link shaping switches', () => {
  it('adds latency before every answer, and setLatency changes it', async () => {
    hub.resetStats();
    hub.setLatency(120);
    try {
      const agent = new http.Agent({ keepAlive: true });
      const t0 = Date.now();
      const res = await get(`${hub.url}/api/models/shaping/repo`, agent);
      expect(res.status).toBe(200);
      // A lower bound only: the answer cannot come before the added latency.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
      agent.destroy();
    } finally {
      hub.setLatency(0);
    }
  });

  it('numbers connections, so keep-alive reuse can be counted', async () => {
    hub.resetStats();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await get(`${hub.url}/shaping/repo/resolve/main/notes.txt`, agent);
    await get(`${hub.url}/shaping/repo/resolve/main/notes.txt`, agent);
    agent.destroy();
    const other = new http.Agent({ keepAlive: false });
    await get(`${hub.url}/shaping/repo/resolve/main/notes.txt`, other);
    const ids = hub.requests.map((r) => r.connection);
    expect(ids[0]).toBeGreaterThan(0);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(hub.connectionsOpened()).toBe(2);
  });

  it('expired fault: answers 403 like a CDN whose signed URL expired, then serves again', async () => {
    hub.resetStats();
    hub.setFaults([{ type: 'expired', times: 1, match: { host: 'cdn' } }]);
    const agent = new http.Agent({ keepAlive: true });
    const redirect = await get(`${hub.url}/shaping/repo/resolve/main/weights.bin`, agent);
    expect(redirect.status).toBe(302);
    const cdnUrl = new URL(String(redirect.headers.location));
    const expired = await get(cdnUrl.href, agent);
    expect(expired.status).toBe(403);
    expect(expired.headers['content-type']).toBe('application/xml');
    expect(expired.headers['x-request-id']).toBeUndefined();
    expect(expired.body.toString()).toContain('Request has expired');
    const again = await get(cdnUrl.href, agent);
    expect(again.status).toBe(200);
    expect(sha256(again.body)).toBe(file(repo(hub, 'model:shaping/repo'), 'weights.bin').sha256);
    hub.clearFaults();
    agent.destroy();
  });

  it('redirectTtlMs: redirect URLs carry an expiry and the CDN refuses them past it', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const redirect = await get(`${ttlHub.url}/shaping/repo/resolve/main/weights.bin`, agent);
    const cdnUrl = new URL(String(redirect.headers.location));
    const expires = Number(cdnUrl.searchParams.get('expires'));
    expect(expires).toBeGreaterThan(Date.now());
    expect((await get(cdnUrl.href, agent)).status).toBe(200);
    cdnUrl.searchParams.set('expires', String(Date.now() - 1));
    expect((await get(cdnUrl.href, agent)).status).toBe(403);
    cdnUrl.searchParams.delete('expires');
    expect((await get(cdnUrl.href, agent)).status).toBe(403);
    agent.destroy();
  });

  it('after: a fault lets the first matching requests through and hits the next one', async () => {
    hub.resetStats();
    hub.setFaults([{ type: 'status', status: 503, after: 2, times: 1, match: { path: 'notes.txt' } }]);
    const agent = new http.Agent({ keepAlive: true });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${hub.url}/shaping/repo/resolve/main/notes.txt`, agent)).status);
    expect(statuses).toEqual([200, 200, 503, 200]);
    hub.clearFaults();
    agent.destroy();
  });

  it('chunked: the body comes without Content-Length, whole', async () => {
    hub.setFaults([{ type: 'chunked', times: 1, match: { host: 'cdn' } }]);
    const agent = new http.Agent({ keepAlive: true });
    const redirect = await get(`${hub.url}/shaping/repo/resolve/main/weights.bin`, agent);
    const res = await get(String(redirect.headers.location), agent);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(sha256(res.body)).toBe(file(repo(hub, 'model:shaping/repo'), 'weights.bin').sha256);
    hub.clearFaults();
    agent.destroy();
  });

  it('listedSize: the tree lies about a size while the bytes keep the real one', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const tree = JSON.parse((await get(`${hub.url}/api/models/shaping/repo/tree/main`, agent)).body.toString()) as Array<{
      path: string;
      size: number;
      lfs?: { size: number };
    }>;
    const liar = tree.find((e) => e.path === 'liar.bin')!;
    expect(liar.size).toBe(300 * 1024);
    expect(liar.lfs?.size).toBe(300 * 1024);
    const redirect = await get(`${hub.url}/shaping/repo/resolve/main/liar.bin`, agent);
    const body = await get(String(redirect.headers.location), agent);
    expect(body.body.length).toBe(100 * 1024);
    agent.destroy();
  });
});
