#!/usr/bin/env node
// Hub mirror under concurrent readers: MIRROR_CLIENTS (20) clients GET one MIRROR_SIZE_MIB
// (1024) file from the mirror at once, as 20 lab machines running `hf download` would. Reports
// wall time, aggregate and per-client throughput, and the server process's RSS (sampled, and
// its peak VmHWM). The server (mirrorBenchServer.mjs) is its own process; the clients count
// bytes and check the first and last MiB of each body against the file.
// `MIRROR_HWM=1048576 node bench/mirrorBench.mjs` compares read sizes (the default is 64 KiB).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

const here = fileURLToPath(new URL('.', import.meta.url));
const CLIENTS = Number(process.env.MIRROR_CLIENTS ?? 20);
const SIZE = Number(process.env.MIRROR_SIZE_MIB ?? 1024) * 1024 * 1024;
const MiB = 1024 * 1024;

const root = await mkdtemp(join(tmpdir(), 'ph-mirror-bench-'));
const repo = join(root, 'hub', 'models--bench--big');
const commit = 'c'.repeat(40);

// The cache as the manager leaves it: blobs/<sha256>, a relative link in snapshots/, refs/main.
const t0 = performance.now();
const tmp = join(root, 'blob.tmp');
const hash = createHash('sha256');
const out = createWriteStream(tmp);
const block = randomBytes(4 * MiB);
for (let written = 0; written < SIZE; written += block.length) {
  const chunk = block.subarray(0, Math.min(block.length, SIZE - written));
  // Vary each block so no two MiB of the file are equal (a stale range would show).
  chunk.writeUInt32BE(written / block.length, 0);
  hash.update(chunk);
  if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
}
await new Promise((r) => out.end(r));
const sha256 = hash.digest('hex');
await mkdir(join(repo, 'blobs'), { recursive: true });
await mkdir(join(repo, 'snapshots', commit), { recursive: true });
await mkdir(join(repo, 'refs'), { recursive: true });
const { rename } = await import('node:fs/promises');
await rename(tmp, join(repo, 'blobs', sha256));
await symlink(`../../blobs/${sha256}`, join(repo, 'snapshots', commit, 'model.bin'));
await writeFile(join(repo, 'refs', 'main'), commit);
const fh = await open(join(repo, 'blobs', sha256));
const head = Buffer.alloc(MiB);
const tail = Buffer.alloc(MiB);
await fh.read(head, 0, MiB, 0);
await fh.read(tail, 0, MiB, SIZE - MiB);
await fh.close();
console.error(`cache ready (${(SIZE / MiB).toFixed(0)} MiB blob) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const server = spawn(process.execPath, [join(here, 'mirrorBenchServer.mjs'), join(root, 'hub')], { stdio: ['ignore', 'pipe', 'inherit'] });
const info = await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', (l) => resolve(JSON.parse(l))));
const memory = async () => {
  const status = await readFile(`/proc/${info.pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
};
const before = await memory();
const url = `${info.url}/bench/big/resolve/main/model.bin`;
const headRes = await fetch(url, { method: 'HEAD' });
if (headRes.headers.get('etag') !== `"${sha256}"` || headRes.headers.get('content-length') !== String(SIZE)) throw new Error('HEAD headers are wrong');

let sampling = true;
let maxSampled = before.rss;
const sampler = (async () => {
  while (sampling) {
    maxSampled = Math.max(maxSampled, (await memory()).rss);
    await new Promise((r) => setTimeout(r, 100));
  }
})();

const agent = new Agent({ connections: CLIENTS });
const start = performance.now();
const results = await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    const t = performance.now();
    const res = await request(url, { dispatcher: agent });
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    let bytes = 0;
    const first = [];
    // The chunks holding the last MiB: a window, so checking costs no copy per chunk.
    const window = [];
    let windowBytes = 0;
    for await (const chunk of res.body) {
      if (bytes < MiB) first.push(chunk);
      bytes += chunk.length;
      window.push(chunk);
      windowBytes += chunk.length;
      while (windowBytes - window[0].length >= MiB) windowBytes -= window.shift().length;
    }
    const last = Buffer.concat(window).subarray(-MiB);
    const ok = bytes === SIZE && Buffer.concat(first).subarray(0, MiB).equals(head) && last.equals(tail);
    return { ms: performance.now() - t, bytes, ok };
  }),
);
const wallMs = performance.now() - start;
sampling = false;
await sampler;
const after = await memory();
server.kill('SIGTERM');
await agent.close();
await rm(root, { recursive: true, force: true });

const total = results.reduce((n, r) => n + r.bytes, 0);
const perClient = results.map((r) => r.bytes / MiB / (r.ms / 1000)).sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      clients: CLIENTS,
      fileMiB: SIZE / MiB,
      highWaterMark: Number(process.env.MIRROR_HWM ?? 65536),
      allBytesCorrect: results.every((r) => r.ok),
      wallSeconds: +(wallMs / 1000).toFixed(2),
      aggregateMiBps: +(total / MiB / (wallMs / 1000)).toFixed(0),
      perClientMiBps: { min: +perClient[0].toFixed(0), median: +perClient[Math.floor(perClient.length / 2)].toFixed(0), max: +perClient.at(-1).toFixed(0) },
      serverRssMiB: { idle: +before.rss.toFixed(0), maxSampled: +maxSampled.toFixed(0), peakVmHWM: +after.peak.toFixed(0) },
    },
    null,
    1,
  ),
);
