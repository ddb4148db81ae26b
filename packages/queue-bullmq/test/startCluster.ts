import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BriefJob {
  readonly id: string;
  readonly status: string;
  readonly bytesDownloaded: number;
  readonly bytesTotal: number | null;
  readonly path: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly repoId: string;
}

export type InstanceMessage =
  | { type: 'event'; event: string; job: BriefJob }
  | { type: 'run'; jobId: string; phase: 'start' | 'end'; outcome?: string }
  | { type: 'ready'; instanceId?: string; error?: string }
  | { type: 'reply'; id: number; result?: unknown; error?: { code: string; message: string } };

export class InstanceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One manager process of a test cluster, driven over IPC. */
export class Instance {
  readonly child: ChildProcess;
  /** Every event and run report, in order. */
  readonly log: InstanceMessage[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #next = 1;
  #replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #waiters = new Set<{ match: (m: InstanceMessage) => boolean; resolve: (m: InstanceMessage) => void }>();

  constructor(env: Record<string, string>) {
    this.child = fork(fileURLToPath(new URL('./fixtures/instance.mjs', import.meta.url)), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code, signal) => resolveExit({ code, signal })));
    this.child.on('message', (m: InstanceMessage) => {
      if (m.type === 'reply') {
        const r = this.#replies.get(m.id);
        this.#replies.delete(m.id);
        if (m.error) r?.reject(new InstanceError(m.error.code, m.error.message));
        else r?.resolve(m.result);
        return;
      }
      this.log.push(m);
      for (const w of [...this.#waiters]) {
        if (w.match(m)) {
          this.#waiters.delete(w);
          w.resolve(m);
        }
      }
    });
    void this.exited.then(() => {
      for (const r of this.#replies.values()) r.reject(new InstanceError('EXITED', 'the instance exited'));
      this.#replies.clear();
    });
  }

  call<T = BriefJob>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolveCall, reject) => {
      this.#replies.set(id, { resolve: resolveCall as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  /** The first message (already received or still to come) that matches. */
  waitFor(match: (m: InstanceMessage) => boolean): Promise<InstanceMessage> {
    const seen = this.log.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveWait) => this.#waiters.add({ match, resolve: resolveWait }));
  }

  /** The first event of a job reaching a status (or any of the events named). */
  waitForEvent(jobId: string, events: readonly string[], where: (job: BriefJob) => boolean = () => true): Promise<BriefJob> {
    return this.waitFor((m) => m.type === 'event' && m.job.id === jobId && events.includes(m.event) && where(m.job)).then((m) => (m as { job: BriefJob }).job);
  }

  events(jobId: string, event: string): BriefJob[] {
    return this.log.filter((m): m is Extract<InstanceMessage, { type: 'event' }> => m.type === 'event' && m.job.id === jobId && m.event === event).map((m) => m.job);
  }

  runs(phase: 'start' | 'end' = 'start'): string[] {
    return this.log.filter((m): m is Extract<InstanceMessage, { type: 'run' }> => m.type === 'run' && m.phase === phase).map((m) => m.jobId);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.call('close').catch(() => undefined);
    await this.exited;
  }
}

export interface ClusterOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly endpoint: string;
  readonly cacheDir: string;
  readonly stateDir: string;
  /** Manager options (JSON). */
  readonly options?: Record<string, unknown>;
  /** Store options (JSON), e.g. short locks so a killed instance's job moves on quickly. */
  readonly storeOptions?: Record<string, unknown>;
}

export function startInstance(o: ClusterOptions): Instance {
  return new Instance({
    REDIS_URL: o.redisUrl,
    PREFIX: o.prefix,
    ENDPOINT: o.endpoint,
    CACHE_DIR: o.cacheDir,
    STATE_DIR: o.stateDir,
    OPTIONS: JSON.stringify(o.options ?? {}),
    STORE_OPTIONS: JSON.stringify(o.storeOptions ?? {}),
  });
}

/** `n` instances on one Redis and one cache, each ready (its jobs loaded). */
export async function startCluster(n: number, o: ClusterOptions): Promise<Instance[]> {
  const instances = Array.from({ length: n }, () => startInstance(o));
  const failed = (error: unknown) => {
    for (const i of instances) i.child.kill('SIGKILL');
    throw error;
  };
  await Promise.all(
    instances.map(async (i) => {
      const ready = (await i.waitFor((m) => m.type === 'ready')) as { error?: string };
      if (ready.error) throw new Error(ready.error);
    }),
  ).catch(failed);
  return instances;
}
