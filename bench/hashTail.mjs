#!/usr/bin/env node
// Which is cheaper for a file fetched in pieces: hashing the complete prefix while the pieces
// arrive (what the engine does), or one pass over the file after its last byte? Measures, for
// segmented downloads, the time from the last byte received to the job completed (the hash tail,
// plus rename and link), against one read+sha256 pass over the same file from the page cache.
//   node bench/hashTail.mjs            (after npm run build)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDownloadManager } from '@persian-hub/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const emuProc = spawn(process.execPath, [join(here, 'benchEmulator.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url, control } = JSON.parse(await new Promise((r) => createInterface({ input: emuProc.stdout }).once('line', r)));
const setup = (body) => fetch(`${control}/setup`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.arrayBuffer());

async function finalPass(path) {
  const t0 = performance.now();
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk);
  h.digest('hex');
  return performance.now() - t0;
}

async function run(repoId, file, bytesPerSecond) {
  await setup({ faults: [{ type: 'throttle', bytesPerSecond }] });
  const root = await mkdtemp(join(tmpdir(), 'ph-hash-'));
  try {
    const m = createDownloadManager({ endpoint: url, token: false, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), progressIntervalMs: 10, segments: { adaptive: false } });
    let lastByteAt = 0;
    m.on('progress', (s) => {
      if (!lastByteAt && s.bytesTotal && s.bytesDownloaded >= s.bytesTotal) lastByteAt = performance.now();
    });
    const t0 = performance.now();
    const done = await m.waitFor((await m.start({ repoId })).id);
    const doneAt = performance.now();
    await m.close();
    const pass = await finalPass(join(done.path, file));
    return { total: doneAt - t0, tail: doneAt - (lastByteAt || doneAt), pass };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

try {
  const rows = [];
  for (const [repo, file, bps, label] of [
    ['bench/shaped', 'model.bin', 2_000_000, '32 MiB, 8 × 2 MB/s'],
    ['bench/big', 'big.bin', 16_000_000, '256 MiB, 8 × 16 MB/s'],
  ]) {
    const xs = [];
    for (let i = 0; i < 3; i++) xs.push(await run(repo, file, bps));
    const med = (k) => xs.map((x) => x[k]).sort((a, b) => a - b)[1];
    rows.push(`| ${label} | ${med('total').toFixed(0)} ms | ${med('tail').toFixed(0)} ms | ${med('pass').toFixed(0)} ms |`);
  }
  console.log('| file, links | whole download | last byte → completed (hash while arriving) | one sha256 pass after the last byte |');
  for (const r of rows) console.log(r);
} finally {
  emuProc.kill('SIGTERM');
}
