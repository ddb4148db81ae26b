import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request } from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import type { DownloadManagerApi } from '@persian-hub/core';
import { createPersianHubHandler, type PersianHubHandlerOptions } from '../src/index.js';
import { createExpressRouter } from '../src/express.js';
import { persianHub } from '../src/fastify.js';

export const PREFIX = '/api/sources';

export interface StartedServer {
  /** Base URL including the prefix, e.g. `http://127.0.0.1:1234/api/sources`. */
  readonly url: string;
  readonly sseClientCount: () => number;
  readonly close: () => Promise<void>;
}

/** One per framework, so the same suite can run against a fake or a real manager. */
export type StartServer = (
  manager: DownloadManagerApi,
  options?: PersianHubHandlerOptions<any>,
) => Promise<StartedServer>;

export const startExpress: StartServer = async (manager, options = {}) => {
  const app = express();
  const router = createExpressRouter(manager, options as PersianHubHandlerOptions<Request>);
  app.use(PREFIX, router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    sseClientCount: () => router.handler.sseClientCount,
    close: async () => {
      router.handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export const startFastify: StartServer = async (manager, options = {}) => {
  // Node's fetch (undici) sometimes opens a spare connection that never sends a request;
  // Fastify's default 'idle' closing leaves it to the client's 4 s keep-alive.
  const app = Fastify({ forceCloseConnections: true });
  const handler = createPersianHubHandler<FastifyRequest>(manager, options as PersianHubHandlerOptions<FastifyRequest>);
  await app.register(persianHub, { handler, prefix: PREFIX });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    sseClientCount: () => handler.sseClientCount,
    close: () => app.close(),
  };
};

export const SERVERS: [string, StartServer][] = [
  ['express', startExpress],
  ['fastify', startFastify],
];
