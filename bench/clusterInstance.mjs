// One instance of bench/clusterBench.mjs: a manager on the shared BullMQ store, driven over IPC.
// Reports, with a clock shared by every process of the machine, each job it runs and the arrival
// of every `completed` event (its own and the other instances').
import { performance } from 'node:perf_hooks';
import { createDownloadManager } from '@persian-hub/core';
import { createBullmqJobStore } from '@persian-hub/queue-bullmq';

const { REDIS_URL, ENDPOINT, CACHE_DIR, STATE_DIR, CONCURRENCY } = process.env;
const now = () => performance.timeOrigin + performance.now();
const store = createBullmqJobStore({ connection: REDIS_URL, prefix: 'bench' });
const mine = new Set();
const work = store.work.bind(store);
store.work = (run, concurrency) =>
  work((jobId) => {
    mine.add(jobId);
    return run(jobId);
  }, concurrency);
const manager = createDownloadManager({ endpoint: ENDPOINT, cacheDir: CACHE_DIR, stateDir: STATE_DIR, token: false, concurrency: Number(CONCURRENCY ?? 2), jobStore: store });
manager.on('completed', (job) => process.send({ type: 'completed', id: job.id, at: now(), runner: mine.has(job.id), bytes: job.bytesTotal }));
process.on('message', async ({ id, op, args = [] }) => {
  try {
    const result = op === 'close' ? await manager.close() : await manager[op](...args);
    process.send({ type: 'reply', id, result: result && result.id ? { id: result.id } : null });
    if (op === 'close') process.disconnect();
  } catch (error) {
    process.send({ type: 'reply', id, error: String(error) });
  }
});
await manager.ready();
process.send({ type: 'ready' });
