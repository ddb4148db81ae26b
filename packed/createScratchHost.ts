// A fresh host app in a temporary folder that installs packed tarballs the way a user's app would
// (`npm ci`, real dependency resolution from the tarballs' own package.json), but offline: its
// package-lock.json pins every dependency to the version and integrity this repository's lockfile
// already has, so npm takes the bytes from its cache (filled by the repository's own `npm ci`)
// and never asks the registry. A dependency a package forgot to declare is not installed, so its
// import fails: the install is as strict as a real one.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { REPO, type PublishedName } from './packages.js';

const execFileAsync = promisify(execFile);

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  name?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  peer?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  bin?: string | Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface ScratchHostOptions {
  /** Every packed tarball; the ones not in `install` are still used when an installed one depends on them. */
  readonly tarballs: Readonly<Record<PublishedName, string>>;
  /** The packages the host app itself depends on. */
  readonly install: readonly PublishedName[];
  /** More dependencies of the host (e.g. express), at the version this repository's lockfile has. */
  readonly extra?: readonly string[];
  /** Dev dependencies of the host (e.g. @types/node), from the lockfile too. */
  readonly dev?: readonly string[];
  /** package.json `type`. @default 'module' */
  readonly type?: 'module' | 'commonjs';
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ScratchHost {
  readonly dir: string;
  /** Runs a command in the host folder; never throws for a non-zero exit. */
  run(command: string, args: readonly string[], env?: Readonly<Record<string, string>>): Promise<CommandResult>;
  write(file: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

const repoLock = (): Record<string, LockEntry> =>
  (JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/** The nearest `node_modules/<dep>` above `from`, as Node resolves it in the repository's tree. */
function findInLock(lock: Record<string, LockEntry>, from: string, dep: string): string | null {
  let at = from;
  for (;;) {
    const candidate = `${at ? `${at}/` : ''}node_modules/${dep}`;
    if (lock[candidate] && !lock[candidate].link) return candidate;
    if (!at) return null;
    const cut = at.lastIndexOf('/node_modules/');
    at = cut < 0 ? '' : at.slice(0, cut);
  }
}

function requiredDeps(e: { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }) {
  const peers = Object.keys(e.peerDependencies ?? {}).filter((n) => !e.peerDependenciesMeta?.[n]?.optional);
  return {
    required: [...Object.keys(e.dependencies ?? {}), ...peers],
    optional: Object.keys(e.optionalDependencies ?? {}),
  };
}

export async function createScratchHost(options: ScratchHostOptions): Promise<ScratchHost> {
  const dir = await mkdtemp(join(tmpdir(), 'ph-host-'));
  const lock = repoLock();
  const registry = 'https://registry.npmjs.org/';

  const packed = new Map<string, { pj: PackageJson; file: string; integrity: string }>();
  for (const [name, file] of Object.entries(options.tarballs)) {
    const { stdout } = await execFileAsync('tar', ['-xOzf', file, 'package/package.json']);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
    packed.set(name, { pj: JSON.parse(stdout) as PackageJson, file, integrity });
  }
  // Workspace folders of the repository, for deps npm nested under one (packages/x/node_modules/y).
  const workspaceOf = new Map(Object.entries(lock).filter(([k, v]) => !k.includes('node_modules') && v.name).map(([k, v]) => [v.name!, k]));

  const out: Record<string, LockEntry> = {};
  const edges = new Map<string, string[]>(); // host lock path -> host lock paths it needs
  const fail = (message: string): never => {
    throw new Error(`scratch host lockfile: ${message}`);
  };

  const addPacked = (name: string): string => {
    const hostPath = `node_modules/${name}`;
    if (out[hostPath]) return hostPath;
    const p = packed.get(name) ?? fail(`no tarball for ${name}`);
    const resolved = `file:${relative(dir, p.file)}`;
    out[hostPath] = {
      version: p.pj.version,
      resolved,
      integrity: p.integrity,
      license: p.pj.license,
      dependencies: p.pj.dependencies,
      peerDependencies: p.pj.peerDependencies,
      peerDependenciesMeta: p.pj.peerDependenciesMeta,
      engines: p.pj.engines,
      // npm ci links bins from the lockfile, not from the unpacked package.json.
      bin: typeof p.pj.bin === 'string' ? { [p.pj.name.split('/').pop()!]: p.pj.bin } : p.pj.bin,
    };
    const needs: string[] = [];
    edges.set(hostPath, needs);
    const ws = workspaceOf.get(name);
    for (const dep of requiredDeps(p.pj).required) {
      if (packed.has(dep)) needs.push(addPacked(dep));
      else if (ws && lock[`${ws}/node_modules/${dep}`]) needs.push(addFromLock(`${ws}/node_modules/${dep}`, `${hostPath}/node_modules/${dep}`));
      else needs.push(addFromLock(findInLock(lock, '', dep) ?? fail(`${dep} (needed by ${name}) is not in the repository's lockfile`), `node_modules/${dep}`));
    }
    return hostPath;
  };

  function addFromLock(repoPath: string, hostPath: string): string {
    if (out[hostPath]) return hostPath;
    const { dev: _dev, optional: _optional, peer: _peer, devOptional: _devOptional, ...entry } = lock[repoPath]!;
    const base = repoPath.slice(repoPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // The URL only names the tarball; npm finds it in its cache by integrity.
    entry.resolved ??= `${registry}${base}/-/${base.split('/').pop()}-${entry.version}.tgz`;
    out[hostPath] = entry;
    const needs: string[] = [];
    edges.set(hostPath, needs);
    const { required, optional } = requiredDeps(entry);
    for (const dep of [...required, ...optional]) {
      if (packed.has(dep)) {
        needs.push(addPacked(dep));
        continue;
      }
      const found = findInLock(lock, repoPath, dep);
      if (!found) {
        if (optional.includes(dep)) continue;
        fail(`${dep} (needed by ${repoPath}) is not in the repository's lockfile`);
      }
      // Keep the repository's nesting: a copy nested under this package stays nested under it.
      const inside = found!.startsWith(`${repoPath}/`);
      needs.push(addFromLock(found!, inside ? hostPath + found!.slice(repoPath.length) : found!));
    }
    return hostPath;
  }

  const exact = (name: string) => {
    const path = findInLock(lock, '', name) ?? fail(`${name} is not in the repository's lockfile`);
    return { path, version: lock[path]!.version! };
  };
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  const prodRoots: string[] = [];
  const devRoots: string[] = [];
  for (const name of options.install) {
    const p = packed.get(name) ?? fail(`no tarball for ${name}`);
    dependencies[name] = `file:${relative(dir, p.file)}`;
    prodRoots.push(addPacked(name));
  }
  for (const name of options.extra ?? []) {
    const { path, version } = exact(name);
    dependencies[name] = version;
    prodRoots.push(addFromLock(path, `node_modules/${name}`));
  }
  for (const name of options.dev ?? []) {
    const { path, version } = exact(name);
    devDependencies[name] = version;
    devRoots.push(addFromLock(path, `node_modules/${name}`));
  }
  // Dev flags as npm computes them: whatever only dev dependencies need is `dev`.
  const prod = new Set<string>();
  const visit = (p: string) => {
    if (prod.has(p)) return;
    prod.add(p);
    for (const next of edges.get(p) ?? []) visit(next);
  };
  prodRoots.forEach(visit);
  for (const [path, entry] of Object.entries(out)) if (!prod.has(path)) entry.dev = true;

  const pkg = { name: 'persian-hub-scratch-host', version: '1.0.0', private: true, type: options.type ?? 'module', dependencies, devDependencies };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const lockfile = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: pkg.name, version: pkg.version, dependencies, devDependencies }, ...out },
  };
  await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);

  const host: ScratchHost = {
    dir,
    async run(command, args, env = {}) {
      return new Promise((resolve) => {
        execFile(command, [...args], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      });
    },
    write: (file, text) => writeFile(join(dir, file), text),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  // --offline: only npm's cache; a dependency missing from it fails here instead of being fetched.
  const install = await host.run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
  if (install.code !== 0) {
    await host.remove();
    throw new Error(`npm ci --offline in the scratch host failed (${install.code}):\n${install.stderr}${install.stdout}`);
  }
  return host;
}

/** The package.json of an installed package of the host. */
export async function installedPackageJson(host: ScratchHost, name: string): Promise<PackageJson> {
  return JSON.parse(await readFile(join(host.dir, 'node_modules', name, 'package.json'), 'utf8')) as PackageJson;
}
