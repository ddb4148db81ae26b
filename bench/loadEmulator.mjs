// Emulator for the server load bench: 100 repos, each with one 4 MiB file, throttled so the
// 100 jobs stay busy (and keep emitting progress) for the whole run.
import { startHubEmulator } from '@persian-hub/hub-emulator';

const repos = Array.from({ length: 100 }, (_, i) => ({ id: `load/repo-${i}`, files: [{ path: 'weights.bin', size: 4 * 1024 * 1024, lfs: true }] }));
const emu = await startHubEmulator({ port: 0, repos });
emu.setFaults([{ type: 'throttle', bytesPerSecond: 20_000, match: { host: 'cdn' } }]);
process.stdout.write(`${JSON.stringify({ url: emu.url })}\n`);
process.on('SIGTERM', () => void emu.close().then(() => process.exit(0)));
