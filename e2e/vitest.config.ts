import { defineConfig } from 'vitest/config';

// Browser tests in Debian's Chromium (playwright-core): the built Storybook and the demo app.
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One browser at a time on a 2-core machine.
    fileParallelism: false,
  },
});
