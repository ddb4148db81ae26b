import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createPersianHubHandler, type JsonHandlerResponse } from '../src/index.js';
import { createExpressRouter } from '../src/express.js';
import { FakeDownloadManager } from './FakeDownloadManager.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('createPersianHubHandler without a framework', () => {
  const manager = new FakeDownloadManager();
  const handler = createPersianHubHandler(manager, { prefix: '/api/sources/' });
  afterAll(() => handler.close());

  it('strips its prefix and ignores paths outside it', async () => {
    expect(await handler.handle({ method: 'GET', url: '/other/downloads', headers: {} })).toBeUndefined();
    expect(await handler.handle({ method: 'GET', url: '/api/sourcesx/downloads', headers: {} })).toBeUndefined();
    const response = (await handler.handle({ method: 'GET', url: '/api/sources/downloads/?x=1', headers: {} })) as JsonHandlerResponse;
    expect(response).toMatchObject({ kind: 'json', status: 200, body: '[]' });
  });

  it('takes raw strings, bytes or a body parsed by the host', async () => {
    for (const body of ['{"id":"piper-fa-amir"}', new TextEncoder().encode('{"id":"piper-fa-amir"}'), { parsed: { id: 'piper-fa-amir' } }]) {
      const response = await handler.handle({ method: 'POST', url: '/api/sources/download', headers: JSON_HEADERS, body });
      expect(response).toMatchObject({ kind: 'json', status: 202 });
    }
  });

  it('checks the media type before reading a body the headers announce', async () => {
    let read = false;
    const body = (async function* () {
      read = true;
      yield new TextEncoder().encode('id=x');
    })();
    const headers = { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' };
    const response = await handler.handle({ method: 'POST', url: '/api/sources/download', headers, body });
    expect(response).toMatchObject({ status: 415 });
    expect(read).toBe(false);
  });

  it('checks the media type on the first byte of a body no header announced (HTTP/2 without a length)', async () => {
    const body = (async function* () {
      yield new TextEncoder().encode('{"id":"whisper-fa"}');
    })();
    const starts = manager.calls.filter((c) => c.method === 'start').length;
    const response = await handler.handle({ method: 'POST', url: '/api/sources/download', headers: { 'content-type': 'text/plain' }, body });
    expect(response).toMatchObject({ status: 415 });
    expect(manager.calls.filter((c) => c.method === 'start')).toHaveLength(starts);
  });

  it('answers 413 from Content-Length without reading the body', async () => {
    const response = await handler.handle({
      method: 'POST',
      url: '/api/sources/download',
      headers: { ...JSON_HEADERS, 'content-length': String(1024 * 1024) },
      body: (async function* () {
        throw new Error('must not be read');
      })(),
    });
    expect(response).toMatchObject({ status: 413 });
  });
});

describe('createExpressRouter inside a host app', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('works after the host ran express.json() and express.urlencoded() itself', async () => {
    const app = express();
    app.use(express.json(), express.urlencoded({ extended: false }));
    const router = createExpressRouter(new FakeDownloadManager(), { prefix: '/api/sources' });
    app.use(router);
    app.get('/health', (_req, res) => void res.send('ok'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const started = await fetch(`${base}/api/sources/download`, { method: 'POST', headers: JSON_HEADERS, body: '{"id":"whisper-fa"}' });
    expect(started.status).toBe(202);
    const form = await fetch(`${base}/api/sources/download`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=whisper-fa',
    });
    expect(form.status).toBe(415);
    expect(await (await fetch(`${base}/health`)).text()).toBe('ok');
    router.handler.close();
  });
});

describe('persianHub Fastify plugin', () => {
  it('mounts at /api/sources when no prefix is given and leaves other routes alone', async () => {
    const { default: Fastify } = await import('fastify');
    const { persianHub } = await import('../src/fastify.js');
    const app = Fastify({ forceCloseConnections: true });
    await app.register(persianHub, { manager: new FakeDownloadManager() });
    app.post('/echo', async (request) => request.body);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await fetch(`${base}/api/sources/downloads`)).status).toBe(200);
      expect((await fetch(`${base}/downloads`)).status).toBe(404);
      // Our catch-all body parser stays inside the plugin: the host's JSON parser still works.
      const echo = await fetch(`${base}/echo`, { method: 'POST', headers: JSON_HEADERS, body: '{"a":1}' });
      expect(await echo.json()).toEqual({ a: 1 });
    } finally {
      await app.close();
    }
  });
});
