import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoCachePaths, type DownloadManager, type JobSnapshot } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator } from '@persian-hub/hub-emulator';
import { createManager, MODEL, startExpressMirror, startFastifyMirror, type StartedMirror } from './mirrorFixture.js';

let emu: HubEmulator;
let root: string;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  emu = await startHubEmulator({ port: 0 });
  root = await mkdtemp(join(tmpdir(), 'ph-mirror-pull-'));
});
afterEach(async () => {
  emu.clearFaults();
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});
afterAll(async () => {
  await emu.close();
  await rm(root, { recursive: true, force: true });
});

async function setUp(
  start: typeof startExpressMirror,
  options: Parameters<typeof startExpressMirror>[1],
): Promise<{ manager: DownloadManager; mirror: StartedMirror; starts: () => number }> {
  const manager = createManager(await mkdtemp(join(root, 'm-')), emu.url);
  let starts = 0;
  // Counts the mirror's own calls: the manager also returns the running job for a repeated request.
  const counted = new Proxy(manager, {
    get(target, key) {
      if (key === 'start') return (input: Parameters<DownloadManager['start']>[0]) => (starts++, target.start(input));
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const mirror = await start(counted, options);
  cleanups.push(() => manager.close(), () => mirror.close());
  return { manager, mirror, starts: () => starts };
}

const sha256 = (b: ArrayBuffer) => createHash('sha256').update(Buffer.from(b)).digest('hex');
const model = () => emu.repos.get(`model:${MODEL}`)!.main;

describe('installed mode while the manager is downloading', () => {
  it('does not serve a file that is still being written, then serves it once verified', async () => {
    const { manager, mirror } = await setUp(startExpressMirror, {});
    const big = model().files.find((f) => f.path === 'pytorch_model.bin')!;
    // The rest first, so the snapshot exists and the answer is about the file, not the revision.
    await manager.waitFor((await manager.start({ repoId: MODEL, exclude: [big.path] })).id);
    emu.setFaults([{ type: 'stall', afterBytes: 1000, match: { path: big.path } }]);
    const job = await manager.start({ repoId: MODEL, include: [big.path] });
    await new Promise<void>((resolve) => {
      const off = manager.on('progress', (j: JobSnapshot) => {
        if (j.id === job.id && j.bytesDownloaded >= 1000) {
          off();
          resolve();
        }
      });
    });
    const blobs = await readdir(repoCachePaths(manager.cacheDir, 'model', MODEL).blobsDir);
    expect(blobs).toContain(`${big.etag}.incomplete`);
    for (const method of ['HEAD', 'GET']) {
      const res = await fetch(`${mirror.url}/${MODEL}/resolve/main/${big.path}`, { method });
      expect([method, res.status, res.headers.get('x-error-code')]).toEqual([method, 404, 'EntryNotFound']);
      await res.arrayBuffer();
    }
    const info = await (await fetch(`${mirror.url}/api/models/${MODEL}`)).json() as { siblings: { rfilename: string }[] };
    expect(info.siblings.map((s) => s.rfilename)).not.toContain(big.path);

    emu.clearFaults();
    emu.releaseStalled();
    expect((await manager.waitFor(job.id)).status).toBe('completed');
    const done = await fetch(`${mirror.url}/${MODEL}/resolve/main/${big.path}`);
    expect(done.status).toBe(200);
    expect(sha256(await done.arrayBuffer())).toBe(big.sha256);
  });
});

describe('pullThrough mode', () => {
  it('needs a pull policy, so a mirror never fetches from upstream by accident', async () => {
    await expect(setUp(startExpressMirror, { mode: 'pullThrough' })).rejects.toThrow(/policy\.pull/);
    // Pulled files land in the manager's cache, so that is the one it must serve.
    await expect(setUp(startExpressMirror, { mode: 'pullThrough', policy: { pull: ['*'] }, cacheDir: root })).rejects.toThrow(/own cache/);
  });

  it('fetches a miss through one manager job however many clients ask at once, and answers once verified', async () => {
    const { manager, mirror, starts } = await setUp(startFastifyMirror, { mode: 'pullThrough', policy: { pull: ['HooshvareLab/*'] } });
    const big = model().files.find((f) => f.path === 'pytorch_model.bin')!;
    const before = emu.requests.length;
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const res = await fetch(`${mirror.url}/${MODEL}/resolve/main/${big.path}`);
        return [res.status, res.headers.get('etag'), sha256(await res.arrayBuffer())];
      }),
    );
    expect(answers).toEqual(Array.from({ length: 6 }, () => [200, `"${big.sha256}"`, big.sha256]));
    // One job, and the file's bytes crossed the upstream link once.
    expect(starts()).toBe(1);
    expect(manager.list().map((j) => [j.repoId, j.status])).toEqual([[MODEL, 'completed']]);
    const fetched = emu.requests.slice(before).filter((r) => r.method === 'GET' && r.bytesSent > 0 && (r.url.includes(big.sha256) || r.url.endsWith(big.path)));
    expect(fetched).toHaveLength(1);
  });

  it('pulls a whole revision for repo info, then lists the upstream files and fetches each on first read', async () => {
    const { manager, mirror } = await setUp(startExpressMirror, { mode: 'pullThrough', policy: { pull: ['model:HooshvareLab/*'] } });
    // One file first: the manager learns the commit's listing (trees/<commit>.json) but not the rest.
    const first = model().files.find((f) => f.path === 'config.json')!;
    const one = await fetch(`${mirror.url}/${MODEL}/resolve/main/${first.path}`);
    expect(sha256(await one.arrayBuffer())).toBe(first.sha256);
    const info = (await (await fetch(`${mirror.url}/api/models/${MODEL}`)).json()) as { sha: string; siblings: { rfilename: string }[] };
    expect(info.sha).toBe(model().commit);
    expect(info.siblings.map((s) => s.rfilename).sort()).toEqual(model().files.map((f) => f.path).sort());
    for (const f of model().files) {
      const res = await fetch(`${mirror.url}/${MODEL}/resolve/${info.sha}/${f.path}`);
      expect([f.path, res.status, sha256(await res.arrayBuffer())]).toEqual([f.path, 200, f.sha256]);
    }
    // A file the listing does not have is EntryNotFound at once: no job for it.
    const jobs = manager.list().length;
    const missing = await fetch(`${mirror.url}/${MODEL}/resolve/main/no/such.bin`, { method: 'HEAD' });
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'EntryNotFound']);
    expect(manager.list()).toHaveLength(jobs);
  });

  it('pulls the whole revision when repo info is a miss (snapshot_download starts there)', async () => {
    const { manager, mirror } = await setUp(startExpressMirror, { mode: 'pullThrough', policy: { pull: ['*'] } });
    const res = await fetch(`${mirror.url}/api/models/${MODEL}/revision/main`);
    expect(((await res.json()) as { sha: string }).sha).toBe(model().commit);
    expect(manager.list().map((j) => j.status)).toEqual(['completed']);
    const [job] = manager.list({ files: 'all' });
    expect(job!.files.map((f) => [f.path, f.status]).sort()).toEqual(model().files.map((f) => [f.path, 'completed']).sort());
  });

  it('answers RepoNotFound for repos outside the pull policy without asking upstream, and passes on upstream errors', async () => {
    const { mirror } = await setUp(startExpressMirror, { mode: 'pullThrough', policy: { pull: ['model:HooshvareLab/*'] } });
    const before = emu.requests.length;
    const outside = await fetch(`${mirror.url}/api/datasets/HooshvareLab/pn_summary`);
    expect([outside.status, outside.headers.get('x-error-code')]).toEqual([401, 'RepoNotFound']);
    expect(emu.requests.length).toBe(before);
    const unknown = await fetch(`${mirror.url}/HooshvareLab/no-such-model/resolve/main/config.json`, { method: 'HEAD' });
    expect([unknown.status, unknown.headers.get('x-error-code')]).toEqual([404, 'RepoNotFound']);
    const revision = await fetch(`${mirror.url}/api/models/${MODEL}/revision/no-such-branch`);
    expect([revision.status, revision.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
  });
});
