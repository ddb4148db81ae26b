import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDownloadManager, type DownloadManager } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator } from '@persian-hub/hub-emulator';
import type { PersianHubHandlerOptions } from '../src/index.js';
import { makeTar, manifestOf } from './bundleTar.js';
import { SERVERS, type StartedServer } from './servers.js';

const TAR = { 'content-type': 'application/x-tar' };
const JSON_TYPE = { 'content-type': 'application/json' };
const MiB = 1024 * 1024;

let emu: HubEmulator;
beforeAll(async () => {
  // 24 MiB: more than the kernel buffers between a server and a client that stops reading.
  emu = await startHubEmulator({
    port: 0,
    repos: [
      { id: 'test/big-a', files: [{ path: 'weights.bin', size: 24 * MiB }] },
      { id: 'test/big-b', files: [{ path: 'weights.bin', size: 24 * MiB }] },
      { id: 'test/small', files: [{ path: 'config.json', content: '{"a":1}' }] },
    ],
  });
});
afterAll(async () => {
  await emu.close();
});

/** A body that streams `prefix`, then zeros in 1 MiB chunks up to `total`, counting what was pulled. */
function streamedBody(prefix: Buffer, total: number) {
  const zeros = Buffer.alloc(MiB);
  let sent = 0;
  const stats = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new Uint8Array(prefix));
        sent = prefix.length;
      } else if (sent < total) {
        const n = Math.min(MiB, total - sent);
        controller.enqueue(new Uint8Array(zeros.subarray(0, n)));
        sent += n;
      } else {
        controller.close();
      }
      stats.pulled = sent;
    },
  });
  return { stream, stats };
}

/** A body that sends `prefix` and then nothing, until the test ends it. */
function stalledBody(prefix: Buffer) {
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        controller.enqueue(new Uint8Array(prefix));
        return;
      }
      await ended;
      controller.close();
    },
  });
  return { stream, finish };
}

