import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { pack as tarPack, type Header as TarHeader } from 'tar-stream';

/** What `pack().entry()` takes: a name and any other header fields. */
type Header = Partial<TarHeader> & Pick<TarHeader, 'name'>;
import { describe, expect, it } from 'vitest';
import { importBundle, parseBundleManifest, readBundleManifest, type BundleManifest } from '../src/bundles/index.js';
import { findPathsInsideFiles } from '../src/bundles/findPathsInsideFiles.js';
import { isPersianHubError } from '../src/PersianHubError.js';
import { safeSegments } from '../src/storage/cacheLayout.js';
import { tempDir } from './helpers.js';

// Property tests of the bundle readers: whatever the bytes, they answer with a manifest or a
// PersianHubError of an expected code, they end, and nothing lands outside the cache. Fixed seed
// and run counts keep CI time bounded; fast-check prints the seed and the shrunk case on failure.
const SEED = Number(process.env.FC_SEED ?? 0x0b0d1e5);
const READER_CODES = ['BUNDLE_INVALID', 'UNSAFE_PATH', 'NOT_FOUND'];

function expectReaderError(error: unknown): void {
  expect(isPersianHubError(error), `not a PersianHubError: ${String(error)}${error instanceof Error ? `\n${error.stack}` : ''}`).toBe(true);
  expect(READER_CODES, (error as Error).message).toContain((error as { code: string }).code);
}

// ---- valid manifests, built from the schema's rules ----

const SEGMENT_CHARS = ['a', 'b', 'c', '.', '-', '_', 'é', 'ی', '\u200c', '0'];
const segment = fc
  .array(fc.constantFrom(...SEGMENT_CHARS), { minLength: 1, maxLength: 4 })
  .map((a) => a.join(''))
  .filter((s) => s !== '.' && s !== '..');
const repoPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((a) => a.join('/'));

/** Drops every path that lies inside another one (`a/b` when `a` is there): one would be a folder. */
function withoutNesting(paths: readonly string[]): string[] {
  return paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(`${q}/`)));
}

