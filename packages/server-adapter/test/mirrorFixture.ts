import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Request } from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import { createDownloadManager, type DownloadManager, type DownloadManagerOptions } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator, type ResolvedRevision } from '@persian-hub/hub-emulator';
import { createExpressHubMirror } from '../src/express.js';
import { persianHubMirror } from '../src/fastify.js';
import type { HubMirrorOptions } from '../src/index.js';

export const MODEL = 'HooshvareLab/bert-fa-base-uncased';
export const DATASET = 'persiannlp/parsinlu_translation_en_fa';
export const PARQUET = 'refs/convert/parquet';
/** A repo that exists only in an offline bundle: no Hub the mirror could ask has it. */
export const OFFLINE = 'lab/offline-voice';

export async function tempDir(prefix = 'ph-mirror-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function createManager(root: string, endpoint: string, options: DownloadManagerOptions = {}): DownloadManager {
  return createDownloadManager({
    endpoint,
    token: false,
    cacheDir: join(root, 'hub'),
    stateDir: join(root, 'state'),
    progressIntervalMs: 50,
    retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

export interface MirrorFixture {
  readonly emu: HubEmulator;
  /** The manager whose cache the mirror serves (its endpoint is the emulator). */
  readonly manager: DownloadManager;
  readonly root: string;
  /** The offline repo's files, path → bytes' sha256, and its commit. */
  readonly offline: { readonly commit: string; readonly files: ReadonlyMap<string, string> };
  revision(type: 'model' | 'dataset', repoId: string, name: string): ResolvedRevision;
  close(): Promise<void>;
}

/**
 * A cache with a model at main, a dataset at refs/convert/parquet (both downloaded by the
 * manager from the emulator) and a repo imported from a bundle that was made against another
 * emulator, closed since: nothing upstream has it.
 */
export async function createMirrorFixture(): Promise<MirrorFixture> {
  const root = await tempDir();
  const emu = await startHubEmulator({ port: 0 });
  const manager = createManager(root, emu.url);
  await manager.waitFor((await manager.start({ repoId: MODEL })).id);
  await manager.waitFor((await manager.start({ repoId: DATASET, repoType: 'dataset', revision: PARQUET })).id);

  const elsewhere = await startHubEmulator({ port: 0, repos: [] });
  const spec = await elsewhere.addRepo({
    id: OFFLINE,
    files: [
      { path: 'README.md', content: '# صدای آزمایشگاه\n' },
      { path: 'fa/voice.onnx', size: 3 * 1024 * 1024 + 17 },
      { path: 'fa/voice.onnx.json', content: '{"audio":{"sample_rate":22050}}' },
    ],
  });
  const maker = createManager(join(root, 'maker'), elsewhere.url);
  await maker.waitFor((await maker.start({ repoId: OFFLINE })).id);
  const bundle = join(root, 'offline.tar');
  await maker.exportBundle(OFFLINE, bundle);
  await maker.close();
  await elsewhere.close();
  const imported = await manager.importBundle(bundle);
  const done = await manager.waitFor(imported.job.id);
  if (done.status !== 'completed') throw new Error(`bundle import ${done.status}`);
  const offline = { commit: spec.commit, files: new Map(spec.main.files.map((f) => [f.path, f.sha256])) };

  return {
    emu,
    manager,
    root,
    offline,
    revision: (type, repoId, name) => emu.repos.get(`${type}:${repoId}`)!.revisions.get(name)!,
    close: async () => {
      await manager.close();
      await emu.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export interface StartedMirror {
  /** `http://127.0.0.1:port/hub`: what HF_ENDPOINT is set to. */
  readonly url: string;
  readonly close: () => Promise<void>;
}

export type StartMirror = (manager: DownloadManager, options?: HubMirrorOptions<any>) => Promise<StartedMirror>;

export const startExpressMirror: StartMirror = async (manager, options = {}) => {
  const app = express();
  app.use('/hub', createExpressHubMirror(manager, options as HubMirrorOptions<Request>));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hub`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export const startFastifyMirror: StartMirror = async (manager, options = {}) => {
  const app = Fastify({ forceCloseConnections: true });
  await app.register(persianHubMirror, { manager, ...(options as HubMirrorOptions<FastifyRequest>), prefix: '/hub' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hub`, close: () => app.close() };
};

export const MIRRORS: [string, StartMirror][] = [
  ['express', startExpressMirror],
  ['fastify', startFastifyMirror],
];

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Every regular file under dir (links followed), path → sha256. */
export async function hashTree(dir: string, skip: (rel: string) => boolean = (p) => p.startsWith('.cache/')): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (skip(rel)) continue;
      const p = join(d, e.name);
      if ((await stat(p)).isDirectory()) await visit(p, rel);
      else out.set(rel, await sha256File(p));
    }
  };
  await visit(dir, '');
  return out;
}

export function expectedHashes(rev: ResolvedRevision): Map<string, string> {
  return new Map(rev.files.map((f) => [f.path, f.sha256]));
}
