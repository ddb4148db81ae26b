import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../src/index.js';
import { file, repo, sha256 } from './helpers.js';

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator({
    repos: [
      {
        id: 'faults/repo',
        files: [
          { path: 'weights.bin', size: 300 * 1024 },
          { path: 'notes.txt', content: 'x'.repeat(40_000) },
        ],
      },
    ],
  });
});
afterEach(() => {
  hub.clearFaults();
  hub.resetStats();
});
afterAll(() => hub.close());

const weights = () => file(repo(hub, 'model:faults/repo'), 'weights.bin');
const weightsUrl = () => `${hub.url}/faults/repo/resolve/main/weights.bin`;

/** Reads a body, counting chunks; resolves with what arrived even if the stream errors. */
async function readAll(res: Response): Promise<{ bytes: Buffer; chunks: number[]; error?: unknown }> {
  const reader = res.body!.getReader();
  const parts: Buffer[] = [];
  const chunks: number[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
      chunks.push(value.length);
    }
    return { bytes: Buffer.concat(parts), chunks };
  } catch (error) {
    return { bytes: Buffer.concat(parts), chunks, error };
  }
}

describe('faults', () => {
  it('drop: sends headers and afterBytes of body, then cuts the connection', async () => {
    hub.setFaults([{ type: 'drop', afterBytes: 100_000, match: { path: 'weights.bin', host: 'cdn' }, times: 1 }]);
    const res = await fetch(weightsUrl());
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(weights().size);
    const got = await readAll(res);
    expect(got.error).toBeDefined();
    expect(got.bytes.length).toBe(100_000);
    // consumed: the next download is whole
    const again = await readAll(await fetch(weightsUrl()));
    expect(sha256(again.bytes)).toBe(weights().sha256);
  });

  it('status 429 with Retry-After, then the next request succeeds (times: 1)', async () => {
    hub.setFaults([{ type: 'status', status: 429, retryAfter: 7, times: 1, match: { method: 'HEAD' } }]);
    const first = await fetch(weightsUrl(), { method: 'HEAD', redirect: 'manual' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    const second = await fetch(weightsUrl(), { method: 'HEAD', redirect: 'manual' });
    expect(second.status).toBe(302);
  });

  it('status 503 matches API paths by RegExp', async () => {
    hub.setFaults([{ type: 'status', status: 503, match: { path: /^\/api\/models\// } }]);
    expect((await fetch(`${hub.url}/api/models/faults/repo`)).status).toBe(503);
    expect((await fetch(`${hub.url}/api/models/faults/repo`)).status).toBe(503);
    expect((await fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`)).status).toBe(200);
  });

  it('corrupt: right length, wrong sha256', async () => {
    hub.setFaults([{ type: 'corrupt', match: { host: 'cdn' } }]);
    const got = await readAll(await fetch(weightsUrl()));
    expect(got.bytes.length).toBe(weights().size);
    expect(sha256(got.bytes)).not.toBe(weights().sha256);
  });

  it('throttle: the body arrives in many small writes and completes intact', async () => {
    const bytesPerSecond = 400_000; // ~20 writes/s of 20 KB: 40 KB takes about 0.1 s
    hub.setFaults([{ type: 'throttle', bytesPerSecond, match: { path: 'notes.txt' } }]);
    const got = await readAll(await fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`));
    expect(got.bytes.toString()).toBe('x'.repeat(40_000));
    expect(got.chunks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...got.chunks)).toBeLessThanOrEqual(bytesPerSecond / 20);
  });

  it("stall: sends afterBytes then nothing, until the client's AbortSignal fires", async () => {
    hub.setFaults([{ type: 'stall', afterBytes: 1000, match: { host: 'cdn' } }]);
    const controller = new AbortController();
    const res = await fetch(weightsUrl(), { signal: controller.signal });
    const reader = res.body!.getReader();
    let received = 0;
    while (received < 1000) {
      const { value, done } = await reader.read();
      if (done) break;
      received += value.length;
    }
    expect(received).toBe(1000);
    // Nothing more will come: the client gives up (as a stall detector would) and the read rejects.
    const pending = reader.read();
    controller.abort(new Error('stalled'));
    await expect(pending).rejects.toThrow();
  });

  it('stall: releaseStalled() lets the held response finish with the right bytes (no byte lost or repeated)', async () => {
    hub.setFaults([{ type: 'stall', afterBytes: 1000, match: { host: 'cdn' } }]);
    const res = await fetch(weightsUrl());
    const reader = res.body!.getReader();
    const parts: Buffer[] = [];
    let received = 0;
    while (received < 1000) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
      received += value.length;
    }
    expect(received).toBe(1000);
    expect(hub.releaseStalled()).toBe(1);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(Buffer.from(value));
    }
    const body = Buffer.concat(parts);
    expect(body.length).toBe(weights().size);
    expect(sha256(body)).toBe(weights().sha256);
    expect(hub.releaseStalled()).toBe(0);
  });

  it('stall at byte 0 is released too', async () => {
    hub.setFaults([{ type: 'stall', afterBytes: 0, match: { path: 'notes.txt' } }]);
    // The headers are flushed right before the stall begins, so it is held once they arrive.
    const res = await fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`);
    const text = res.text();
    expect(hub.releaseStalled()).toBe(1);
    expect(await text).toBe('x'.repeat(40_000));
  });

  it('stall: AbortSignal.timeout fires on a stalled body', async () => {
    hub.setFaults([{ type: 'stall', afterBytes: 0, match: { path: 'notes.txt' } }]);
    const res = await fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`, { signal: AbortSignal.timeout(200) });
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('reset: the socket is destroyed without an answer', async () => {
    hub.setFaults([{ type: 'reset', times: 1, match: { path: 'notes.txt' } }]);
    await expect(fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`)).rejects.toThrow();
    expect((await fetch(`${hub.url}/faults/repo/resolve/main/notes.txt`)).status).toBe(200);
  });
});

describe('request records', () => {
  it('records method, url, host, lower-cased headers, status and body bytes', async () => {
    const res = await fetch(weightsUrl(), { headers: { 'X-Custom': 'yes' } });
    await res.arrayBuffer();
    const [resolve, cdn] = hub.requests;
    expect(resolve).toMatchObject({ method: 'GET', url: '/faults/repo/resolve/main/weights.bin', status: 302, bytesSent: 0 });
    expect(resolve!.headers['x-custom']).toBe('yes');
    expect(cdn).toMatchObject({ status: 200, bytesSent: weights().size, host: `localhost:${hub.port}` });
    expect(hub.bytesServed()).toBe(weights().size);
    expect(hub.bytesServed((r) => r.url.startsWith('/api'))).toBe(0);
    hub.resetStats();
    expect(hub.requests).toHaveLength(0);
  });

  it('close() resolves while a response is stalled', async () => {
    const other = await startHubEmulator({ repos: [{ id: 'a/b', files: [{ path: 'x.bin', size: 200_000 }] }] });
    other.setFaults([{ type: 'stall', afterBytes: 10 }]);
    const res = await fetch(`${other.url}/a/b/resolve/main/x.bin`);
    const body = res.arrayBuffer();
    await other.close();
    await expect(body).rejects.toThrow();
  });
});

describe('keep-alive under throttle', () => {
  it('answers every request reused on a keep-alive connection in full, even when it arrives while the last response is finishing', async () => {
    hub.setFaults([{ type: 'throttle', bytesPerSecond: 4 * 1024 * 1024 }]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${hub.url}${path}`, { agent }, (res) => {
          let n = 0;
          res.on('data', (c: Buffer) => (n += c.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        });
        req.setTimeout(5000, () => req.destroy(new Error(`no complete answer for ${path} in 5 s`)));
        req.on('error', reject);
      });
    try {
      const sizes = await Promise.all(Array.from({ length: 40 }, () => get('/faults/repo/resolve/main/notes.txt')));
      expect(sizes).toEqual(Array.from({ length: 40 }, () => 40_000));
    } finally {
      agent.destroy();
    }
  });
});

