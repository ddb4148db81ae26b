// `npm run example:cluster`: three instances (PORT, PORT+1, PORT+2), each its own process, on one
// Redis (REDIS_URL) and one cache (HF_HUB_CACHE). Open any of them: every page shows every job.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const base = Number(process.env.PORT ?? 3001);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const children = [0, 1, 2].map((i) =>
  fork(fileURLToPath(new URL('./instance.mjs', import.meta.url)), [], { env: { ...process.env, PORT: String(base + i), REDIS_URL: redisUrl } }),
);
console.log(`Three Persian Hub instances on ports ${base}-${base + 2}, one queue on ${redisUrl}, cache ${process.env.HF_HUB_CACHE ?? '(default)'}.`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
};
for (const c of children) {
  c.once('exit', (code) => {
    // One instance failing (e.g. Redis unreachable at start) stops the example rather than leaving two.
    if (!stopping && code !== 0) {
      console.error(`instance ${c.pid} exited with ${code}; stopping the others`);
      process.exitCode = 1;
    }
    stop();
  });
}
process.once('SIGINT', stop).once('SIGTERM', stop);
