import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Demo {
  /** The page, e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  readonly emulatorUrl: string;
  readonly cache: string;
  stop(): Promise<void>;
}

/** `npm run demo` minus the build (npm test has built everything): the Express app and the Hub emulator, on free ports. */
export async function startDemo(options: { bytesPerSecond?: number } = {}): Promise<Demo> {
  const cache = await mkdtemp(join(tmpdir(), 'ph-e2e-page-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'examples/express-app/demo.mjs')], {
    env: { ...process.env, PORT: '0', HF_HUB_CACHE: join(cache, 'hub'), DEMO_BYTES_PER_SEC: String(options.bytesPerSecond ?? 60_000) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let url = '';
  let emulatorUrl = '';
  for await (const line of createInterface({ input: child.stdout! })) {
    const e = /Hub emulator: (\S+)/.exec(line);
    if (e) emulatorUrl = e[1]!;
    const m = /Persian Hub demo: (\S+)/.exec(line);
    if (m) {
      url = m[1]!;
      break;
    }
  }
  if (!url) throw new Error('the demo exited before printing its address');
  return {
    url,
    emulatorUrl,
    cache,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(cache, { recursive: true, force: true });
    },
  };
}
