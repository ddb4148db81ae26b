#!/usr/bin/env node
// A file past 4 GiB, paused past the 4 GiB mark and resumed, end to end: the Hub emulator in its
// own process serves one generated LFS file (5 GiB + 123 bytes by default); the manager downloads
// it, pauses once more than 4.25 GiB are on disk, resumes with Range, and the blob's sha256 must
// match. Prints wall time, bytes the emulator served (resume must not re-send what is on disk) and
// peak RSS. Not part of `npm test`: it needs ~5 GiB of disk and ~20 s.
//
//   npm run build && node bench/hugeFile.mjs
//   BENCH_HUGE_BYTES=6442450944 BENCH_DIR=/some/disk node bench/hugeFile.mjs
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDownloadManager } from '@persian-hub/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const GiB = 1024 ** 3;
const size = Number(process.env.BENCH_HUGE_BYTES ?? 5 * GiB + 123);
const pauseAt = Math.min(size - 1, 4.25 * GiB);

const emu = spawn(process.execPath, [join(here, 'hugeEmulator.mjs')], {
  env: { ...process.env, BENCH_HUGE_BYTES: String(size) },
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const { url, sha256 } = JSON.parse(await new Promise((resolve) => createInterface({ input: emu.stdout }).once('line', resolve)));
const served = () =>
  new Promise((resolve) => {
    emu.once('message', (m) => resolve(m.bytesServed));
    emu.send('stats');
  });

const dir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'ph-huge-'));
try {
  const manager = createDownloadManager({ endpoint: url, token: false, cacheDir: join(dir, 'hub'), stateDir: join(dir, 'state') });
  await manager.ready();
  const t0 = performance.now();
  const job = await manager.start({ repoId: 'bench/huge' });
  await new Promise((resolve) => {
    const off = manager.on('progress', (s) => {
      if (s.id === job.id && s.bytesDownloaded > pauseAt) {
        off();
        resolve();
      }
    });
  });
  const paused = await manager.pause(job.id);
  const servedAtPause = await served();
  await manager.resume(job.id);
  const done = await manager.waitFor(job.id);
  const wallMs = performance.now() - t0;
  const servedTotal = await served();
  await manager.close();

  const hash = createHash('sha256');
  for await (const chunk of createReadStream(join(done.path, 'huge.bin'), { highWaterMark: 4 << 20 })) hash.update(chunk);
  const ok = hash.digest('hex') === sha256;
  const mib = (n) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  console.log(`\nA ${(size / GiB).toFixed(2)} GiB file, paused at ${(paused.bytesDownloaded / GiB).toFixed(2)} GiB and resumed\n`);
  console.log(`| wall | throughput | served by the emulator | over the file size | peak RSS | sha256 |`);
  console.log(
    `| ${(wallMs / 1000).toFixed(1)} s | ${mib(size / (wallMs / 1000))}/s | ${mib(servedTotal)} (${mib(servedAtPause)} before the pause) | ${mib(servedTotal - size)} | ${mib(process.resourceUsage().maxRSS * 1024)} | ${ok ? 'matches' : 'WRONG'} |`,
  );
  if (!ok) process.exitCode = 1;
} finally {
  emu.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
