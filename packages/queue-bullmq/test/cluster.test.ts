import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoCachePaths } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator, type RepoSpec } from '@persian-hub/hub-emulator';
import { startRedisServer, type RedisServer } from './startRedisServer.js';
import { startCluster, type BriefJob, type ClusterOptions, type Instance } from './startCluster.js';

const MiB = 1024 * 1024;
const SMALL = 30;
const smallRepos: RepoSpec[] = Array.from({ length: SMALL }, (_, i) => ({ id: `cluster/small-${i}`, files: [{ path: 'model.bin', size: 256 * 1024 + i }] }));
const bigRepos: RepoSpec[] = ['big-a', 'big-b', 'big-c'].map((id) => ({ id: `cluster/${id}`, files: [{ path: 'weights.bin', size: 12 * MiB }] }));

let redis: RedisServer;
let emu: HubEmulator;
let prefixes = 0;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startRedisServer();
  emu = await startHubEmulator({ port: 0, repos: [...smallRepos, ...bigRepos] });
});
afterAll(async () => {
  await emu?.close();
  await redis?.close();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  emu.clearFaults();
  emu.resetStats();
  // A test may have stopped Redis; the next one needs it.
  await redis.start();
});

async function setup(storeOptions: Record<string, unknown> = {}): Promise<ClusterOptions & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ph-cluster-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  return { root, redisUrl: redis.url, prefix: `t${++prefixes}`, endpoint: emu.url, cacheDir: join(root, 'hub'), stateDir: join(root, 'state'), storeOptions };
}

async function cluster(n: number, o: ClusterOptions): Promise<Instance[]> {
  const instances = await startCluster(n, o);
  cleanups.push(() => Promise.all(instances.map((i) => i.close())));
  return instances;
}

/** CDN bytes served for one file of one repo. */
function served(repoId: string, path: string): number {
  const file = emu.repos.get(`model:${repoId}`)!.main.filesByPath.get(path)!;
  return emu.bytesServed((r) => r.url.startsWith('/cdn/') && r.url.includes(file.etag));
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolveHash(h.digest('hex')))
      .on('error', reject);
  });
}

