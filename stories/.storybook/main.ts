import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../*.stories.@(ts|tsx)'],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // Stories read the kit from source, so `npm run storybook` needs no prior build and edits
    // show up at once. The published package is tested through its dist by its own tests.
    viteConfig.resolve ??= {};
    viteConfig.resolve.alias = [
      ...(Array.isArray(viteConfig.resolve.alias) ? viteConfig.resolve.alias : []),
      { find: /^@persian-hub\/react$/, replacement: fromRoot('packages/react/src/index.ts') },
      { find: /^@persian-hub\/core\/client$/, replacement: fromRoot('packages/core/src/client.ts') },
    ];
    return viteConfig;
  },
};

export default config;
