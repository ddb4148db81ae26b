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
  // Peers (react, react-dom, @radix-ui/themes) and dependencies stay imports; tsup externalizes
  // both lists, this makes the peers explicit and keeps JSX subpaths out of the bundle too.
  external: ['react', 'react-dom', 'react/jsx-runtime', '@radix-ui/themes', '@persian-hub/client'],
  // Radix Themes components are client components; this lets React Server Component hosts
  // (Next.js app router) import the kit directly.
  banner: { js: '"use client";' },
  esbuildOptions(options) {
    options.jsx = 'automatic';
  },
});
