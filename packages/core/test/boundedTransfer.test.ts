import { describe, expect, it } from 'vitest';
import type { HubEmulator } from '@persian-hub/hub-emulator';
import { isPersianHubError, type DownloadManager, type PersianHubError } from '../src/index.js';
import { ByteBudget } from '../src/transfer/transferFile.js';
import { emulator, manager } from './helpers.js';

const MiB = 1024 * 1024;

/**
 * Waits for the job to end. A looping engine never ends it, so this also gives up (and fails the
 * test) once the emulator has served more than `limit` bytes: checked on every progress event,
 * not on a timer.
 */
async function outcome(m: DownloadManager, emu: HubEmulator, jobId: string, limit: number): Promise<PersianHubError | null> {
  let off = () => {};
  const runaway = new Promise<never>((_, reject) => {
    off = m.on('progress', () => {
      if (emu.bytesServed() > limit) reject(new Error(`runaway download: ${emu.bytesServed()} bytes served, still going`));
    });
  });
  try {
    await Promise.race([m.waitFor(jobId), runaway]);
    return null;
  } catch (error) {
    if (!isPersianHubError(error)) throw error;
    return error;
  } finally {
    off();
    await m.pause(jobId).catch(() => undefined);
  }
}

describe('the work per file is bounded when the Hub lies', () => {
  it('a file listed bigger than the server sends ends the job at once with HUB_ERROR, not an endless re-download', async () => {
    const emu = await emulator({ repos: [{ id: 'test/liar', files: [{ path: 'weights.bin', size: 3 * MiB, listedSize: 4 * MiB }] }] });
    const m = await manager(emu.url);
    const job = await m.start({ repoId: 'test/liar' });
    const error = await outcome(m, emu, job.id, 12 * MiB);
    expect(error?.code).toBe('HUB_ERROR');
    expect(error?.details).toMatchObject({ file: 'weights.bin', reason: 'SIZE_MISMATCH', expectedBytes: 4 * MiB, actualBytes: 3 * MiB });
    expect(error?.message).toContain('weights.bin');
    // One answer was enough to know: its Content-Length.
    expect(emu.requests.filter((r) => r.url.startsWith('/cdn/'))).toHaveLength(1);
    expect(m.get(job.id)?.status).toBe('failed');
  });

  it('a small (non-LFS) file the Hub lists bigger fails the same way', async () => {
    const emu = await emulator({ repos: [{ id: 'test/liar', files: [{ path: 'config.json', content: '{"a":1}', listedSize: 100 }] }] });
    const m = await manager(emu.url);
    const job = await m.start({ repoId: 'test/liar' });
    const error = await outcome(m, emu, job.id, 10_000);
    expect(error?.code).toBe('HUB_ERROR');
    expect(error?.details).toMatchObject({ reason: 'SIZE_MISMATCH', expectedBytes: 100, actualBytes: 7 });
  });

  it('without any size in the answers (chunked, Range ignored), attempts that get no further end the job', async () => {
    const emu = await emulator({ repos: [{ id: 'test/liar', files: [{ path: 'weights.bin', size: 3 * MiB, listedSize: 4 * MiB }] }] });
    // The client learns nothing from headers: every answer is the whole (short) file, chunked.
    emu.setFaults([
      { type: 'chunked', match: { host: 'cdn' } },
      { type: 'ignore-range', match: { host: 'cdn' } },
    ]);
    const m = await manager(emu.url, { retry: { retries: 4, minDelayMs: 1, maxDelayMs: 5 } });
    const job = await m.start({ repoId: 'test/liar' });
    const error = await outcome(m, emu, job.id, 40 * MiB);
    expect(error?.code, error?.message).toBe('NETWORK');
    expect(error?.details).toMatchObject({ file: 'weights.bin', reason: 'SHORT_BODY', receivedBytes: 3 * MiB, expectedBytes: 4 * MiB });
    expect(error?.message).toMatch(/5 times without getting further/);
    // The first answer and 4 retries that got no further: 5 × 3 MiB.
    const cdn = emu.requests.filter((r) => r.url.startsWith('/cdn/'));
    expect(cdn).toHaveLength(5);
    expect(emu.bytesServed((r) => r.url.startsWith('/cdn/'))).toBe(15 * MiB);
  });

  it('bounds the bytes fetched for one file at twice its size plus a margin', () => {
    const file = { path: 'x.bin', size: 64 * MiB, etag: 'e'.repeat(64), lfs: true };
    const budget = new ByteBudget(file);
    budget.spend(2 * 64 * MiB);
    budget.spend(8 * MiB);
    let thrown: unknown;
    try {
      budget.spend(1);
    } catch (error) {
      thrown = error;
    }
    expect(isPersianHubError(thrown)).toBe(true);
    expect((thrown as PersianHubError).code).toBe('HUB_ERROR');
    expect((thrown as PersianHubError).details).toMatchObject({ file: 'x.bin', reason: 'TOO_MUCH_DATA', expectedBytes: 64 * MiB });
  });
});
