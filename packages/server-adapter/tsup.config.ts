import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per framework so a Fastify user never loads express (and the reverse).
  entry: { index: 'src/index.ts', express: 'src/express.ts', fastify: 'src/fastify.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  // Maps for stack traces (node --enable-source-maps names src/*.ts lines) without the sources
  // themselves, which made the maps over half of the package.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  // Keep `node:` specifiers: vitest does not resolve bare subpath builtins like `timers/promises`.
  removeNodeProtocol: false,
  external: ['express', 'fastify', '@persian-hub/core', 'zod', 'tar-stream'],
});
