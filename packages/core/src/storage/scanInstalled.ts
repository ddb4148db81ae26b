import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { filterRepoPaths, fnmatch } from '../hub/fnmatch.js';
import type { CatalogEntry, InstalledSnapshot, JobSnapshot, RepoType } from '../types.js';

const ACTIVE: ReadonlySet<string> = new Set(['queued', 'resolving', 'downloading', 'verifying', 'paused']);

async function walk(dir: string, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out;
}

interface TreeJson {
  files: Record<string, { size: number }>;
}

async function readTree(path: string): Promise<TreeJson | null> {
  try {
    const t = JSON.parse(await readFile(path, 'utf8')) as Partial<TreeJson> & { format_version?: number };
    return t.format_version === 1 && t.files && typeof t.files === 'object' ? (t as TreeJson) : null;
  } catch {
    return null;
  }
}

interface SnapshotFacts {
  repoType: RepoType;
  repoId: string;
  commit: string;
  refs: string[];
  path: string;
  /** path in repo → size on disk; only files whose pointer resolves. */
  files: Map<string, number>;
  broken: boolean;
  tree: TreeJson | null;
  repoHasIncomplete: boolean;
}

function selectionSatisfied(entry: { include: readonly string[]; exclude: readonly string[] }, s: SnapshotFacts): string[] | null {
  const present = [...s.files.keys()];
  if (s.tree) {
    const expected = filterRepoPaths(Object.keys(s.tree.files), entry.include, entry.exclude, (p) => p);
    if (expected.length === 0) return null;
    for (const p of expected) {
      if (s.files.get(p) !== s.tree.files[p]!.size) return null;
    }
    return expected;
  }
  // No file list on disk (an older Python cache): every include pattern must match something.
  const selected = filterRepoPaths(present, entry.include, entry.exclude, (p) => p);
  if (selected.length === 0) return null;
  for (const pattern of entry.include) {
    if (!present.some((p) => fnmatch(p, pattern.endsWith('/') ? `${pattern}*` : pattern))) return null;
  }
  if (s.repoHasIncomplete && entry.include.length === 0) return null;
  return selected;
}

function sumSizes(s: SnapshotFacts, paths: Iterable<string>): number {
  let total = 0;
  for (const p of paths) total += s.files.get(p) ?? 0;
  return total;
}

