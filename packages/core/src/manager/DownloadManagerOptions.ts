import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { lazyZod } from '../validation/lazyZod.js';
import type { Catalog } from '../catalog/index.js';
import type { HfCliOptions } from '../hfCli/resolveHfCliCommand.js';
import type { RetryPolicy } from '../transfer/retry.js';
import type { SegmentOptions } from '../transfer/segmentOptions.js';
import type { CatalogEntry } from '../types.js';
import type { JobStore } from './createJobStore.js';
import type { SharedJobBackend } from './SharedJobBackend.js';

export interface DownloadManagerOptions {
  /** Hub endpoint. @default process.env.HF_ENDPOINT ?? 'https://huggingface.co' */
  readonly endpoint?: string;
  /** Several endpoints (mirrors) tried in order; a network-class failure moves to the next. Overrides `endpoint`. */
  readonly endpoints?: readonly string[];
  /** @default HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else $HF_HOME/token; `false` sends none */
  readonly token?: string | false;
  /** @default HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub */
  readonly cacheDir?: string;
  /**
   * Where jobs are persisted. Managers sharing it (two apps on one cache, an app and the
   * `persian-hub` command) each keep their own jobs; a stopped manager's jobs go to the next one.
   * @default `<cacheDir>/../persian-hub/state/<cache folder name>-<8 hex of its path>`: one per cache
   */
  readonly stateDir?: string;
  /** Jobs downloading at once; the rest wait as `queued`. @default 2 */
  readonly concurrency?: number;
  /** Large files in flight per job; small ones (under 1 MiB) up to 8 times as many, at most 64. @default 8 */
  readonly fileConcurrency?: number;
  /**
   * Large files over several connections (Range requests), for links that limit each connection.
   * @default { minSize: 16 MiB, maxConnections: 8, adaptive: true }
   */
  readonly segments?: SegmentOptions;
  /** Proxy URL for every request; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply. */
  readonly proxy?: string;
  /** A transfer that receives nothing for this long is retried. @default 30000 */
  readonly stallTimeoutMs?: number;
  /** @default { retries: 5, minDelayMs: 1000, maxDelayMs: 30000 } */
  readonly retry?: Partial<RetryPolicy>;
  /** The catalog `start(id)` looks ids up in. @default the built-in Persian catalog */
  readonly catalog?: Catalog | readonly CatalogEntry[];
  /** Interval of progress events and speed samples. @default 250 */
  readonly progressIntervalMs?: number;
  /** Check free disk space before downloading. @default true */
  readonly checkDiskSpace?: boolean;
  /** Resume jobs that were interrupted by a crash or restart right away. @default false (they come back `paused`) */
  readonly autoResume?: boolean;
  /**
   * How many finished (completed, failed, cancelled) jobs are remembered, and for how long; older
   * ones are forgotten at start-up and whenever a job finishes (`forgotten` events). A completed
   * job that filled a `localDir` is kept: it is how that folder is known to be installed.
   * @default { maxJobs: 200, maxAgeDays: 30 }
   */
  readonly history?: { readonly maxJobs?: number; readonly maxAgeDays?: number };
  /**
   * Who moves the bytes: our own downloader, or the official `hf` / `huggingface-cli` (for
   * people who already have the Python tooling and its Xet support). Same jobs, events and
   * snapshots either way. @default 'native'
   */
  readonly backend?: 'native' | 'hf-cli';
  /** How to run the CLI when `backend: 'hf-cli'`. */
  readonly hfCli?: HfCliOptions;
  /**
   * Where job records live and who runs them. A `JobStore` keeps them for this manager (several
   * managers may share its folder); a `SharedJobBackend` (e.g. `createBullmqJobStore` of
   * `@persian-hub/queue-bullmq`) makes several app instances one cluster: every instance lists
   * every job and hears its events, a request started on two instances is one job, the shared
   * queue runs each job on one instance and hands a dead instance's jobs to another.
   * @default a JSON file per job in `stateDir` (`createJobStore`), safe for several managers sharing the folder
   */
  readonly jobStore?: JobStore | SharedJobBackend;
  /**
   * With a shared `jobStore`: how long `pause()` or `cancel()` of a job that runs on another
   * instance waits for that instance to apply it before rejecting with `RUNNER_GONE` (the command
   * is kept, and applies when another instance takes the job). @default 30000
   */
  readonly commandTimeoutMs?: number;
}

/** Built on first use: zod is loaded by the first manager, not by the import. */
export const optionsSchema = lazyZod((z) =>
  z
  .object({
    endpoint: z.string().url().optional(),
    endpoints: z.array(z.string().url()).min(1).optional(),
    token: z.union([z.string(), z.literal(false)]).optional(),
    cacheDir: z.string().min(1).optional(),
    stateDir: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).max(1000).optional(),
    fileConcurrency: z.number().int().min(1).max(64).optional(),
    segments: z
      .object({
        minSize: z.number().int().min(1024 * 1024).optional(),
        maxConnections: z.number().int().min(1).max(32).optional(),
        adaptive: z.boolean().optional(),
      })
      .strict()
      .optional(),
    proxy: z.string().url().optional(),
    stallTimeoutMs: z.number().int().min(50).optional(),
    retry: z
      .object({ retries: z.number().int().min(0).max(100).optional(), minDelayMs: z.number().min(0).optional(), maxDelayMs: z.number().min(0).optional() })
      .optional(),
    catalog: z.any().optional(),
    progressIntervalMs: z.number().int().min(10).max(10_000).optional(),
    checkDiskSpace: z.boolean().optional(),
    autoResume: z.boolean().optional(),
    history: z.object({ maxJobs: z.number().int().min(0).optional(), maxAgeDays: z.number().min(0).optional() }).strict().optional(),
    backend: z.enum(['native', 'hf-cli']).optional(),
    hfCli: z
      .object({ command: z.string().min(1).optional(), args: z.array(z.string()).optional(), env: z.record(z.string(), z.string().optional()).optional() })
      .optional(),
    jobStore: z
      .custom<JobStore | SharedJobBackend>(
        (v) => typeof v === 'object' && v !== null && (typeof (v as JobStore).loadAll === 'function' || (v as SharedJobBackend).kind === 'shared'),
        'expected a JobStore or a SharedJobBackend',
      )
      .optional(),
    commandTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  })
  .passthrough(),
);

/**
 * The default job folder: beside the cache, never inside it (Python's `hf cache scan` reports a
 * folder it does not know as a corrupt repo), and one per cache, so two apps whose caches sit
 * side by side never see each other's jobs.
 */
export function defaultStateDir(cacheDir: string): string {
  let real = cacheDir;
  try {
    real = realpathSync(cacheDir);
  } catch {
    // not made yet
  }
  const id = createHash('sha256').update(real).digest('hex').slice(0, 8);
  return join(dirname(cacheDir), 'persian-hub', 'state', `${basename(cacheDir)}-${id}`);
}

