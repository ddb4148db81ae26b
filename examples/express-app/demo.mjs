#!/usr/bin/env node
// `npm run demo`: the Express host app plus the bundled Hub emulator, fully offline.
// The emulator is throttled (like a slow connection) so progress is visible; DEMO_BYTES_PER_SEC=0 turns that off.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDownloadManager } from '@persian-hub/core';
import { startHubEmulator } from '@persian-hub/hub-emulator';
import { resolveHostSecurity } from '@persian-hub/example-ui/hostSecurity.mjs';
import { startExpressApp } from './server.mjs';

// 127.0.0.1 unless HOST is set; beyond this machine PERSIAN_HUB_ADMIN_TOKEN is required.
try {
  resolveHostSecurity();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const emulator = await startHubEmulator({ port: Number(process.env.EMULATOR_PORT ?? 0) });
const bps = Number(process.env.DEMO_BYTES_PER_SEC ?? 400_000);
if (bps > 0) emulator.setFaults([{ type: 'throttle', bytesPerSecond: bps }]);

const cacheDir = process.env.HF_HUB_CACHE ?? join(root, '.demo-cache', 'hub');
const manager = createDownloadManager({
  endpoint: emulator.url,
  cacheDir,
  stateDir: join(cacheDir, '..', 'state'),
  token: 'hf_emulator_token', // the emulator's token, so the gated demo entries work too
});
const app = await startExpressApp({ port: Number(process.env.PORT ?? 3001), manager });
console.log(`Hub emulator: ${emulator.url} (throttled to ${bps} B/s)`);
console.log(`Cache: ${cacheDir}`);
console.log(`Persian Hub demo: ${app.url}`);
if (process.env.PERSIAN_HUB_ADMIN_TOKEN) console.log(`Changes need the admin token: open ${app.url}#token=<PERSIAN_HUB_ADMIN_TOKEN>`);
console.log(`REST: ${app.url}api/sources/models/available`);

const stop = async () => {
  await app.close();
  await manager.close();
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', stop).once('SIGTERM', stop);