async function scanRepo(cacheDir: string, folder: string): Promise<SnapshotFacts[]> {
  const m = /^(models|datasets)--(.+)$/.exec(folder);
  if (!m) return [];
  const repoType: RepoType = m[1] === 'datasets' ? 'dataset' : 'model';
  const repoId = m[2]!.split('--').join('/');
  const repoDir = join(cacheDir, folder);
  const refs = new Map<string, string[]>();
  for (const ref of await walk(join(repoDir, 'refs'))) {
    const commit = (await readFile(join(repoDir, 'refs', ref), 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{40}$/.test(commit)) refs.set(commit, [...(refs.get(commit) ?? []), ref]);
  }
  const blobNames = await readdir(join(repoDir, 'blobs')).catch(() => [] as string[]);
  const repoHasIncomplete = blobNames.some((n) => n.endsWith('.incomplete'));
  // Snapshots a ref names first (then by commit): a lookup by catalog id finds the revision the
  // catalog asks for, not another commit of the repo (one a bundle installed beside it).
  const commits = (await readdir(join(repoDir, 'snapshots')).catch(() => [] as string[])).sort(
    (a, b) => Number(refs.has(b)) - Number(refs.has(a)) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const out: SnapshotFacts[] = [];
  for (const commit of commits) {
    const snapDir = join(repoDir, 'snapshots', commit);
    const files = new Map<string, number>();
    let broken = false;
    for (const rel of await walk(snapDir)) {
      try {
        const st = await stat(join(snapDir, rel)); // follows the symlink to the blob
        if (st.isFile()) files.set(rel, st.size);
        else broken = true;
      } catch {
        broken = true;
      }
    }
    out.push({
      repoType,
      repoId,
      commit,
      refs: refs.get(commit) ?? [],
      path: snapDir,
      files,
      broken,
      tree: await readTree(join(repoDir, 'trees', `${commit}.json`)),
      repoHasIncomplete,
    });
  }
  return out;
}

export interface ScanInstalledOptions {
  readonly cacheDir: string;
  readonly catalog: readonly CatalogEntry[];
  /** Jobs with their files (`fileDetail: 'all'`): what they installed, and what is still being written. */
  readonly jobs: readonly JobSnapshot[];
}

/** An installed row and the repo paths that make it up (what removing it would concern). */
export interface InstalledDetail {
  readonly row: InstalledSnapshot;
  readonly files: readonly string[];
}

/**
 * What is complete on disk: snapshots in the shared cache (ours or Python's, same layout)
 * and local dirs our jobs filled. A snapshot with a dangling pointer or a missing selected file
 * is not installed; nor is one a job is still writing, unless a catalog entry's whole selection
 * is there (a second entry of the same snapshot being downloaded must not hide the first).
 */
export async function scanInstalled(options: ScanInstalledOptions): Promise<InstalledSnapshot[]> {
  return (await scanInstalledDetail(options)).map((d) => d.row);
}

export async function scanInstalledDetail(options: ScanInstalledOptions): Promise<InstalledDetail[]> {
  const cacheDir = resolve(options.cacheDir);
  const folders = await readdir(cacheDir).catch(() => [] as string[]);
  const rows: InstalledDetail[] = [];
  for (const folder of folders.sort()) {
    for (const s of await scanRepo(cacheDir, folder)) {
      if (s.broken || s.files.size === 0) continue;
      let matchedCatalog = false;
      for (const entry of options.catalog) {
        if (entry.repoId !== s.repoId || entry.repoType !== s.repoType) continue;
        if (!(s.refs.includes(entry.revision) || entry.revision === s.commit)) continue;
        const selected = selectionSatisfied(entry, s);
        if (!selected) continue;
        matchedCatalog = true;
        rows.push(row(s, entry.id, selected));
      }
      if (matchedCatalog) continue;
      const busy = options.jobs.some(
        (j) => j.repoId === s.repoId && j.repoType === s.repoType && j.commit === s.commit && ACTIVE.has(j.status) && !isLocal(j),
      );
      if (busy) continue;
      const ourJob = [...options.jobs]
        .reverse()
        .find((j) => j.repoId === s.repoId && j.repoType === s.repoType && j.commit === s.commit && j.status === 'completed' && !isLocal(j));
      if (ourJob) {
        // The job knows exactly which files it installed (an include-limited download, a partial bundle).
        const selected = ourJob.files.length > 0 ? jobFilesPresent(ourJob, s) : selectionSatisfied(ourJob, s);
        if (selected) rows.push(row(s, ourJob.catalogId, [...s.files.keys()]));
        continue;
      }
      if (s.tree) {
        // Python ≥ 1.22 wrote the file list: whatever is present must be whole.
        const whole = [...s.files].every(([p, size]) => s.tree!.files[p]?.size === size);
        if (whole && !s.repoHasIncomplete) rows.push(row(s, null, [...s.files.keys()]));
        continue;
      }
      if (!s.repoHasIncomplete) rows.push(row(s, null, [...s.files.keys()]));
    }
  }
  rows.push(...(await scanLocalDirs(options.jobs)));
  return rows;
}

function jobFilesPresent(job: JobSnapshot, s: SnapshotFacts): string[] | null {
  for (const f of job.files) if (s.files.get(f.path) !== f.size) return null;
  return job.files.map((f) => f.path);
}

function isLocal(j: JobSnapshot): boolean {
  return j.localDir != null;
}

function row(s: SnapshotFacts, catalogId: string | null, paths: string[]): InstalledDetail {
  return {
    row: {
      key: `${catalogId ?? `${s.repoType}:${s.repoId}`}@${s.commit}`,
      catalogId,
      repoId: s.repoId,
      repoType: s.repoType,
      commit: s.commit,
      refs: s.refs,
      path: s.path,
      sizeOnDisk: sumSizes(s, paths),
      fileCount: paths.length,
      location: 'cache',
    },
    files: paths,
  };
}

async function scanLocalDirs(jobs: readonly JobSnapshot[]): Promise<InstalledDetail[]> {
  const rows: InstalledDetail[] = [];
  const seen = new Set<string>();
  for (const j of [...jobs].reverse()) {
    if (!isLocal(j) || j.status !== 'completed' || !j.path || !j.commit) continue;
    const key = `${j.catalogId ?? `${j.repoType}:${j.repoId}`}@${j.commit}@${j.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let ok = true;
    let size = 0;
    for (const f of j.files) {
      try {
        const st = await lstat(join(j.path, ...f.path.split('/')));
        if (!st.isFile() || st.size !== f.size) ok = false;
        size += st.size;
      } catch {
        ok = false;
      }
    }
    if (!ok) continue;
    rows.push({
      row: {
        key,
        catalogId: j.catalogId,
        repoId: j.repoId,
        repoType: j.repoType,
        commit: j.commit,
        refs: [j.revision],
        path: j.path,
        sizeOnDisk: size,
        fileCount: j.files.length,
        location: 'local-dir',
      },
      files: j.files.map((f) => f.path),
    });
  }
  return rows;
}
