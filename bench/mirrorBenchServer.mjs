// The Hub mirror alone in an Express process, over a cache folder (installed mode needs no
// manager behind it). Prints { url, pid } once listening. Used by mirrorBench.mjs.
import express from 'express';
import { createExpressHubMirror } from '@persian-hub/server-adapter/express';

const [cacheDir] = process.argv.slice(2);
const highWaterMark = process.env.MIRROR_HWM ? Number(process.env.MIRROR_HWM) : undefined;
// The manager's methods are never called in installed mode: only its cache folder is read.
const manager = /** @type {any} */ ({ cacheDir });
const app = express();
app.use('/hub', createExpressHubMirror(manager, highWaterMark ? { highWaterMark } : {}));
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/hub`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
