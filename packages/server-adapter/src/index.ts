export {
  createPersianHubHandler,
  type HandlerAction,
  type HandlerBody,
  type HandlerRequest,
  type HandlerResponse,
  type JsonHandlerResponse,
  type PersianHubHandler,
  type PersianHubHandlerOptions,
  type SseHandlerResponse,
  type FileHandlerResponse,
} from './createPersianHubHandler.js';
export { createAdminTokenAuthorize, READ_ACTIONS, type AdminTokenAuthorizeOptions } from './createAdminTokenAuthorize.js';
export { type AllowedHosts } from './isHostAllowed.js';
export { type BundleManifestLimits, DEFAULT_BUNDLE_MANIFEST_LIMITS } from './createManifestPeek.js';
export { FINISHED_STATUSES } from './PersianHubManager.js';
export { DEFAULT_SSE_MAX_BUFFERED_BYTES } from './pipeSseToNode.js';
export { createSseHub, type SseHub, type SseHubOptions, type SseSink } from './createSseHub.js';
export {
  errorToResponse,
  errorToStatus,
  GENERIC_ERROR_MESSAGE,
  HTTP_STATUS_BY_CODE,
  type ErrorBody,
  type HttpErrorCode,
  type HttpOnlyErrorCode,
} from './errorToStatus.js';
export { pipeSseToNode } from './pipeSseToNode.js';
export { sendFileToNode } from './sendFileToNode.js';
export * from './schemas.js';
export {
  createHubMirrorHandler,
  type HubMirrorHandler,
  type HubMirrorOptions,
  type HubMirrorRequest,
  type HubMirrorResponse,
} from './createHubMirrorHandler.js';
export type { HubMirrorPolicy, MirrorBodyResponse, MirrorFileResponse, MirrorRepo, MirrorRepoRule } from './HubMirrorOptions.js';
export { sendMirrorResponseToNode } from './sendMirrorResponseToNode.js';
