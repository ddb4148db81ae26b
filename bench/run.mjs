#!/usr/bin/env node
// npm run bench: @persian-hub/core against the tools people use instead, on links like theirs, in one run.
//
//   1. one 32 MiB file, each connection limited to 2 MB/s        goal ≤ 1.2 × aria2c -x8 -s8
//   2. 300 small files, 100 ms added to every answer             goal ≤ 0.25 × the official Python client
//   3. 256 MiB on loopback, whole process                        goal no slower than the Python client
//   4. import('@persian-hub/core')                               goal ≤ 150 ms over bare node
//
// Every download is a whole process (start-up included), timed from spawn to exit, median of
// BENCH_RUNS (3). Peers: aria2c, the Python client (huggingface_hub 0.36.2 from ../shared/peers, run
// with Debian's /usr/bin/python3), curl. A peer that is missing is skipped, and the table says so.
//   BENCH_RUNS=3 BENCH_BIG_BYTES=268435456 BENCH_PYTHON=/usr/bin/python3 BENCH_HF_PEER=<dir> BENCH_ARIA2C=aria2c
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MiB = 1024 * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms === undefined ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

// ---------- peers ----------
function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const skipped = [];
const aria2c = process.env.BENCH_ARIA2C ?? which('aria2c');
if (!aria2c) skipped.push('aria2c (not installed: apt-get install aria2)');
const curl = which('curl');
if (!curl) skipped.push('curl (not installed)');
const hfPeer = [process.env.BENCH_HF_PEER, join(root, '..', 'shared', 'peers', 'huggingface_hub-0.36.2'), '/work/shared/peers/huggingface_hub-0.36.2'].find(
  (d) => d && existsSync(join(d, 'huggingface_hub')),
);
const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
let pythonOk = false;
if (!hfPeer) skipped.push('the Python client (huggingface_hub not found in ../shared/peers; set BENCH_HF_PEER)');
else {
  try {
    execFileSync(python, ['-c', 'import huggingface_hub, requests, tqdm, filelock'], { env: { ...process.env, PYTHONPATH: hfPeer }, stdio: 'ignore' });
    pythonOk = true;
  } catch {
    skipped.push(`the Python client (${python} cannot import huggingface_hub and its Debian dependencies)`);
  }
}

