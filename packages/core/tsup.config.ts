import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  target: 'node20',
  // Maps for stack traces (node --enable-source-maps names src/*.ts lines) without the sources
  // themselves, which made the maps over half of the package.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  // The two builds write into one folder at the same time: `npm run build` empties it first.
  clean: false,
  // Keep `node:` specifiers: vitest does not resolve bare subpath builtins like `timers/promises`.
  removeNodeProtocol: false,
};

export default defineConfig([
  {
    ...shared,
    // ESM, with the `persian-hub` bin as a third entry: it shares the library's chunks instead of
    // carrying a second copy of it (its `#!` line makes tsup mark it executable).
    entry: { index: 'src/index.ts', client: 'src/client.ts', schemas: 'src/schemas.ts', cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', client: 'src/client.ts', schemas: 'src/schemas.ts' } },
  },
  {
    ...shared,
    entry: { index: 'src/index.ts', client: 'src/client.ts', schemas: 'src/schemas.ts' },
    format: ['cjs'],
    // import.meta.url for the lazy zod loader (it uses `require` here, but the reference stays).
    shims: true,
    dts: true,
  },
]);
