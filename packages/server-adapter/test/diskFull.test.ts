import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobSnapshot } from '@persian-hub/core';
import { makeTar, manifestOf } from './bundleTar.js';
import { FakeDownloadManager } from './FakeDownloadManager.js';
import { SERVERS, type StartedServer } from './servers.js';

// A full disk, played by the file system: in a folder named `full-disk` every upload file takes
// 64 KiB and then fails with ENOSPC; in a folder named `tiny-disk` statfs reports 4 KiB free.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (path, flags, mode) => {
    const handle = await actual.open(path, flags, mode);
    if (!String(path).includes('/full-disk/')) return handle;
    let written = 0;
    return new Proxy(handle, {
      get(target, prop) {
        if (prop === 'write') {
          return async (buffer: Buffer, offset: number, length: number) => {
            if (written + length > 64 * 1024) {
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
            }
            written += length;
            return target.write(buffer, offset, length);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const statfs = (async (path: string, options?: { bigint?: boolean }) => {
    const real = await actual.statfs(path, options as { bigint: false });
    return String(path).includes('tiny-disk') ? { ...real, bavail: 1, bsize: 4096 } : real;
  }) as typeof actual.statfs;
  return { ...actual, open, statfs, default: { ...actual, open, statfs } };
});

const TAR = { 'content-type': 'application/x-tar' };

describe.each(SERVERS)('%s: a full disk while an upload is staged', (_name, startServer) => {
  let root: string;
  let manager: FakeDownloadManager;
  const servers: StartedServer[] = [];
  let bundle: Buffer;
  const imported: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ph-disk-full-'));
    await mkdir(join(root, 'full-disk'));
    await mkdir(join(root, 'tiny-disk'));
    manager = new FakeDownloadManager();
    Object.assign(manager, {
      importBundle: async (file: string) => {
        imported.push(file);
        return { job: manager.seedJob({ status: 'completed', backend: 'bundle' }) as JobSnapshot, alreadyInstalled: false };
      },
    });
    const content = Buffer.alloc(4 * 1024 * 1024);
    bundle = await makeTar([
      { name: 'persian-hub-bundle.json', body: manifestOf(['weights.bin'], content) },
      { name: 'files/weights.bin', body: content },
    ]);
  });
  afterAll(async () => {
    for (const server of servers.splice(0)) await server.close();
    await rm(root, { recursive: true, force: true });
  });

  const serve = async (dir: string) => {
    const server = await startServer(manager, { bundleUploadLimit: 64 * 1024 * 1024, bundleTempDir: join(root, dir) });
    servers.push(server);
    return server;
  };

  it('answers 507 DISK_FULL when the disk fills while the bundle is written, and keeps nothing', async () => {
    const server = await serve('full-disk');
    const res = await fetch(`${server.url}/bundles/upload`, { method: 'POST', headers: TAR, body: bundle });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status, body.error.message).toBe(507);
    expect(body.error.code).toBe('DISK_FULL');
    expect(body.error.message).not.toContain(root);
    expect(await readdir(join(root, 'full-disk'))).toEqual([]);
    expect(imported).toEqual([]);
  });

  it('answers 507 before reading the body when Content-Length is more than the free space', async () => {
    const server = await serve('tiny-disk');
    const res = await fetch(`${server.url}/bundles/upload`, { method: 'POST', headers: TAR, body: bundle });
    const body = (await res.json()) as { error: { code: string; details: Record<string, number> } };
    expect(res.status).toBe(507);
    expect(body.error).toMatchObject({ code: 'DISK_FULL', details: { requiredBytes: bundle.length, availableBytes: 4096 } });
    expect(await readdir(join(root, 'tiny-disk'))).toEqual([]);
  });

  it('still takes the same bundle where there is room', async () => {
    const server = await serve('.');
    imported.length = 0;
    const res = await fetch(`${server.url}/bundles/upload`, { method: 'POST', headers: TAR, body: bundle });
    expect(res.status).toBe(200);
    expect(imported).toHaveLength(1);
    imported.length = 0;
  });
});
