// `changeset version` as the release would run it, in a temporary copy of the working tree.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { PUBLISHED, REPO } from './packages.js';

const run = promisify(execFile);

it('changeset version (dry run) bumps the fixed group together, with no surprise major', async () => {
  const result = await run(process.execPath, [join(REPO, 'scripts', 'changesetVersionDryRun.mjs')], { cwd: REPO, maxBuffer: 16 << 20 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
  expect(result.code, result.out).toBe(0);
  // Right after a release there is nothing to version; otherwise the whole fixed group moves together.
  const pending = readdirSync(join(REPO, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length > 0) for (const { name } of PUBLISHED) expect(result.out).toMatch(new RegExp(`${name}: \\S+ -> \\S+, CHANGELOG.md written`));
  expect(result.out).toContain('changeset version dry run: ok');
});
