import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import postcss from 'postcss';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

/**
 * Writes `file.br` and `file.gz` beside every text asset once, at build time, with the strongest
 * settings (too slow to run per request), so the host only picks the file the browser accepts.
 * Fonts (woff2) are compressed already.
 */
function precompress() {
  let outDir = '';
  return {
    name: 'persian-hub-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const walk = async (dir) => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await walk(path);
          else if (COMPRESSIBLE.test(entry.name)) {
            const body = await readFile(path);
            await writeFile(`${path}.br`, await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
            await writeFile(`${path}.gz`, await gz(body, { level: 9 }));
          }
        }
      };
      await walk(outDir);
    },
  };
}

/**
 * Drops the CSS of Radix Themes components this page never renders. Radix ships one
 * `components.css` for all of them (430 KB); each component's JS names its own classes
 * (`rt-Button`, `rt-SegmentedControlItem`), so a rule whose selector needs a component class that
 * appears nowhere in the page's JS can never match. Utility classes (`rt-r-mt-2`) and everything
 * without a component class stay. The file gets a new content hash, since hashed assets are cached
 * for a year.
 */
function dropUnusedRadixComponents() {
  const COMPONENT_CLASS = /\.(rt-[A-Z][A-Za-z]*)/g;
  return {
    name: 'persian-hub-drop-unused-radix-components',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const js = Object.values(bundle)
        .filter((file) => file.type === 'chunk')
        .map((file) => file.code)
        .join('\n');
      const used = new Set(js.match(/rt-[A-Z][A-Za-z]*/g) ?? []);
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.css')) continue;
        const root = postcss.parse(String(file.source));
        root.walkRules((rule) => {
          if (rule.parent?.type === 'atrule' && /keyframes$/.test(rule.parent.name)) return;
          const kept = rule.selectors.filter((selector) => [...selector.matchAll(COMPONENT_CLASS)].every(([, name]) => used.has(name ?? '')));
          if (kept.length === 0) rule.remove();
          else if (kept.length < rule.selectors.length) rule.selectors = kept;
        });
        root.walkAtRules((at) => {
          if (at.nodes && at.nodes.length === 0) at.remove();
        });
        const css = root.toString();
        const hash = createHash('sha256').update(css).digest('base64url').slice(0, 8);
        const renamed = file.fileName.replace(/-[\w-]{8}\.css$/, `-${hash}.css`);
        delete bundle[file.fileName];
        for (const other of Object.values(bundle)) {
          if (other.type === 'asset' && other.fileName.endsWith('.html')) other.source = String(other.source).split(file.fileName).join(renamed);
          if (other.type === 'chunk' && other.code.includes(file.fileName)) throw new Error(`${other.fileName} names ${file.fileName}; rename it there too`);
        }
        this.emitFile({ type: 'asset', fileName: renamed, source: css });
      }
    },
  };
}

// The React UI of the example hosts: `npm run build` writes dist/ (hashed assets plus .br/.gz
// twins), which staticFiles.mjs serves with the right encoding and cache headers.
export default defineConfig({
  root: 'src',
  plugins: [react(), dropUnusedRadixComponents(), precompress()],
  build: { outDir: '../dist', emptyOutDir: true, assetsInlineLimit: 0 },
  server: { proxy: { '/api': 'http://127.0.0.1:3001' } },
});
