// Express 5 host for Persian Hub: the REST + SSE routes under /api/sources and a page at /.
import { pathToFileURL } from 'node:url';
import { NOT_BUILT_PAGE, UI_DIR, uiBuilt, uiMiddleware } from '@persian-hub/example-ui/staticFiles.mjs';
import { resolveHostSecurity } from '@persian-hub/example-ui/hostSecurity.mjs';
import express from 'express';
import { createDownloadManager } from '@persian-hub/core';
import { createAdminTokenAuthorize } from '@persian-hub/server-adapter';
import { createExpressRouter } from '@persian-hub/server-adapter/express';

/**
 * @param {{ port?: number, host?: string, manager: import('@persian-hub/core').DownloadManagerApi, staticDir?: string, env?: Record<string, string | undefined> }} options
 *   `host`: 127.0.0.1 unless given (or `HOST`); beyond this machine it needs `PERSIAN_HUB_ADMIN_TOKEN`
 *   (see hostSecurity.mjs). `staticDir`: a built UI to serve instead of the placeholder page.
 */
export async function startExpressApp({ port = 3001, host: wanted, manager, staticDir, env = process.env }) {
  const { host, token, allowedHosts } = resolveHostSecurity({ host: wanted, env });
  const app = express();
  // Bundles (.tar from a USB disk) may be uploaded from the page, up to 32 GiB, staged in os.tmpdir().
  const router = createExpressRouter(manager, {
    redact: [env.HF_TOKEN, token],
    bundleUploadLimit: 32 * 1024 ** 3,
    allowedHosts,
    ...(token ? { authorize: createAdminTokenAuthorize(token) } : {}),
  });
  app.use('/api/sources', router);
  const dir = staticDir ?? (uiBuilt() ? UI_DIR : null);
  // Precompressed (brotli/gzip) and cached: hashed assets for a year, the page revalidated each visit.
  if (dir) app.use(uiMiddleware(dir));
  else app.get('/', (_req, res) => void res.type('html').send(NOT_BUILT_PAGE));
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (error) => (error ? reject(error) : resolve(s)));
  });
  // Node cuts any request not received whole in 300 s (408): a 32 GiB upload over a slow link
  // takes longer. The adapter cuts a body that stops moving instead (idleTimeoutMs).
  server.requestTimeout = 0;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}/`;
  return {
    url,
    server,
    close: async () => {
      router.handler.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    resolveHostSecurity(); // refuse before anything is created
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  const manager = createDownloadManager({
    endpoint: process.env.HF_ENDPOINT,
    token: process.env.HF_TOKEN,
    cacheDir: process.env.HF_HUB_CACHE,
  });
  const { url, close } = await startExpressApp({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST, manager });
  console.log(`Persian Hub (Express) on ${url}`);
  if (process.env.PERSIAN_HUB_ADMIN_TOKEN) console.log(`Changes need the admin token: open ${url}#token=<PERSIAN_HUB_ADMIN_TOKEN>`);
  const stop = async () => {
    await close();
    await manager.close();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
