// Express 5 host for Persian Hub: the REST + SSE routes under /api/sources and a page at /.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import express from 'express';
import * as core from '@persian-hub/core';
import { createExpressRouter } from '@persian-hub/server-adapter/express';

const PAGE = fileURLToPath(new URL('./index.html', import.meta.url));

/**
 * @param {{ port?: number, host?: string, manager: import('@persian-hub/core').DownloadManagerApi, staticDir?: string }} options
 *   `staticDir`: a built UI to serve instead of the placeholder page.
 */
export async function startExpressApp({ port = 3001, host, manager, staticDir }) {
  host ??= '127.0.0.1';
  const app = express();
  const router = createExpressRouter(manager, { redact: [process.env.HF_TOKEN] });
  app.use('/api/sources', router);
  if (staticDir) app.use(express.static(staticDir));
  else {
    const page = await readFile(PAGE, 'utf8');
    app.get('/', (_req, res) => void res.type('html').send(page));
  }
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (error) => (error ? reject(error) : resolve(s)));
  });
  const url = `http://${host}:${server.address().port}/`;
  return {
    url,
    close: async () => {
      router.handler.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
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
  const { url, close } = await startExpressApp({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST, manager });
  console.log(`Persian Hub (Express) on ${url}`);
  const stop = async () => {
    await close();
    await manager.close();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
