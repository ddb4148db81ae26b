import { isPersianHubError, type DownloadManagerApi, type RepoType } from '@persian-hub/core';
import { HubAnswer } from './mirrorResponses.js';

export interface MirrorPulls {
  /**
   * Runs one manager job for `repo@revision` (only `path`, or the whole revision) and resolves
   * once it has finished and verified its files. Requests for the same thing meanwhile share it.
   * Throws a HubAnswer (RepoNotFound, RevisionNotFound, EntryNotFound, 502) when it failed.
   */
  pull(repoType: RepoType, repoId: string, revision: string, path?: string): Promise<void>;
  /** Pulls running now (for tests and metrics). */
  readonly running: number;
}

/** An fnmatch pattern that matches exactly this path (`*`, `?` and `[` become classes). */
export function literalPattern(path: string): string {
  return path.replace(/[*?[]/g, (c) => `[${c}]`);
}

export function createMirrorPulls(manager: DownloadManagerApi): MirrorPulls {
  const running = new Map<string, Promise<void>>();

  const run = async (repoType: RepoType, repoId: string, revision: string, path: string | undefined): Promise<void> => {
    let job;
    try {
      const started = await manager.start({ repoId, repoType, revision, ...(path !== undefined ? { include: [literalPattern(path)] } : {}) });
      job = await manager.waitFor(started.id);
    } catch (error) {
      throw toAnswer(isPersianHubError(error) ? error.code : 'INTERNAL', repoId, revision, path);
    }
    if (job.status !== 'completed') throw toAnswer(job.error?.code ?? 'CANCELLED', repoId, revision, path);
  };

  return {
    pull(repoType, repoId, revision, path) {
      const key = JSON.stringify([repoType, repoId, revision, path ?? null]);
      let pending = running.get(key);
      if (!pending) {
        pending = run(repoType, repoId, revision, path).finally(() => running.delete(key));
        running.set(key, pending);
      }
      return pending;
    },
    get running() {
      return running.size;
    },
  };
}

function toAnswer(code: string, repoId: string, revision: string, path: string | undefined): HubAnswer {
  switch (code) {
    case 'REPO_NOT_FOUND':
    case 'GATED_REPO':
    case 'UNAUTHORIZED':
      return new HubAnswer(404, 'RepoNotFound', `Repository not found: ${repoId} (upstream)`);
    case 'REVISION_NOT_FOUND':
      return new HubAnswer(404, 'RevisionNotFound', `Invalid rev id: ${revision}`);
    case 'ENTRY_NOT_FOUND':
      return new HubAnswer(404, 'EntryNotFound', `${path ?? 'The file'} does not exist on "${revision}"`);
    default:
      // The upstream could not be reached (or refused): a gateway error, which clients retry.
      return new HubAnswer(502, undefined, `The mirror could not fetch ${repoId}@${revision} from its upstream (${code}).`);
  }
}
