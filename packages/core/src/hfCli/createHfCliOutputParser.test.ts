import { describe, expect, it } from 'vitest';
import { type HfCliEvent, createHfCliOutputParser } from './createHfCliOutputParser.js';
import { TRANSCRIPT_NAMES, type Transcript, loadTranscript, randomChunks, seededRandom } from './fixtures.testutil.js';

interface Parsed {
  readonly stdoutEvents: HfCliEvent[];
  readonly stderrEvents: HfCliEvent[];
  /** What end() flushed: identical for any chunking, since the unterminated tails are. */
  readonly endEvents: HfCliEvent[];
  readonly path: string | null;
}

function parseWhole(stdout: Uint8Array | string, stderr: Uint8Array | string): Parsed {
  const parser = createHfCliOutputParser();
  const stdoutEvents = parser.pushStdout(stdout);
  const stderrEvents = parser.pushStderr(stderr);
  const endEvents = parser.end();
  return { stdoutEvents, stderrEvents, endEvents, path: parser.result().path };
}

function parseChunked<T extends Uint8Array | string>(stdout: T, stderr: T, seed: number, maxSize = 64): Parsed {
  const random = seededRandom(seed);
  const parser = createHfCliOutputParser();
  const stdoutEvents: HfCliEvent[] = [];
  const stderrEvents: HfCliEvent[] = [];
  const outChunks = randomChunks(stdout, random, maxSize);
  const errChunks = randomChunks(stderr, random, maxSize);
  // Interleave the two streams the way a child process would.
  while (outChunks.length > 0 || errChunks.length > 0) {
    if (errChunks.length > 0 && (outChunks.length === 0 || random() < 0.7)) {
      stderrEvents.push(...parser.pushStderr(errChunks.shift() as T));
    } else {
      stdoutEvents.push(...parser.pushStdout(outChunks.shift() as T));
    }
  }
  const endEvents = parser.end();
  return { stdoutEvents, stderrEvents, endEvents, path: parser.result().path };
}

/** A transcript's events; every transcript ends both streams with a newline, so end() adds nothing. */
function parseTranscript(transcript: Transcript): Omit<Parsed, 'endEvents'> {
  const { endEvents, ...parsed } = parseWhole(transcript.stdout, transcript.stderr);
  expect(endEvents).toEqual([]);
  return parsed;
}