describe.each(SERVERS)('%s: bundle routes under load and abuse', (_name, startServer) => {
  let root: string;
  let usb: string;
  let uploads: string;
  let exportsDir: string;
  let online: DownloadManager;
  let offline: DownloadManager;
  const servers: StartedServer[] = [];
  const serve = async (manager: DownloadManager, options: PersianHubHandlerOptions<any>) => {
    const server = await startServer(manager, options);
    servers.push(server);
    return server;
  };
  const leftovers = async (dir: string, prefix: string) => (await readdir(dir)).filter((n) => n.startsWith(prefix));

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ph-bundle-limits-'));
    usb = join(root, 'usb');
    uploads = join(root, 'uploads');
    exportsDir = join(root, 'exports');
    await Promise.all([usb, uploads, exportsDir].map((d) => mkdir(d, { recursive: true })));
    const base = { token: false as const, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 } };
    online = createDownloadManager({ ...base, endpoint: emu.url, cacheDir: join(root, 'a', 'hub'), stateDir: join(root, 'a', 'state') });
    offline = createDownloadManager({ ...base, endpoint: 'http://127.0.0.1:9', cacheDir: join(root, 'b', 'hub'), stateDir: join(root, 'b', 'state') });
    for (const repoId of ['test/big-a', 'test/big-b', 'test/small']) await online.waitFor((await online.start({ repoId })).id);
  });
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.close();
    await online.close();
    await offline.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('uploads', () => {
    let server: StartedServer;
    beforeAll(async () => {
      server = await serve(offline, {
        bundleUploadLimit: 1024 * MiB,
        bundleTempDir: uploads,
        bundleImportDirs: [usb],
        bundleManifestLimits: { files: 10 },
        maxConcurrentImports: 1,
      });
    });
    const upload = (body: RequestInit['body'], init: RequestInit = {}) =>
      fetch(`${server.url}/bundles/upload`, { method: 'POST', headers: TAR, body, duplex: 'half', ...init } as RequestInit);

    it('refuses a manifest listing too many files as soon as it arrives, without receiving the other 200 MB (413)', async () => {
      const manifest = manifestOf(Array.from({ length: 11 }, (_, i) => `f${i}.txt`), Buffer.from('x'));
      const head = await makeTar([{ name: 'persian-hub-bundle.json', body: manifest }]);
      const { stream, stats } = streamedBody(head.subarray(0, head.length - 1024), 200 * MiB);
      const res = await upload(stream);
      const body = (await res.json()) as { error: { code: string; message: string; details: Record<string, number> } };
      expect(res.status).toBe(413);
      expect(body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 10, files: 11 } });
      expect(body.error.message).toContain('11 files');
      expect(stats.pulled).toBeLessThan(64 * MiB);
      expect(await leftovers(uploads, 'persian-hub-upload-')).toEqual([]);
    });

    it('refuses a manifest over 8 MiB by its tar header alone (413)', async () => {
      // A header claiming a 9 MiB manifest, then no manifest at all: the size is enough to refuse.
      const header = (await makeTar([{ name: 'persian-hub-bundle.json', body: Buffer.alloc(9 * MiB, 0x20) }])).subarray(0, 512);
      const { stream, stats } = streamedBody(Buffer.from(header), 200 * MiB);
      const res = await upload(stream);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('manifest');
      expect(stats.pulled).toBeLessThan(64 * MiB);
    });

    it('refuses something that is not a bundle after its first entry (422), not after the whole body', async () => {
      const head = await makeTar([{ name: 'holiday.jpg', body: Buffer.alloc(100) }]);
      const { stream, stats } = streamedBody(head.subarray(0, 1024), 200 * MiB);
      const res = await upload(stream);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BUNDLE_INVALID');
      expect(stats.pulled).toBeLessThan(64 * MiB);
    });

    it('answers 422 naming the file for an unsafe path, in the manifest or in a tar entry, uploaded or from a folder', async () => {
      const content = Buffer.from('escape\n');
      const inManifest = await makeTar([
        { name: 'persian-hub-bundle.json', body: manifestOf(['../../escape.txt'], content) },
        { name: 'files/../../escape.txt', body: content },
      ]);
      const inEntry = await makeTar([
        { name: 'persian-hub-bundle.json', body: manifestOf(['ok.txt'], content) },
        { name: 'files/../../escape.txt', body: content },
      ]);
      for (const tar of [inManifest, inEntry]) {
        const res = await upload(tar);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(res.status, body.error.message).toBe(422);
        expect(body.error.code).toBe('UNSAFE_PATH');
        expect(body.error.message).toContain('escape.txt');
        const file = join(usb, `unsafe-${tar === inManifest ? 'manifest' : 'entry'}.tar`);
        await writeFile(file, tar);
        const fromDisk = await fetch(`${server.url}/bundles/import`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ path: file }) });
        expect(fromDisk.status).toBe(422);
        expect(((await fromDisk.json()) as { error: { message: string } }).error.message).toContain('escape.txt');
      }
      expect(await readdir(root)).not.toContain('escape.txt');
    });

    it('answers 400 at once for a folder or a FIFO named *.tar in an allowed folder', async () => {
      const folder = join(usb, 'folder.tar');
      const fifo = join(usb, 'pipe.tar');
      await mkdir(folder);
      await promisify(execFile)('mkfifo', [fifo]);
      for (const path of [folder, fifo]) {
        const res = await fetch(`${server.url}/bundles/import`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ path }) });
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(res.status, body.error.message).toBe(400);
        expect(body.error.code).toBe('INVALID_INPUT');
        expect(body.error.message).toMatch(/folder|special file/);
      }
    });

    it('takes one upload at a time with maxConcurrentImports: 1 and answers 429 with Retry-After beyond', async () => {
      const first = stalledBody(Buffer.alloc(1024));
      const pending = upload(first.stream);
      await vi.waitFor(async () => expect(await leftovers(uploads, 'persian-hub-upload-')).toHaveLength(1), { timeout: 10_000, interval: 20 });
      const busy = await upload(Buffer.alloc(1024));
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toBe('10');
      expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('SERVER_BUSY');
      const junk = join(usb, 'junk.tar');
      await writeFile(junk, Buffer.alloc(2048));
      const fromDisk = await fetch(`${server.url}/bundles/import`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ path: junk }) });
      expect(fromDisk.status).toBe(429);
      first.finish();
      expect((await pending).status).toBe(422); // zeros are no bundle
      // The slot is free again.
      expect((await upload(Buffer.alloc(1024))).status).toBe(422);
    });

    it('cuts an upload that stops sending (408 REQUEST_TIMEOUT after the idle timeout) and frees its slot and file', async () => {
      const impatient = await serve(offline, { bundleUploadLimit: 1024 * MiB, bundleTempDir: uploads, maxConcurrentImports: 1, idleTimeoutMs: 300 });
      const upload = (body: RequestInit['body']) =>
        fetch(`${impatient.url}/bundles/upload`, { method: 'POST', headers: TAR, body, duplex: 'half' } as RequestInit);
      const stalled = stalledBody((await makeTar([{ name: 'persian-hub-bundle.json', body: manifestOf(['a.txt'], Buffer.from('a')) }])).subarray(0, 1024));
      const res = await upload(stalled.stream);
      expect(res.status).toBe(408);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST_TIMEOUT');
      stalled.finish();
      expect(await leftovers(uploads, 'persian-hub-upload-')).toEqual([]);
      expect((await upload(Buffer.alloc(1024))).status).toBe(422);
    });
  });

  describe('exports', () => {
    it('shares one temporary copy among clients of the same snapshot and answers 429 for another beyond maxConcurrentExports', async () => {
      const server = await serve(online, { bundleTempDir: exportsDir, maxConcurrentExports: 1 });
      const a1 = await fetch(`${server.url}/installed/${encodeURIComponent('test/big-a')}/bundle`);
      expect(a1.status).toBe(200);
      const a2 = await fetch(`${server.url}/installed/${encodeURIComponent('test/big-a')}/bundle`);
      expect(a2.status).toBe(200);
      expect(a2.headers.get('content-length')).toBe(a1.headers.get('content-length'));
      expect(await leftovers(exportsDir, 'persian-hub-export-')).toHaveLength(1);
      const b = await fetch(`${server.url}/installed/${encodeURIComponent('test/big-b')}/bundle`);
      expect(b.status).toBe(429);
      expect(b.headers.get('retry-after')).toBe('10');
      // Both clients get the whole bundle from the one copy, which goes once both are done.
      const [bytes1, bytes2] = await Promise.all([a1.arrayBuffer(), a2.arrayBuffer()]);
      expect(bytes1.byteLength).toBe(Number(a1.headers.get('content-length')));
      expect(Buffer.from(bytes2).equals(Buffer.from(bytes1))).toBe(true);
      await vi.waitFor(async () => expect(await leftovers(exportsDir, 'persian-hub-export-')).toEqual([]), { timeout: 10_000, interval: 20 });
      const again = await fetch(`${server.url}/installed/${encodeURIComponent('test/big-b')}/bundle`);
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    });

    it('cuts a client that stops reading after the idle timeout, deleting the copy and freeing the slot', async () => {
      const server = await serve(online, { bundleTempDir: exportsDir, maxConcurrentExports: 1, idleTimeoutMs: 200 });
      const stalled = await fetch(`${server.url}/installed/${encodeURIComponent('test/big-a')}/bundle`);
      expect(stalled.status).toBe(200);
      // Never read: the server's writes stop, and the idle timeout cuts the connection.
      await vi.waitFor(async () => expect(await leftovers(exportsDir, 'persian-hub-export-')).toEqual([]), { timeout: 15_000, interval: 20 });
      await expect(stalled.arrayBuffer()).rejects.toThrow();
      const next = await fetch(`${server.url}/installed/${encodeURIComponent('test/small')}/bundle`);
      expect(next.status).toBe(200);
      await next.arrayBuffer();
    });
  });
});
