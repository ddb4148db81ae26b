// Downloads one repo with @persian-hub/core in a fresh process and reports wall time and peak RSS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDownloadManager } from '@persian-hub/core';

const [endpoint, repoId] = process.argv.slice(2);
const root = await mkdtemp(join(tmpdir(), 'ph-bench-'));
const manager = createDownloadManager({ endpoint, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), ...(process.env.BENCH_FILE_CONCURRENCY ? { fileConcurrency: Number(process.env.BENCH_FILE_CONCURRENCY) } : {}) });
await manager.ready();
// What Node + undici + zod + the manager cost before any download: the floor under peak RSS.
const baselineRssBytes = process.memoryUsage().rss;
const t0 = performance.now();
const job = await manager.start({ repoId });
const done = await manager.waitFor(job.id);
const wallMs = performance.now() - t0;
await manager.close();
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
await rm(root, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ wallMs, bytes: done.bytesTotal, files: done.files.length, maxRssBytes, baselineRssBytes })}\n`);
