import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../src/transfer/writeAll.js';

/** A file handle that takes at most `limit` bytes per writev, as a filling disk does. */
function shortWriter(limit: number, zeroAfter = Infinity) {
  const out: Buffer[] = [];
  let calls = 0;
  return {
    out,
    get calls() {
      return calls;
    },
    async writev(buffers: Buffer[]) {
      calls++;
      let room = calls > zeroAfter ? 0 : limit;
      let bytesWritten = 0;
      for (const b of buffers) {
        if (room === 0) break;
        const part = b.subarray(0, room);
        out.push(Buffer.from(part));
        room -= part.length;
        bytesWritten += part.length;
      }
      return { bytesWritten };
    },
  };
}

describe('writeAll', () => {
  const bufs = () => [Buffer.from('abcde'), Buffer.alloc(0), Buffer.from('fgh'), Buffer.from('ijklmnop')];

  it('keeps writing after short writes until every byte is taken, in order', async () => {
    for (const limit of [1, 2, 3, 5, 7, 100]) {
      const fh = shortWriter(limit);
      await writeAll(fh, bufs());
      expect(Buffer.concat(fh.out).toString()).toBe('abcdefghijklmnop');
      expect(fh.calls).toBe(Math.ceil(16 / limit));
    }
  });

  it('fails with ENOSPC when the file takes no bytes at all, after what it did take', async () => {
    const fh = shortWriter(4, 2);
    await expect(writeAll(fh, bufs())).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(Buffer.concat(fh.out).toString()).toBe('abcdefgh');
  });

  it('writes a real file whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ph-writeall-'));
    try {
      const fh = await open(join(dir, 'f'), 'w');
      await writeAll(fh, bufs());
      await fh.close();
      expect(await readFile(join(dir, 'f'), 'utf8')).toBe('abcdefghijklmnop');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
