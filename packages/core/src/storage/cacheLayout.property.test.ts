import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPersianHubError } from '../PersianHubError.js';
import { localDirPaths, repoCachePaths, resolveInside, safeSegments, visiblePath } from './cacheLayout.js';

// Path validation for any string: refused with UNSAFE_PATH, or resolved inside its root. Fixed
// seed and run counts; fast-check prints the seed and the shrunk string on a failure.
const SEED = Number(process.env.FC_SEED ?? 0x9a7e5);
const ROOT = resolve('/tmp/persian-hub-root');

/** Characters that must never pass, whatever surrounds them. */
const REFUSED = ['\0', '\\', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u009b', '\u00ad', '\u061c', '\u200b', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\u206e', '\ufeff', '\ufffa', '\u{e0041}', '\uD800', '\uDFFF'];

/** Pieces that build the dangerous shapes: traversal, absolute, drive letters, empty segments. */
const PIECES = ['/', '/', '.', '..', 'a', 'b', 'C:', ':', ' ', 'é', 'ی', '\u200c', '\u200d', '😀', '~', '%2e', ...REFUSED];
const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((a) => a.join(''));
const anyString = fc.oneof(pieced, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

function outcome(path: string): { ok: true; target: string } | { ok: false; error: unknown } {
  try {
    return { ok: true, target: resolveInside(ROOT, path) };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('safeSegments / resolveInside (property)', () => {
  it('either refuses a string with UNSAFE_PATH or resolves it strictly inside the root', () => {
    fc.assert(
      fc.property(anyString, (path) => {
        const r = outcome(path);
        if (!r.ok) {
          expect(isPersianHubError(r.error) && r.error.code).toBe('UNSAFE_PATH');
          return;
        }
        const rel = relative(ROOT, r.target);
        expect(rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)).toBe(false);
        expect(r.target.startsWith(ROOT + sep)).toBe(true);
        // Accepted paths are exactly their segments, none of them empty, `.` or `..`.
        const segments = safeSegments(path);
        expect(segments.join('/')).toBe(path);
        expect(segments.every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
        expect(r.target).toBe(join(ROOT, ...segments));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('never lets NUL, a backslash, a control, bidi or invisible character, or a lone surrogate through', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.constantFrom(...REFUSED), fc.string({ maxLength: 10 }), (before, bad, after) => {
        const r = outcome(`safe/${before}${bad}${after}`);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(isPersianHubError(r.error) && r.error.code).toBe('UNSAFE_PATH');
          // The message names the file without the character doing its trick.
          expect((r.error as Error).message).not.toContain(bad === '\\' ? '\u202e' : bad);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('accepts every path made of ordinary segments, Persian with ZWNJ and emoji with ZWJ included', () => {
    const segment = fc
      .array(fc.constantFrom('a', 'Z', '0', '.', '-', '_', ' ', 'é', 'ک', 'ی', '\u200c', '\u200d', '😀', '[', '!'), { minLength: 1, maxLength: 8 })
      .map((a) => a.join(''))
      .filter((s) => s !== '.' && s !== '..' && !/^[a-zA-Z]:/.test(s));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = segments.join('/');
        expect(safeSegments(path)).toEqual(segments);
        expect(visiblePath(path)).toBe(path);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('keeps snapshot pointers and local-dir files inside their folders', () => {
    const cache = repoCachePaths(ROOT, 'model', 'org/name');
    const local = localDirPaths(join(ROOT, 'local'));
    const commit = 'a'.repeat(40);
    fc.assert(
      fc.property(anyString, (path) => {
        for (const [make, base] of [
          [() => cache.pointer(commit, path), cache.snapshotDir(commit)],
          [() => cache.noExist(commit, path), join(cache.repoDir, '.no_exist', commit)],
          [() => local.file(path), local.root],
          [() => local.metadata(path), join(local.hfDir, 'download')],
        ] as const) {
          let target: string;
          try {
            target = make();
          } catch (error) {
            expect(isPersianHubError(error) && error.code).toBe('UNSAFE_PATH');
            continue;
          }
          expect(target.startsWith(base + sep)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
