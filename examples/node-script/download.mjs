#!/usr/bin/env node
// Downloads one catalog entry with a live progress line.
//   node download.mjs [catalog-id | org/name]
// Without HF_ENDPOINT it starts the bundled Hub emulator (offline); with HF_ENDPOINT=https://huggingface.co
// (or a mirror) it downloads from there. Cache: HF_HUB_CACHE, else a folder in this directory for the demo.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDownloadManager, isPersianHubError } from '@persian-hub/core';
import { formatProgressLine } from './formatProgressLine.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const target = process.argv[2] ?? 'piper-fa-amir-medium';

let emulator;
let endpoint = process.env.HF_ENDPOINT;
if (!endpoint) {
  const { startHubEmulator } = await import('@persian-hub/hub-emulator');
  emulator = await startHubEmulator({ port: 0 });
  endpoint = emulator.url;
  // Like a slow connection, so the progress line has something to show (DEMO_BYTES_PER_SEC=0 turns it off).
  const bps = Number(process.env.DEMO_BYTES_PER_SEC ?? 200_000);
  if (bps > 0) emulator.setFaults([{ type: 'throttle', bytesPerSecond: bps }]);
  console.log(`No HF_ENDPOINT set: using the bundled Hub emulator at ${endpoint} (throttled to ${bps} B/s)`);
}
const cacheDir = process.env.HF_HUB_CACHE ?? (emulator ? join(here, '..', '..', '.demo-cache', 'hub') : undefined);

const manager = createDownloadManager({ endpoint, cacheDir });
const tty = process.stdout.isTTY;
let lastLine = '';
const show = (job) => {
  const line = formatProgressLine(job);
  if (line === lastLine) return;
  lastLine = line;
  if (tty) process.stdout.write(`\r\x1b[2K${line}`);
  else console.log(line);
};
manager.on('progress', show);
manager.on('started', show);
manager.on('file-completed', (job, file) => {
  if (tty) process.stdout.write('\r\x1b[2K');
  console.log(`  ✓ ${file.path} (${file.size} bytes${file.status === 'cached' ? ', already cached' : ''})`);
});

const stop = async () => {
  await manager.close();
  await emulator?.close();
};
process.on('SIGINT', () => {
  console.log('\nPaused. Run the same command again to resume from the bytes on disk.');
  void stop().then(() => process.exit(130));
});

try {
  const job = await manager.start(target);
  console.log(`Downloading ${job.repoId}@${job.revision} (${job.repoType}) from ${endpoint}`);
  const done = await manager.waitFor(job.id);
  if (tty) process.stdout.write('\r\x1b[2K');
  show(done);
  if (tty) process.stdout.write('\n');
  console.log(`Done: ${done.files.length} files, ${done.bytesTotal} bytes, commit ${done.commit}`);
  console.log(`Snapshot: ${done.path}`);
} catch (error) {
  if (tty) process.stdout.write('\n');
  console.error(isPersianHubError(error) ? `Failed [${error.code}]: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await stop();
}
