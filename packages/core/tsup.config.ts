import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  sourcemap: true,
  clean: true,
  // Keep `node:` specifiers: vitest does not resolve bare subpath builtins like `timers/promises`.
  removeNodeProtocol: false,
});
