#!/usr/bin/env node
// `changeset version` in a throwaway copy of the working tree: the release it would make, checked.
// The repository itself is not touched. Fails when the fixed group would not share one version,
// when a package would jump a major that no changeset asked for (the trap of peer dependencies:
// changesets bumps a peer's dependents a major by default), when an internal range would not
// accept the new version, or when the changesets were not consumed.
//
//   node scripts/changesetVersionDryRun.mjs [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const semver = require('semver');
const keep = process.argv.includes('--keep');

const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
const fixed = config.fixed.flat();
const changesetFiles = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');

// Tracked and untracked-but-not-ignored files: what a commit of the working tree would hold.
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && existsSync(join(root, f)));
const copy = mkdtempSync(join(tmpdir(), 'ph-changeset-'));
for (const f of files) {
  mkdirSync(dirname(join(copy, f)), { recursive: true });
  cpSync(join(root, f), join(copy, f));
}
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');

const readPkg = (dir, rel) => JSON.parse(readFileSync(join(dir, rel, 'package.json'), 'utf8'));
const workspaceDirs = readPkg(root, '.').workspaces.flatMap((w) =>
  w.endsWith('/*') ? readdirSync(join(root, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
).filter((d) => existsSync(join(root, d, 'package.json')));
const before = Object.fromEntries(workspaceDirs.map((d) => [readPkg(root, d).name, readPkg(root, d).version]));

const problems = [];
try {
  const run = spawnSync(process.execPath, [require.resolve('@changesets/cli/bin.js'), 'version'], { cwd: copy, encoding: 'utf8' });
  if (run.status !== 0) problems.push(`changeset version exited ${run.status}: ${run.stderr || run.stdout}`);

  const after = Object.fromEntries(workspaceDirs.map((d) => [readPkg(copy, d).name, { dir: d, pkg: readPkg(copy, d) }]));
  const asked = new Map(); // package -> highest bump a changeset asked for
  const rank = { patch: 1, minor: 2, major: 3 };
  for (const f of changesetFiles) {
    const front = readFileSync(join(root, '.changeset', f), 'utf8').split('---')[1] ?? '';
    for (const m of front.matchAll(/['"]?(@?[\w/.-]+)['"]?\s*:\s*(patch|minor|major)/g)) {
      if ((rank[m[2]] ?? 0) > (rank[asked.get(m[1])] ?? 0)) asked.set(m[1], m[2]);
    }
  }
  const groupAsked = Math.max(0, ...fixed.map((n) => rank[asked.get(n)] ?? 0));

  const versions = new Set(fixed.map((n) => after[n]?.pkg.version));
  if (versions.size !== 1) problems.push(`the fixed group does not share one version: ${fixed.map((n) => `${n}@${after[n]?.pkg.version}`).join(', ')}`);
  for (const name of fixed) {
    const from = before[name];
    const to = after[name]?.pkg.version;
    if (!to) {
      problems.push(`${name}: missing after changeset version`);
      continue;
    }
    const diff = semver.diff(from, to);
    if (changesetFiles.length > 0 && !diff) problems.push(`${name}: not bumped (${from})`);
    if (semver.major(to) > semver.major(from) && groupAsked < rank.major) problems.push(`${name}: ${from} -> ${to} is a major no changeset asked for`);
  }
  // Every internal range accepts the version it will meet.
  for (const { pkg } of Object.values(after)) {
    for (const type of ['dependencies', 'peerDependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(pkg[type] ?? {})) {
        const target = after[dep];
        if (!target || range === '*') continue;
        if (!semver.satisfies(target.pkg.version, range)) problems.push(`${pkg.name} ${type} ${dep}@${range} does not accept ${target.pkg.version}`);
      }
    }
  }
  const left = readdirSync(join(copy, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(', ')}`);

  console.log(`changeset version (dry run in ${copy}): ${changesetFiles.length} changesets`);
  for (const name of Object.keys(after).sort()) {
    const { pkg, dir } = after[name];
    if (pkg.version === before[name]) continue;
    const changelog = existsSync(join(copy, dir, 'CHANGELOG.md')) ? 'CHANGELOG.md written' : 'no CHANGELOG.md';
    console.log(`  ${name}${pkg.private ? ' (private)' : ''}: ${before[name]} -> ${pkg.version}, ${changelog}`);
  }
} finally {
  if (!keep) rmSync(copy, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`changeset version dry run: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('changeset version dry run: ok');
