// Emulator for the server load bench: 100 repos, each with one 4 MiB file, throttled so the
// 100 jobs stay busy (and keep emitting progress) for the whole run. The first LOAD_BIG_JOBS (10)
// repos are datasets of LOAD_BIG_FILES (6,000) small LFS files instead: jobs whose file lists
// are what makes snapshots, events and GET /downloads heavy.
import { startHubEmulator } from '@persian-hub/hub-emulator';

const BIG_JOBS = Number(process.env.LOAD_BIG_JOBS ?? 10);
const BIG_FILES = Number(process.env.LOAD_BIG_FILES ?? 6000);
const bigFiles = Array.from({ length: BIG_FILES }, (_, i) => ({ path: `data/train-${String(i).padStart(5, '0')}.parquet`, size: 4096, lfs: true }));
const repos = Array.from({ length: 100 }, (_, i) =>
  i < BIG_JOBS ? { id: `load/repo-${i}`, files: bigFiles } : { id: `load/repo-${i}`, files: [{ path: 'weights.bin', size: 4 * 1024 * 1024, lfs: true }] },
);
const emu = await startHubEmulator({ port: 0, repos });
emu.setFaults([{ type: 'throttle', bytesPerSecond: 20_000, match: { host: 'cdn' } }]);
process.stdout.write(`${JSON.stringify({ url: emu.url, bigJobs: BIG_JOBS, bigFiles: BIG_FILES })}\n`);
process.on('SIGTERM', () => void emu.close().then(() => process.exit(0)));
