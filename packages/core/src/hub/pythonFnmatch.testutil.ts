import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Two references for the glob matcher's tests.
 *
 * 1. `translateLikePython`: CPython 3.11's `fnmatch.translate`, line by line, emitting a JS
 *    RegExp instead of a Python one (the atomic `(?>.*?x)` becomes `(?:.*?x)`, which matches the
 *    same strings). It backtracks, so it is only for small inputs, and JS RegExps without the `u`
 *    flag count UTF-16 units, so only for BMP text. Fast, so fast-check can shrink a failure.
 * 2. `pythonFnmatchcase`: CPython itself, one child process for a whole batch.
 */
export function translateLikePython(pat: string): RegExp {
  const STAR = Symbol('star');
  const res: Array<string | typeof STAR> = [];
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i]!;
    i += 1;
    if (c === '*') {
      if (res.length === 0 || res[res.length - 1] !== STAR) res.push(STAR);
    } else if (c === '?') {
      res.push('.');
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j += 1;
      if (j < n && pat[j] === ']') j += 1;
      while (j < n && pat[j] !== ']') j += 1;
      if (j >= n) {
        res.push('\\[');
      } else {
        let stuff = pat.slice(i, j);
        if (!stuff.includes('-')) {
          stuff = stuff.replaceAll('\\', '\\\\');
        } else {
          const chunks: string[] = [];
          let k = pat[i] === '!' ? i + 2 : i + 1;
          for (;;) {
            k = k < j ? pat.slice(0, j).indexOf('-', k) : -1;
            if (k < 0) break;
            chunks.push(pat.slice(i, k));
            i = k + 1;
            k = k + 3;
          }
          const chunk = pat.slice(i, j);
          if (chunk) chunks.push(chunk);
          else chunks[chunks.length - 1] += '-';
          for (let m = chunks.length - 1; m > 0; m--) {
            if (chunks[m - 1]!.slice(-1) > chunks[m]![0]!) {
              chunks[m - 1] = chunks[m - 1]!.slice(0, -1) + chunks[m]!.slice(1);
              chunks.splice(m, 1);
            }
          }
          stuff = chunks.map((s) => s.replaceAll('\\', '\\\\').replaceAll('-', '\\-')).join('-');
        }
        stuff = stuff.replace(/([&~|])/g, '\\$1');
        i = j + 1;
        if (!stuff) {
          res.push('(?!)');
        } else if (stuff === '!') {
          res.push('.');
        } else {
          if (stuff[0] === '!') stuff = `^${stuff.slice(1)}`;
          else if (stuff[0] === '^' || stuff[0] === '[') stuff = `\\${stuff}`;
          // Python's re reads a `]` first in a set as itself; JS reads `[]` as the empty set.
          stuff = stuff.replace(/^(\^?)\]/, '$1\\]');
          res.push(`[${stuff}]`);
        }
      }
    } else {
      res.push(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f/]/.test(c) ? `\\${c}` : c);
    }
  }
  const out: string[] = [];
  let t = 0;
  while (t < res.length && res[t] !== STAR) out.push(res[t++] as string);
  while (t < res.length) {
    t += 1; // the star
    if (t === res.length) {
      out.push('.*');
      break;
    }
    const fixed: string[] = [];
    while (t < res.length && res[t] !== STAR) fixed.push(res[t++] as string);
    out.push(t === res.length ? `.*${fixed.join('')}` : `(?:.*?${fixed.join('')})`);
  }
  return new RegExp(`^(?:${out.join('')})$`, 's');
}

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const SCRIPT = `
import fnmatch, json, sys
pairs = json.load(sys.stdin)
json.dump([fnmatch.fnmatchcase(path, pattern) for pattern, path in pairs], sys.stdout)
`;

/** `fnmatch.fnmatchcase(path, pattern)` for every pair, computed by CPython in one process. */
export function pythonFnmatchcase(pairs: ReadonlyArray<readonly [pattern: string, path: string]>): Promise<boolean[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', SCRIPT], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${PYTHON} failed: ${error.message}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as boolean[]);
    });
    child.stdin!.end(JSON.stringify(pairs));
  });
}
