import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FileHandlerResponse } from './createPersianHubHandler.js';

/**
 * Streams a file HandlerResponse to a Node response and always runs its cleanup. A client that
 * takes no byte for `idleTimeoutMs` is cut: it would hold the temporary file and an export slot.
 */
export function sendFileToNode(res: ServerResponse, response: FileHandlerResponse): void {
  res.writeHead(response.status, response.headers);
  if (response.idleTimeoutMs !== undefined && response.idleTimeoutMs > 0) {
    res.setTimeout(response.idleTimeoutMs, () => res.destroy());
  }
  void pipeline(createReadStream(response.path), res)
    .catch(() => {
      // The client went away mid-download: nothing to answer, the temp file still goes.
    })
    .finally(() => void response.cleanup().catch(() => undefined));
}
