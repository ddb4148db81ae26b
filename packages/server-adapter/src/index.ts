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
