import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { HubMirrorResponse } from './HubMirrorOptions.js';

/**
 * Writes a mirror answer to a Node response. A file is streamed from the handle the handler
 * opened (and checked), `highWaterMark` bytes per read; `pipeline` waits for the socket to drain
 * before reading on, so 20 slow readers of a 1 GiB file hold a few MiB, not the file. The handle
 * is closed however the response ends.
 */
export function sendMirrorResponseToNode(res: ServerResponse, response: HubMirrorResponse): void {
  res.writeHead(response.status, response.headers);
  if (response.kind === 'body') {
    res.end(response.body);
    return;
  }
  const stream = response.file.createReadStream({
    start: response.start,
    end: response.end,
    highWaterMark: response.highWaterMark,
    autoClose: true,
  });
  void pipeline(stream, res).catch(() => {
    // The client went away mid-file: nothing to answer; the stream closed the handle.
  });
}
