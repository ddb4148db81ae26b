import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Every package this repository publishes, with its folder. */
export const PUBLISHED = [
  { name: '@persian-hub/client', dir: 'packages/client' },
  { name: '@persian-hub/core', dir: 'packages/core' },
  { name: '@persian-hub/server-adapter', dir: 'packages/server-adapter' },
  { name: '@persian-hub/react', dir: 'packages/react' },
  { name: '@persian-hub/queue-bullmq', dir: 'packages/queue-bullmq' },
] as const;

export type PublishedName = (typeof PUBLISHED)[number]['name'];

export interface Packed {
  /** Where the tarballs are (a temporary folder, removed after the run). */
  readonly dir: string;
  /** Package name to the absolute path of its tarball. */
  readonly tarballs: Readonly<Record<PublishedName, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Packed;
  }
}
