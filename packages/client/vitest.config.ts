import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'client',
    // The REST/SSE client runs against a real HTTP server in jsdom (browser globals, Node sockets).
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
