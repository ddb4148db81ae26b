// One instance of the cluster: the Express host of examples/express-app, its manager on the shared
// BullMQ store. Run it by itself on each machine behind a load balancer, or let cluster.mjs start three.
import { pathToFileURL } from 'node:url';
import { createDownloadManager } from '@persian-hub/core';
import { createBullmqJobStore } from '@persian-hub/queue-bullmq';
import { startExpressApp } from '@persian-hub/example-express/server.mjs';

/**
 * @param {{ port: number, host?: string, redisUrl: string, prefix?: string }} options
 */
export async function startClusterInstance({ port, host, redisUrl, prefix }) {
  const manager = createDownloadManager({
    endpoint: process.env.HF_ENDPOINT,
    token: process.env.HF_TOKEN,
    cacheDir: process.env.HF_HUB_CACHE,
    jobStore: createBullmqJobStore({ connection: redisUrl, ...(prefix ? { prefix } : {}) }),
  });
  // Every job of the cluster, before the first page asks.
  await manager.ready();
  const app = await startExpressApp({ port, host, manager });
  return {
    url: app.url,
    manager,
    close: async () => {
      await app.close();
      // Running downloads go back to the queue: the other instances continue them.
      await manager.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const instance = await startClusterInstance({
    port: Number(process.env.PORT ?? 3001),
    host: process.env.HOST,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: process.env.PERSIAN_HUB_QUEUE_PREFIX,
  });
  console.log(`Persian Hub instance ${process.pid} on ${instance.url}`);
  const stop = async () => {
    await instance.close();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
