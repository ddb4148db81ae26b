#!/usr/bin/env node
// Cluster bench: 3 instances (each its own process) on one Redis and one cache, 100 jobs started
// round-robin across them against the Hub emulator. Measures throughput (jobs/s, MB/s, from the
// first start to the last completion heard by every instance) and event latency across instances
// (a job's `completed` on its runner → the same event on each other instance).
//   node bench/clusterBench.mjs   (after npm run build; needs /usr/bin/redis-server)
//   CLUSTER_JOBS=100 CLUSTER_FILE_KB=1024 CLUSTER_CONCURRENCY=2
import { fork, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createDownloadManager } from '@persian-hub/core';
import { startHubEmulator } from '@persian-hub/hub-emulator';

const JOBS = Number(process.env.CLUSTER_JOBS ?? 100);
const FILE_KB = Number(process.env.CLUSTER_FILE_KB ?? 1024);
const CONCURRENCY = Number(process.env.CLUSTER_CONCURRENCY ?? 2);
const INSTANCES = 3;
const now = () => performance.timeOrigin + performance.now();
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const root = await mkdtemp(join(tmpdir(), 'ph-cluster-bench-'));
const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', root, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  let out = '';
  redis.stdout.on('data', (c) => {
    out += c;
    if (out.includes('Ready to accept connections')) resolve();
  });
  redis.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
});
const repos = Array.from({ length: JOBS }, (_, i) => ({ id: `bench/cluster-${i}`, files: [{ path: 'model.bin', size: FILE_KB * 1024 }] }));
const emu = await startHubEmulator({ port: 0, repos });

const instances = Array.from({ length: INSTANCES }, (_, n) => {
  const child = fork(fileURLToPath(new URL('./clusterInstance.mjs', import.meta.url)), [], {
    env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, ENDPOINT: emu.url, CACHE_DIR: join(root, 'hub'), STATE_DIR: join(root, 'state'), CONCURRENCY: String(CONCURRENCY) },
  });
  const inst = { n, child, completed: new Map(), ready: null, replies: new Map(), next: 1 };
  inst.ready = new Promise((resolve) => {
    child.on('message', (m) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'completed') inst.completed.set(m.id, m);
      else if (m.type === 'reply') {
        inst.replies.get(m.id)?.(m);
        inst.replies.delete(m.id);
      }
    });
  });
  inst.call = (op, ...args) =>
    new Promise((resolve, reject) => {
      const id = inst.next++;
      inst.replies.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result)));
      child.send({ id, op, args });
    });
  return inst;
});
await Promise.all(instances.map((i) => i.ready));

const t0 = now();
const jobs = await Promise.all(repos.map((r, i) => instances[i % INSTANCES].call('start', { repoId: r.id })));
const allHeard = () => instances.every((i) => jobs.every((j) => i.completed.has(j.id)));
await new Promise((resolve) => {
  const check = setInterval(() => {
    if (allHeard()) {
      clearInterval(check);
      resolve();
    }
  }, 5);
});
const lastHeard = Math.max(...instances.flatMap((i) => [...i.completed.values()].map((c) => c.at)));
const seconds = (lastHeard - t0) / 1000;

const latencies = [];
const ranBy = new Map();
for (const j of jobs) {
  const runner = instances.find((i) => i.completed.get(j.id)?.runner);
  ranBy.set(runner.n, (ranBy.get(runner.n) ?? 0) + 1);
  const at = runner.completed.get(j.id).at;
  for (const other of instances) if (other !== runner) latencies.push(other.completed.get(j.id).at - at);
}
const cdnRequests = emu.requests.filter((r) => r.url.startsWith('/cdn/') && r.method === 'GET').length;
console.log(`cluster bench: ${INSTANCES} instances × concurrency ${CONCURRENCY}, ${JOBS} jobs of ${FILE_KB} KiB against the Hub emulator, one Redis`);
console.log(`  throughput: ${(JOBS / seconds).toFixed(1)} jobs/s, ${((JOBS * FILE_KB * 1024) / seconds / 1e6).toFixed(1)} MB/s (${seconds.toFixed(2)} s from the first start to the last completion heard everywhere)`);
console.log(`  runs per instance: ${[...ranBy.entries()].sort().map(([n, c]) => `#${n}: ${c}`).join(', ')}; CDN GETs: ${cdnRequests} for ${JOBS} files`);
console.log(`  completed-event latency to the other instances (ms): p50 ${pct(latencies, 0.5).toFixed(1)}, p95 ${pct(latencies, 0.95).toFixed(1)}, max ${Math.max(...latencies).toFixed(1)} (n=${latencies.length})`);

await Promise.all(instances.map((i) => i.call('close').catch(() => undefined)));

// The same 100 jobs on one manager with the embedded file store and the cluster's total concurrency.
const single = createDownloadManager({ endpoint: emu.url, cacheDir: join(root, 'hub-single'), stateDir: join(root, 'state-single'), token: false, concurrency: CONCURRENCY * INSTANCES });
const s0 = now();
const singleJobs = await Promise.all(repos.map((r) => single.start({ repoId: r.id })));
await Promise.all(singleJobs.map((j) => single.waitFor(j.id)));
const singleSeconds = (now() - s0) / 1000;
await single.close();
console.log(`  baseline, one manager (file store, concurrency ${CONCURRENCY * INSTANCES}): ${(JOBS / singleSeconds).toFixed(1)} jobs/s (${singleSeconds.toFixed(2)} s)`);

await emu.close();
redis.kill('SIGTERM');
await new Promise((r) => redis.once('exit', r));
await rm(root, { recursive: true, force: true });
