import type { ServerResponse } from 'node:http';
import type { SseHandlerResponse } from './createPersianHubHandler.js';

/** A client this far behind is dropped; it reconnects with Last-Event-ID and gets a replay. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Writes an SSE HandlerResponse to a Node response (Express's `res`, Fastify's `reply.raw`)
 * and removes the client from the hub when the connection closes, whichever side closes it.
 */
export function pipeSseToNode(res: ServerResponse, response: SseHandlerResponse): void {
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const close = response.open({
    write(chunk) {
      if (res.destroyed || res.writableEnded) return;
      res.write(chunk);
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
    },
    end: () => res.end(),
  });
  res.once('close', close);
  // The client may have left while `authorize` or the snapshot was pending.
  if (res.destroyed) close();
}
