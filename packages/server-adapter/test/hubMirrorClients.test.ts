// The official clients, unmodified, with their endpoint set to the mirror: huggingface_hub 0.36.2
// (Python: snapshot_download, hf_hub_download, the `hf download` CLI), @huggingface/hub
// (snapshotDownload, downloadFile) and a second Persian Hub manager. A missing Python client or
// missing Debian packages fail these tests with what to install (officialHfCli.ts), never skip.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, snapshotDownload } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { locateOfficialHfCli, type OfficialHfCli } from '../../core/test/officialHfCli.js';
import {
  createManager,
  createMirrorFixture,
  DATASET,
  expectedHashes,
  hashTree,
  MODEL,
  OFFLINE,
  PARQUET,
  startExpressMirror,
  startFastifyMirror,
  type MirrorFixture,
  type StartedMirror,
} from './mirrorFixture.js';

let fx: MirrorFixture;
let mirror: StartedMirror;
let work: string;
let upstreamRequests: number;
/** A fresh folder inside this file's work folder (removed after all tests). */
const tempDir = (prefix: string) => mkdtemp(join(work, prefix));

beforeAll(async () => {
  fx = await createMirrorFixture();
  // The Python client pages through nothing here (0.36 reads siblings), but js lists the tree:
  // three entries a page makes it follow Link headers.
  mirror = await startExpressMirror(fx.manager, { pageSize: 3 });
  work = await mkdtemp(join(tmpdir(), 'ph-mirror-clients-'));
  upstreamRequests = fx.emu.requests.length;
}, 120_000);
afterAll(async () => {
  await mirror?.close();
  await fx?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const CASES = [
  { label: 'a model at main', type: 'model', repoId: MODEL, revision: 'main' },
  { label: 'a dataset at refs/convert/parquet', type: 'dataset', repoId: DATASET, revision: PARQUET },
  { label: 'a repo imported from an offline bundle, with no upstream', type: 'model', repoId: OFFLINE, revision: 'main' },
] as const;

function expected(c: (typeof CASES)[number]): Map<string, string> {
  return c.repoId === OFFLINE ? new Map(fx.offline.files) : expectedHashes(fx.revision(c.type, c.repoId, c.revision));
}

let python: OfficialHfCli | undefined;
/** Runs Python with HF_ENDPOINT at the mirror and its own HF_HOME; resolves to stdout. */
function runPython(args: readonly string[], home: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  python ??= locateOfficialHfCli();
  const { python: bin, peer } = python;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HF_') && !k.startsWith('HUGGING')));
  return new Promise((resolve) => {
    execFile(
      bin,
      args as string[],
      {
        env: {
          ...base,
          PYTHONPATH: peer,
          HF_ENDPOINT: mirror.url,
          HF_HOME: home,
          HF_HUB_DISABLE_TELEMETRY: '1',
          HF_HUB_DISABLE_PROGRESS_BARS: '1',
          HF_HUB_ETAG_TIMEOUT: '120',
          HF_HUB_DOWNLOAD_TIMEOUT: '120',
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    );
  });
}

/** Calls one huggingface_hub function; prints the path or the exception's class name as JSON. */
const PY_CALL = `
import json, sys
import huggingface_hub as h
fn, kwargs = sys.argv[1], json.loads(sys.argv[2])
try:
    print(json.dumps({"path": getattr(h, fn)(**kwargs)}))
except Exception as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)[:300]}))
`;

async function pyCall(fn: string, kwargs: Record<string, unknown>): Promise<{ path?: string; error?: string; message?: string }> {
  const home = await tempDir('ph-py-');
  const r = await runPython(['-c', PY_CALL, fn, JSON.stringify({ cache_dir: join(home, 'hub'), ...kwargs })], home);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) throw new Error(`python failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as { path?: string; error?: string };
}

describe('huggingface_hub 0.36.2 (Python) with HF_ENDPOINT at the mirror', () => {
  it.each(CASES)('snapshot_download: $label, byte-identical', async (c) => {
    const r = await pyCall('snapshot_download', { repo_id: c.repoId, repo_type: c.type, revision: c.revision });
    expect(r.error).toBeUndefined();
    expect(await hashTree(r.path!)).toEqual(expected(c));
  });

  it('hf_hub_download: one file, byte-identical', async () => {
    const rev = fx.revision('model', MODEL, 'main');
    const lfs = rev.files.find((f) => f.lfs)!;
    const r = await pyCall('hf_hub_download', { repo_id: MODEL, filename: lfs.path });
    expect(r.path).toContain(`/snapshots/${rev.commit}/`);
    expect((await hashTree(r.path!.slice(0, -lfs.path.length))).get(lfs.path)).toBe(lfs.sha256);
  });

  it.each(CASES)('the hf download CLI: $label, byte-identical', async (c) => {
    const home = await tempDir('ph-cli-');
    const r = await runPython(
      ['-m', 'huggingface_hub.cli.hf', 'download', c.repoId, '--repo-type', c.type, '--revision', c.revision, '--cache-dir', join(home, 'hub')],
      home,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await hashTree(r.stdout.trim().split('\n').at(-1)!)).toEqual(expected(c));
  });

  it.each([
    ['an unknown repo', 'RepositoryNotFoundError', { repo_id: 'nobody/nothing', filename: 'config.json' }],
    ['an unknown revision', 'RevisionNotFoundError', { repo_id: MODEL, filename: 'config.json', revision: 'no-such-branch' }],
    ['an unknown file', 'EntryNotFoundError', { repo_id: MODEL, filename: 'no/such/file.bin' }],
  ] as const)('hf_hub_download of %s raises %s', async (_label, error, kwargs) => {
    expect((await pyCall('hf_hub_download', kwargs)).error).toBe(error);
  });

  it('snapshot_download of an unknown repo raises RepositoryNotFoundError', async () => {
    expect((await pyCall('snapshot_download', { repo_id: 'nobody/nothing' })).error).toBe('RepositoryNotFoundError');
  });
});

describe('@huggingface/hub with hubUrl at the mirror', () => {
  // It logs every file it fetches with console.debug.
  beforeAll(() => void vi.spyOn(console, 'debug').mockImplementation(() => undefined));
  afterAll(() => vi.restoreAllMocks());
  it.each(CASES)('snapshotDownload: $label, byte-identical', async (c) => {
    const cacheDir = await tempDir('ph-js-');
    const path = await snapshotDownload({ repo: { name: c.repoId, type: c.type }, revision: c.revision, cacheDir, hubUrl: mirror.url });
    expect(await hashTree(path)).toEqual(expected(c));
  });

  it('downloadFile: byte-identical, null for a missing file, an error for an unknown repo or revision', async () => {
    const lfs = fx.revision('dataset', DATASET, PARQUET).files.find((f) => f.lfs)!;
    const blob = await downloadFile({ repo: { name: DATASET, type: 'dataset' }, revision: PARQUET, path: lfs.path, hubUrl: mirror.url });
    expect(createHash('sha256').update(Buffer.from(await blob!.arrayBuffer())).digest('hex')).toBe(lfs.sha256);
    expect(await downloadFile({ repo: MODEL, path: 'no/such/file.bin', hubUrl: mirror.url })).toBeNull();
    await expect(downloadFile({ repo: 'nobody/nothing', path: 'config.json', hubUrl: mirror.url })).rejects.toMatchObject({ statusCode: 401 });
    await expect(snapshotDownload({ repo: MODEL, revision: 'no-such-branch', cacheDir: await tempDir('ph-js-'), hubUrl: mirror.url })).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

describe('a second Persian Hub manager with the mirror as its endpoint', () => {
  it.each(CASES)('downloads $label, byte-identical (Fastify mount)', async (c) => {
    const fastify = await startFastifyMirror(fx.manager, { pageSize: 3 });
    const root = await tempDir('ph-second-');
    const second = createManager(root, fastify.url);
    try {
      const done = await second.waitFor((await second.start({ repoId: c.repoId, repoType: c.type, revision: c.revision })).id);
      expect(done.status).toBe('completed');
      expect(done.commit).toBe(c.repoId === OFFLINE ? fx.offline.commit : fx.revision(c.type, c.repoId, c.revision).commit);
      const folder = `${c.type}s--${c.repoId.replace('/', '--')}`;
      expect(await hashTree(join(root, 'hub', folder, 'snapshots', done.commit!))).toEqual(expected(c));
    } finally {
      await second.close();
      await fastify.close();
    }
  });

  it('fails with REPO_NOT_FOUND, REVISION_NOT_FOUND and ENTRY_NOT_FOUND like against the Hub', async () => {
    const second = createManager(await tempDir('ph-second-'), mirror.url);
    try {
      const codes = [];
      for (const input of [{ repoId: 'nobody/nothing' }, { repoId: MODEL, revision: 'no-such-branch' }, { repoId: MODEL, include: ['no/such/*.bin'] }]) {
        // waitFor rejects with the job's error when it fails.
        codes.push(await second.waitFor((await second.start(input)).id).then((j) => j.status, (e: { code?: string }) => e.code));
      }
      expect(codes).toEqual(['REPO_NOT_FOUND', 'REVISION_NOT_FOUND', 'ENTRY_NOT_FOUND']);
    } finally {
      await second.close();
    }
  });
});

describe('installed mode', () => {
  it('asked the upstream Hub for nothing while all of the above downloaded', () => {
    expect(fx.emu.requests.slice(upstreamRequests).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });
});