// ---------- the emulator, in its own process ----------
const emuProc = spawn(process.execPath, [join(here, 'benchEmulator.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const info = JSON.parse(await new Promise((r) => createInterface({ input: emuProc.stdout }).once('line', r)));
const { url, control } = info;
const setup = (body) => fetch(`${control}/setup`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
const reset = () => fetch(`${control}/reset`, { method: 'POST' }).then((r) => r.arrayBuffer());
const stats = () => fetch(`${control}/stats`).then((r) => r.json());

/** Runs a command to its end; resolves with its wall time (spawn to exit) and stdout. */
function timed(cmd, args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    execFile(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const wallMs = performance.now() - t0;
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolvePromise({ wallMs, stdout });
    });
  });
}

async function inTemp(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'ph-bench-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const clients = {
  ours: (repo) =>
    timed(process.execPath, [join(here, 'benchClient.mjs'), url, repo]).then(({ wallMs, stdout }) => ({ wallMs, ...JSON.parse(stdout.trim().split('\n').pop()) })),
  python: (repo, expectBytes) =>
    inTemp(async (dir) => {
      const r = await timed(python, ['-m', 'huggingface_hub.cli.hf', 'download', repo, '--cache-dir', join(dir, 'hub')], {
        PYTHONPATH: hfPeer,
        HF_ENDPOINT: url,
        HF_HOME: join(dir, 'home'),
        HF_HUB_DISABLE_XET: '1',
        HF_HUB_DISABLE_TELEMETRY: '1',
        HF_HUB_DISABLE_PROGRESS_BARS: '1',
        HF_HUB_ENABLE_HF_TRANSFER: '0',
        HF_TOKEN: '',
      });
      const snapshot = r.stdout.trim().split('\n').pop();
      if (expectBytes !== undefined) {
        const got = await stat(join(snapshot, expectBytes.path)).then((s) => s.size);
        if (got !== expectBytes.size) throw new Error(`python got ${got} bytes, expected ${expectBytes.size}`);
      }
      return r;
    }),
  aria2c: (path, size, extra = []) =>
    inTemp(async (dir) => {
      const r = await timed(aria2c, ['-x8', '-s8', ...extra, '--console-log-level=warn', '--summary-interval=0', '--allow-overwrite=true', '-d', dir, '-o', 'f', `${url}/${path}`]);
      if ((await stat(join(dir, 'f'))).size !== size) throw new Error('aria2c got the wrong size');
      return r;
    }),
  curl: (path, size) =>
    inTemp(async (dir) => {
      const r = await timed(curl, ['-sS', '-L', '-o', join(dir, 'f'), `${url}/${path}`]);
      if ((await stat(join(dir, 'f'))).size !== size) throw new Error('curl got the wrong size');
      return r;
    }),
};

/** Median wall time of `runs` runs of fn (null when the peer is missing). */
async function measure(available, fn, n = runs) {
  if (!available) return null;
  const xs = [];
  for (let i = 0; i < n; i++) xs.push((await fn()).wallMs);
  return { median: median(xs), all: xs };
}

const results = {};
try {
  // A warm-up: JIT caches, page cache, the emulator's first answers.
  await clients.ours('bench/small-files');

  // 1. shaped: every response (so every connection) at 2 MB/s.
  await setup({ faults: [{ type: 'throttle', bytesPerSecond: 2_000_000 }] });
  const shapedPath = 'bench/shaped/resolve/main/model.bin';
  results.shaped = {
    ours: await measure(true, () => clients.ours('bench/shaped')),
    aria2c: await measure(aria2c, () => clients.aria2c(shapedPath, info.shapedSize, ['-k1M'])),
    aria2cDefault: await measure(aria2c, () => clients.aria2c(shapedPath, info.shapedSize), 1),
    python: await measure(pythonOk, () => clients.python('bench/shaped', { path: 'model.bin', size: info.shapedSize })),
    curl: await measure(curl, () => clients.curl(shapedPath, info.shapedSize), 1),
  };

  // 2. long round trips: 100 ms before every answer; requests and connections counted per client.
  await setup({ latencyMs: 100 });
  const perFile = async (fn) => {
    await reset();
    await fn();
    const s = await stats();
    return { ...s, perFile: (s.resolveHead + s.resolveGet + s.cdn) / info.smallFiles };
  };
  results.small = {
    ours: await measure(true, () => clients.ours('bench/small-files')),
    python: await measure(pythonOk, () => clients.python('bench/small-files')),
    oursRequests: await perFile(() => clients.ours('bench/small-files')),
    pythonRequests: pythonOk ? await perFile(() => clients.python('bench/small-files')) : null,
  };

  // 3. loopback, no limits.
  await setup({});
  const bigPath = 'bench/big/resolve/main/big.bin';
  const oursBig = [];
  results.big = {
    ours: await measure(true, async () => {
      const r = await clients.ours('bench/big');
      if (r.bytes !== info.bigSize) throw new Error(`ours got ${r.bytes} bytes`);
      oursBig.push(r);
      return r;
    }),
    python: await measure(pythonOk, () => clients.python('bench/big', { path: 'big.bin', size: info.bigSize })),
    curl: await measure(curl, () => clients.curl(bigPath, info.bigSize)),
    aria2c: await measure(aria2c, () => clients.aria2c(bigPath, info.bigSize, ['-k1M'])),
  };
  results.big.rss = Math.max(...oursBig.map((r) => r.maxRssBytes));
} finally {
  emuProc.kill('SIGTERM');
}

// 4. start-up: bare node against node importing the package, interleaved, in the package's folder.
const startup = { bare: [], core: [] };
const coreDir = join(root, 'packages', 'core');
for (let i = 0; i < Math.max(5, runs * 3); i++) {
  startup.bare.push((await timed(process.execPath, ['--input-type=module', '-e', ''])).wallMs);
  startup.core.push((await timed(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(join(coreDir, 'dist', 'index.js'))})`])).wallMs);
}

// ---------- the table ----------
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : 'n/a');
const t = (m) => (m ? fmt(m.median) : 'skipped');
const s = results.shaped;
const sm = results.small;
const b = results.big;
const importOver = median(startup.core) - median(startup.bare);
const rows = [
  ['case', '@persian-hub/core', 'peers (same run)', 'ratio', 'goal'],
  [
    `one ${info.shapedSize / MiB} MiB file, 2 MB/s per connection`,
    t(s.ours),
    `aria2c -x8 -s8 -k1M ${t(s.aria2c)}; aria2c -x8 -s8 ${t(s.aria2cDefault)}; python ${t(s.python)}; curl ${t(s.curl)}`,
    `${ratio(s.ours, s.aria2c)} aria2c -k1M`,
    `≤ 1.2× aria2c -x8 -s8`,
  ],
  [
    `${info.smallFiles} small files, +100 ms per answer`,
    t(sm.ours),
    `python ${t(sm.python)}`,
    `${ratio(sm.ours, sm.python)} python`,
    '≤ 0.25× python',
  ],
  [
    `${info.bigSize / MiB} MiB on loopback, whole process`,
    `${t(b.ours)} (peak RSS ${(b.rss / MiB).toFixed(0)} MiB)`,
    `python ${t(b.python)}; curl ${t(b.curl)}; aria2c -x8 -s8 -k1M ${t(b.aria2c)}`,
    `${ratio(b.ours, b.python)} python`,
    '≤ 1× python',
  ],
  [
    "import('@persian-hub/core')",
    `${fmt(median(startup.core))} (bare node ${fmt(median(startup.bare))})`,
    '-',
    `+${fmt(importOver)} over bare node`,
    '≤ 150 ms over bare node',
  ],
];
console.log(`\nDownload benchmark, median of ${runs} runs, every client a whole process, emulator at ${url} (own process)\n`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
const reqs = (r) => (r ? `${r.perFile.toFixed(2)} requests per file (${r.resolveHead} HEAD, ${r.resolveGet} GET, ${r.cdn} CDN), ${r.api} API, ${r.connections} connections` : 'skipped');
console.log(`\nround trips for ${info.smallFiles} small files: ours ${reqs(sm.oursRequests)}; python ${reqs(sm.pythonRequests)}`);
const all = (m) => (m ? m.all.map((x) => Math.round(x)).join(', ') : '-');
console.log(
  `raw (ms): shaped ours ${all(s.ours)}, aria2c ${all(s.aria2c)}, python ${all(s.python)}; small ours ${all(sm.ours)}, python ${all(sm.python)}; ` +
    `loopback ours ${all(b.ours)}, python ${all(b.python)}, curl ${all(b.curl)}, aria2c ${all(b.aria2c)}; import ${startup.core.map(Math.round).join(', ')} vs bare ${startup.bare.map(Math.round).join(', ')}`,
);
if (skipped.length) console.log(`\nskipped: ${skipped.join('; ')}`);
console.log('\naria2c -x8 -s8 alone does not split a file under 40 MB (its --min-split-size is 20M), so -k1M is the peer to beat.');
