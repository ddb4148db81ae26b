import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { FileHandlerResponse } from './createPersianHubHandler.js';

/** Streams a file HandlerResponse to a Node response and always runs its cleanup. */
export function sendFileToNode(res: ServerResponse, response: FileHandlerResponse): void {
  res.writeHead(response.status, response.headers);
  void pipeline(createReadStream(response.path), res)
    .catch(() => {
      // The client went away mid-download: nothing to answer, the temp file still goes.
    })
    .finally(() => void response.cleanup().catch(() => undefined));
}
