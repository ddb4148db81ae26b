import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileGlob } from './compileGlob.js';
import { fnmatch } from './fnmatch.js';
import { pythonFnmatchcase, translateLikePython } from './pythonFnmatch.testutil.js';

// Fixed seed and run count: the same cases on every run. fast-check prints the seed and the
// shrunk counterexample on a failure; FC_SEED=<n> replays another seed.
const SEED = Number(process.env.FC_SEED ?? 0x0f17a7c4);

/** The characters that mean something to fnmatch or to Python's re, plus a few plain ones. */
const PATTERN_CHARS = ['a', 'b', 'c', 'z', '/', '.', '-', '-', '*', '*', '?', '[', '[', ']', ']', '!', '!', '^', '\\', '&', '~', '|', 'é', '\n'];
const PATH_CHARS = ['a', 'b', 'c', 'z', '/', '.', '-', '!', '[', ']', '^', '\\', '&', 'é', '\n'];
const ASTRAL = '😀';

const text = (chars: readonly string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));

/** A path made from the pattern by filling its `*` and `?`: such pairs often match. */
const derivedPair = (chars: readonly string[], maxLength: number) =>
  fc
    .tuple(text(chars, maxLength), fc.array(text(PATH_CHARS, 4), { minLength: 16, maxLength: 16 }), fc.array(fc.constantFrom(...PATH_CHARS), { minLength: 16, maxLength: 16 }))
    .map(([pattern, fills, singles]) => {
      let f = 0;
      let s = 0;
      return [pattern, pattern.replace(/[*?]/g, (m) => (m === '*' ? fills[f++ % 16]! : singles[s++ % 16]!))] as const;
    });

const pairs = (patternChars: readonly string[], pathChars: readonly string[], maxLength: number) =>
  fc.oneof(fc.tuple(text(patternChars, maxLength), text(pathChars, maxLength)), derivedPair(patternChars, maxLength));

/** Cases that pinned down CPython's class rules while writing the matcher. */
const EDGE_CASES: Array<readonly [string, string]> = [
  ['[z-a]', 'a'],
  ['[z-a]', 'z'],
  ['[!z-a]', 'q'],
  ['[z-a!b]', 'b'],
  ['[z-a!b]', 'c'],
  ['[z-a!-c]', '-'],
  ['[z-a!-c]', 'b'],
  ['[]-a]', '^'],
  ['[!]-a]', '^'],
  ['[!]', '[!]'],
  ['[]', '[]'],
  ['[a-]', '-'],
  ['[-a]', '-'],
  ['[!-a]', '-'],
  ['[a--]', '-'],
  ['[a-c-e]', '-'],
  ['[a-c-e]', 'd'],
  ['[\\-a]', 'Z'],
  ['[^a]', '^'],
  ['[[]', '['],
  ['[a-cd-f]', 'e'],
  ['[m-cb-a]', 'a'],
  ['a[', 'a['],
  ['?', ASTRAL],
  ['[!a]', ASTRAL],
  [`[${ASTRAL}-${ASTRAL}]`, ASTRAL],
  ['*', 'a\nb'],
  ['a*/b', 'a/x/y/b'],
];

// The pattern: the old RegExp translation took seconds per path and doubled with every `*?`.
const pathological = `${'*?'.repeat(30)}Z`;
const LONG_CASES = [
  [pathological, 'a'.repeat(200)],
  [pathological, `${'a'.repeat(200)}Z`],
  [`${'*a'.repeat(40)}*b`, 'a'.repeat(300)],
  [`${'*a'.repeat(40)}*b`, `${'a'.repeat(300)}b`],
] as const;
const corpus = [...EDGE_CASES, ...fc.sample(pairs([...PATTERN_CHARS, ASTRAL], [...PATH_CHARS, ASTRAL], 24), { seed: SEED, numRuns: 6000 })];

/** CPython's answers for the corpus and the long cases: one child process per run. */
let python: { corpus: boolean[]; long: boolean[] };
beforeAll(async () => {
  const answers = await pythonFnmatchcase([...corpus, ...LONG_CASES]);
  expect(answers).toHaveLength(corpus.length + LONG_CASES.length);
  python = { corpus: answers.slice(0, corpus.length), long: answers.slice(corpus.length) };
});

describe('glob matcher against CPython fnmatch.fnmatchcase', () => {
  it('agrees with CPython on a corpus of random and hand-picked (pattern, path) pairs', () => {
    const expected = python.corpus;
    const mismatches = corpus
      .map(([pattern, path], i) => ({ pattern, path, python: expected[i], ours: fnmatch(path, pattern) }))
      .filter((m) => m.python !== m.ours);
    expect(mismatches.slice(0, 10), `seed ${SEED}`).toEqual([]);
    // The corpus is only worth something if both answers occur often.
    const matches = expected.filter(Boolean).length;
    expect(matches).toBeGreaterThan(corpus.length / 10);
    expect(matches).toBeLessThan(corpus.length * 0.9);
  });

  it('agrees with a port of CPython translate() on random small patterns (shrinkable)', () => {
    fc.assert(
      fc.property(pairs(PATTERN_CHARS, PATH_CHARS, 10), ([pattern, path]) => {
        expect(fnmatch(path, pattern)).toBe(translateLikePython(pattern).test(path));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('a literal pattern matches exactly itself', () => {
    const plain = text(['a', 'b', '/', '.', '-', '!', ']', 'é', ASTRAL], 20);
    fc.assert(
      fc.property(plain, plain, (p, q) => {
        expect(fnmatch(q, p)).toBe(p === q);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('glob matcher work', () => {
  const stepsFor = (pattern: string, path: string, expected: boolean) => {
    const work = { steps: 0 };
    expect(compileGlob(pattern).match(path, work)).toBe(expected);
    return work.steps;
  };

  it('runs the issue\'s *?*?…Z pattern in steps proportional to the path', () => {
    const n = 4000;
    const steps = stepsFor(pathological, 'a'.repeat(n), false);
    // 31 atoms and 30 stars → 32 states, one word; plus one table lookup per ASCII character.
    expect(steps).toBe(n * 2);
    expect(stepsFor(pathological, 'a'.repeat(2 * n), false)).toBe(2 * steps);
    expect(stepsFor(pathological, `${'a'.repeat(n)}Z`, true)).toBe(steps + 2);
    // Past 32 states the bit set takes a second word, and a second step per character.
    expect(stepsFor(`${'*?'.repeat(40)}Z`, 'a'.repeat(n), false)).toBe(n * 3);
  });

  it('bounds the steps per path character by the pattern length alone, for any pattern', () => {
    fc.assert(
      fc.property(text([...PATTERN_CHARS, ASTRAL], 200), text([...PATH_CHARS, ASTRAL], 300), (pattern, path) => {
        const work = { steps: 0 };
        compileGlob(pattern).match(path, work);
        const m = pattern.length;
        const perChar = Math.floor(m / 32) + 2 + Math.ceil(Math.log2(2 * m + 2));
        expect(work.steps).toBeLessThanOrEqual([...path].length * perChar);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('gives Python\'s answer for the pathological pattern on long paths', () => {
    expect(LONG_CASES.map(([p, s]) => fnmatch(s, p))).toEqual(python.long);
    expect(python.long).toEqual([false, true, false, true]);
  });
});
