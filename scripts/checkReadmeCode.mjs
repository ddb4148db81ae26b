#!/usr/bin/env node
// Type-checks every ```ts / ```tsx block of every README against the built packages, so a README
// cannot show code that does not compile. Each block is its own module in a temporary project
// under node_modules/.cache (so `@persian-hub/*`, express, react… resolve as in a host app) and
// `tsc` checks them all at once; errors are reported at their README line.
//
// A block that is a fragment on purpose may be skipped with an HTML comment on the line before
// its fence (invisible on npm and GitHub), giving the reason:
//   <!-- readme-check: skip (a fragment: `app` is the reader's) -->
//
//   node scripts/checkReadmeCode.mjs        (after npm run build)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const SKIP = /^<!--\s*readme-check:\s*skip\b.*-->\s*$/;
const FENCE = /^```(ts|tsx|typescript)\s*$/;

const readmes = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '*README.md'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f && !f.includes('node_modules/') && !f.includes('/fixtures/'));

/** @type {{ readme: string, line: number, lang: string, code: string, file: string }[]} */
const blocks = [];
const skipped = [];
for (const readme of readmes) {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${readme}:${i + 1}: unclosed code block`);
    const code = lines.slice(i + 1, end).join('\n');
    if (i > 0 && SKIP.test(lines[i - 1].trim())) skipped.push(`${readme}:${i + 1} ${lines[i - 1].trim()}`);
    else {
      const ext = m[1] === 'tsx' ? 'tsx' : 'ts';
      const file = `${readme.replace(/[^A-Za-z0-9]+/g, '_')}_L${i + 1}.${ext}`;
      blocks.push({ readme, line: i + 2, lang: m[1], code, file });
    }
    i = end;
  }
}

const dir = join(root, 'node_modules', '.cache', `readme-check-${process.pid}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
try {
  // What a host's bundler types (vite/client, webpack, Next) declare: CSS side-effect imports.
  writeFileSync(join(dir, 'bundler-env.d.ts'), "declare module '*.css';\n");
  for (const b of blocks) {
    // `export {}` makes every block a module: its own scope, and top-level await is allowed.
    writeFileSync(join(dir, b.file), `${b.code}\nexport {};\n`);
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          jsx: 'react-jsx',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          esModuleInterop: true,
          isolatedModules: true,
          types: ['node'],
        },
        include: ['*.ts', '*.tsx'],
      },
      null,
      2,
    ),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  const byFile = new Map(blocks.map((b) => [b.file, b]));
  const errors = [];
  for (const line of `${run.stdout}${run.stderr}`.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (!m) {
      if (line.trim()) errors.push(line);
      continue;
    }
    const b = byFile.get(m[1].split(/[\\/]/).pop());
    errors.push(b ? `${b.readme}:${b.line + Number(m[2]) - 1}:${m[3]} ${m[4]}` : line);
  }
  console.log(`README code: ${blocks.length} TypeScript blocks in ${readmes.length} READMEs checked, ${skipped.length} skipped`);
  for (const s of skipped) console.log(`  skipped ${s}`);
  if (run.status !== 0 || errors.length > 0) {
    console.error(errors.join('\n'));
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
