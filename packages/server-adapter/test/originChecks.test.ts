import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersianHubHandlerOptions } from '../src/index.js';
import { FakeDownloadManager } from './FakeDownloadManager.js';
import { rawRequest } from './rawRequest.js';
import { SERVERS, type StartedServer } from './servers.js';

const run = promisify(execFile);
const JSON_TYPE = { 'content-type': 'application/json' };

describe.each(SERVERS)('%s adapter: DNS rebinding and cross-site requests', (_name, startServer) => {
  let manager: FakeDownloadManager;
  let server: StartedServer;
  let port: string;
  const start = async (options: PersianHubHandlerOptions<any> = {}) => {
    await server?.close();
    server = await startServer(manager, options);
    port = new URL(server.url).port;
  };
  const starts = () => manager.calls.filter((c) => c.method === 'start').length;

  beforeEach(async () => {
    manager = new FakeDownloadManager();
    server = undefined as unknown as StartedServer;
    await start();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('Host check', () => {
    it('refuses a host name it does not know, for reads, the event stream and mutations, with 403 HOST_NOT_ALLOWED', async () => {
      const host = { host: `attacker.example:${port}` };
      for (const [method, path, headers, body] of [
        ['GET', '/downloads', host, undefined],
        ['GET', '/installed', host, undefined],
        ['GET', '/events', host, undefined],
        ['POST', '/download', { ...host, ...JSON_TYPE }, '{"id":"whisper-fa"}'],
      ] as const) {
        const res = await rawRequest(`${server.url}${path}`, { method, headers, body });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.json().error.code).toBe('HOST_NOT_ALLOWED');
        expect(res.json().error.message).toContain('attacker.example');
      }
      expect(starts()).toBe(0);
      expect(server.sseClientCount()).toBe(0);
    });

    it('allows IP literals, localhost names and requests without a Host', async () => {
      for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `[::1]:${port}`, `localhost:${port}`, 'LOCALHOST', `app.localhost:${port}`, '10.1.2.3:80']) {
        const res = await rawRequest(`${server.url}/downloads`, { headers: { host } });
        expect(res.status, host).toBe(200);
      }
    });

    it('allows the names in allowedHosts, a leading dot for every subdomain, and anything with true', async () => {
      await start({ allowedHosts: ['.example.com', 'Exact.test'] });
      for (const host of ['example.com', 'a.b.example.com:8080', 'exact.test', 'EXACT.TEST:1']) {
        expect((await rawRequest(`${server.url}/downloads`, { headers: { host } })).status, host).toBe(200);
      }
      for (const host of ['notexample.com', 'example.com.attacker.test', 'exact.test.attacker.test', 'sub.exact.test', 'exact.test:x', 'exact.test..']) {
        expect((await rawRequest(`${server.url}/downloads`, { headers: { host } })).status, host).toBe(403);
      }
      await start({ allowedHosts: true });
      expect((await rawRequest(`${server.url}/downloads`, { headers: { host: 'anything.example' } })).status).toBe(200);
    });
  });

  describe('cross-site requests', () => {
    const tryStart = (headers: Record<string, string>) =>
      rawRequest(`${server.url}/download`, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: '{"id":"whisper-fa"}' });

    it('refuses a mutation a browser marks cross-site or same-site (403 CROSS_ORIGIN), and lets reads through', async () => {
      for (const site of ['cross-site', 'same-site']) {
        const res = await tryStart({ 'sec-fetch-site': site, origin: 'http://localhost:5173' });
        expect(res.status, site).toBe(403);
        expect(res.json().error.code).toBe('CROSS_ORIGIN');
      }
      const job = await manager.start('piper-fa-amir');
      const pause = await rawRequest(`${server.url}/download/${job.id}/pause`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
      expect(pause.status).toBe(403);
      const cancel = await rawRequest(`${server.url}/download/${job.id}`, { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site' } });
      expect(cancel.status).toBe(403);
      expect(manager.get(job.id)!.status).toBe('queued');
      expect(starts()).toBe(1);
      expect((await rawRequest(`${server.url}/downloads`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    });

    it('takes same-origin and user-initiated (none) requests', async () => {
      expect((await tryStart({ 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${port}` })).status).toBe(202);
      expect((await tryStart({ 'sec-fetch-site': 'none' })).status).toBe(202);
    });

    it('compares Origin with Host when a browser sends no Sec-Fetch-Site', async () => {
      for (const origin of ['http://attacker.example', `http://localhost:${Number(port) + 1}`, 'null']) {
        const res = await tryStart({ origin });
        expect(res.status, origin).toBe(403);
        expect(res.json().error.code).toBe('CROSS_ORIGIN');
      }
      expect(starts()).toBe(0);
      expect((await tryStart({ origin: `http://127.0.0.1:${port}` })).status).toBe(202);
      // No Origin and no Sec-Fetch-Site: not a browser (curl, a script): left to `authorize`.
      expect((await tryStart({})).status).toBe(202);
    });

    it('lets the origins in trustedOrigins through', async () => {
      await start({ trustedOrigins: ['http://localhost:5173/'] });
      expect((await tryStart({ 'sec-fetch-site': 'same-site', origin: 'http://localhost:5173' })).status).toBe(202);
      expect((await tryStart({ 'sec-fetch-site': 'same-site', origin: 'http://localhost:5174' })).status).toBe(403);
    });
  });

  describe('commands without a body', () => {
    it('pauses, resumes and cancels with curl -X and no body, while the same request from another site is refused', async () => {
      const job = await manager.start('whisper-fa');
      const curl = async (method: string, path: string) => {
        const { stdout } = await run('curl', ['-s', '-X', method, '-w', '\n%{http_code}', `${server.url}${path}`]);
        const [body, status] = [stdout.slice(0, stdout.lastIndexOf('\n')), stdout.slice(stdout.lastIndexOf('\n') + 1)];
        return { status: Number(status), body: JSON.parse(body) as { status: string } };
      };
      const paused = await curl('POST', `/download/${job.id}/pause`);
      expect(paused).toMatchObject({ status: 200, body: { status: 'paused' } });
      const refused = await rawRequest(`${server.url}/download/${job.id}/resume`, { method: 'POST', headers: { origin: 'http://attacker.example' } });
      expect(refused.status).toBe(403);
      expect(manager.get(job.id)!.status).toBe('paused');
      expect(await curl('POST', `/download/${job.id}/resume`)).toMatchObject({ status: 200, body: { status: 'downloading' } });
      expect(await curl('DELETE', `/download/${job.id}`)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    });
  });
});
