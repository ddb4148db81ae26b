export interface SseFrame {
  /** The frame exactly as received, without the blank line. */
  readonly raw: string;
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
  readonly retry?: string;
  readonly comment?: string;
}

/** A tiny SSE reader over fetch: `next()` resolves with the next frame as it arrives. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<SseFrame> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame: Record<string, string> & { raw: string } = { raw };
        for (const line of raw.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else {
            const colon = line.indexOf(':');
            frame[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
        }
        return frame;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('SSE stream ended');
      buffer += value;
    }
  };
  /** The next frame that is an event (skips retry lines and pings). */
  const nextEvent = async (): Promise<SseFrame & { event: string; data: string }> => {
    for (;;) {
      const frame = await next();
      if (frame.event !== undefined) return frame as SseFrame & { event: string; data: string };
    }
  };
  return {
    response,
    next,
    nextEvent,
    /** Resolves when the server ends the stream. */
    ended: async () => {
      for (;;) if ((await reader.read()).done) return;
    },
    close: () => controller.abort(),
  };
}
