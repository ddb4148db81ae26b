import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { DownloadManagerApi } from '@persian-hub/core';
import {
  createPersianHubHandler,
  type PersianHubHandler,
  type PersianHubHandlerOptions,
} from './createPersianHubHandler.js';
import { createHubMirrorHandler, type HubMirrorOptions } from './createHubMirrorHandler.js';
import { pipeSseToNode } from './pipeSseToNode.js';
import { sendMirrorResponseToNode } from './sendMirrorResponseToNode.js';
import { sendFileToNode } from './sendFileToNode.js';

export type PersianHubFastifyOptions = PersianHubHandlerOptions<FastifyRequest> & {
  /** Fastify's own register option. @default '/api/sources' */
  readonly prefix?: string;
} & (
    | { readonly manager: DownloadManagerApi; readonly handler?: undefined }
    /** A handler you made with `createPersianHubHandler` (to read `sseClientCount` or share it). Leave its `prefix` empty. */
    | { readonly handler: PersianHubHandler<FastifyRequest>; readonly manager?: undefined }
  );

const DEFAULT_PREFIX = '/api/sources';

/**
 * Fastify 5 plugin: `fastify.register(persianHub, { manager, prefix: '/api/sources' })`.
 * Encapsulated on purpose: the catch-all body parser below only applies to these routes.
 */
export const persianHub: FastifyPluginAsync<PersianHubFastifyOptions> = async (fastify, opts) => {
  const { manager, handler: given, prefix, ...options } = opts;
  const handler = given ?? createPersianHubHandler<FastifyRequest>(manager, { ...options, prefix: '' });
  // Fastify applies `prefix` itself; without one we mount at the contract's default.
  const base = prefix === undefined ? DEFAULT_PREFIX : '';
  const strip = fastify.prefix.length + base.length;

  // Hand the raw stream to the handler: it checks the media type first and enforces bodyLimit.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // SSE streams never end on their own; end them before the server waits for connections.
  fastify.addHook('preClose', async () => handler.close());

  fastify.all(`${base}/*`, async (request, reply) => {
    const response = await handler.handle({
      method: request.method,
      url: request.url.slice(strip),
      headers: request.headers,
      body: request.body as AsyncIterable<Uint8Array> | undefined,
      raw: request,
    });
    if (response === undefined) return reply.callNotFound();
    if (response.kind === 'sse') {
      reply.hijack();
      return pipeSseToNode(reply.raw, response);
    }
    if (response.kind === 'file') {
      reply.hijack();
      return sendFileToNode(reply.raw, response);
    }
    return reply.code(response.status).headers(response.headers).send(response.body);
  });
};

export default persianHub;

export type HubMirrorFastifyOptions = HubMirrorOptions<FastifyRequest> & {
  /** Fastify's own register option. @default '/hub' */
  readonly prefix?: string;
  readonly manager: DownloadManagerApi & { readonly cacheDir?: string };
};

/**
 * Fastify 5 plugin for the Hub mirror: `fastify.register(persianHubMirror, { manager, prefix: '/hub' })`.
 * Encapsulated like `persianHub`: its catch-all body parser applies to these routes only.
 */
export const persianHubMirror: FastifyPluginAsync<HubMirrorFastifyOptions> = async (fastify, opts) => {
  const { manager, prefix, ...options } = opts;
  const handler = createHubMirrorHandler<FastifyRequest>(manager, { ...options, prefix: '' });
  const base = prefix === undefined ? '/hub' : '';
  const strip = fastify.prefix.length + base.length;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  fastify.all(`${base}/*`, async (request, reply) => {
    const response = await handler.handle({
      method: request.method,
      url: request.url.slice(strip),
      mountPath: request.url.slice(0, strip),
      headers: request.headers,
      body: request.body as AsyncIterable<Uint8Array> | undefined,
      raw: request,
    });
    if (response === undefined) return reply.callNotFound();
    reply.hijack();
    sendMirrorResponseToNode(reply.raw, response);
  });
};
