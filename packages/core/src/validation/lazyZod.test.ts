import { describe, expect, it, vi } from 'vitest';

// Any static `import … from 'zod'` reached by importing core runs this factory and fails the
// import. The lazy loader requires zod itself, outside vitest's module graph, so it still works.
vi.mock('zod', () => {
  throw new Error('zod was imported when @persian-hub/core was');
});

describe('importing @persian-hub/core', () => {
  it('does not load zod; the first validation does, and validates as before', async () => {
    const core = await import('../index.js');
    expect(core.persianHubCatalog.get('piper-fa-amir-medium')?.repoId).toBe('rhasspy/piper-voices');
    expect(() => core.createCatalog([{ id: 'Not A Slug' }])).toThrow(/Invalid catalog/);
    expect(() => core.createDownloadManager({ concurrency: 0, cacheDir: '/nonexistent-ph-cache' })).toThrow(/concurrency/);
  });
});
