#!/usr/bin/env node
// Offline bundles at scale: builds a snapshot with one generated LFS file (1 GiB by default) in a
// throw-away cache, then exports it to a .tar and imports it into an empty cache, each in a fresh
// child process, and prints wall time, throughput and peak RSS (process.resourceUsage().maxRSS).
// Memory must not grow with the file size: compare with BENCH_BUNDLE_BYTES=67108864.
//
//   npm run build && node bench/bundleBench.mjs
//   BENCH_BUNDLE_BYTES=1073741824 BENCH_DIR=/some/disk node bench/bundleBench.mjs
//
// Needs about 3x the size free on BENCH_DIR (default: the OS temp dir): blob, bundle, imported blob.
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, open, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const MiB = 1024 * 1024;

/** The bundles API: from the built package once it exports it, else compiled from source with esbuild (tsup's). */
async function loadBundles() {
  const dist = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href).catch(() => ({}));
  if (typeof dist.exportBundle === 'function' && typeof dist.importBundle === 'function') return dist;
  const out = join(root, '.bench-tmp', 'bundles.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'packages/core/src/bundles/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  return import(pathToFileURL(out).href);
}

// ---- child: one operation, then its numbers as one JSON line ----
if (process.argv[2] === '--child') {
  const [, , , op, json] = process.argv;
  const args = JSON.parse(json);
  const api = await loadBundles();
  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = process.hrtime.bigint();
  let result;
  if (op === 'export') result = await api.exportBundle({ ...args, toolVersion: 'bench' });
  else result = await api.importBundle(args);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(
    `${JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, rssAfterLoadKiB: rssBefore, alreadyInstalled: result.alreadyInstalled ?? null })}\n`,
  );
  process.exit(0);
}

function child(op, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', op, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${op} child exited with ${code}`))));
  });
}

const size = Number(process.env.BENCH_BUNDLE_BYTES ?? 1024 * MiB);
const base = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'ph-bundle-bench-'));
try {
  await loadBundles(); // compile once, before any timing
  const repoId = 'bench/big';
  const repoDir = join(base, 'hub', 'models--bench--big');
  const commit = createHash('sha1').update(`bench ${size}`).digest('hex');

  // A real cache layout: blob named by its sha256 (hashed while writing), relative symlink, ref, tree.
  const t0 = Date.now();
  await mkdir(join(repoDir, 'blobs'), { recursive: true });
  const tmpBlob = join(repoDir, 'blobs', 'generating.incomplete');
  const fh = await open(tmpBlob, 'w');
  const sha = createHash('sha256');
  const chunk = Buffer.alloc(4 * MiB);
  for (let done = 0; done < size; ) {
    const n = Math.min(chunk.length, size - done);
    randomFillSync(chunk, 0, n);
    sha.update(chunk.subarray(0, n));
    await fh.write(chunk, 0, n);
    done += n;
  }
  await fh.close();
  const etag = sha.digest('hex');
  await rename(tmpBlob, join(repoDir, 'blobs', etag));
  const config = Buffer.from('{"model_type":"bench"}\n');
  const configOid = createHash('sha1').update(`blob ${config.length}\0`).update(config).digest('hex');
  await writeFile(join(repoDir, 'blobs', configOid), config);
  const snap = join(repoDir, 'snapshots', commit);
  await mkdir(snap, { recursive: true });
  await symlink(relative(snap, join(repoDir, 'blobs', etag)), join(snap, 'weights.bin'));
  await symlink(relative(snap, join(repoDir, 'blobs', configOid)), join(snap, 'config.json'));
  await mkdir(join(repoDir, 'refs'));
  await writeFile(join(repoDir, 'refs', 'main'), commit);
  console.log(`snapshot: ${(size / MiB).toFixed(0)} MiB LFS file + config.json, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s (${base})`);

  const file = join(base, 'out', 'bench.tar');
  const exp = await child('export', { cacheDir: join(base, 'hub'), repoType: 'model', repoId, commit, revision: 'main', file });
  const tarSize = (await stat(file)).size;
  const imp = await child('import', { cacheDir: join(base, 'hub2'), file });
  const again = await child('import', { cacheDir: join(base, 'hub2'), file });
  if (imp.alreadyInstalled !== false || again.alreadyInstalled !== true) throw new Error('unexpected alreadyInstalled flags');
  const importedSize = (await stat(join(base, 'hub2', 'models--bench--big', 'blobs', etag))).size;
  if (importedSize !== size) throw new Error(`imported blob has ${importedSize} bytes, expected ${size}`);

  const row = (name, r, bytes) =>
    `${name.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${(bytes / MiB / (r.ms / 1000)).toFixed(0).padStart(6)} MiB/s   peak RSS ${(r.maxRssKiB / 1024).toFixed(0).padStart(4)} MiB (after loading: ${(r.rssAfterLoadKiB / 1024).toFixed(0)} MiB)`;
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, bundle ${(tarSize / MiB).toFixed(1)} MiB`);
  console.log(row('export (hash + fsync)', exp, size));
  console.log(row('import (hash + stage)', imp, size));
  console.log(`${'import again'.padEnd(22)} ${(again.ms / 1000).toFixed(3).padStart(7)} s   alreadyInstalled, manifest only   peak RSS ${(again.maxRssKiB / 1024).toFixed(0)} MiB`);
} finally {
  if (!process.env.BENCH_KEEP) await rm(base, { recursive: true, force: true });
}
