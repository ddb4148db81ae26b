import { defineConfig, type Options } from 'tsup';

const noSourcesContent: NonNullable<Options['esbuildOptions']> = (options) => {
  options.sourcesContent = false;
};

export default defineConfig([
  {
    entry: { index: 'src/index.ts', client: 'src/client.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    target: 'node20',
    // Maps for stack traces (node --enable-source-maps names src/*.ts lines) without the sources
    // themselves, which made the maps over half of the package.
    sourcemap: true,
    esbuildOptions: noSourcesContent,
    // Everything but the CLI, which the second build writes into the same folder at the same time.
    clean: ['!cli.js', '!cli.js.map'],
    // Keep `node:` specifiers: vitest does not resolve bare subpath builtins like `timers/promises`.
    removeNodeProtocol: false,
  },
  {
    // The `persian-hub` bin: one self-contained ESM file; its `#!` line makes tsup mark it executable.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    splitting: false,
    target: 'node20',
    sourcemap: true,
    esbuildOptions: noSourcesContent,
    clean: false,
    removeNodeProtocol: false,
  },
]);
