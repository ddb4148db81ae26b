import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface ExportCopy {
  readonly path: string;
  readonly size: number;
  /** Call once this client's download ended (sent or abandoned); the last one deletes the file. */
  release(): Promise<void>;
}

export interface SharedExports {
  /**
   * A temporary `.tar` of `id`, written once and shared by every client that asks while one exists:
   * twenty clients of the same model cost one copy in the temp folder, not twenty.
   * `write(file)` makes it; `admit()` is asked only when a new copy is needed (the concurrency limit).
   */
  acquire(id: string, write: (file: string) => Promise<unknown>, admit: () => () => void): Promise<ExportCopy>;
  /** Copies on disk or being written (for tests and metrics). */
  readonly copies: number;
}

interface Entry {
  readonly ready: Promise<{ path: string; size: number }>;
  users: number;
  /** Deletes the copy and frees its slot. */
  readonly dispose: () => Promise<void>;
}

export function createSharedExports(tempDir: string): SharedExports {
  const entries = new Map<string, Entry>();

  const acquire = async (id: string, write: (file: string) => Promise<unknown>, admit: () => () => void): Promise<ExportCopy> => {
    let entry = entries.get(id);
    if (!entry) {
      const releaseSlot = admit();
      const path = join(tempDir, `persian-hub-export-${randomBytes(8).toString('hex')}.tar`);
      const ready = (async () => {
        try {
          await write(path);
          return { path, size: (await stat(path)).size };
        } catch (error) {
          await rm(path, { force: true });
          throw error;
        }
      })();
      const created: Entry = {
        ready,
        users: 0,
        dispose: async () => {
          if (entries.get(id) === created) entries.delete(id);
          releaseSlot();
          await rm(path, { force: true });
        },
      };
      entry = created;
      entries.set(id, created);
      // A failed export is not shared with clients that come later: they try again.
      ready.catch(() => created.dispose());
    }
    const current = entry;
    current.users++;
    let copy: { path: string; size: number };
    try {
      copy = await current.ready;
    } catch (error) {
      current.users--;
      throw error;
    }
    let released = false;
    return {
      ...copy,
      release: async () => {
        if (released) return;
        released = true;
        current.users--;
        if (current.users === 0) await current.dispose();
      },
    };
  };

  return {
    acquire,
    get copies() {
      return entries.size;
    },
  };
}
