import express, { type Request, type Router } from 'express';
import type { DownloadManagerApi } from '@persian-hub/core';
import {
  createPersianHubHandler,
  type PersianHubHandler,
  type PersianHubHandlerOptions,
} from './createPersianHubHandler.js';
import { createHubMirrorHandler, type HubMirrorHandler, type HubMirrorOptions } from './createHubMirrorHandler.js';
import { pipeSseToNode } from './pipeSseToNode.js';
import { sendMirrorResponseToNode } from './sendMirrorResponseToNode.js';
import { sendFileToNode } from './sendFileToNode.js';

export type ExpressRouterOptions = PersianHubHandlerOptions<Request>;

export type PersianHubRouter = Router & {
  /** The framework-free handler behind the router; `handler.close()` ends SSE streams. */
  readonly handler: PersianHubHandler<Request>;
};

/**
 * An Express 5 router with every Persian Hub route, relative to where it is mounted:
 * `app.use('/api/sources', createExpressRouter(manager))`. Unknown paths fall through to `next()`.
 */
export function createExpressRouter(manager: DownloadManagerApi, options: ExpressRouterOptions = {}): PersianHubRouter {
  const handler = createPersianHubHandler<Request>(manager, options);
  const router = express.Router();
  router.use(async (req, res, next) => {
    const response = await handler.handle({
      method: req.method,
      url: req.url,
      headers: req.headers,
      // If the host's own body parser ran, its result is all that is left of the stream.
      body: req.body !== undefined ? { parsed: req.body as unknown } : req,
      raw: req,
    });
    if (response === undefined) return next();
    if (response.kind === 'sse') return pipeSseToNode(res, response);
    if (response.kind === 'file') return sendFileToNode(res, response);
    res.status(response.status).set(response.headers).send(response.body);
  });
  return Object.assign(router, { handler });
}

export type ExpressHubMirrorOptions = HubMirrorOptions<Request>;

export type HubMirrorRouter = Router & { readonly handler: HubMirrorHandler<Request> };

/**
 * An Express 5 router serving the Hub mirror where it is mounted:
 * `app.use('/hub', createExpressHubMirror(manager))`, then `HF_ENDPOINT=http://host:port/hub`.
 * Mount it before any body parser (paths-info reads its own body).
 */
export function createExpressHubMirror(
  manager: DownloadManagerApi & { readonly cacheDir?: string },
  options: ExpressHubMirrorOptions = {},
): HubMirrorRouter {
  const handler = createHubMirrorHandler<Request>(manager, options);
  const router = express.Router();
  router.use(async (req, res, next) => {
    const response = await handler.handle({
      method: req.method,
      url: req.url,
      mountPath: req.baseUrl,
      headers: req.headers,
      body: req.body !== undefined ? { parsed: req.body as unknown } : req,
      raw: req,
    });
    if (response === undefined) return next();
    sendMirrorResponseToNode(res, response);
  });
  return Object.assign(router, { handler });
}
