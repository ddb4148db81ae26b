import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import { planSnapshot, type DownloadSnapshotOptions, type SnapshotPlan } from '../engine/downloadSnapshot.js';
import { localDirPaths, repoCachePaths } from '../storage/cacheLayout.js';
import { createHfCliOutputParser } from './createHfCliOutputParser.js';
import { mapHfCliError } from './mapHfCliError.js';
import type { HfCliOptions, ResolvedHfCli } from './resolveHfCliCommand.js';
import { fileSize } from '../storage/fileSize.js';

export interface RunHfCliSnapshotOptions extends DownloadSnapshotOptions {
  readonly cli: ResolvedHfCli & Pick<HfCliOptions, 'env'>;
  readonly endpoint: string;
  readonly token?: string | undefined;
  readonly proxy?: string | undefined;
  /** How often the `.incomplete` files are measured. @default 250 */
  readonly pollIntervalMs?: number;
  /** Time between SIGTERM and SIGKILL for the process group. @default 3000 */
  readonly killGraceMs?: number;
}


const STDERR_KEEP = 64 * 1024;

/**
 * The second backend: the official `hf download` (or `huggingface-cli download`) does the
 * transfer, with its own Xet support. We plan from the tree like the native backend, so the
 * total is exact, then take bytes from the `.incomplete` files on disk (the CLI prints no byte
 * bars on a pipe unless TQDM_POSITION=-1, and even then labels them by URL tail), and file
 * names and completion from its log lines. Pause and cancel kill the whole process group.
 */
