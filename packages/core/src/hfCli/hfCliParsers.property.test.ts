import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFileStart } from './createHfCliOutputParser.js';
import { parseTqdmBar } from './parseTqdmBar.js';

const SEED = Number(process.env.FC_SEED ?? 0x7d9);

/** The RegExp parseFileStart replaces: same answers, but quadratic on many `' to '`. */
const OLD_FILE_START_RE = /^Downloading '(.*)' to '(.*)'(?: \(resume from (\d+)\/(\d+)\))?$/;

describe('hf CLI line parsers on hostile lines', () => {
  it('parseFileStart reads a line exactly as the old RegExp did', () => {
    const piece = fc.constantFrom("Downloading '", "'", "' to '", ' to ', 'a', '/b.incomplete', ' (resume from 12/34)', ' (resume from x/1)', ')', '(', '1', '/');
    const line = fc.oneof(
      fc.array(piece, { maxLength: 10 }).map((a) => a.join('')),
      fc.array(piece, { maxLength: 10 }).map((a) => `Downloading '${a.join('')}`),
    );
    fc.assert(
      fc.property(line, (text) => {
        const old = OLD_FILE_START_RE.exec(text);
        const ours = parseFileStart(text);
        if (!old) {
          expect(ours).toBeNull();
          return;
        }
        expect(ours).toEqual({
          file: old[1],
          incompletePath: old[2],
          ...(old[3] !== undefined ? { resumeFrom: old[3], expectedSize: old[4] } : {}),
        });
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('parseFileStart splits a line full of quotes at the last one that fits', () => {
    const many = "' to '".repeat(5000);
    expect(parseFileStart(`Downloading 'x${many}y' to '/c/blobs/abc.incomplete'`)).toEqual({ file: `x${many}y`, incompletePath: '/c/blobs/abc.incomplete' });
    // As the RegExp reads `Downloading '` + 5 × `' to '`: 3 of them, then `' to `.
    expect(parseFileStart(`Downloading '${many}`)).toEqual({ file: "' to '".repeat(4998), incompletePath: "' to " });
  });

  it('parseTqdmBar gives up on long text that almost looks like a bar', () => {
    // Each of these kept the old RegExp busy for seconds (polynomial backtracking).
    expect(parseTqdmBar(`1/1 [00:00, ${' '.repeat(5000)}x`)).toBeNull();
    expect(parseTqdmBar(`${'x: 1 [0:00<'.repeat(2000)}]`)).toBeNull();
    expect(parseTqdmBar(`${'a: 10%|##| 1.0/2 [0:00<0:0, '.repeat(500)}`)).toBeNull();
  });

  it('parseTqdmBar still reads real bars, wide ones and ones followed by long text', () => {
    const bar = 'model.onnx:  45%|████▌     | 28.3M/63.2M [00:01<00:01, 25.1MB/s]';
    expect(parseTqdmBar(bar)).toMatchObject({ label: 'model.onnx', percent: 45, done: 28_300_000, total: 63_200_000, length: bar.length });
    const wide = `(…)fa_IR-amir-medium.onnx: 100%|${'█'.repeat(3000)}| 63.2M/63.2M [00:02<00:00, 30.0MB/s]`;
    expect(parseTqdmBar(wide)).toMatchObject({ percent: 100, length: wide.length });
    expect(parseTqdmBar(`${bar}${'log line '.repeat(10_000)}`)).toMatchObject({ length: bar.length });
    expect(parseTqdmBar(`${'x'.repeat(600)}: 1/2 [00:01<00:01, 1.00it/s]`)).toBeNull(); // a label past 512 characters is no tqdm label
  });
});
