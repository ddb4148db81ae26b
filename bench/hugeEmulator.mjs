// The Hub emulator for bench/hugeFile.mjs, in its own process: one generated LFS file of
// BENCH_HUGE_BYTES. Prints { url, sha256 } on its first line; answers 'stats' over IPC with the
// bytes it has served.
import { startHubEmulator } from '@persian-hub/hub-emulator';

const size = Number(process.env.BENCH_HUGE_BYTES);
const emu = await startHubEmulator({ port: 0, repos: [{ id: 'bench/huge', files: [{ path: 'huge.bin', size, lfs: true }] }] });
const file = emu.repos.get('model:bench/huge').main.filesByPath.get('huge.bin');
process.stdout.write(`${JSON.stringify({ url: emu.url, sha256: file.sha256 })}\n`);
process.on('message', (m) => {
  if (m === 'stats') process.send({ bytesServed: emu.bytesServed() });
});
process.on('SIGTERM', () => void emu.close().then(() => process.exit(0)));
