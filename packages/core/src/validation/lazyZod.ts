import { createRequire } from 'node:module';
import type * as Zod from 'zod';

type ZodApi = typeof Zod.z;

let loaded: ZodApi | undefined;

/**
 * zod, loaded the first time something is validated rather than when `@persian-hub/core` is
 * imported. Its ~200 modules were most of the import's cost (a CLI run or a host app's start pays
 * it); most processes validate their first input long after they start, or never. Loaded with
 * `createRequire` so that synchronous APIs (`createDownloadManager`, `createCatalog`) can use it.
 */
export function loadZod(): ZodApi {
  if (!loaded) {
    // Not the bare `require`: bundlers turn it into a stub that throws in ES modules. The CommonJS
    // build gets `import.meta.url` from tsup's shims.
    loaded = (createRequire(import.meta.url)('zod') as typeof Zod).z;
  }
  return loaded;
}

/** A value built from zod on first use, then kept: `const schemas = lazyZod((z) => ({ … }))`. */
export function lazyZod<T>(build: (z: ZodApi) => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build(loadZod());
      built = true;
    }
    return value as T;
  };
}