export async function runHfCliSnapshot(options: RunHfCliSnapshotOptions): Promise<SnapshotPlan> {
  const { request, signal, hooks = {}, cli } = options;
  hooks.onStatus?.('resolving');
  const { plan } = await planSnapshot(options);
  hooks.onPlan?.(plan);
  hooks.onStatus?.('downloading');

  const cache = repoCachePaths(options.cacheDir, request.repoType, request.repoId);
  const local = request.localDir ? localDirPaths(request.localDir) : null;
  const byPath = new Map(plan.files.map((f) => [f.path, f]));
  const known = new Map(plan.files.map((f) => [f.path, f.bytesOnDisk]));
  const done = new Set(plan.files.filter((f) => f.cached).map((f) => f.path));
  for (const p of done) hooks.onFileDone?.(p, true);

  /**
   * Bytes on disk per planned file: the finished blob, or every `.incomplete` for its etag that
   * the CLI writes (not the pieces a native segmented download left, which the CLI never reads).
   */
  const measure = async () => {
    const dirs = new Map<string, string[]>();
    const list = async (dir: string) => {
      if (!dirs.has(dir)) dirs.set(dir, await readdir(dir).catch(() => [] as string[]));
      return dirs.get(dir)!;
    };
    for (const f of plan.files) {
      if (done.has(f.path)) continue;
      // The partial files first, the finished file second: the CLI renames one into the other,
      // and looking in the other order could miss both (the file not there yet, the partial
      // gone already) and report its bytes as 0 for a moment.
      let bytes = 0;
      let finished = false;
      if (local) {
        const dir = dirname(local.incomplete(f.path, f.etag));
        for (const name of await list(dir)) {
          if (name.endsWith(`.${f.etag}.incomplete`) && !isOurSegmentFile(name)) bytes += (await fileSize(join(dir, name))) ?? 0;
        }
        const meta = await readFile(local.metadata(f.path), 'utf8').catch(() => '');
        finished = meta.split('\n')[1] === f.etag && (await fileSize(local.file(f.path))) === f.size;
      } else {
        // `<etag>.incomplete` (huggingface_hub < 1.18) or `<etag>.<uuid8>.incomplete` (≥ 1.18);
        // never our own segment files, which are not a prefix of the blob.
        for (const name of await list(cache.blobsDir)) {
          if (name.startsWith(`${f.etag}.`) && name.endsWith('.incomplete') && !isOurSegmentFile(name)) {
            bytes += (await fileSize(join(cache.blobsDir, name))) ?? 0;
          }
        }
        finished = (await fileSize(cache.blob(f.etag))) === f.size;
      }
      const now = finished ? f.size : Math.min(bytes, f.size);
      const before = known.get(f.path) ?? 0;
      if (now !== before) {
        known.set(f.path, now);
        hooks.onBytes?.(f.path, now - before);
      }
      if (finished) {
        done.add(f.path);
        hooks.onFileDone?.(f.path, false);
      }
    }
  };

  const args = [
    ...cli.args,
    'download',
    request.repoId,
    '--repo-type',
    request.repoType,
    '--revision',
    request.revision,
    ...(request.include.length ? ['--include', ...request.include] : []),
    ...(request.exclude.length ? ['--exclude', ...request.exclude] : []),
    ...(local ? ['--local-dir', local.root] : ['--cache-dir', options.cacheDir]),
  ];
  const env: Record<string, string | undefined> = {
    HF_ENDPOINT: options.endpoint,
    HF_HUB_CACHE: options.cacheDir,
    // tqdm hides per-file byte bars on a pipe unless this is set.
    TQDM_POSITION: '-1',
    HF_HUB_DISABLE_UPDATE_CHECK: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    PYTHONUNBUFFERED: '1',
    ...(options.token ? { HF_TOKEN: options.token } : {}),
    ...(options.proxy ? { HTTPS_PROXY: options.proxy, HTTP_PROXY: options.proxy } : {}),
    ...cli.env,
  };

  const parser = createHfCliOutputParser();
  let stderrTail = '';
  const onEvents = (events: ReturnType<typeof parser.pushStderr>) => {
    for (const e of events) {
      if (e.type === 'file-start' && byPath.has(e.file)) hooks.onFileStart?.(e.file);
    }
  };

  // execa is loaded only by hosts that use this backend (it is most of core's import cost).
  const { execa } = await import('execa');
  const child = execa(cli.command, args, {
    env,
    extendEnv: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // Its own process group, so pause/cancel can end the CLI and anything it started.
    detached: true,
    cleanup: true,
    cancelSignal: signal,
    forceKillAfterDelay: options.killGraceMs ?? 3000,
  });
  const killGroup = () => {
    const pid = child.pid;
    if (!pid) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const t = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.killGraceMs ?? 3000);
    t.unref();
  };
  signal.addEventListener('abort', killGroup, { once: true });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    onEvents(parser.pushStderr(chunk));
  });
  child.stdout?.on('data', (chunk: Buffer) => onEvents(parser.pushStdout(chunk)));

  // One measure at a time. The last one, after the CLI exits, used to run beside a poll still
  // walking the files: both took a finished file for new and reported it completed twice.
  let measuring: Promise<void> = Promise.resolve();
  const measureInTurn = (): Promise<void> => (measuring = measuring.catch(() => undefined).then(measure));
  let polling = false;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    void measureInTurn().finally(() => (polling = false));
  }, options.pollIntervalMs ?? 250);

  let result;
  try {
    result = await child;
  } finally {
    clearInterval(poll);
    signal.removeEventListener('abort', killGroup);
  }
  onEvents(parser.end());
  if (signal.aborted) {
    // Make sure the group is gone before the job says paused/cancelled.
    killGroup();
    throw signal.reason;
  }
  const spawnError = (result as { code?: string; failed?: boolean; cause?: unknown }).code ?? (result.cause as NodeJS.ErrnoException | undefined)?.code;
  if (spawnError === 'ENOENT') {
    throw new PersianHubError('CLI_NOT_FOUND', `The Hugging Face CLI "${cli.command}" could not be started.`, { details: { command: cli.command } });
  }
  if (result.exitCode !== 0) {
    const mapped = mapHfCliError({ exitCode: result.exitCode ?? null, stderr: stderrTail });
    if (mapped) throw mapped;
    throw new PersianHubError('CLI_FAILED', `The Hugging Face CLI stopped (${result.signal ?? `exit code ${result.exitCode}`}).`, {
      details: { exitCode: result.exitCode ?? null, signal: result.signal ?? null },
    });
  }
  await measureInTurn();
  hooks.onStatus?.('verifying');
  const missing = plan.files.filter((f) => !done.has(f.path)).map((f) => f.path);
  if (missing.length > 0) {
    throw new PersianHubError('CLI_FAILED', `The CLI finished but ${missing.length} file(s) are not on disk, e.g. ${missing[0]}.`, {
      details: { file: missing[0] },
    });
  }
  return plan;
}

/** `<etag>.persian-hub.incomplete` and its map: a native segmented download's files. */
function isOurSegmentFile(name: string): boolean {
  return name.includes('.persian-hub.') || name.includes('.persian-hub-map.');
}
