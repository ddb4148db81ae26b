// Fastify 5 host for Persian Hub: the REST + SSE routes under /api/sources and a page at /.
import { createReadStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { createDownloadManager } from '@persian-hub/core';
import { createAdminTokenAuthorize } from '@persian-hub/server-adapter';
import { persianHub } from '@persian-hub/server-adapter/fastify';
import { NOT_BUILT_PAGE, uiBuilt, resolveUiFile } from '@persian-hub/example-ui/staticFiles.mjs';
import { resolveHostSecurity } from '@persian-hub/example-ui/hostSecurity.mjs';

/**
 * @param {{ port?: number, host?: string, manager: import('@persian-hub/core').DownloadManagerApi, env?: Record<string, string | undefined> }} options
 *   `host`: 127.0.0.1 unless given (or `HOST`); beyond this machine it needs `PERSIAN_HUB_ADMIN_TOKEN`
 *   (see hostSecurity.mjs). Serves the built React UI (examples/ui) with a few lines instead of
 *   @fastify/static: the precompressed files and cache headers of examples/ui/staticFiles.mjs,
 *   shared with the Express host.
 */
export async function startFastifyApp({ port = 3001, host: wanted, manager, env = process.env }) {
  const { host, token, allowedHosts } = resolveHostSecurity({ host: wanted, env });
  // requestTimeout 0 (Fastify's default, said out loud): a 32 GiB upload may take hours; the
  // adapter cuts a body that stops moving instead (idleTimeoutMs).
  const app = Fastify({ logger: false, requestTimeout: 0 });
  // Bundles (.tar from a USB disk) may be uploaded from the page, up to 32 GiB, staged in os.tmpdir().
  await app.register(persianHub, {
    manager,
    prefix: '/api/sources',
    redact: [env.HF_TOKEN, token],
    bundleUploadLimit: 32 * 1024 ** 3,
    allowedHosts,
    ...(token ? { authorize: createAdminTokenAuthorize(token) } : {}),
  });
  app.get('/*', async (request, reply) => {
    if (!uiBuilt()) return reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    const answer = await resolveUiFile(request.raw);
    if (!answer) return reply.callNotFound();
    reply.code(answer.status).headers(answer.headers);
    return reply.send(answer.file ? createReadStream(answer.file) : '');
  });
  await app.listen({ port, host });
  const { port: actual } = /** @type {import('node:net').AddressInfo} */ (app.server.address());
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`, server: app.server, close: () => app.close() };
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
  const { url, close } = await startFastifyApp({ port: Number(process.env.PORT ?? 3001), host: process.env.HOST, manager });
  console.log(`Persian Hub (Fastify) on ${url}`);
  if (process.env.PERSIAN_HUB_ADMIN_TOKEN) console.log(`Changes need the admin token: open ${url}#token=<PERSIAN_HUB_ADMIN_TOKEN>`);
  const stop = async () => {
    await close();
    await manager.close();
    process.exit(0);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}