describe('three instances on one Redis and one cache', () => {
  it('30 jobs started across instances run once each; every instance lists all 30 and hears every completion', async () => {
    const o = await setup();
    const instances = await cluster(3, o);
    // Held at their first byte, so that every job is unfinished while it is started again.
    emu.setFaults([{ type: 'stall', afterBytes: 0, match: { host: 'cdn' } }]);
    const started = await Promise.all(smallRepos.map((r, i) => instances[i % 3]!.call('start', { repoId: r.id })));
    // The same request on another instance is the same job.
    const again = await Promise.all(smallRepos.map((r, i) => instances[(i + 1) % 3]!.call('start', { repoId: r.id })));
    expect(again.map((j) => j.id)).toEqual(started.map((j) => j.id));
    expect(new Set(started.map((j) => j.id)).size).toBe(SMALL);
    emu.clearFaults();
    emu.releaseStalled();

    // waitFor() on every instance, asked before the jobs ran: it follows the job wherever it runs.
    const waited = await Promise.all(instances.flatMap((inst) => started.map((j) => inst.call('waitFor', j.id))));
    expect(waited.every((j) => j.status === 'completed')).toBe(true);
    await Promise.all(instances.flatMap((inst) => started.map((j) => inst.waitForEvent(j.id, ['completed']))));
    for (const inst of instances) {
      const list = await inst.call<BriefJob[]>('list');
      expect(list).toHaveLength(SMALL);
      expect(list.every((j) => j.status === 'completed')).toBe(true);
      // Every instance heard each job start once: one run per job in the whole cluster.
      for (const j of started) expect(inst.events(j.id, 'started')).toHaveLength(1);
    }
    const runs = instances.flatMap((i) => i.runs());
    expect(runs.sort()).toEqual(started.map((j) => j.id).sort());
    // Each file came from the Hub once.
    for (const r of smallRepos) expect(served(r.id, 'model.bin')).toBe(r.files[0]!.size);
  });

  it('pause, resume and cancel sent to any instance reach the instance running the job', async () => {
    const o = await setup();
    const instances = await cluster(3, o);
    // Each transfer holds after 1 MiB until the job lets go of it.
    emu.setFaults([{ type: 'stall', afterBytes: MiB, times: 2, match: { host: 'cdn', path: 'weights.bin' } }]);
    const a = await instances[0]!.call('start', { repoId: 'cluster/big-a' });
    const b = await instances[1]!.call('start', { repoId: 'cluster/big-b' });
    // Every instance hears both jobs holding mid-file.
    await Promise.all(instances.flatMap((i) => [a, b].map((j) => i.waitForEvent(j.id, ['progress'], (x) => x.bytesDownloaded >= MiB))));
    const runnerOf = (id: string) => instances.find((i) => i.runs().includes(id))!;
    const notRunning = (id: string) => instances.filter((i) => !i.runs().includes(id));

    const paused = await notRunning(a.id)[0]!.call('pause', a.id);
    expect(paused.status).toBe('paused');
    await runnerOf(a.id).waitFor((m) => m.type === 'run' && m.jobId === a.id && m.phase === 'end');
    for (const i of instances) expect((await i.waitForEvent(a.id, ['paused'])).bytesDownloaded).toBeGreaterThanOrEqual(MiB);

    const cancelled = await notRunning(b.id)[1]!.call('cancel', b.id);
    expect(cancelled.status).toBe('cancelled');
    await Promise.all(instances.map((i) => i.waitForEvent(b.id, ['cancelled'])));
    const bFile = emu.repos.get('model:cluster/big-b')!.main.filesByPath.get('weights.bin')!;
    // The runner removed its partial file.
    await expect(sha256File(repoCachePaths(o.cacheDir, 'model', 'cluster/big-b').incomplete(bFile.etag))).rejects.toMatchObject({ code: 'ENOENT' });

    // Resumed from a third instance: it continues from the bytes on disk.
    const resumer = instances.find((i) => i !== runnerOf(a.id)) ?? instances[2]!;
    await resumer.call('resume', a.id);
    await Promise.all(instances.map((i) => i.waitForEvent(a.id, ['completed'])));
    const aFile = emu.repos.get('model:cluster/big-a')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(repoCachePaths(o.cacheDir, 'model', 'cluster/big-a').blob(aFile.sha256))).toBe(aFile.sha256);
    expect(served('cluster/big-a', 'weights.bin')).toBeLessThanOrEqual(aFile.size + MiB);
    for (const i of instances) {
      const list = await i.call<BriefJob[]>('list');
      expect(list.map((j) => [j.id, j.status]).sort()).toEqual([
        [a.id, 'completed'],
        [b.id, 'cancelled'],
      ].sort());
    }
  });

  it('a runner that does not answer: RUNNER_GONE after commandTimeoutMs, and the command is kept for it', async () => {
    const o = { ...(await setup()), options: { commandTimeoutMs: 1000 } };
    const instances = await cluster(3, o);
    emu.setFaults([{ type: 'stall', afterBytes: MiB, times: 1, match: { host: 'cdn', path: 'weights.bin' } }]);
    const job = await instances[0]!.call('start', { repoId: 'cluster/big-a' });
    await Promise.all(instances.map((i) => i.waitForEvent(job.id, ['progress'], (x) => x.bytesDownloaded >= MiB)));
    const runner = instances.find((i) => i.runs().includes(job.id))!;
    const asker = instances.find((i) => i !== runner)!;
    // Frozen, not dead: it neither answers nor loses its lock (30 s) meanwhile.
    runner.child.kill('SIGSTOP');
    try {
      await expect(asker.call('pause', job.id)).rejects.toMatchObject({ code: 'RUNNER_GONE' });
    } finally {
      runner.child.kill('SIGCONT');
    }
    // Back: it finds the command waiting and applies it.
    await Promise.all(instances.map((i) => i.waitForEvent(job.id, ['paused'])));
    expect(await runner.waitFor((m) => m.type === 'run' && m.jobId === job.id && m.phase === 'end')).toMatchObject({ outcome: 'done' });
    for (const i of instances) expect((await i.call<BriefJob[]>('list')).map((j) => j.status)).toEqual(['paused']);
  });

  it('close() of the instance running a job hands it back: another instance finishes it', async () => {
    const o = await setup();
    const instances = await cluster(3, o);
    emu.setFaults([{ type: 'stall', afterBytes: 2 * MiB, times: 1, match: { host: 'cdn', path: 'weights.bin' } }]);
    const job = await instances[0]!.call('start', { repoId: 'cluster/big-b' });
    await Promise.all(instances.map((i) => i.waitForEvent(job.id, ['progress'], (x) => x.bytesDownloaded >= 2 * MiB)));
    const runner = instances.find((i) => i.runs().includes(job.id))!;
    const others = instances.filter((i) => i !== runner);
    await runner.close();
    expect(runner.log.some((m) => m.type === 'run' && m.jobId === job.id && m.phase === 'end' && m.outcome === 'handback')).toBe(true);
    await Promise.all(others.map((i) => i.waitForEvent(job.id, ['completed'])));
    expect(others.filter((i) => i.runs().includes(job.id))).toHaveLength(1);
    // Never paused: handed over as `queued`.
    for (const i of others) expect(i.events(job.id, 'paused')).toEqual([]);
    const file = emu.repos.get('model:cluster/big-b')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(repoCachePaths(o.cacheDir, 'model', 'cluster/big-b').blob(file.sha256))).toBe(file.sha256);
    expect(served('cluster/big-b', 'weights.bin')).toBeLessThanOrEqual(file.size + MiB);
  });

  it('kill -9 of the instance running a job mid-file: another instance finishes it from the bytes on disk', async () => {
    const o = await setup({ lockDurationMs: 2000, stalledIntervalMs: 1000 });
    const instances = await cluster(3, o);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 2 * MiB, match: { host: 'cdn' } }]);
    const job = await instances[0]!.call('start', { repoId: 'cluster/big-c' });
    const runner = await Promise.race(instances.map((i) => i.waitFor((m) => m.type === 'run' && m.jobId === job.id).then(() => i)));
    await runner.waitForEvent(job.id, ['progress'], (j) => j.bytesDownloaded >= 4 * MiB);
    runner.child.kill('SIGKILL');
    expect((await runner.exited).signal).toBe('SIGKILL');
    emu.clearFaults();
    const others = instances.filter((i) => i !== runner);
    await Promise.all(others.map((i) => i.waitForEvent(job.id, ['completed'])));
    // Exactly one of the others took it over.
    expect(others.filter((i) => i.runs().includes(job.id))).toHaveLength(1);
    const file = emu.repos.get('model:cluster/big-c')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(repoCachePaths(o.cacheDir, 'model', 'cluster/big-c').blob(file.sha256))).toBe(file.sha256);
    // Fetched twice: only what reached the dead instance but not its disk.
    expect(served('cluster/big-c', 'weights.bin')).toBeLessThanOrEqual(file.size + MiB);
    for (const i of others) expect((await i.call<BriefJob[]>('list')).map((j) => j.status)).toEqual(['completed']);
  });

  it('Redis restarted mid-run: operations in the outage fail with JOB_STORE_UNAVAILABLE; afterwards nothing is lost or fetched twice', async () => {
    const o = await setup();
    const instances = await cluster(3, o);
    emu.setFaults([{ type: 'throttle', bytesPerSecond: 3 * MiB, match: { host: 'cdn' } }]);
    const requests = [...bigRepos, ...smallRepos.slice(0, 6)].map((r) => r.id);
    const jobs = await Promise.all(requests.map((repoId, i) => instances[i % 3]!.call('start', { repoId })));
    const bigIds = jobs.slice(0, 3).map((j) => j.id);
    // The big jobs are under way on their instances (concurrency 2 each: all three run).
    // (On every instance: its runner among them, whose run report comes before its own events.)
    await Promise.all(instances.flatMap((i) => bigIds.map((id) => i.waitForEvent(id, ['progress'], (j) => j.bytesDownloaded >= MiB))));
    await redis.stop();
    await expect(instances[1]!.call('start', { repoId: smallRepos[29]!.id })).rejects.toMatchObject({ code: 'JOB_STORE_UNAVAILABLE' });
    // A pause needs Redis unless the job runs on the instance asked.
    const asker = instances.find((i) => !i.runs().includes(bigIds[0]!))!;
    await expect(asker.call('pause', bigIds[0])).rejects.toMatchObject({ code: 'JOB_STORE_UNAVAILABLE' });
    await redis.start();
    emu.clearFaults();
    await Promise.all(instances.flatMap((i) => jobs.map((j) => i.waitForEvent(j.id, ['completed']))));
    for (const i of instances) {
      const list = await i.call<BriefJob[]>('list');
      expect(list.map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(list.every((j) => j.status === 'completed')).toBe(true);
    }
    // Each file came from the Hub about once: no job ran twice.
    for (const r of [...bigRepos, ...smallRepos.slice(0, 6)]) {
      const f = r.files[0]!;
      expect(served(r.id, f.path)).toBeGreaterThanOrEqual(f.size!);
      expect(served(r.id, f.path)).toBeLessThanOrEqual(f.size! + MiB);
    }
  });
});
