import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DelayedError, Queue, QueueEvents, WaitingError, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import {
  PersianHubError,
  type JobCommand,
  type JobSnapshot,
  type RunOutcome,
  type SharedJobBackend,
  type SharedMessage,
} from '@persian-hub/core';

export interface BullmqJobStoreOptions {
  /** A Redis URL (`redis://host:6379/0`) or ioredis options. Every instance of the cluster names the same Redis. */
  readonly connection: string | RedisOptions;
  /** Namespaces every key and channel, so several clusters can share one Redis. @default 'persian-hub' */
  readonly prefix?: string;
  /**
   * How long a running job's lock lives without being renewed: after an instance dies (kill -9,
   * a lost host) its jobs go to another instance within about this plus `stalledIntervalMs`.
   * @default 30000
   */
  readonly lockDurationMs?: number;
  /** How often each instance looks for jobs whose instance died. @default 30000 */
  readonly stalledIntervalMs?: number;
}

/**
 * The request key's job if it is unfinished, else the new job, saved in the same step: two
 * instances that start one request at once get one job.
 */
const CLAIM = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local s = redis.call('HGET', KEYS[2], cur)
  if s then
    local st = cjson.decode(s)['status']
    if st ~= 'completed' and st ~= 'failed' and st ~= 'cancelled' then return cur end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
