import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../engine/processAlive.js';
import { writeFileAtomic } from '../storage/cacheLayout.js';
import type { FileSnapshot, JobSnapshot } from '../types.js';

/**
 * Where a manager keeps its job records. The file store below is the embedded default; the seam
 * is here so that a shared store (several app instances, one queue) can take its place.
 */
export interface JobStore {
  readonly dir: string;
  /**
   * Every job this manager may take: its own earlier records and those of managers that have
   * stopped (closed, crashed, killed). Jobs of another manager that is running on the same folder
   * are left to it. Synchronous, so a new manager lists its restored jobs at once.
   */
  loadAll(onCorrupt: (file: string, error: unknown) => void): JobSnapshot[];
  /**
   * Saves a job's totals; its file list only when `withFiles` (the plan or a file's status
   * changed), so the cost of a save follows what changed, not the size of the job.
   */
  save(job: JobSnapshot, withFiles: boolean): Promise<void>;
  delete(jobId: string): Promise<void>;
  /** Lets writes in flight land and gives up ownership: another manager may take these jobs now. */
  close(): Promise<void>;
}

export interface FileJobStoreOptions {
  /** A lease nobody touched for this long belongs to a manager that is gone. @default 30000 */
  readonly staleMs?: number;
}

const JOB_ID_RE = /^job_[a-z0-9]{6,40}$/;
const FILES_SUFFIX = '.files.json';
const OWNERS = 'owners';
const TEMP_RE = /\.json\.(\d+)\.[0-9a-f]{1,8}\.tmp$/;

/** Managers of this process that are open, by instance id (a pid alone cannot tell two apart). */
const openInstances = new Set<string>();

function isJobRecord(v: unknown): v is JobSnapshot & { owner?: unknown } {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  return (
    typeof j.id === 'string' &&
    JOB_ID_RE.test(j.id) &&
    typeof j.repoId === 'string' &&
    (j.repoType === 'model' || j.repoType === 'dataset') &&
    typeof j.revision === 'string' &&
    typeof j.status === 'string' &&
    (j.files === undefined || Array.isArray(j.files)) &&
    Array.isArray(j.include) &&
    Array.isArray(j.exclude)
  );
}

interface Lease {
  readonly pid: number;
  readonly hostname: string;
}

/**
 * One JSON file per job under `dir` (`<id>.json`: its totals, rewritten as it moves) and one for
 * its file list (`<id>.files.json`: written when the plan is known and when the job ends), each
 * written atomically (temp + rename), so a crash at any moment leaves either the old or the new
 * state. Writes of one job are serialised so an older snapshot never lands after a newer one.
 *
 * Several managers may share `dir` (two apps on one cache, or an app and the `persian-hub`
 * command). Each record names its owner; each owner keeps a lease file `owners/<id>.json` (pid,
 * host) touched every `staleMs / 3`. A manager never takes a job whose owner's lease is alive: a
 * live process on this host, or a lease touched within `staleMs` on another host.
 */
