// The Express example app with a real manager holding 100 running jobs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDownloadManager } from '@persian-hub/core';
import { startExpressApp } from '../examples/express-app/server.mjs';

const endpoint = process.argv[2];
const root = await mkdtemp(join(tmpdir(), 'ph-load-'));
const manager = createDownloadManager({ endpoint, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), concurrency: 100, fileConcurrency: 1, checkDiskSpace: false });
for (let i = 0; i < 100; i++) await manager.start({ repoId: `load/repo-${i}` });
const app = await startExpressApp({ port: 0, manager });
process.stdout.write(`${JSON.stringify({ url: app.url, root, pid: process.pid })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await manager.close();
  await rm(root, { recursive: true, force: true });
  process.exit(0);
});
