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
    // expect.poll waits for the page to reach a state; its 1 s default is a timing window that a
    // loaded machine misses (a first render can take longer). Each test keeps its own bound.
    expect: { poll: { timeout: 60_000 } },
  },
});
