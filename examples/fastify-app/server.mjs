// Fastify 5 host for Persian Hub: the REST + SSE routes under /api/sources and a page at /.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import * as core from '@persian-hub/core';
import { persianHub } from '@persian-hub/server-adapter/fastify';

const PAGE = fileURLToPath(new URL('./index.html', import.meta.url));

/**
 * @param {{ port?: number, host?: string, manager: import('@persian-hub/core').DownloadManagerApi }} options
 *   (a built UI would go through @fastify/static; until then the placeholder page is served)
 */
export async function startFastifyApp({ port = 3001, host, manager }) {
  const app = Fastify({ logger: false });
  await app.register(persianHub, { manager, prefix: '/api/sources', redact: [process.env.HF_TOKEN] });
  const page = await readFile(PAGE, 'utf8');
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  await app.listen({ port, host: host ?? '127.0.0.1' });
  const { port: actual } = app.server.address();
  return { url: `http://${host ?? '127.0.0.1'}:${actual}/`, close: () => app.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (typeof core.createDownloadManager !== 'function') {
    console.error('@persian-hub/core has no createDownloadManager yet; build core first.');
    process.exit(1);
  }
  const manager = core.createDownloadManager({
    endpoint: process.env.HF_ENDPOINT,
    token: process.env.HF_TOKEN,
    cacheDir: process.env.HF_HUB_CACHE,
  });
  const { url, close } = await startFastifyApp({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST, manager });
  console.log(`Persian Hub (Fastify) on ${url}`);
  const stop = async () => {
    await close();
    await manager.close();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