return ARGV[2]
`;

const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

function eventForStatus(status: JobSnapshot['status']): 'queued' | 'paused' | 'completed' | 'failed' | 'cancelled' | 'progress' {
  return status === 'queued' || status === 'paused' || status === 'completed' || status === 'failed' || status === 'cancelled' ? status : 'progress';
}

interface Pending {
  summary: JobSnapshot;
  files: JobSnapshot['files'] | null;
}

/**
 * A shared job store for `createDownloadManager({ jobStore })` on Redis: job snapshots in two
 * hashes (totals, file lists), request keys in a third, events and commands over pub/sub, and the
 * queue on BullMQ: every instance is a worker with the manager's `concurrency`, and BullMQ's
 * stalled-job check gives a dead instance's jobs to another.
 */
export function createBullmqJobStore(options: BullmqJobStoreOptions): SharedJobBackend {
  const prefix = options.prefix ?? 'persian-hub';
  const keys = { jobs: `${prefix}:jobs`, files: `${prefix}:files`, claims: `${prefix}:claims`, events: `${prefix}:events`, cmd: (id: string) => `${prefix}:cmd:${id}` };
  const base: RedisOptions = typeof options.connection === 'string' ? {} : options.connection;
  const url = typeof options.connection === 'string' ? options.connection : undefined;
  const connect = (extra: RedisOptions): Redis => (url ? new Redis(url, { ...base, ...extra }) : new Redis({ ...base, ...extra }));
  // Our own reads and writes fail at once while Redis is away (a clear error, not a hang).
  const redis = connect({ enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (n) => Math.min(50 * n, 1000) });
  const sub = connect({ maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * n, 1000) });
  // BullMQ wants its blocking connections to wait for Redis rather than fail.
  const bullConnection = { ...(url ? { url } : {}), ...base, maxRetriesPerRequest: null, retryStrategy: (n: number) => Math.min(50 * n, 1000) };
  const bullPrefix = `${prefix}:bull`;
  const queue = new Queue('downloads', { connection: bullConnection, prefix: bullPrefix });
  const queueEvents = new QueueEvents('downloads', { connection: bullConnection, prefix: bullPrefix });
  // Quiet on purpose: an outage is reported by the operations that need Redis.
  for (const c of [redis, sub]) c.on('error', () => undefined);
  queue.on('error', () => undefined);
  queueEvents.on('error', () => undefined);

  const instanceId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const listeners = new Set<(message: SharedMessage) => void>();
  const pending = new Map<string, Pending>();
  const writing = new Map<string, Promise<void>>();
  let worker: Worker | null = null;
  let closed = false;

  const unavailable = (error: unknown): PersianHubError =>
    error instanceof PersianHubError
      ? error
      : new PersianHubError('JOB_STORE_UNAVAILABLE', `The shared job store (Redis) cannot be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  // The first connection is awaited (a manager loads its jobs right after it is made); later an
  // outage fails at once.
  let firstConnect: Promise<void> | null = new Promise<void>((resolveReady, reject) => {
    redis.once('ready', () => resolveReady());
    redis.once('error', reject);
  }).finally(() => (firstConnect = null));
  firstConnect.catch(() => undefined);
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      if (firstConnect) await firstConnect;
      return await op();
    } catch (error) {
      throw unavailable(error);
    }
  };

  let subscribedOnce = false;
  sub.on('ready', () => {
    void sub.subscribe(keys.events).catch(() => undefined);
    // Back after an outage: what was said meanwhile is lost, the manager reloads every job.
    if (subscribedOnce) for (const l of listeners) l({ type: 'resync' });
    subscribedOnce = true;
  });
  sub.on('message', (_channel: string, text: string) => {
    let message: SharedMessage;
    try {
      message = JSON.parse(text) as SharedMessage;
    } catch {
      return;
    }
    for (const l of listeners) l(message);
  });
  // Saves that failed while Redis was away land when it is back (the newest of each job).
  // The events of the meantime were lost too: each job's newest state goes out once more.
  redis.on('ready', () => {
    for (const id of [...pending.keys()]) {
      void flush(id)
        .then(async () => {
          const s = await redis.hget(keys.jobs, id);
          if (!s) return;
          const job = JSON.parse(s) as JobSnapshot;
          await redis.publish(keys.events, JSON.stringify({ type: 'event', event: eventForStatus(job.status), job, from: instanceId } satisfies SharedMessage));
        })
        .catch(() => undefined);
    }
  });

  const flush = (id: string): Promise<void> => {
    const previous = writing.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const p = pending.get(id);
        if (!p) return;
        pending.delete(id);
        try {
          const m = redis.multi().hset(keys.jobs, id, JSON.stringify(p.summary));
          if (p.files) m.hset(keys.files, id, JSON.stringify(p.files));
          await m.exec();
        } catch (error) {
          // Keep it unless a newer save came meanwhile (then keep its files if it had none).
          const newer = pending.get(id);
          if (!newer) pending.set(id, p);
          else if (!newer.files && p.files) newer.files = p.files;
          throw error;
        }
      });
    writing.set(id, next);
    void next.finally(() => {
      if (writing.get(id) === next) writing.delete(id);
    }).catch(() => undefined);
    return next;
  };

  const parse = (summary: string, files: string | null | undefined): JobSnapshot => {
    const s = JSON.parse(summary) as JobSnapshot;
    const list = files ? (JSON.parse(files) as JobSnapshot['files']) : [];
    return { ...s, files: list, fileDetail: 'all' };
  };

  const summaryOf = (job: JobSnapshot): JobSnapshot => ({ ...job, files: [], fileDetail: 'none' });

  return {
    kind: 'shared',
    instanceId,
    async load() {
      return guard(async () => {
        const [jobs, files] = await Promise.all([redis.hgetall(keys.jobs), redis.hgetall(keys.files)]);
        return Object.entries(jobs).map(([id, s]) => parse(s, files[id]));
      });
    },
    async get(jobId) {
      return guard(async () => {
        const [s, f] = await Promise.all([redis.hget(keys.jobs, jobId), redis.hget(keys.files, jobId)]);
        return s ? parse(s, f) : null;
      });
    },
    async save(job, withFiles) {
      const prev = pending.get(job.id);
      pending.set(job.id, { summary: summaryOf(job), files: withFiles ? job.files : (prev?.files ?? null) });
      await guard(() => flush(job.id));
    },
    async delete(jobId) {
      pending.delete(jobId);
      await guard(async () => {
        await redis.multi().hdel(keys.jobs, jobId).hdel(keys.files, jobId).del(keys.cmd(jobId)).exec();
      });
    },
    async claim(key, job) {
      return guard(async () => {
        const holder = await redis.eval(CLAIM, 3, keys.claims, keys.jobs, keys.files, key, job.id, JSON.stringify(summaryOf(job)), JSON.stringify(job.files));
        return String(holder);
      });
    },
    async release(key, jobId) {
      await guard(() => redis.eval(RELEASE, 1, keys.claims, key, jobId));
    },
    async enqueue(jobId) {
      if (redis.status !== 'ready') throw unavailable(new Error(`connection is ${redis.status}`));
      await guard(async () => {
        // One BullMQ job per job id: BullMQ ignores an add while the id is still in the queue.
        // The previous run of this job may still be winding down (it was paused a moment ago):
        // wait for it, then add again.
        const token = randomBytes(6).toString('hex');
        for (let attempt = 0; attempt < 20; attempt++) {
          // Attempts without end: a job is never dropped for an error of the queue itself.
          const job = await queue.add('download', { jobId, token }, { jobId, removeOnComplete: true, removeOnFail: true, attempts: Number.MAX_SAFE_INTEGER, backoff: { type: 'fixed', delay: 1000 } });
          if ((job.data as { token?: string }).token === token) return;
          const state = await job.getState();
          if (state === 'waiting' || state === 'delayed' || state === 'prioritized') return;
          if (state === 'active') await job.waitUntilFinished(queueEvents, 30_000).catch(() => undefined);
        }
        throw new Error(`job ${jobId} could not be queued again`);
      });
    },
    async dequeue(jobId) {
      return guard(async () => (await queue.remove(jobId)) === 1);
    },
    work(run, concurrency) {
      if (worker) return;
      worker = new Worker(
        'downloads',
        async (job: Job<{ jobId: string }>, token?: string) => {
          let outcome: RunOutcome;
          try {
            outcome = await run(job.data.jobId);
          } catch {
            // The manager could not take it (Redis away while it read the job): it is not lost,
            // it waits a moment and goes to whichever instance is free then.
            await job.moveToDelayed(Date.now() + 1000, token);
            throw new DelayedError();
          }
          if (outcome === 'handback') {
            // This instance is closing: the job waits for another one, its bytes stay on disk.
            await job.moveToWait(token);
            throw new WaitingError();
          }
        },
        {
          connection: bullConnection,
          prefix: bullPrefix,
          concurrency,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.stalledIntervalMs ?? 30_000,
          // A job is handed over as often as its instances die; it is never failed for that.
          maxStalledCount: Number.MAX_SAFE_INTEGER,
        },
      );
      worker.on('error', () => undefined);
    },
    async command(jobId, command) {
      await guard(async () => {
        await redis.set(keys.cmd(jobId), command, 'EX', 24 * 60 * 60);
        await redis.publish(keys.events, JSON.stringify({ type: 'command', jobId, command, from: instanceId } satisfies SharedMessage));
      });
    },
    async takeCommand(jobId) {
      return guard(async () => {
        const c = await redis.getdel(keys.cmd(jobId));
        return c === 'pause' || c === 'cancel' ? (c as JobCommand) : null;
      });
    },
    async publish(message) {
      await guard(() => redis.publish(keys.events, JSON.stringify(message)));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker?.close();
      await Promise.all([...pending.keys()].map((id) => flush(id).catch(() => undefined)));
      await Promise.allSettled([queue.close(), queueEvents.close()]);
      listeners.clear();
      sub.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}


