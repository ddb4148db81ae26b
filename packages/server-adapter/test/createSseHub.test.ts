import { describe, expect, it } from 'vitest';
import { createSseHub } from '../src/createSseHub.js';
import { FakeDownloadManager } from './FakeDownloadManager.js';

function collect() {
  const chunks: string[] = [];
  return { chunks, sink: { write: (c: string) => void chunks.push(c), end: () => undefined } };
}

describe('createSseHub replay buffer', () => {
  it('keeps at most replayBufferBytes of events: an id that fell out gets a snapshot, a recent one a replay', async () => {
    const manager = new FakeDownloadManager();
    const hub = createSseHub(manager, { replayBuffer: 1000, replayBufferBytes: 20_000, heartbeatMs: 60_000 });
    const job = await manager.start('piper-fa-amir');
    const big = 'x'.repeat(4_000); // each event about 4+ kB, like a job with many files
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      manager.update(job.id, 'progress', { bytesDownloaded: i, currentFile: `${big}${i}` });
      ids.push(hub.lastEventId);
    }
    const old = collect();
    hub.connect(old.sink, String(ids[2]));
    expect(old.chunks.join('')).toContain('event: snapshot');
    expect(old.chunks.join('')).not.toContain('event: progress');

    const recent = collect();
    hub.connect(recent.sink, String(ids[17]));
    const replayed = recent.chunks.join('').match(/event: progress/g) ?? [];
    expect(replayed).toHaveLength(2); // ids[18] and ids[19]
    expect(recent.chunks.join('')).not.toContain('event: snapshot');
    hub.close();
  });
});
