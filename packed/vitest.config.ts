import { defineConfig } from 'vitest/config';

// The packages as npm would publish them: packed once (globalSetup), then linted (publint, attw),
// inspected, and installed offline into scratch host apps that run a real download.
export default defineConfig({
  test: {
    name: 'packed',
    environment: 'node',
    include: ['*.test.ts'],
    globalSetup: ['./packTarballs.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // npm installs and tsc runs are CPU-heavy: one file at a time on a 2-core machine.
    fileParallelism: false,
  },
});