export function createJobStore(dir: string, options: FileJobStoreOptions = {}): JobStore {
  const staleMs = options.staleMs ?? 30_000;
  const instance = randomBytes(6).toString('hex');
  const me = hostname();
  const leaseFile = join(dir, OWNERS, `${instance}.json`);
  const chains = new Map<string, Promise<void>>();
  /** Records read in the old one-file format: their next save must write the file list too. */
  const needsFiles = new Set<string>();
  let lease: Promise<void> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;
  openInstances.add(instance);

  const summaryPath = (id: string) => join(dir, `${id}.json`);
  const filesPath = (id: string) => join(dir, `${id}${FILES_SUFFIX}`);

  const leaseAlive = (owner: string): boolean => {
    if (owner === instance) return true;
    let l: Lease;
    let touched: number;
    try {
      const file = join(dir, OWNERS, `${owner}.json`);
      l = JSON.parse(readFileSync(file, 'utf8')) as Lease;
      touched = statSync(file).mtimeMs;
    } catch {
      return false;
    }
    if (typeof l.pid !== 'number' || Date.now() - touched > staleMs) return false;
    if (l.hostname !== me) return true;
    // In this very process only an open manager counts (a pid can come back after a restart).
    return l.pid === process.pid ? openInstances.has(owner) : processAlive(l.pid);
  };

  const ensureLease = (): Promise<void> => {
    lease ??= (async () => {
      await mkdir(join(dir, OWNERS), { recursive: true });
      await writeFile(leaseFile, JSON.stringify({ pid: process.pid, hostname: me, createdAt: new Date().toISOString() }));
      heartbeat = setInterval(() => {
        const now = new Date();
        void utimes(leaseFile, now, now).catch(() => undefined);
      }, Math.max(50, Math.floor(staleMs / 3)));
      heartbeat.unref();
    })();
    return lease;
  };

  const chain = (id: string, step: () => Promise<void>): Promise<void> => {
    const prev = chains.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(step);
    chains.set(id, next);
    void next
      .finally(() => {
        if (chains.get(id) === next) chains.delete(id);
      })
      .catch(() => undefined);
    return next;
  };

  return {
    dir,
    loadAll(onCorrupt) {
      let all: string[];
      try {
        // Reading creates nothing: a manager made only to list the catalog leaves no folders behind.
        all = readdirSync(dir);
      } catch {
        return [];
      }
      // A write cut short by a crash leaves its temp file (`<name>.<pid>.<8 hex>.tmp`): gone with its writer.
      for (const name of all) {
        const pid = Number(TEMP_RE.exec(name)?.[1]);
        if (pid && pid !== process.pid && !processAlive(pid)) {
          try {
            unlinkSync(join(dir, name));
          } catch {
            // someone else swept it
          }
        }
      }
      const names = all.filter((n) => n.endsWith('.json') && !n.endsWith(FILES_SUFFIX)).sort();
      const jobs: JobSnapshot[] = [];
      for (const name of names) {
        try {
          const parsed: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'));
          if (!isJobRecord(parsed)) throw new Error('not a job snapshot');
          const { owner, ...snapshot } = parsed;
          if (typeof owner === 'string' && leaseAlive(owner)) continue;
          let files: FileSnapshot[] = [];
          if (Array.isArray(snapshot.files)) {
            files = snapshot.files;
            needsFiles.add(snapshot.id);
          } else {
            try {
              const list: unknown = JSON.parse(readFileSync(filesPath(snapshot.id), 'utf8'));
              if (Array.isArray(list)) files = list as FileSnapshot[];
            } catch {
              // Not planned yet, or the list was lost: the next run plans again.
            }
          }
          jobs.push({ ...snapshot, files });
        } catch (error) {
          onCorrupt(name, error);
        }
      }
      return jobs;
    },
    save(job, withFiles) {
      if (closed) return Promise.resolve();
      const files = withFiles || needsFiles.has(job.id);
      return chain(job.id, async () => {
        await ensureLease();
        if (files) {
          await writeFileAtomic(filesPath(job.id), JSON.stringify(job.files));
          needsFiles.delete(job.id);
        }
        const { files: _files, fileDetail: _detail, ...summary } = job;
        await writeFileAtomic(summaryPath(job.id), JSON.stringify({ ...summary, owner: instance }, null, 1));
      });
    },
    delete(jobId) {
      return chain(jobId, async () => {
        await unlink(summaryPath(jobId)).catch(() => undefined);
        await unlink(filesPath(jobId)).catch(() => undefined);
      });
    },
    async close() {
      await Promise.all([...chains.values()].map((p) => p.catch(() => undefined)));
      closed = true;
      openInstances.delete(instance);
      if (heartbeat) clearInterval(heartbeat);
      if (lease) {
        await lease.catch(() => undefined);
        await unlink(leaseFile).catch(() => undefined);
      }
    },
  };
}
