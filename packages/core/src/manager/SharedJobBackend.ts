import type { DownloadManagerEventName, FileSnapshot, JobSnapshot } from '../types.js';
import type { JobStore } from './createJobStore.js';

export type JobCommand = 'pause' | 'cancel';

/** What managers sharing one backend tell each other. */
export type SharedMessage =
  | {
      readonly type: 'event';
      /** A job event (`queued`, `progress`, `completed`, …, `forgotten`) as the instance that made it emitted it. */
      readonly event: DownloadManagerEventName;
      readonly job: JobSnapshot;
      readonly file?: FileSnapshot;
      /** The instance that sent it (its own messages come back to it and are skipped). */
      readonly from: string;
    }
  | { readonly type: 'command'; readonly jobId: string; readonly command: JobCommand; readonly from: string }
  /**
   * Sent by the backend to its own instance only: the connection came back after an outage, and
   * messages of the meantime may be lost, so the manager reloads every job.
   */
  | { readonly type: 'resync' };

/**
 * What the instance running a job says when it stopped: `done` (it ended, paused, failed, …: the
 * queue forgets it) or `handback` (this instance is closing: the queue gives it to another).
 */
export type RunOutcome = 'done' | 'handback';

/**
 * Several app instances (behind a load balancer, one cache on shared storage), one queue: job
 * records every instance sees, a queue that runs each job on exactly one instance and hands the
 * jobs of an instance that died to another, and messages between instances (events, and pause or
 * cancel for the instance running a job). `@persian-hub/queue-bullmq` implements it on Redis;
 * pass it as `createDownloadManager({ jobStore })`. Without one a manager keeps its jobs in files
 * and its queue in memory.
 *
 * Every method that talks to the backend rejects with `JOB_STORE_UNAVAILABLE` while it cannot be
 * reached.
 */
export interface SharedJobBackend {
  readonly kind: 'shared';
  /** This instance's id in messages. */
  readonly instanceId: string;
  /** Every job, with its file list. The manager keeps its copy current through `subscribe`. */
  load(): Promise<JobSnapshot[]>;
  /** One job, with its file list, or null. */
  get(jobId: string): Promise<JobSnapshot | null>;
  /**
   * Saves a job's totals, and its file list when `withFiles`. A save that fails because the
   * backend is away rejects, and is written (the newest one of the job) when it is back.
   */
  save(job: JobSnapshot, withFiles: boolean): Promise<void>;
  delete(jobId: string): Promise<void>;
  /**
   * Atomically across instances: the id of the unfinished job holding this request key; else
   * `job` is saved and now holds the key, and its id is returned.
   */
  claim(key: string, job: JobSnapshot): Promise<string>;
  /** The request key is free again (its job finished). */
  release(key: string, jobId: string): Promise<void>;
  /** The job may run now (started, or resumed); its saved status must already be `queued`. */
  enqueue(jobId: string): Promise<void>;
  /** Takes a job out before it ran; true if it was waiting (false: an instance has it). */
  dequeue(jobId: string): Promise<boolean>;
  /**
   * Starts handing jobs to `run`, at most `concurrency` at once on this instance. A job is handed
   * again (to any instance) when `run` answers `handback` or when its instance died.
   */
  work(run: (jobId: string) => Promise<RunOutcome>, concurrency: number): void;
  /** Asks the instance running a job to pause or cancel it; kept until taken, so a job handed to another instance still gets it. */
  command(jobId: string, command: JobCommand): Promise<void>;
  /** The command waiting for a job, removed as it is read. */
  takeCommand(jobId: string): Promise<JobCommand | null>;
  publish(message: SharedMessage): Promise<void>;
  subscribe(listener: (message: SharedMessage) => void): () => void;
  /** Stops taking jobs, waits for `run`s in progress, lets pending saves land. */
  close(): Promise<void>;
}

export function isSharedJobBackend(store: JobStore | SharedJobBackend | undefined): store is SharedJobBackend {
  return typeof store === 'object' && store !== null && (store as { kind?: unknown }).kind === 'shared';
}
