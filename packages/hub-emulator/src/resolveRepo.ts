import { createHash } from 'node:crypto';
import { generatedRange } from './generatedBytes.js';
import { gitBlobSha1 } from './gitBlobSha1.js';
import type {
  FileSource,
  FileSpec,
  RepoSpec,
  RepoType,
  ResolvedFile,
  ResolvedRepo,
  ResolvedRevision,
} from './types.js';

const MiB = 1024 * 1024;

/** Extensions the emulator stores with LFS by default (a subset of the Hub's default .gitattributes). */
export const LFS_EXTENSIONS: readonly string[] = [
  '.bin', '.pth', '.onnx', '.safetensors', '.h5', '.msgpack', '.parquet', '.gguf', '.zip', '.pt', '.ckpt',
  '.model', '.tar', '.gz', '.mp3', '.wav', '.pkl', '.npy', '.npz', '.arrow', '.tflite', '.ot',
];

export function isLfsByDefault(path: string, size: number): boolean {
  if (size >= MiB) return true;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.includes('tfevents')) return true;
  return LFS_EXTENSIONS.some((ext) => name.endsWith(ext));
}

export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

interface Digest {
  readonly sha256: string;
  /** Empty when not asked for (LFS files never need the git sha1 of their content). */
  readonly blobSha1: string;
}

// Hashing a generated file is the only costly part of startup; the same seed and size always give the
// same bytes, so the result is shared by every emulator in the process (tests start many).
const generatedDigests = new Map<string, Promise<Digest>>();

async function digestGenerated(seed: string, size: number, withSha1: boolean): Promise<Digest> {
  const key = `${size}\0${withSha1}\0${seed}`;
  let pending = generatedDigests.get(key);
  if (!pending) {
    pending = (async () => {
      const sha256 = createHash('sha256');
      const sha1 = withSha1 ? createHash('sha1').update(`blob ${size}\0`) : undefined;
      let sinceYield = 0;
      for (const chunk of generatedRange(seed, 0, size)) {
        sha256.update(chunk);
        sha1?.update(chunk);
        sinceYield += chunk.length;
        // Keep the event loop (and the server) responsive while hashing a big file.
        if (sinceYield >= 16 * MiB) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      return { sha256: sha256.digest('hex'), blobSha1: sha1?.digest('hex') ?? '' };
    })();
    generatedDigests.set(key, pending);
  }
  return pending;
}

function normalizePath(path: string, hostile: boolean): string {
  // A hostile repo serves names as given (`../x`, `/etc/x`) so tests can prove clients refuse them.
  if (hostile && path.length > 0) return path;
  const clean = path.replace(/^\/+/, '');
  if (!clean || clean.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`hub-emulator: invalid file path ${JSON.stringify(path)}`);
  }
  return clean;
}

async function resolveFile(repoKey: string, spec: FileSpec, hostile = false): Promise<ResolvedFile> {
  const path = normalizePath(spec.path, hostile);
  let source: FileSource;
  let size: number;
  let digest: Digest;
  if (spec.content !== undefined) {
    const bytes =
      typeof spec.content === 'string'
        ? Buffer.from(spec.content, 'utf8')
        : Buffer.from(spec.content.buffer, spec.content.byteOffset, spec.content.byteLength);
    source = { kind: 'bytes', bytes };
    size = bytes.length;
    digest = { sha256: createHash('sha256').update(bytes).digest('hex'), blobSha1: gitBlobSha1(bytes) };
  } else if (spec.size !== undefined) {
    if (!Number.isSafeInteger(spec.size) || spec.size < 0) {
      throw new Error(`hub-emulator: invalid size for ${path}: ${spec.size}`);
    }
    const seed = `${repoKey}/${path}`;
    source = { kind: 'generated', seed };
    size = spec.size;
    digest = await digestGenerated(seed, size, !(spec.lfs ?? isLfsByDefault(path, size)));
  } else {
    throw new Error(`hub-emulator: file ${path} needs content or size`);
  }
  const lfs = spec.lfs ?? isLfsByDefault(path, size);
  if (spec.listedSize !== undefined && (!Number.isSafeInteger(spec.listedSize) || spec.listedSize < 0)) {
    throw new Error(`hub-emulator: invalid listedSize for ${path}: ${spec.listedSize}`);
  }
  const listedSize = spec.listedSize ?? size;
  if (!lfs) {
    return { path, size, listedSize, lfs, sha256: digest.sha256, oid: digest.blobSha1, etag: digest.blobSha1, source };
  }
  const pointer = lfsPointer(digest.sha256, size);
  return {
    path,
    size,
    listedSize,
    lfs,
    sha256: digest.sha256,
    oid: gitBlobSha1(pointer),
    etag: digest.sha256,
    pointer,
    pointerSize: Buffer.byteLength(pointer),
    source,
  };
}

