#!/usr/bin/env node
// Hostile input costs: how time grows with input size where it used to explode (issue 10).
//   1. include/exclude globs: the issue's `*?*?…Z` pattern against ever longer paths, and the
//      old RegExp translation of `*?` × k on a 60-character path for comparison (k ≤ 6: past
//      that it runs for minutes).
//   2. bundle manifests of deeply nested paths (`N/a/a/…/x`), 1 to 16 MB.
// Each line shows the wall time per size; linear growth doubles with the size.
//
//   npm run build && node bench/inputBench.mjs
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);

const time = (fn, repeat = 1) => {
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - t0) / repeat;
};
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

// ---- 1. globs ----
const pathological = `${'*?'.repeat(30)}Z`;
core.fnmatch('warm-up', pathological);
const globRows = [];
for (const n of [1_000, 4_000, 16_000, 64_000]) {
  const path = 'a'.repeat(n);
  globRows.push(`path ${n}: ${ms(time(() => core.fnmatch(path, pathological), 200))}`);
}
console.log(`glob ${pathological.slice(0, 12)}…Z (61 chars), new matcher: ${globRows.join(', ')}`);

/** The RegExp translation this replaced (`*` → `.*`, `?` → `.`), enough for `*?` patterns. */
const oldGlob = (pattern) => new RegExp(`^(?:${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')})$`, 's');
const oldRows = [];
for (const k of [3, 4, 5, 6]) {
  const re = oldGlob(`${'*?'.repeat(k)}Z`);
  oldRows.push(`k=${k}: ${ms(time(() => re.test('a'.repeat(60))))}`);
}
console.log(`glob *? × k + Z on a 60-char path, old RegExp: ${oldRows.join(', ')}`);

// ---- 2. manifests ----
const sha1 = 'a'.repeat(40);
const manifestRows = [];
for (const count of [250, 1_000, 4_000]) {
  const files = Array.from({ length: count }, (_, i) => ({ path: `${i}/${'a/'.repeat(2040)}x`, size: 1, lfs: false, gitOid: sha1, etag: sha1 }));
  const m = {
    format: 'persian-hub-bundle',
    formatVersion: 1,
    tool: { name: 'bench', version: '1' },
    createdAt: '2025-01-01T00:00:00Z',
    repoId: 'org/name',
    repoType: 'model',
    revision: 'main',
    commit: 'b'.repeat(40),
    catalogId: null,
    files,
    otherFiles: [],
  };
  const mb = JSON.stringify(m).length / 1e6;
  manifestRows.push(`${mb.toFixed(1)} MB: ${ms(time(() => core.parseBundleManifest(m)))}`);
}
console.log(`bundle manifest of nested 4 KB paths, parseBundleManifest: ${manifestRows.join(', ')}`);