function ofType<K extends HfCliEvent['type']>(events: HfCliEvent[], type: K): Extract<HfCliEvent, { type: K }>[] {
  return events.filter((event): event is Extract<HfCliEvent, { type: K }> => event.type === type);
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const SEEDS = [1, 2, 3, 7, 42, 1234, 99_999, 2_024];

describe.each(TRANSCRIPT_NAMES)('transcript %s', (name) => {
  const transcript = loadTranscript(name);
  const whole = parseWhole(transcript.stdout, transcript.stderr);

  it.each(SEEDS)('gives the same events when fed in random byte chunks (seed %i)', (seed) => {
    expect(parseChunked(transcript.stdout, transcript.stderr, seed)).toEqual(whole);
  });

  it('gives the same events when fed one byte at a time', () => {
    expect(parseChunked(transcript.stdout, transcript.stderr, 5, 1)).toEqual(whole);
  });

  it('gives the same events when fed decoded strings in random chunks', () => {
    for (const seed of SEEDS) {
      expect(parseChunked(decode(transcript.stdout), decode(transcript.stderr), seed, 16)).toEqual(whole);
    }
  });

  it('strips every escape sequence', () => {
    for (const event of [...whole.stdoutEvents, ...whole.stderrEvents, ...whole.endEvents]) {
      expect(JSON.stringify(event)).not.toMatch(/\\u001b|\\r/);
    }
  });

  it('pairs every file-start with a file-complete of the same etag and file', () => {
    const starts = ofType(whole.stderrEvents, 'file-start');
    const completes = ofType(whole.stderrEvents, 'file-complete');
    expect(completes.map((c) => [c.file, c.etag]).sort()).toEqual(starts.map((s) => [s.file, s.etag]).sort());
  });

  it('returns the last stdout line that is a path', () => {
    const lines = decode(transcript.stdout).split('\n').filter((line) => line.trim() !== '');
    expect(whole.path).toBe(lines.length > 0 ? lines[lines.length - 1] : null);
  });
});

describe('hf-download-model-progress', () => {
  const transcript = loadTranscript('hf-download-model-progress');
  const { stderrEvents, stdoutEvents, path } = parseTranscript(transcript);
  const starts = ofType(stderrEvents, 'file-start');
  const completes = ofType(stderrEvents, 'file-complete');
  const bars = ofType(stderrEvents, 'bar');
  const hub = '/home/user/.cache/huggingface/hub/models--HooshvareLab--bert-fa-base-uncased';

  it('names the 5 files of the repo with their etags', () => {
    expect(Object.fromEntries(starts.map((s) => [s.file, s.etag]))).toEqual({
      'pytorch_model.bin': '9538b5c1cc75ea4bb732882a5b3b3f721bdf322710551d317bc1b9b45599b724',
      'README.md': 'b6fbf5399ae5801e97e15566647313e9f26de6ad',
      'config.json': '726fe908a56312737c554c1b1958ea9773dd7537',
      'vocab.txt': 'cfc26413cdd4140a27cc6f6a738755a4112f95cf',
      'tf_model.h5': '8a0c6bf73fa5bba852d28fa4b7fa88709a39c2aee2ee5480692e77fc607b1585',
    });
    expect(starts).toHaveLength(5);
    for (const start of starts) {
      expect(start.incompletePath).toBe(`${hub}/blobs/${start.etag}.incomplete`);
      expect(start.resumeFrom).toBeUndefined();
    }
  });

  it('completes every file into its blob', () => {
    expect(completes).toHaveLength(5);
    for (const complete of completes) {
      expect(complete.blobPath).toBe(`${hub}/blobs/${complete.etag}`);
    }
  });

  it('reads the byte bars with exact sizes', () => {
    const lastByLabel = new Map(bars.map((bar) => [bar.label, bar]));
    expect([...lastByLabel.keys()].sort()).toEqual([
      '(…)0d124912524720a1066353305fd3/config.json',
      '(…)?response-content-disposition=attachment',
      '(…)af0d124912524720a1066353305fd3/README.md',
      '(…)af0d124912524720a1066353305fd3/vocab.txt',
    ]);
    for (const bar of lastByLabel.values()) {
      expect(bar.done).toBe(bar.total);
      expect(bar.percent).toBe(100);
      expect(bar.unit).toBe('B');
    }
    const totals = bars.map((bar) => bar.total);
    expect(totals).toContain(7_550_000);
    expect(totals).toContain(5_030_000);
    expect(totals).toContain(99);
    expect(bars.find((bar) => bar.total === 7_550_000 && bar.done === 0)).toMatchObject({ rate: null, percent: 0 });
    expect(bars.find((bar) => bar.rate === 6_240_000)).toMatchObject({ done: 5_030_000 });
    expect(bars.find((bar) => bar.label.endsWith('README.md') && bar.done === 11)?.rate).toBe(66_300);
  });

  it('follows the Fetching bar to 5/5', () => {
    expect(ofType(stderrEvents, 'fetching').map((f) => [f.done, f.total])).toEqual([
      [0, 5],
      [3, 5],
      [5, 5],
    ]);
  });

  it('knows every line', () => {
    expect(ofType(stderrEvents, 'unknown')).toEqual([]);
    expect(stdoutEvents).toEqual([]);
    expect(path).toBe(`${hub}/snapshots/848a6f398faf0d124912524720a1066353305fd3`);
  });
});

describe('legacy-download-dataset-progress', () => {
  const transcript = loadTranscript('legacy-download-dataset-progress');
  const { stderrEvents, stdoutEvents, path } = parseTranscript(transcript);

  it('reports the deprecation warning printed on stdout', () => {
    expect(stdoutEvents).toEqual([
      { type: 'warning', message: "⚠️  Warning: 'huggingface-cli download' is deprecated. Use 'hf download' instead." },
    ]);
  });

  it('takes the path from the last stdout line, not the first', () => {
    expect(path).toBe(
      '/home/user/.cache/huggingface/hub/datasets--hooshvarelab--pn_summary/snapshots/42dfe6e4d07ffa335c4791068b5a0ecd61f25fa6',
    );
  });

  it('keeps folders in file names and reads k sizes', () => {
    expect(ofType(stderrEvents, 'file-start').map((s) => s.file)).toEqual(['README.md', 'data/train.csv', 'data/test.csv']);
    expect(ofType(stderrEvents, 'bar').map((b) => b.total)).toContain(315_000);
    expect(ofType(stderrEvents, 'unknown')).toEqual([]);
  });
});

describe('hf-download-model-plain', () => {
  const transcript = loadTranscript('hf-download-model-plain');
  const { stderrEvents } = parseTranscript(transcript);

  it('has no byte bars without TQDM_POSITION=-1', () => {
    expect(ofType(stderrEvents, 'bar')).toEqual([]);
  });

  it('follows the Fetching bar to its total', () => {
    const fetching = ofType(stderrEvents, 'fetching');
    expect(fetching.at(-1)).toMatchObject({ done: 3, total: 3, rate: 10.47 });
    expect(fetching.map((f) => f.done)).toEqual([0, 2, 3]);
  });

  it('still sees the three files start and complete', () => {
    expect(ofType(stderrEvents, 'file-start').map((s) => s.file)).toEqual(['config.json', 'README.md', 'best_model.pth']);
    expect(ofType(stderrEvents, 'file-complete').map((c) => c.file)).toEqual(['config.json', 'README.md', 'best_model.pth']);
    expect(ofType(stderrEvents, 'unknown')).toEqual([]);
  });
});

describe('hf-download-local-dir', () => {
  const transcript = loadTranscript('hf-download-local-dir');
  const { stderrEvents, path } = parseTranscript(transcript);

  it('returns the local dir as the path', () => {
    expect(path).toBe('/home/user/datasets/parsinlu_translation_en_fa');
  });

  it('takes the etag from SHORTHASH.ETAG.incomplete and carries it to the moved file', () => {
    expect(ofType(stderrEvents, 'file-start')).toEqual([
      {
        type: 'file-start',
        file: 'README.md',
        incompletePath:
          '/home/user/datasets/parsinlu_translation_en_fa/.cache/huggingface/download/Xn7B-BWUGOee2Y6hCZtEhtFu4BE=.c7be9e9ef3a56b4adc16dd62bb6bcb888cde1968.incomplete',
        etag: 'c7be9e9ef3a56b4adc16dd62bb6bcb888cde1968',
      },
      {
        type: 'file-start',
        file: 'train.tsv',
        incompletePath:
          '/home/user/datasets/parsinlu_translation_en_fa/.cache/huggingface/download/p6vQwMvMEEp2xP53EFXw4BtzUAA=.79fb6156724d69abb78be3db5573e3071edc9066488bcbd710455614fb383779.incomplete',
        etag: '79fb6156724d69abb78be3db5573e3071edc9066488bcbd710455614fb383779',
      },
    ]);
    expect(ofType(stderrEvents, 'file-complete')).toEqual([
      {
        type: 'file-complete',
        blobPath: '/home/user/datasets/parsinlu_translation_en_fa/README.md',
        etag: 'c7be9e9ef3a56b4adc16dd62bb6bcb888cde1968',
        file: 'README.md',
      },
      {
        type: 'file-complete',
        blobPath: '/home/user/datasets/parsinlu_translation_en_fa/train.tsv',
        etag: '79fb6156724d69abb78be3db5573e3071edc9066488bcbd710455614fb383779',
        file: 'train.tsv',
      },
    ]);
  });
});

describe('createHfCliOutputParser', () => {
  it('hands out a bar as soon as its closing bracket arrives', () => {
    const parser = createHfCliOutputParser();
    expect(parser.pushStderr('\rFetching 5 files:   0%|          | 0/5 [00:00<?, ?it')).toEqual([]);
    expect(parser.pushStderr('/s]')).toEqual([{ type: 'fetching', done: 0, total: 5, rate: null }]);
    expect(parser.pushStderr("Downloading 'a.bin' to '/c/blobs/e1.incomplete'\n")).toEqual([
      { type: 'file-start', file: 'a.bin', incompletePath: '/c/blobs/e1.incomplete', etag: 'e1' },
    ]);
  });

  it('reads a resumed download', () => {
    const parser = createHfCliOutputParser();
    expect(
      parser.pushStderr("Downloading 'model.bin' to '/hub/blobs/abc.incomplete' (resume from 1000/5000)\n"),
    ).toEqual([
      {
        type: 'file-start',
        file: 'model.bin',
        incompletePath: '/hub/blobs/abc.incomplete',
        etag: 'abc',
        resumeFrom: 1000,
        expectedSize: 5000,
      },
    ]);
  });

  it('reads Windows paths', () => {
    const parser = createHfCliOutputParser();
    parser.pushStderr("Downloading 'data/x.csv' to 'C:\\d\\.cache\\huggingface\\download\\data\\h=.e9.incomplete'\n");
    expect(parser.pushStderr('Download complete. Moving file to C:\\d\\data\\x.csv\n')).toEqual([
      { type: 'file-complete', blobPath: 'C:\\d\\data\\x.csv', etag: 'e9', file: 'data/x.csv' },
    ]);
    expect(parser.pushStdout('C:\\d\r\n')).toEqual([]);
    expect(parser.result().path).toBe('C:\\d');
  });

  it('reads bars without a total and inverted rates', () => {
    const parser = createHfCliOutputParser();
    expect(parser.pushStderr('\rmodel.bin: 5.03M [00:04, 1.23s/B]\n')).toEqual([
      {
        type: 'bar',
        label: 'model.bin',
        percent: null,
        done: 5_030_000,
        total: null,
        rate: 1 / 1.23,
        unit: 'B',
        elapsed: 4,
        remaining: null,
      },
    ]);
  });

  it('reports warnings: resume after a network error, Python warnings, py ≥1.11 warnings', () => {
    const parser = createHfCliOutputParser();
    const events = parser.pushStderr(
      [
        'Error while downloading from https://cdn/x: HTTPSConnectionPool(host=...): Read timed out.',
        'Trying to resume download...',
        '/usr/lib/python3/dist-packages/huggingface_hub/file_download.py:123: UserWarning: Not enough free disk space to download the file.',
        '  warnings.warn(',
        '\x1b[33mWarning: something odd\x1b[0m',
        '',
      ].join('\n'),
    );
    expect(events).toEqual([
      { type: 'warning', message: 'Error while downloading from https://cdn/x: HTTPSConnectionPool(host=...): Read timed out.' },
      { type: 'warning', message: 'Trying to resume download...' },
      { type: 'warning', message: 'UserWarning: Not enough free disk space to download the file.' },
      { type: 'unknown', line: '  warnings.warn(' },
      { type: 'warning', message: 'Warning: something odd' },
    ]);
  });

  it.each([
    ['py ≥1.11 human mode', '\x1b[32m✓ Downloaded\x1b[0m\n  path: /abs/hub/snapshots/abc\n'],
    ['py ≥1.11 --format agent', 'path=/abs/hub/snapshots/abc\n'],
    ['py ≥1.11 --json', '{"path": "/abs/hub/snapshots/abc"}\n'],
    ['py ≥1.0 plain', '/abs/hub/snapshots/abc\n'],
    ['an unterminated last line', '/abs/hub/snapshots/abc'],
  ])('finds the path in %s', (_, stdout) => {
    const parser = createHfCliOutputParser();
    const events = [...parser.pushStdout(stdout), ...parser.end()];
    expect(events).toEqual([]);
    expect(parser.result()).toEqual({ path: '/abs/hub/snapshots/abc' });
  });

  it('has no path when stdout names none', () => {
    const parser = createHfCliOutputParser();
    expect(parser.pushStdout('hello\n')).toEqual([{ type: 'unknown', line: 'hello' }]);
    parser.end();
    expect(parser.result()).toEqual({ path: null });
  });

  describe('garbage', () => {
    const fragments = ['\x1b', '\x1b[', '\x1b[12', '\x1b[33m', '\x1b]0;title', '[', ']', '|', '%', ':', ' ', '\r', '\n', 'é', '█', 'x', '9', '/'];

    function garbage(seed: number, length: number): Uint8Array {
      const random = seededRandom(seed);
      const parts: Uint8Array[] = [];
      const encoder = new TextEncoder();
      for (let i = 0; i < length; i++) {
        const roll = random();
        if (roll < 0.3) parts.push(new Uint8Array([Math.floor(random() * 256)]));
        else parts.push(encoder.encode(fragments[Math.floor(random() * fragments.length)] ?? ''));
      }
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
      }
      return out;
    }

    it.each([11, 12, 13, 14, 15])('never throws, says unknown, and ignores chunking (seed %i)', (seed) => {
      const bytes = garbage(seed, 2_000);
      const whole = parseWhole(bytes, bytes);
      for (const event of [...whole.stderrEvents, ...whole.stdoutEvents, ...whole.endEvents]) {
        expect(event.type).toBe('unknown');
        if (event.type === 'unknown') expect(event.line).not.toMatch(/[\x1b\r\n]/);
      }
      expect(whole.stderrEvents.length).toBeGreaterThan(0);
      for (const chunkSeed of [1, 2, 3]) expect(parseChunked(bytes, bytes, seed * 10 + chunkSeed)).toEqual(whole);
      expect(parseChunked(bytes, bytes, seed, 1)).toEqual(whole);
    });

    it('ends cleanly inside an escape sequence or a UTF-8 character', () => {
      const parser = createHfCliOutputParser();
      expect(() => parser.pushStderr(new Uint8Array([0x61, 0x1b, 0x5b, 0x31]))).not.toThrow();
      expect(() => parser.pushStderr(new Uint8Array([0xe2, 0x96]))).not.toThrow();
      expect(parser.end()).toEqual([{ type: 'unknown', line: 'a[1\ufffd' }]);
    });
  });
});
