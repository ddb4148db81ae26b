import { resolve } from 'node:path';
import { PersianHubError, isPersianHubError, isPersianHubErrorCode } from '../PersianHubError.js';
import { createDownloadManager, type DownloadManager } from '../manager/DownloadManager.js';
import type { JobSnapshot, StartInput } from '../types.js';
import { VERSION } from '../version.js';
import { readSigningKeyFile, readTrustedKey, writeBundleKeyFiles } from './bundleKeyFiles.js';
import { ProgressReporter, SpeedMeter, createFmt, renderTable, type ProgressStream } from './formatProgress.js';
import { ERROR_HINTS, MESSAGES, detectLang, langFlagFromArgv, type Fmt, type Lang, type Messages } from './messages.js';
import { UsageError, parseCliArgs, type ParsedCli } from './parseCliArgs.js';

export interface CliIO {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

type Run = Extract<ParsedCli, { kind: 'run' }>;

interface Ctx {
  readonly io: CliIO;
  readonly lang: Lang;
  readonly msg: Messages;
  readonly fmt: Fmt;
  readonly cli: Run;
  readonly manager: DownloadManager;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: 130, sigterm: 143 } as const;

/** Runs one command and resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const lang = detectLang(langFlagFromArgv(argv), io.env);
  const msg = MESSAGES[lang];
  const fmt = createFmt(lang);
  let cli: ParsedCli;
  try {
    cli = parseCliArgs(argv, msg);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${msg.usageError}: ${error.message}\n\n${msg.usage}\n`);
    return EXIT.usage;
  }
  if (cli.kind === 'help') {
    io.stdout.write(`${msg.usage}\n`);
    return EXIT.ok;
  }
  if (cli.kind === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }

  if (cli.command === 'keygen') {
    // Needs no cache and no Hub: only two new files.
    try {
      const k = await writeBundleKeyFiles(cli.args[0]!);
      io.stderr.write(`${msg.keygenDone(k.keyFile, k.publicKeyFile, k.keyId)}\n`);
      io.stdout.write(`${k.publicKey}\n`);
      return EXIT.ok;
    } catch (error) {
      printError(io, lang, msg, fmt, error);
      return EXIT.failed;
    }
  }

  let manager: DownloadManager;
  try {
    const g = cli.global;
    manager = createDownloadManager({
      ...(g.endpoints.length > 0 ? { endpoints: g.endpoints } : {}),
      ...(g.cacheDir !== undefined ? { cacheDir: g.cacheDir } : {}),
      ...(g.token !== undefined ? { token: g.token } : {}),
      ...(g.retries !== undefined ? { retry: { retries: g.retries } } : {}),
    });
    await manager.ready();
  } catch (error) {
    printError(io, lang, msg, fmt, error);
    return EXIT.failed;
  }
  const ctx: Ctx = { io, lang, msg, fmt, cli, manager };
  manager.on('warning', (w) => {
    const d = w.details ?? {};
    const text = w.code === 'WAITING_FOR_OTHER_PROCESS' ? msg.waitingForOtherProcess(String(d.file), d.pid === undefined ? '?' : `pid ${String(d.pid)}`) : w.message;
    io.stderr.write(`${msg.warning}: ${text}\n`);
  });
  try {
    switch (cli.command) {
      case 'list':
        return await list(ctx);
      case 'pull':
        return await pull(ctx);
      case 'installed':
        return await installed(ctx);
      case 'export':
        return await exportCmd(ctx);
      case 'import':
        return await importCmd(ctx);
      case 'rm':
        return await rm(ctx);
      case 'probe':
        return await probe(ctx);
      case 'jobs':
        return jobs(ctx);
      case 'cancel':
        return await cancel(ctx);
      case 'forget':
        return await forget(ctx);
    }
  } catch (error) {
    printError(io, lang, msg, fmt, error);
    return EXIT.failed;
  } finally {
    await manager.close().catch(() => undefined);
  }
}

/** `error: <what to do, in the user's language>` then the technical message with its code. */
export function printError(io: CliIO, lang: Lang, msg: Messages, fmt: Fmt, error: unknown): void {
  const e = isPersianHubError(error)
    ? error
    : new PersianHubError('INTERNAL', error instanceof Error ? (error.stack ?? error.message) : String(error));
  const code = isPersianHubErrorCode(e.code) ? e.code : 'INTERNAL';
  const hint = ERROR_HINTS[lang][code](e.details ?? {}, fmt);
  io.stderr.write(`${msg.error}: ${hint}\n  [${code}] ${e.message}\n`);
}

const short = (commit: string) => commit.slice(0, 7);

/**
 * Signals during a long command: the first SIGINT/SIGTERM stops cleanly (`onStop`, e.g. pause
 * the job so a re-run resumes); a second one exits at once.
 */
function trapSignals(onStop: (code: number) => Promise<void>): { interrupted: Promise<number>; dispose(): void } {
  let resolveInterrupted!: (code: number) => void;
  const interrupted = new Promise<number>((r) => (resolveInterrupted = r));
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    if (stopping) process.exit(code);
    stopping = true;
    void onStop(code).finally(() => resolveInterrupted(code));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    interrupted,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

// ---------- list ----------

async function list({ io, lang, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const entries = await manager.available({ ...(cli.list.kind ? { kind: cli.list.kind } : {}), query: cli.list.query });
  if (entries.length === 0) {
    io.stdout.write(`${msg.noEntries}\n`);
    return EXIT.ok;
  }
  const rows = entries.map((e) => {
    const partial = !e.installed && e.job !== null && ['paused', 'failed', 'queued', 'downloading', 'resolving'].includes(e.job.status) && e.job.bytesDownloaded > 0;
    const marks = `${e.installed ? '✓' : partial ? '~' : ' '}${e.commercialUse ? ' ' : 'N'}${e.gated ? 'G' : ' '}`;
    return [marks, e.id, e.kind, e.name[lang], fmt.bytes(e.sizeBytes), e.license, e.repoType === 'dataset' ? `datasets/${e.repoId}` : e.repoId];
  });
  const h = msg.headings;
  io.stdout.write(`${renderTable(['', h.id, h.kind, h.name, h.size, h.license, h.repo], rows)}\n\n${msg.legend}\n`);
  return EXIT.ok;
}

// ---------- pull ----------

async function pull({ io, lang, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const id = cli.args[0]!;
  const o = cli.pull;
  const entry = manager.catalog.get(id);
  const overrides = o.include.length > 0 || o.exclude.length > 0 || o.revision !== undefined || o.repoType !== undefined || o.localDir !== undefined;
  const localDir = o.localDir !== undefined ? resolve(o.localDir) : undefined;
  let input: StartInput;
  if (entry) {
    input = overrides
      ? {
          catalogId: entry.id,
          repoId: entry.repoId,
          repoType: o.repoType ?? entry.repoType,
          revision: o.revision ?? entry.revision,
          include: o.include.length > 0 ? o.include : entry.include,
          exclude: o.exclude.length > 0 ? o.exclude : entry.exclude,
          ...(localDir ? { localDir } : {}),
        }
      : entry.id;
  } else if (!id.includes('/')) {
    input = id; // the manager explains: not in the catalog, use org/name
  } else {
    input = {
      repoId: id,
      ...(o.repoType ? { repoType: o.repoType } : {}),
      ...(o.revision ? { revision: o.revision } : {}),
      include: o.include,
      exclude: o.exclude,
      ...(localDir ? { localDir } : {}),
    };
  }
  const repoId = entry?.repoId ?? id;
  const revision = o.revision ?? entry?.revision ?? 'main';

  const reporter = new ProgressReporter(io.stderr, lang, msg, fmt);
  const mine = (j: JobSnapshot) => j.repoId.toLowerCase() === repoId.toLowerCase() && j.backend !== 'bundle';
  manager.on('resumed', (j) => {
    if (mine(j) && j.bytesDownloaded > 0) reporter.line(msg.resuming(fmt.bytes(j.bytesDownloaded)));
  });
  manager.on('progress', (j) => {
    if (mine(j) && j.bytesTotal !== null) reporter.update({ done: j.bytesDownloaded, total: j.bytesTotal, speed: j.speed, eta: j.eta, file: j.currentFile });
  });

  const signals = trapSignals(async () => {
    reporter.break();
    await manager.close().catch(() => undefined);
    io.stderr.write(`${msg.interruptedResume}\n`);
  });
  try {
    if (entry || id.includes('/')) io.stderr.write(`${msg.resolving(repoId, revision, manager.preferredEndpoint())}\n`);
    const started = Date.now();
    const run = (async () => {
      const job = await manager.start(input);
      return manager.waitFor(job.id);
    })();
    const outcome = await Promise.race([run.then((job) => ({ job }), (error: unknown) => ({ error })), signals.interrupted.then((code) => ({ code }))]);
    if ('code' in outcome) return outcome.code;
    if ('error' in outcome) {
      reporter.break();
      // A pause by a signal that raced the failure is still an interruption.
      throw outcome.error;
    }
    const job = outcome.job;
    const total = job.bytesTotal ?? job.bytesDownloaded;
    reporter.finish({ done: total, total, speed: null, eta: null, file: null });
    io.stderr.write(`${msg.done(fmt.bytes(total), fmt.duration((Date.now() - started) / 1000))}\n`);
    io.stdout.write(`${job.path}\n`);
    return EXIT.ok;
  } finally {
    signals.dispose();
  }
}

// ---------- installed ----------

async function installed({ io, msg, fmt, manager }: Ctx): Promise<number> {
  const all = await manager.installed();
  if (all.length === 0) {
    io.stdout.write(`${msg.nothingInstalled(manager.cacheDir)}\n`);
    return EXIT.ok;
  }
  const h = msg.headings;
  const rows = all.map((s) => [s.catalogId ?? (s.repoType === 'dataset' ? `datasets/${s.repoId}` : s.repoId), short(s.commit), fmt.bytes(s.sizeOnDisk), s.path]);
  io.stdout.write(`${renderTable([h.id, h.commit, h.size, h.path], rows)}\n`);
  return EXIT.ok;
}

// ---------- export / import ----------

async function exportCmd({ io, lang, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const [id, file] = cli.args as [string, string];
  const target = resolve(file);
  const reporter = new ProgressReporter(io.stderr, lang, msg, fmt);
  const meter = new SpeedMeter();
  const signing = cli.bundle.sign !== undefined ? await readSigningKeyFile(cli.bundle.sign) : null;
  if (signing?.readableByOthers) io.stderr.write(`${msg.warning}: ${msg.keyReadableByOthers(resolve(cli.bundle.sign!))}\n`);
  const controller = new AbortController();
  const signals = trapSignals(async () => {
    controller.abort();
  });
  try {
    io.stderr.write(`${msg.exporting(id, target)}\n`);
    const run = manager.exportBundle(id, target, {
      ...(signing ? { signingKey: signing.key } : {}),
      signal: controller.signal,
      onProgress: (p) => {
        const speed = meter.sample(p.bytesDone);
        reporter.update({ done: p.bytesDone, total: p.bytesTotal, speed, eta: speed > 0 ? Math.ceil((p.bytesTotal - p.bytesDone) / speed) : null, file: p.currentFile });
      },
    });
    const outcome = await Promise.race([run.then((m) => ({ manifest: m }), (error: unknown) => ({ error })), signals.interrupted.then((code) => ({ code }))]);
    if ('code' in outcome || controller.signal.aborted) {
      await run.catch(() => undefined);
      reporter.line(msg.interrupted);
      return 'code' in outcome ? outcome.code : await signals.interrupted;
    }
    if ('error' in outcome) {
      reporter.break();
      throw outcome.error;
    }
    const total = outcome.manifest.files.reduce((s, f) => s + f.size, 0);
    reporter.finish({ done: total, total, speed: null, eta: null, file: null });
    io.stderr.write(`${msg.exported(fmt.num(outcome.manifest.files.length), fmt.bytes(total), target)}\n`);
    if (signing) io.stderr.write(`${msg.signedWith(signing.keyId)}\n`);
    io.stdout.write(`${target}\n`);
    return EXIT.ok;
  } finally {
    signals.dispose();
  }
}

async function importCmd({ io, lang, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const file = resolve(cli.args[0]!);
  const b = cli.bundle;
  const trustedKeys = await Promise.all(b.trust.map((t) => readTrustedKey(t)));
  const reporter = new ProgressReporter(io.stderr, lang, msg, fmt);
  manager.on('started', (j) => {
    if (j.backend === 'bundle') reporter.line(msg.importing(j.repoId, file));
  });
  manager.on('progress', (j) => {
    if (j.backend === 'bundle' && j.bytesTotal !== null) reporter.update({ done: j.bytesDownloaded, total: j.bytesTotal, speed: j.speed, eta: j.eta, file: j.currentFile });
  });
  const signals = trapSignals(async () => {
    await manager.close().catch(() => undefined);
  });
  try {
    const run = manager.importBundle(file, { trustedKeys, requireSignature: b.requireSignature, updateRefs: b.updateRefs });
    const outcome = await Promise.race([run.then((r) => ({ result: r }), (error: unknown) => ({ error })), signals.interrupted.then((code) => ({ code }))]);
    if ('code' in outcome) {
      reporter.line(msg.interrupted);
      return outcome.code;
    }
    if ('error' in outcome) {
      reporter.break();
      throw outcome.error;
    }
    const { job, alreadyInstalled, manifest, signature, ref } = outcome.result;
    const total = job.bytesTotal ?? 0;
    if (!alreadyInstalled) reporter.finish({ done: total, total, speed: null, eta: null, file: null });
    else reporter.break();
    const name = manifest.catalogId ?? manifest.repoId;
    io.stderr.write(`${alreadyInstalled && !ref?.updated ? msg.alreadyInstalled(name, short(manifest.commit)) : msg.imported(name, short(manifest.commit))}\n`);
    if (signature) io.stderr.write(`${msg.signedBy(signature.keyId, signature.trusted)}\n`);
    else if (trustedKeys.length > 0) io.stderr.write(`${msg.notSigned}\n`);
    if (ref && ref.commit !== manifest.commit) io.stderr.write(`${msg.refKept(ref.revision, short(ref.commit), short(manifest.commit))}\n`);
    else if (ref?.updated && alreadyInstalled) io.stderr.write(`${msg.refMoved(ref.revision, short(ref.commit))}\n`);
    io.stdout.write(`${job.path}\n`);
    return EXIT.ok;
  } finally {
    signals.dispose();
  }
}

// ---------- rm ----------

async function rm({ io, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const removed = await manager.remove(cli.args[0]!);
  for (const s of removed) io.stdout.write(`${msg.removed(`${s.catalogId ?? s.repoId} @ ${short(s.commit)}`, fmt.bytes(s.sizeOnDisk))}\n`);
  return EXIT.ok;
}

// ---------- probe ----------

async function probe({ io, lang, msg, fmt, manager }: Ctx): Promise<number> {
  const results = await manager.probeEndpoints();
  const h = msg.headings;
  const rows = results.map((r) => [r.endpoint, r.ok ? `✓ ${msg.probeOk(fmt.num(r.latencyMs ?? 0))}` : `✗ ${r.error?.code ?? 'NETWORK'}`]);
  io.stdout.write(`${renderTable([h.endpoint, h.result], rows)}\n`);
  const failures = results.filter((r) => !r.ok && r.error);
  for (const code of new Set(failures.map((r) => r.error!.code))) {
    // "Run again to resume" (NETWORK, STALLED) means nothing for a probe: only the technical lines.
    if (isPersianHubErrorCode(code) && code !== 'NETWORK' && code !== 'STALLED') io.stderr.write(`${code}: ${ERROR_HINTS[lang][code]({}, fmt)}\n`);
    for (const r of failures.filter((f) => f.error!.code === code)) io.stderr.write(`  ${r.endpoint}: ${r.error!.message}\n`);
  }
  if (results.some((r) => r.ok)) return EXIT.ok;
  io.stderr.write(`${msg.error}: ${msg.noEndpointOk}\n`);
  return EXIT.failed;
}

// ---------- jobs / cancel / forget ----------

function jobs({ io, msg, fmt, manager }: Ctx): number {
  const all = manager.list().sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  if (all.length === 0) {
    io.stdout.write(`${msg.noJobs}\n`);
    return EXIT.ok;
  }
  const h = msg.headings;
  const rows = all.map((j) => [
    j.id,
    `${msg.jobStatus[j.status]}${j.error ? ` [${j.error.code}]` : ''}`,
    j.catalogId ?? (j.repoType === 'dataset' ? `datasets/${j.repoId}` : j.repoId),
    j.bytesTotal === null ? fmt.bytes(j.bytesDownloaded) : `${fmt.bytes(j.bytesDownloaded)} ${msg.progressOf} ${fmt.bytes(j.bytesTotal)}`,
    j.updatedAt.slice(0, 16).replace('T', ' '),
  ]);
  io.stdout.write(`${renderTable([h.job, h.status, h.repo, h.progress, h.updated], rows)}\n`);
  return EXIT.ok;
}

async function cancel({ io, msg, cli, manager }: Ctx): Promise<number> {
  const job = await manager.cancel(cli.args[0]!);
  io.stdout.write(`${msg.jobCancelled(job.id)}\n`);
  return EXIT.ok;
}

async function forget({ io, msg, fmt, cli, manager }: Ctx): Promise<number> {
  const count = cli.finished ? await manager.forgetFinished() : (await manager.forget(cli.args[0]!), 1);
  io.stdout.write(`${msg.jobsForgotten(fmt.num(count))}\n`);
  return EXIT.ok;
}
