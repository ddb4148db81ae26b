#!/usr/bin/env node
// npm run bench: the native engine against curl on the same emulator, same machine, same run.
//   BENCH_RUNS=3 (median of N) BENCH_BIG_BYTES=268435456
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const emuProc = spawn(process.execPath, [join(here, 'benchEmulator.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise((resolve) => createInterface({ input: emuProc.stdout }).once('line', resolve));
const { url, bigSize } = JSON.parse(first);

async function ours(repoId) {
  const { stdout } = await run(process.execPath, [join(here, 'benchClient.mjs'), url, repoId], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

/** Node + undici alone on the same file, in a fresh process: what no Node downloader can beat. */
async function nodeFloor(mode) {
  const { stdout } = await run(process.execPath, [join(here, 'nodeFloor.mjs'), url, mode]);
  return JSON.parse(stdout.trim());
}

async function curl() {
  const dir = await mkdtemp(join(tmpdir(), 'ph-curl-'));
  try {
    const { stdout } = await run('curl', ['-sS', '-L', '-o', join(dir, 'big.bin'), '-w', '%{time_total} %{size_download}', `${url}/bench/big/resolve/main/big.bin`]);
    const [t, size] = stdout.trim().split(' ');
    return { wallMs: Number(t) * 1000, bytes: Number(size) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The same work as ours: download to a file and verify its sha256, as one pipeline. */
async function curlVerified() {
  const dir = await mkdtemp(join(tmpdir(), 'ph-curl-'));
  try {
    const t0 = performance.now();
    await run('bash', ['-o', 'pipefail', '-c', `curl -sS -L '${url}/bench/big/resolve/main/big.bin' | tee '${join(dir, 'big.bin')}' | sha256sum > /dev/null`]);
    return performance.now() - t0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const big = { ours: [], curl: [], curlSha: [], rss: [], base: [] };
const floor = { receive: [], receiveRss: [], hash: [], hashRss: [] };
const small = { ours: [], rss: [], base: [] };
try {
  await ours('bench/small-files'); // warm-up: JIT, page cache
  for (let i = 0; i < runs; i++) {
    const c = await curl();
    if (c.bytes !== bigSize) throw new Error(`curl got ${c.bytes} bytes, expected ${bigSize}`);
    big.curl.push(c.wallMs);
    big.curlSha.push(await curlVerified());
    const fr = await nodeFloor('receive');
    const fh = await nodeFloor('receive+sha256');
    if (fr.bytes !== bigSize || fh.bytes !== bigSize) throw new Error('the Node floor run got the wrong size');
    floor.receive.push(fr.wallMs);
    floor.receiveRss.push(fr.maxRssBytes);
    floor.hash.push(fh.wallMs);
    floor.hashRss.push(fh.maxRssBytes);
    const o = await ours('bench/big');
    if (o.bytes !== bigSize) throw new Error(`ours got ${o.bytes} bytes`);
    big.ours.push(o.wallMs);
    big.rss.push(o.maxRssBytes);
    big.base.push(o.baselineRssBytes);
    const s = await ours('bench/small-files');
    small.ours.push(s.wallMs);
    small.rss.push(s.maxRssBytes);
    small.base.push(s.baselineRssBytes);
  }
} finally {
  emuProc.kill('SIGTERM');
}

const mbps = (bytes, ms) => (bytes / MiB / (ms / 1000)).toFixed(0);
const rows = [
  ['case', 'wall (median)', 'throughput', 'peak RSS (baseline before download)', 'target'],
  [`${bigSize / MiB} MiB file, curl`, `${median(big.curl).toFixed(0)} ms`, `${mbps(bigSize, median(big.curl))} MiB/s`, '-', ''],
  [`${bigSize / MiB} MiB file, curl | tee | sha256sum`, `${median(big.curlSha).toFixed(0)} ms`, `${mbps(bigSize, median(big.curlSha))} MiB/s`, '-', 'same work as ours (verify)'],
  [`${bigSize / MiB} MiB file, Node + undici, receive only`, `${median(floor.receive).toFixed(0)} ms`, `${mbps(bigSize, median(floor.receive))} MiB/s`, `${(Math.max(...floor.receiveRss) / MiB).toFixed(0)} MiB`, 'floor: no hash, no disk'],
  [`${bigSize / MiB} MiB file, Node + undici, receive + sha256`, `${median(floor.hash).toFixed(0)} ms`, `${mbps(bigSize, median(floor.hash))} MiB/s`, `${(Math.max(...floor.hashRss) / MiB).toFixed(0)} MiB`, 'floor: no disk'],
  [
    `${bigSize / MiB} MiB file, @persian-hub/core`,
    `${median(big.ours).toFixed(0)} ms`,
    `${mbps(bigSize, median(big.ours))} MiB/s`,
    `${(Math.max(...big.rss) / MiB).toFixed(0)} MiB (${(Math.max(...big.base) / MiB).toFixed(0)} MiB)`,
    `≤ 1.2× curl (${(median(big.ours) / median(big.curl)).toFixed(2)}× curl, ${(median(big.ours) / median(big.curlSha)).toFixed(2)}× curl+sha256sum), RSS < 80 MiB`,
  ],
  ['300 small files, @persian-hub/core', `${median(small.ours).toFixed(0)} ms`, '-', `${(Math.max(...small.rss) / MiB).toFixed(0)} MiB (${(Math.max(...small.base) / MiB).toFixed(0)} MiB)`, '< 600 ms'],
];
console.log(`\nDownload benchmark, ${runs} runs each, emulator at ${url} (own process)\n`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`\nraw: big ours ${big.ours.map((x) => x.toFixed(0)).join(', ')} ms; curl ${big.curl.map((x) => x.toFixed(0)).join(', ')} ms; node receive ${floor.receive.map((x) => x.toFixed(0)).join(', ')} ms, +sha256 ${floor.hash.map((x) => x.toFixed(0)).join(', ')} ms; small ${small.ours.map((x) => x.toFixed(0)).join(', ')} ms`);
