import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The data layer's tests (store, hooks; the client's own are in @persian-hub/client) in jsdom, runnable from the repo root:
// npx vitest run -c packages/react/vitest.data.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'react-data',
    environment: 'jsdom',
    include: ['src/store/**/*.test.ts', 'src/hooks/**/*.test.{ts,tsx}', 'src/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
