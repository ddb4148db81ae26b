import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDownloadManager } from '@persian-hub/core';
import { FakeDownloadManager } from './FakeDownloadManager.js';
import { SERVERS, type StartedServer } from './servers.js';

describe.each(SERVERS)('%s adapter: GET /capabilities', (_name, startServer) => {
  let server: StartedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('says whether the manager has a Hub token (null when it cannot tell) and whether uploads are on', async () => {
    const fake = new FakeDownloadManager();
    server = await startServer(fake);
    const response = await fetch(`${server.url}/capabilities`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ hubToken: null, bundleUpload: false });
    await server.close();

    server = await startServer(Object.assign(fake, { hasToken: () => true }), { bundleUploadLimit: 1024 });
    expect(await (await fetch(`${server.url}/capabilities`)).json()).toEqual({ hubToken: true, bundleUpload: true });
  });

  it('answers from the real manager without ever sending the token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ph-caps-'));
    const withToken = createDownloadManager({ cacheDir: join(dir, 'a'), token: 'hf_capabilitiesSecret123', endpoint: 'http://127.0.0.1:9' });
    const without = createDownloadManager({ cacheDir: join(dir, 'b'), token: false, endpoint: 'http://127.0.0.1:9' });
    try {
      server = await startServer(withToken);
      const text = await (await fetch(`${server.url}/capabilities`)).text();
      expect(JSON.parse(text)).toEqual({ hubToken: true, bundleUpload: false });
      expect(text).not.toContain('hf_capabilitiesSecret123');
      await server.close();
      server = await startServer(without);
      expect(await (await fetch(`${server.url}/capabilities`)).json()).toMatchObject({ hubToken: false });
    } finally {
      await server?.close();
      server = undefined;
      await withToken.close();
      await without.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('asks authorize as a read of the catalog', async () => {
    const seen: string[] = [];
    server = await startServer(new FakeDownloadManager(), {
      authorize: (_request, action) => {
        seen.push(action);
        return action !== 'available';
      },
    });
    expect((await fetch(`${server.url}/capabilities`)).status).toBe(403);
    expect(seen).toEqual(['available']);
  });
});
