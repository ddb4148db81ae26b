import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDownloadManager } from '../src/index.js';
import { sharedEmulator, tempDir } from './helpers.js';
import { join } from 'node:path';

/** A plain forward proxy on 127.0.0.1 (absolute-URI requests), recording what went through it. */
async function forwardProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // CONNECT tunnels, as real proxies offer them (undici tunnels through the proxy by default).
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const saved = { ...process.env };
afterEach(() => {
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('proxies (the only way out on many of our users’ networks)', () => {
  it('sends every request, CDN redirects included, through the `proxy` option', async () => {
    const emu = await sharedEmulator();
    const proxy = await forwardProxy();
    const root = await tempDir();
    const m = createDownloadManager({ endpoint: emu.url, proxy: proxy.url, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 's') });
    const done = await m.waitFor((await m.start({ repoId: 'HooshvareLab/bert-fa-base-uncased', include: ['config.json', 'pytorch_model.bin'] })).id);
    await m.close();
    proxy.server.close();
    expect(done.status).toBe('completed');
    const hub = new URL(emu.url).host;
    // The Hub host and the CDN host (localhost) were both reached only through the proxy.
    expect(proxy.seen.some((l) => l === `CONNECT ${hub}` || l.includes(`${hub}/api/models/HooshvareLab`))).toBe(true);
    expect(proxy.seen.some((l) => l.startsWith(`CONNECT localhost:`) || l.includes('/cdn/'))).toBe(true);
  });

  it('honours HTTP_PROXY, and NO_PROXY exceptions', async () => {
    const emu = await sharedEmulator();
    const proxy = await forwardProxy();
    const root = await tempDir();
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'localhost'; // the emulator's CDN host goes direct, the Hub host through the proxy
    const m = createDownloadManager({ endpoint: emu.url, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 's') });
    const done = await m.waitFor((await m.start({ repoId: 'HooshvareLab/bert-fa-base-uncased', include: ['config.json', 'pytorch_model.bin'] })).id);
    await m.close();
    proxy.server.close();
    expect(done.status).toBe('completed');
    const hub = new URL(emu.url).host;
    expect(proxy.seen.some((l) => l === `CONNECT ${hub}` || l.includes(`${hub}/`))).toBe(true);
    expect(proxy.seen.some((l) => l.includes('localhost'))).toBe(false);
    expect(emu.requests.some((r) => r.url.startsWith('/cdn/'))).toBe(true);
  });
});