const sha1 = (bytes: Uint8Array, size = bytes.length) => createHash('sha1').update(`blob ${size}\0`).update(bytes).digest('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

interface ValidBundle {
  readonly manifest: BundleManifest;
  /** Bytes of each carried file, by repo path. */
  readonly bodies: ReadonlyMap<string, Uint8Array>;
}

const validBundle: fc.Arbitrary<ValidBundle> = fc
  .record({
    paths: fc.uniqueArray(repoPath, { minLength: 1, maxLength: 7 }).map(withoutNesting),
    carried: fc.integer({ min: 1, max: 7 }),
    bodies: fc.array(fc.uint8Array({ maxLength: 48 }), { minLength: 7, maxLength: 7 }),
    lfs: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    repoId: fc.constantFrom('HooshvareLab/bert-fa-base-uncased', 'org/name', 'a/b', 'rhasspy/piper-voices', 'Org_1/model.v2'),
    repoType: fc.constantFrom('model' as const, 'dataset' as const),
    revision: fc.oneof(fc.constantFrom('main', 'v1.0.0', 'refs/convert/parquet', 'refs/pr/1'), hex(40)),
    commit: hex(40),
    catalogId: fc.option(fc.constantFrom('piper-fa-amir-medium', 'x1'), { nil: null }),
    createdAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  })
  .map((r) => {
    const carried = Math.min(r.carried, r.paths.length);
    const bodies = new Map<string, Uint8Array>();
    const files = r.paths.slice(0, carried).map((path, i) => {
      const body = r.bodies[i]!;
      bodies.set(path, body);
      return r.lfs[i]
        ? { path, size: body.length, lfs: true, sha256: sha256(body), etag: sha256(body) }
        : { path, size: body.length, lfs: false, gitOid: sha1(body), etag: sha1(body) };
    });
    const otherFiles = r.paths.slice(carried).map((path, i) => {
      const body = r.bodies[carried + i]!;
      return r.lfs[carried + i] ? { path, size: body.length, lfs: true, sha256: sha256(body), gitOid: sha1(body) } : { path, size: body.length, lfs: false, gitOid: sha1(body) };
    });
    const manifest = {
      format: 'persian-hub-bundle',
      formatVersion: 1,
      tool: { name: '@persian-hub/core', version: '0.0.0-test' },
      createdAt: r.createdAt.toISOString(),
      repoId: r.repoId,
      repoType: r.repoType,
      revision: r.revision,
      commit: r.commit,
      catalogId: r.catalogId,
      files,
      otherFiles,
    } as BundleManifest;
    return { manifest, bodies };
  });

// ---- mutations ----

/** Strings that break a rule: unsafe paths, deceptive characters, wrong hashes, odd numbers as text. */
const hostileString = fc.oneof(
  fc.constantFrom('', '.', '..', '../evil', '/etc/passwd', 'a//b', 'a/./b', 'a\\b', 'C:x', 'a\0b', 'evil\u202Etxt.exe', 'a\u2066b', 'x\u200Fy', 'line\nbreak', '\u001b[31m', 'lone\uD800', 'A'.repeat(40), 'g'.repeat(64), '-1', 'NaN'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const oddNumber = fc.constantFrom(-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1e300, -0);

type JsonPath = ReadonlyArray<string | number>;

function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function mutate(root: unknown, at: JsonPath, op: string, replacement: unknown): unknown {
  if (at.length === 0) return op === 'delete' ? undefined : replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const key = at[at.length - 1]!;
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (op === 'duplicate' && Array.isArray(parent)) {
    parent.push(structuredClone(parent[Number(key)]));
  } else {
    parent[key] = replacement;
  }
  return copy;
}

const mutation = fc.record({
  index: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'replace', 'duplicate'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString, oddNumber),
});

/** The invariants every accepted manifest keeps, checked the slow, obvious way. */
function expectSound(m: BundleManifest): void {
  const all = [...m.files, ...m.otherFiles].map((f) => f.path);
  expect(new Set(all).size).toBe(all.length);
  for (const p of all) {
    expect(() => safeSegments(p)).not.toThrow();
    expect(all.some((q) => p.startsWith(`${q}/`))).toBe(false);
  }
  for (const f of [...m.files, ...m.otherFiles]) expect(Number.isSafeInteger(f.size) && f.size >= 0).toBe(true);
}

describe('parseBundleManifest (property)', () => {
  it('accepts every manifest built by the schema rules, unchanged', () => {
    fc.assert(
      fc.property(validBundle, ({ manifest }) => {
        const parsed = parseBundleManifest(JSON.parse(JSON.stringify(manifest)));
        expect(parsed).toEqual(manifest);
        expectSound(parsed);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers a mutated manifest with a sound manifest or BUNDLE_INVALID / UNSAFE_PATH, nothing else', () => {
    const seen = { accepted: 0, BUNDLE_INVALID: 0, UNSAFE_PATH: 0 };
    fc.assert(
      fc.property(validBundle, fc.array(mutation, { minLength: 1, maxLength: 3 }), ({ manifest }, mutations) => {
        let value: unknown = JSON.parse(JSON.stringify(manifest));
        for (const m of mutations) {
          const paths = pathsOf(value);
          value = mutate(value, paths[m.index % paths.length]!, m.op, m.value);
        }
        let parsed: BundleManifest | undefined;
        try {
          parsed = parseBundleManifest(value);
        } catch (error) {
          expectReaderError(error);
          expect((error as { code: string }).code).not.toBe('NOT_FOUND');
          seen[(error as { code: 'BUNDLE_INVALID' | 'UNSAFE_PATH' }).code]++;
          return;
        }
        expectSound(parsed);
        seen.accepted++;
      }),
      { seed: SEED, numRuns: 800 },
    );
    // Not vacuous: the mutations produce all three outcomes.
    expect(Object.values(seen).every((n) => n > 0), JSON.stringify(seen)).toBe(true);
  });

  it('refuses a manifest naming a path with a deceptive or unsafe character, as UNSAFE_PATH', () => {
    const unsafe = fc.constantFrom('../evil', '/etc/passwd', 'a//b', 'a\\b', 'a\0b', 'evil\u202Etxt.exe', 'a\u2066b.txt', 'x\u200Fy', 'line\nbreak', 'esc\u001b[31m', 'lone\uD800');
    fc.assert(
      fc.property(validBundle, unsafe, fc.nat(), fc.boolean(), ({ manifest }, bad, at, inOther) => {
        const list = inOther && manifest.otherFiles.length > 0 ? 'otherFiles' : 'files';
        const entries = [...manifest[list]];
        const i = at % entries.length;
        entries[i] = { ...entries[i]!, path: bad } as never;
        let caught: unknown;
        try {
          parseBundleManifest({ ...manifest, [list]: entries });
        } catch (error) {
          caught = error;
        }
        expectReaderError(caught);
        expect((caught as { code: string }).code).toBe('UNSAFE_PATH');
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('answers any JSON value with BUNDLE_INVALID or UNSAFE_PATH', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(() => parseBundleManifest(value)).toThrow();
        try {
          parseBundleManifest(value);
        } catch (error) {
          expectReaderError(error);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('findPathsInsideFiles (property)', () => {
  it('finds exactly the paths that lie inside another listed path, naming the outermost', () => {
    const path = fc.array(fc.constantFrom('a', 'b', 'ab', '!', 'é', '\u00ff', '.x', 'a!'), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(path, { maxLength: 12 }), (paths) => {
        const expected = paths.flatMap((p, index) => {
          const parents = paths.filter((q) => p.startsWith(`${q}/`)).sort((x, y) => x.length - y.length);
          return parents.length > 0 ? [{ index, inside: parents[0]! }] : [];
        });
        expect(findPathsInsideFiles(paths)).toEqual(expected);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

// ---- the tar readers ----

async function tarOf(entries: ReadonlyArray<{ header: Header; body?: Uint8Array }>): Promise<Buffer> {
  const p = tarPack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const callback = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.body) p.entry(e.header, Buffer.from(e.body), callback);
      else p.entry(e.header, callback).end(undefined);
    });
  }
  p.finalize();
  await ended;
  return Buffer.concat(chunks);
}

async function bundleBytes({ manifest, bodies }: ValidBundle): Promise<Buffer> {
  const header = (name: string, size: number): Header => ({ name, size, mode: 0o644, mtime: new Date(0), type: 'file' });
  const json = Buffer.from(JSON.stringify(manifest));
  return tarOf([
    { header: header('persian-hub-bundle.json', json.length), body: json },
    ...manifest.files.map((f) => ({ header: header(`files/${f.path}`, f.size), body: bodies.get(f.path)! })),
  ]);
}

type ByteMutation = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; bits: number } | { kind: 'splice'; at: number; bytes: Uint8Array };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
);

function mutateBytes(bytes: Buffer, m: ByteMutation): Buffer {
  const at = m.at % (bytes.length + 1);
  if (m.kind === 'truncate') return bytes.subarray(0, at);
  if (m.kind === 'flip') {
    const copy = Buffer.from(bytes);
    if (at < copy.length) copy[at] = copy[at]! ^ m.bits;
    return copy;
  }
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
}

/** A fresh folder with the bundle in `in/` and an empty `hub/` cache beside nothing else. */
async function workspace(bytes: Uint8Array): Promise<{ root: string; file: string; cacheDir: string }> {
  const root = await tempDir('ph-fuzz-');
  await mkdir(join(root, 'in'));
  const file = join(root, 'in', 'bundle.tar');
  await writeFile(file, bytes);
  return { root, file, cacheDir: join(root, 'hub') };
}

/** Nothing but `in/bundle.tar` and whatever is inside `hub/` may exist under root. */
async function expectNothingOutsideCache(root: string): Promise<void> {
  expect((await readdir(root)).filter((n) => n !== 'hub' && n !== 'in')).toEqual([]);
  expect(await readdir(join(root, 'in'))).toEqual(['bundle.tar']);
}

describe('readBundleManifest and importBundle on damaged tar bytes (property)', () => {
  it('readBundleManifest: random bytes give BUNDLE_INVALID, never a hang or another error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const { file } = await workspace(bytes);
        const result = await readBundleManifest(file).then(
          () => null,
          (e: unknown) => e,
        );
        expectReaderError(result);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('readBundleManifest: a truncated, flipped or spliced bundle gives its manifest back or an expected error', async () => {
    const seen = { read: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(validBundle, byteMutation, async (bundle, m) => {
        const { file } = await workspace(mutateBytes(await bundleBytes(bundle), m));
        try {
          const manifest = await readBundleManifest(file);
          expectSound(manifest);
          seen.read++;
        } catch (error) {
          expectReaderError(error);
          seen.refused++;
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
    expect(seen.read > 0 && seen.refused > 0, JSON.stringify(seen)).toBe(true);
  });

  it('importBundle: a damaged bundle is installed whole or refused with an expected error, and nothing lands outside the cache', async () => {
    const seen = { installed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(validBundle, byteMutation, async (bundle, m) => {
        const { root, file, cacheDir } = await workspace(mutateBytes(await bundleBytes(bundle), m));
        try {
          const r = await importBundle({ cacheDir, file });
          expect(r.path.startsWith(`${cacheDir}/`)).toBe(true);
          seen.installed++;
        } catch (error) {
          expectReaderError(error);
          seen.refused++;
        }
        await expectNothingOutsideCache(root);
      }),
      { seed: SEED, numRuns: 80 },
    );
    expect(seen.installed > 0 && seen.refused > 0, JSON.stringify(seen)).toBe(true);
  });

  it('importBundle: extra entries with hostile names and types are refused or ignored, never written outside the cache', async () => {
    const entryName = fc.oneof(
      fc.constantFrom('files/../../escape', '../escape', '/tmp/escape', 'files/a/../../../escape', 'files//x', 'files/./x', 'files/a\\..\\..\\escape', 'files/evil\u202Etxt', 'files/', 'other'),
      fc.array(fc.constantFrom('files/', 'a', '..', '/', '.', 'escape', '\\'), { maxLength: 6 }).map((a) => a.join('')),
    );
    const entryType = fc.constantFrom<TarHeader['type']>('file', 'symlink', 'link', 'directory', 'fifo', 'character-device');
    await fc.assert(
      fc.asyncProperty(validBundle, fc.array(fc.record({ name: entryName, type: entryType, at: fc.nat() }), { minLength: 1, maxLength: 3 }), async (bundle, extras) => {
        const json = Buffer.from(JSON.stringify(bundle.manifest));
        const entries: Array<{ header: Header; body?: Uint8Array }> = [
          { header: { name: 'persian-hub-bundle.json', size: json.length, mode: 0o644, type: 'file' }, body: json },
          ...bundle.manifest.files.map((f) => ({ header: { name: `files/${f.path}`, size: f.size, mode: 0o644, type: 'file' as const }, body: bundle.bodies.get(f.path)! })),
        ];
        for (const x of extras) {
          const header: Header = { name: x.name, type: x.type, mode: 0o644, size: x.type === 'file' ? 5 : 0, ...(x.type === 'symlink' || x.type === 'link' ? { linkname: '../../../escape' } : {}) };
          entries.splice(1 + (x.at % entries.length), 0, { header, ...(x.type === 'file' ? { body: Buffer.from('pwned') } : {}) });
        }
        const { root, file, cacheDir } = await workspace(await tarOf(entries));
        try {
          await importBundle({ cacheDir, file });
        } catch (error) {
          expectReaderError(error);
        }
        await expectNothingOutsideCache(root);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
