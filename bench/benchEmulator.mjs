// The Hub emulator in its own process, so the client being measured does not share an event loop with it.
// Prints one JSON line: { url, control, bigSize, shapedSize, smallFiles }. The control server (plain HTTP) takes
//   POST /setup  {"faults": [...], "latencyMs": 100}   set the link for the next case
//   POST /reset                                       forget the request records
//   GET  /stats                                       requests by kind, bytes served, connections opened
import { createCipheriv } from 'node:crypto';
import { createServer } from 'node:http';
import { startHubEmulator } from '@persian-hub/hub-emulator';

const MiB = 1024 * 1024;
const bigSize = Number(process.env.BENCH_BIG_BYTES ?? 256 * MiB);
const shapedSize = Number(process.env.BENCH_SHAPED_BYTES ?? 32 * MiB);

/**
 * Incompressible bytes made fast (AES-CTR keystream): the emulator then only copies them, so the
 * loopback case measures the clients, not the emulator's own byte generator.
 */
function bytes(size, seed) {
  const key = Buffer.alloc(16, seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const smalls = Array.from({ length: 300 }, (_, i) => ({
  path: `small/${String(i % 10)}/file-${String(i).padStart(3, '0')}.json`,
  content: `{"n":${i},"pad":"${'x'.repeat(200 + (i % 50))}"}\n`,
}));
const emu = await startHubEmulator({
  port: 0,
  repos: [
    { id: 'bench/big', files: [{ path: 'big.bin', content: bytes(bigSize, 1), lfs: true }] },
    { id: 'bench/shaped', files: [{ path: 'model.bin', content: bytes(shapedSize, 2), lfs: true }] },
    { id: 'bench/small-files', files: smalls },
  ],
});

const control = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/setup') {
      const { faults = [], latencyMs = 0 } = JSON.parse(body || '{}');
      emu.setFaults(faults);
      emu.setLatency(latencyMs);
      emu.resetStats();
    } else if (req.method === 'POST' && req.url === '/reset') {
      emu.resetStats();
    } else if (req.method === 'GET' && req.url === '/stats') {
      const kinds = { api: 0, resolveHead: 0, resolveGet: 0, cdn: 0 };
      for (const r of emu.requests) {
        if (r.url.startsWith('/api/')) kinds.api++;
        else if (r.url.startsWith('/cdn/')) kinds.cdn++;
        else if (r.method === 'HEAD') kinds.resolveHead++;
        else kinds.resolveGet++;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ requests: emu.requests.length, ...kinds, bytes: emu.bytesServed(), connections: emu.connectionsOpened() }));
      return;
    } else {
      res.statusCode = 404;
    }
    res.end();
  });
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
process.stdout.write(
  `${JSON.stringify({ url: emu.url, control: `http://127.0.0.1:${control.address().port}`, bigSize, shapedSize, smallFiles: smalls.length })}\n`,
);
process.on('SIGTERM', () => {
  control.close();
  void emu.close().then(() => process.exit(0));
});
