// What npm would publish, checked file by file and with the ecosystem's own linters.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import semver from 'semver';
import { describe, expect, inject, it } from 'vitest';
import { PUBLISHED, REPO } from './packages.js';

const run = promisify(execFile);
const require = createRequire(join(REPO, 'package.json'));
const { tarballs } = inject('packed');

async function entries(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], { maxBuffer: 16 << 20 });
  return stdout.split('\n').filter(Boolean).map((p) => p.replace(/^package\//, ''));
}

async function fileOf(tarball: string, path: string): Promise<string> {
  const { stdout } = await run('tar', ['-xOzf', tarball, `package/${path}`], { maxBuffer: 64 << 20 });
  return stdout;
}

/** The folder of `dep` as Node would find it from `from` (walking up node_modules folders). */
function packageDir(from: string, dep: string): string {
  for (let d = from; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', dep);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(d) === d) throw new Error(`${dep} is not installed (from ${from})`);
  }
}

/** Runtime dependencies (not peers, not dev), transitively, as installed in this repository. */
function runtimeDependencies(dir: string): Array<{ name: string; version: string; engines?: string }> {
  const seen = new Map<string, { name: string; version: string; engines?: string }>();
  const walk = (pkgDir: string) => {
    const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pj.dependencies ?? {})) {
      const depDir = packageDir(pkgDir, dep);
      if (seen.has(depDir)) continue;
      const d = JSON.parse(readFileSync(join(depDir, 'package.json'), 'utf8')) as { name: string; version: string; engines?: { node?: string } };
      seen.set(depDir, { name: d.name, version: d.version, engines: d.engines?.node });
      walk(depDir);
    }
  };
  walk(join(REPO, dir));
  return [...seen.values()];
}

describe.each(PUBLISHED)('$name (packed)', ({ name, dir }) => {
  const tarball = tarballs[name];

  it('holds LICENSE, README.md, package.json and dist/ only', async () => {
    const files = await entries(tarball);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files.filter((f) => !['LICENSE', 'README.md', 'package.json'].includes(f) && !f.startsWith('dist/'))).toEqual([]);
    expect(files.filter((f) => /\.test\.|testing|fixtures/.test(f))).toEqual([]);
    expect(await fileOf(tarball, 'LICENSE')).toMatch(/^MIT License/);
  });

  it('ships source maps without the sources in them', async () => {
    const maps = (await entries(tarball)).filter((f) => f.endsWith('.map'));
    for (const map of maps) {
      const parsed = JSON.parse(await fileOf(tarball, map)) as { sourcesContent?: unknown };
      expect(parsed.sourcesContent, map).toBeUndefined();
    }
  });

  it('has a README that stands alone on npm (no links into the repository)', async () => {
    const readme = await fileOf(tarball, 'README.md');
    expect(readme.length).toBeGreaterThan(500);
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((href) => !/^(https?:|mailto:|#)/.test(href));
    expect(relative).toEqual([]);
  });

  it('names its licence, repository, homepage and issue tracker', async () => {
    const pj = JSON.parse(await fileOf(tarball, 'package.json')) as Record<string, any>;
    expect(pj.license).toBe('MIT');
    expect(pj.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\//), directory: dir });
    expect(pj.homepage).toMatch(/^https:\/\//);
    expect(pj.bugs?.url).toMatch(/^https:\/\//);
  });

  it('uses ranges, not exact pins, for its dependencies', async () => {
    const pj = JSON.parse(await fileOf(tarball, 'package.json')) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
    const pinned = Object.entries({ ...pj.dependencies, ...pj.peerDependencies }).filter(([, range]) => semver.valid(range) !== null);
    expect(pinned).toEqual([]);
  });

  it('asks for no older Node than its runtime dependencies support', async () => {
    const pj = JSON.parse(await fileOf(tarball, 'package.json')) as { engines?: { node?: string } };
    expect(pj.engines?.node).toBeTruthy();
    const tooOld = runtimeDependencies(dir)
      .filter((d) => d.engines && !semver.subset(pj.engines!.node!, d.engines))
      .map((d) => `${d.name}@${d.version} wants ${d.engines}`);
    expect(tooOld).toEqual([]);
  });

  it('passes publint --strict', async () => {
    const data = await readFile(tarball);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer }, strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  it('passes @arethetypeswrong (node16 from ESM and CJS, bundler)', async () => {
    // The node16 profile leaves out node10 (moduleResolution "node"), which TypeScript 6 deprecates
    // and which cannot see subpath exports such as @persian-hub/server-adapter/express.
    const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
    const result = await run(process.execPath, [attw, tarball, '--profile', 'node16', '--format', 'ascii', '--no-color'], { maxBuffer: 16 << 20 }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
    expect(result.out).toContain(name);
    expect(result.code, result.out).toBe(0);
  });
});
