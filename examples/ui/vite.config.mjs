import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The React UI of the example host: `npm run build:ui` writes dist/, which server.mjs serves.
export default defineConfig({
  root: 'src',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3001' } },
});
