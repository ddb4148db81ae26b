import type { ServerResponse } from 'node:http';
import type { SseHandlerResponse } from './createPersianHubHandler.js';

/** @see PersianHubHandlerOptions.sseMaxBufferedBytes */
export const DEFAULT_SSE_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * Writes an SSE HandlerResponse to a Node response (Express's `res`, Fastify's `reply.raw`)
 * and removes the client from the hub when the connection closes, whichever side closes it.
 *
 * A client that stops reading is dropped (it reconnects with Last-Event-ID and gets a replay),
 * but only when it is behind by more than `maxBufferedBytes` *before* an event is written, on top
 * of what its connection burst (retry + snapshot or replay) left in the buffer: one big event, or
 * an 8 MiB replay, is never by itself a reason to drop a client that reads.
 */
export function pipeSseToNode(res: ServerResponse, response: SseHandlerResponse): void {
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const limit = response.maxBufferedBytes ?? DEFAULT_SSE_MAX_BUFFERED_BYTES;
  let connecting = true;
  let burst = 0;
  const close = response.open({
    write(chunk) {
      if (res.destroyed || res.writableEnded) return;
      if (!connecting && res.writableLength > limit + burst) {
        res.destroy();
        return;
      }
      res.write(chunk);
    },
    end: () => res.end(),
  });
  connecting = false;
  burst = res.writableLength;
  res.once('close', close);
  // The client may have left while `authorize` or the snapshot was pending.
  if (res.destroyed) close();
}
