import { describe, expect, it } from 'vitest';
import { manySmallFiles } from '@persian-hub/hub-emulator';
import { emulator, manager } from './helpers.js';

describe('many small files over a long round trip', () => {
  it('costs one request per file (no HEAD), many files in flight on reused keep-alive connections', async () => {
    const emu = await emulator({ repos: [manySmallFiles(300)], latencyMs: 20 });
    const m = await manager(emu.url);
    const done = await m.waitFor((await m.start({ repoId: 'emulator/many-small-files' })).id);
    expect(done.status).toBe('completed');
    const files = emu.requests.filter((r) => r.url.includes('/resolve/'));
    // The tree gave every size and oid: one GET per file, nothing else.
    expect(files).toHaveLength(300);
    expect(files.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
    expect(emu.requests.filter((r) => r.method === 'HEAD')).toHaveLength(0);
    // Many in flight (more than the 8 large files a job runs at once), at most 64, and connections
    // are reused: far fewer than files.
    const connections = new Set(files.map((r) => r.connection));
    expect(connections.size).toBeGreaterThan(8);
    expect(connections.size).toBeLessThanOrEqual(64);
  });
});
