import type { ServerResponse } from 'node:http';
import type { SseHandlerResponse } from './createPersianHubHandler.js';

/** @see PersianHubHandlerOptions.sseMaxBufferedBytes */
export const DEFAULT_SSE_MAX_BUFFERED_BYTES = 1024 * 1024;

/** A client may be this many of the largest event it was sent behind, whatever the limit. */
const FRAMES_BEHIND = 4;

/**
 * Writes an SSE HandlerResponse to a Node response (Express's `res`, Fastify's `reply.raw`)
 * and removes the client from the hub when the connection closes, whichever side closes it.
 *
 * A client that stops reading is dropped (it reconnects with Last-Event-ID and gets a replay),
 * but only when, *before* an event is written, it is further behind than `maxBufferedBytes` or
 * four of the largest event it was sent, whichever is more, on top of what its connection burst
 * (retry + snapshot or replay) left in the buffer: one big event, or an 8 MiB replay, is never by
 * itself a reason to drop a client that reads, and the memory a stalled client holds stays a
 * small multiple of the events' size.
 */
export function pipeSseToNode(res: ServerResponse, response: SseHandlerResponse): void {
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const limit = response.maxBufferedBytes ?? DEFAULT_SSE_MAX_BUFFERED_BYTES;
  let connecting = true;
  let burst = 0;
  let largest = 0;
  const close = response.open({
    write(chunk) {
      if (res.destroyed || res.writableEnded) return;
      if (!connecting && res.writableLength > Math.max(limit, FRAMES_BEHIND * largest) + burst) {
        res.destroy();
        return;
      }
      largest = Math.max(largest, chunk.length);
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