interface TreeNode {
  files: Map<string, ResolvedFile>;
  dirs: Map<string, TreeNode>;
}

/** Real git tree ids, so directory `oid`s look and behave like the Hub's. */
function computeTreeOids(files: readonly ResolvedFile[]): Map<string, string> {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split('/');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.dirs.get(part);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(part, next);
      }
      node = next;
    }
    node.files.set(parts[parts.length - 1]!, file);
  }
  const out = new Map<string, string>();
  const visit = (node: TreeNode, prefix: string): string => {
    const entries: { sortKey: string; bytes: Buffer }[] = [];
    for (const [name, child] of node.dirs) {
      const oid = visit(child, prefix ? `${prefix}/${name}` : name);
      entries.push({ sortKey: `${name}/`, bytes: Buffer.concat([Buffer.from(`40000 ${name}\0`), Buffer.from(oid, 'hex')]) });
    }
    for (const [name, file] of node.files) {
      entries.push({ sortKey: name, bytes: Buffer.concat([Buffer.from(`100644 ${name}\0`), Buffer.from(file.oid, 'hex')]) });
    }
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    const body = Buffer.concat(entries.map((e) => e.bytes));
    const oid = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
    out.set(prefix, oid);
    return oid;
  };
  visit(root, '');
  return out;
}

function lastModifiedFor(commit: string): string {
  // Deterministic, plausible dates between 2023-01-01 and early 2025.
  const days = parseInt(commit.slice(0, 6), 16) % 760;
  return new Date(Date.UTC(2023, 0, 1) + days * 86_400_000 + (parseInt(commit.slice(6, 10), 16) % 86_400) * 1000).toISOString();
}

const COMMIT_RE = /^[0-9a-f]{40}$/;

export async function resolveRepo(spec: RepoSpec): Promise<ResolvedRepo> {
  const type: RepoType = spec.type ?? 'model';
  const id = spec.id.replace(/^\/+|\/+$/g, '');
  const validId = (s: string) => /^([\w.-]+\/)?[\w.-]{1,96}$/.test(s);
  if (!validId(id)) throw new Error(`hub-emulator: invalid repo id ${spec.id}`);
  const renamedFrom = (spec.renamedFrom ?? []).map((old) => old.replace(/^\/+|\/+$/g, ''));
  for (const old of renamedFrom) {
    if (!validId(old) || old.toLowerCase() === id.toLowerCase()) throw new Error(`hub-emulator: invalid former id ${old} of ${spec.id}`);
  }
  const key = `${type}:${id}`;
  const revisionSpecs: [string, readonly FileSpec[]][] = [['main', spec.files]];
  for (const [name, files] of Object.entries(spec.branches ?? {})) {
    if (name !== 'main' && files) revisionSpecs.push([name, files]);
  }
  const revisions = new Map<string, ResolvedRevision>();
  for (const [name, fileSpecs] of revisionSpecs) {
    const files = await Promise.all(fileSpecs.map((f) => resolveFile(key, f, spec.hostile === true)));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const filesByPath = new Map(files.map((f) => [f.path, f] as const));
    if (filesByPath.size !== files.length) throw new Error(`hub-emulator: duplicate path in ${key}@${name}`);
    const directories = computeTreeOids(files);
    const fixed = spec.commits?.[name];
    if (fixed !== undefined && !COMMIT_RE.test(fixed)) {
      throw new Error(`hub-emulator: commit for ${key}@${name} must be 40 lower-case hex`);
    }
    const commit =
      fixed ?? createHash('sha1').update(`commit ${key}@${name}\ntree ${directories.get('')}\n`).digest('hex');
    revisions.set(name, { name, commit, lastModified: lastModifiedFor(commit), files, filesByPath, directories });
  }
  const main = revisions.get('main')!;
  return {
    id,
    type,
    key,
    gated: spec.gated ?? false,
    private: spec.private ?? false,
    commit: main.commit,
    main,
    revisions,
    renamedFrom,
  };
}
