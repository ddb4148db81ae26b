import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { startHubEmulator, type HubEmulator, type HubEmulatorOptions } from '@persian-hub/hub-emulator';
import { createDownloadManager, type DownloadManager, type DownloadManagerOptions } from '../src/index.js';

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

export async function tempDir(prefix = 'ph-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

let shared: HubEmulator | undefined;
/** One emulator with the default Persian repos, shared by a test file (faults are reset per test). */
export async function sharedEmulator(): Promise<HubEmulator> {
  if (!shared) {
    shared = await startHubEmulator({ port: 0 });
    afterAll(async () => {
      await shared?.close();
      shared = undefined;
    });
  }
  shared.clearFaults();
  shared.resetStats();
  return shared;
}

export async function emulator(options: HubEmulatorOptions = {}): Promise<HubEmulator> {
  const emu = await startHubEmulator({ port: 0, ...options });
  cleanups.push(() => emu.close());
  return emu;
}

/** A manager with fast retries (tests must not wait seconds for backoff) and its own temp dirs. */
export async function manager(endpoint: string, options: DownloadManagerOptions = {}): Promise<DownloadManager> {
  const root = await tempDir();
  const m = createDownloadManager({
    endpoint,
    token: false,
    cacheDir: join(root, 'hub'),
    stateDir: join(root, 'state'),
    retry: { retries: 4, minDelayMs: 5, maxDelayMs: 50 },
    progressIntervalMs: 50,
    ...options,
  });
  cleanups.push(() => m.close());
  await m.ready();
  return m;
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Every entry under dir: files as `file <size>` (or `sha256 <hex>` with `hash`), symlinks as
 * `-> target`, folders as `dir` with `dirs`, so layouts compare as data. With both, two equal
 * results mean the tree is byte-identical, not only the same shape.
 */
export async function describeTree(dir: string, options: { hash?: boolean; dirs?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const p = join(d, e.name);
      if (e.isSymbolicLink()) out[rel] = `-> ${await readlink(p)}`;
      else if (e.isDirectory()) {
        if (options.dirs) out[`${rel}/`] = 'dir';
        await visit(p, rel);
      } else out[rel] = options.hash ? `sha256 ${await sha256File(p)}` : `file ${(await lstat(p)).size}`;
    }
  };
  await visit(dir, '');
  return out;
}

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/**
 * A download in a child process (test/fixtures/downloadChild.mjs) into `cacheDir`, with manager
 * `options` (JSON). `reached(n)` resolves once it has reported more than n bytes; its progress
 * lines keep being read, so the child never blocks on a full pipe.
 */
export function downloadInChild(endpoint: string, cacheDir: string, stateDir: string, request: object, options: object = {}) {
  const child = spawn(process.execPath, [join(fixtures, 'downloadChild.mjs')], {
    env: { ...process.env, ENDPOINT: endpoint, CACHE_DIR: cacheDir, STATE_DIR: stateDir, REQUEST: JSON.stringify(request), OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const waiters: Array<{ bytes: number; resolve: () => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const bytes = (JSON.parse(line) as { bytes: number }).bytes;
    for (const w of [...waiters]) {
      if (bytes <= w.bytes) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const reached = (bytes: number) => new Promise<void>((resolve) => waiters.push({ bytes, resolve }));
  return { child, exited, reached };
}
