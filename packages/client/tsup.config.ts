import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'es2022',
  platform: 'browser',
  // No source maps: host bundlers re-bundle this readable, unminified ESM, and a map whose sources
  // are not shipped only makes them warn (and maps with the sources were over half the package).
  sourcemap: false,
  clean: true,
});
