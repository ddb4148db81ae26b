import {
  JOB_EVENT_NAMES,
  type DownloadManagerApi,
  type DownloadManagerEvents,
  type FileSnapshot,
  type JobSnapshot,
} from '@persian-hub/core';
import { listSlimJobs } from './PersianHubManager.js';

/** Where a hub writes one client's stream; the adapter owns the socket. */
export interface SseSink {
  write(chunk: string): void;
  /** Ends the response (server shutdown). */
  end(): void;
}

export interface SseHubOptions {
  /** Events kept for `Last-Event-ID` replay. @default 1000 */
  readonly replayBuffer?: number;
  /**
   * Bytes kept for replay, whatever the count: a job with hundreds of files makes every event
   * tens of kilobytes, and 1000 of those should not sit in the server's memory. @default 8 MiB
   */
  readonly replayBufferBytes?: number;
  /** Interval of the `: ping` comment that keeps proxies from closing an idle stream. @default 15000 */
  readonly heartbeatMs?: number;
  /** Client reconnection delay sent as `retry:`. @default 2000 */
  readonly retryMs?: number;
  /** JSON serialiser (the handler passes one that redacts secrets). @default JSON.stringify */
  readonly serialize?: (value: unknown) => string;
}

export interface SseHub {
  /** Starts one client's stream; returns the function that removes it (idempotent). */
  connect(sink: SseSink, lastEventId?: string): () => void;
  readonly clientCount: number;
  /** The id of the newest event (also what a fresh `snapshot` carries). */
  readonly lastEventId: number;
  /** Unsubscribes from the manager and ends every client stream. */
  close(): void;
}

/**
 * One manager subscription shared by every SSE client, so the manager's listener count does
 * not grow with connections; each client is one Set entry, removed when its socket closes.
 * Each event is serialised once and the same chunk goes to every client and to the replay buffer.
 */
export function createSseHub(manager: DownloadManagerApi, options: SseHubOptions = {}): SseHub {
  const capacity = Math.max(0, options.replayBuffer ?? 1000);
  const byteCapacity = Math.max(0, options.replayBufferBytes ?? 8 * 1024 * 1024);
  let bufferedBytes = 0;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const retryMs = options.retryMs ?? 2000;
  const serialize = options.serialize ?? JSON.stringify;

  // Ids start from the clock so a restarted server never reuses an id an old client still
  // holds: its stale Last-Event-ID then falls before the buffer and it gets a snapshot.
  let lastId = Date.now() * 1000;
  const buffer: { id: number; chunk: string }[] = [];
  const clients = new Set<{ sink: SseSink; close: () => void }>();

  const broadcast = (event: string, data: unknown): void => {
    const id = ++lastId;
    const chunk = `id: ${id}\nevent: ${event}\ndata: ${serialize(data)}\n\n`;
    if (capacity > 0) {
      buffer.push({ id, chunk });
      bufferedBytes += chunk.length;
      while (buffer.length > capacity || (bufferedBytes > byteCapacity && buffer.length > 1)) {
        bufferedBytes -= buffer.shift()!.chunk.length;
      }
    }
    for (const client of clients) {
      try {
        client.sink.write(chunk);
      } catch {
        client.close();
      }
    }
  };

  const unsubscribes = [
    ...JOB_EVENT_NAMES.map((name) =>
      // One listener shape fits every job event; only file-completed passes the file.
      manager.on(name, ((job: JobSnapshot, file?: FileSnapshot) =>
        broadcast(name, file === undefined ? { job } : { job, file })) as DownloadManagerEvents['file-completed']),
    ),
    manager.on('removed', (installed) => broadcast('removed', { installed })),
  ];

  /** Replay is only honest when every event after `n` is still in the buffer. */
  const canReplay = (n: number): boolean => {
    if (n > lastId) return false;
    const oldest = buffer[0]?.id ?? lastId + 1;
    return n >= oldest - 1;
  };

  return {
    connect(sink, lastEventIdHeader) {
      sink.write(`retry: ${retryMs}\n\n`);
      const n = lastEventIdHeader !== undefined && /^\d{1,16}$/.test(lastEventIdHeader.trim())
        ? Number(lastEventIdHeader.trim())
        : undefined;
      // Snapshot and registration happen in the same tick, so no event can fall between them.
      if (n !== undefined && canReplay(n)) {
        for (const entry of buffer) if (entry.id > n) sink.write(entry.chunk);
      } else {
        // Totals only: the first frame must stay small however many files the jobs have.
        sink.write(`id: ${lastId}\nevent: snapshot\ndata: ${serialize({ jobs: listSlimJobs(manager) })}\n\n`);
      }
      const timer = setInterval(() => {
        try {
          sink.write(': ping\n\n');
        } catch {
          client.close();
        }
      }, heartbeatMs);
      timer.unref?.();
      const client = {
        sink,
        close: () => {
          clearInterval(timer);
          clients.delete(client);
        },
      };
      clients.add(client);
      return client.close;
    },
    get clientCount() {
      return clients.size;
    },
    get lastEventId() {
      return lastId;
    },
    close() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      for (const client of [...clients]) {
        client.close();
        try {
          client.sink.end();
        } catch {
          // The socket is already gone.
        }
      }
    },
  };
}
