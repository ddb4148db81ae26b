#!/usr/bin/env node
// `npm run typecheck`: every TypeScript project of the repository, then the README code blocks.
// Packages import each other through dist, so run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');

const projects = [
  'tsconfig.json', // core and hub-emulator sources (what CI has always checked)
  'packages/client/tsconfig.json', // browser: no Node globals in the shipped sources
  'packages/client/tsconfig.test.json',
  'packages/core/tsconfig.json',
  'packages/hub-emulator/tsconfig.json',
  'packages/server-adapter/tsconfig.json',
  'packages/queue-bullmq/tsconfig.json',
  'packages/react/tsconfig.json', // browser: no Node globals in the shipped sources
  'packages/react/tsconfig.test.json',
  'stories/tsconfig.json',
  'examples/tsconfig.json', // the example hosts, JavaScript checked against the packages' types
  'examples/ui/tsconfig.json',
  'e2e/tsconfig.json',
  'packed/tsconfig.json',
];

let failed = 0;
for (const project of projects) {
  const run = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root, stdio: 'inherit' });
  console.log(`${run.status === 0 ? 'ok  ' : 'FAIL'} tsc -p ${project}`);
  if (run.status !== 0) failed++;
}
const readme = spawnSync(process.execPath, [join(root, 'scripts', 'checkReadmeCode.mjs')], { cwd: root, stdio: 'inherit' });
if (readme.status !== 0) failed++;
if (failed > 0) {
  console.error(`typecheck: ${failed} project(s) failed`);
  process.exit(1);
}
