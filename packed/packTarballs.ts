// globalSetup of the `packed` project: `npm pack` every published package once, into a temporary
// folder of its own (two suites at once never share one), and hand the paths to the tests.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { PUBLISHED, REPO, type PublishedName } from './packages.js';

const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'ph-packed-'));
  const tarballs = {} as Record<PublishedName, string>;
  for (const pkg of PUBLISHED) {
    if (!existsSync(join(REPO, pkg.dir, 'dist'))) throw new Error(`${pkg.name} is not built: run npm run build first (npm test does).`);
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: join(REPO, pkg.dir), maxBuffer: 64 << 20 });
    const [info] = JSON.parse(stdout) as [{ filename: string }];
    tarballs[pkg.name] = join(dir, info.filename);
  }
  project.provide('packed', { dir, tarballs });
  return () => rm(dir, { recursive: true, force: true });
}
