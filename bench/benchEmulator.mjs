// The Hub emulator in its own process, so the client being measured does not share an event loop with it.
import { startHubEmulator } from '@persian-hub/hub-emulator';

const MiB = 1024 * 1024;
const bigSize = Number(process.env.BENCH_BIG_BYTES ?? 256 * MiB);
const smalls = Array.from({ length: 300 }, (_, i) => ({ path: `small/${String(i % 10)}/file-${String(i).padStart(3, '0')}.json`, content: `{"n":${i},"pad":"${'x'.repeat(200 + (i % 50))}"}\n` }));
const emu = await startHubEmulator({
  port: 0,
  repos: [
    { id: 'bench/big', files: [{ path: 'big.bin', size: bigSize, lfs: true }] },
    { id: 'bench/small-files', files: smalls },
  ],
});
process.stdout.write(`${JSON.stringify({ url: emu.url, bigSize })}\n`);
process.on('SIGTERM', () => void emu.close().then(() => process.exit(0)));
