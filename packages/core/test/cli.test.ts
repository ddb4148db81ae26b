// The `persian-hub` command tested as a process: `node dist/cli.js ...` against a Hub emulator.
// The test command builds first (`npm run build -w @persian-hub/core`); these tests never build.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { access, chmod, constants, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HubEmulator } from '@persian-hub/hub-emulator';
import { bundleKeyId, ERROR_CODES, filterRepoPaths, generateBundleKeyPair, persianHubCatalog } from '../src/index.js';
import { readSigningKeyFile, readTrustedKey, writeBundleKeyFiles } from '../src/cli/bundleKeyFiles.js';
import { parseCliArgs } from '../src/cli/parseCliArgs.js';
import { ProgressReporter, createFmt, formatProgressLine } from '../src/cli/formatProgress.js';
import { ERROR_HINTS, MESSAGES, detectLang } from '../src/cli/messages.js';
import { fileEntry, manifestEntry, synEntries, synManifest, writeTar } from './bundleFixtures.js';
import { emulator, sha256File, sharedEmulator, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'cli.js');
const MiB = 1024 * 1024;

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

type Env = Record<string, string | undefined>;

/** A clean environment: the emulator as HF_ENDPOINT, a fresh HF_HUB_CACHE, English, no token. */
async function cliEnv(endpoint: string, extra: Env = {}): Promise<Env> {
  const root = await tempDir('ph-cli-');
  const env: Env = { ...process.env, HF_ENDPOINT: endpoint, HF_HUB_CACHE: join(root, 'hub'), HF_HOME: join(root, 'hf-home'), LANG: 'en_US.UTF-8' };
  for (const k of ['LC_ALL', 'LC_MESSAGES', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HUGGINGFACE_HUB_CACHE']) delete env[k];
  return { ...env, ...extra };
}

function startCli(args: readonly string[], env: Env) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ pred: (s: string) => boolean; resolve: () => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of [...watchers]) {
      if (w.pred(stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exit = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    exit,
    /** Resolves as soon as stderr so far satisfies `pred`; rejects if the process ends first. */
    waitForStderr(pred: (stderr: string) => boolean): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (pred(stderr)) return resolve();
        watchers.push({ pred, resolve });
        void exit.then((r) => reject(new Error(`persian-hub exited (${r.code ?? r.signal}) before the expected output:\n${r.stderr}`)));
      });
    },
  };
}

function runCli(args: readonly string[], env: Env): Promise<CliResult> {
  return startCli(args, env).exit;
}

/** Highest percentage printed on the progress lines so far. */
function maxPercent(stderr: string): number {
  return Math.max(0, ...[...stderr.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1])));
}

async function expectCatalogFiles(emu: HubEmulator, entryId: string, snapshotPath: string): Promise<void> {
  const entry = persianHubCatalog.get(entryId)!;
  const repo = emu.repos.get(`${entry.repoType}:${entry.repoId}`)!;
  const expected = filterRepoPaths([...repo.main.files], entry.include, entry.exclude, (f) => f.path);
  expect(expected.length).toBeGreaterThan(0);
  for (const f of expected) expect(await sha256File(join(snapshotPath, f.path)), f.path).toBe(f.sha256);
}

describe('persian-hub command', () => {
  it('is built as an executable node script with a shebang', async () => {
    const text = await readFile(CLI, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    await access(CLI, constants.X_OK);
    const pkg = JSON.parse(await readFile(join(here, '..', 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
    expect(pkg.bin['persian-hub']).toBe('./dist/cli.js');
    const env = await cliEnv('http://127.0.0.1:9');
    const version = await runCli(['--version'], env);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    for (const cmd of ['list', 'pull', 'installed', 'export', 'import', 'rm', 'probe', 'keygen', '--sign', '--trust', '--require-signature', '--update-refs', '--endpoint', '--cache-dir', '--token', '--lang']) {
      expect(help.stdout).toContain(cmd);
    }
  });

  describe('list', () => {
    it('--kind tts shows the Piper and Kamtera voices with size, license and marks', async () => {
      const emu = await sharedEmulator();
      const r = await runCli(['list', '--kind', 'tts'], await cliEnv(emu.url));
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const id of ['piper-fa-amir-medium', 'piper-fa-gyro-medium', 'kamtera-tts-male-vits', 'kamtera-tts-female-vits']) expect(r.stdout).toContain(id);
      expect(r.stdout).not.toContain('whisper');
      const amir = r.stdout.split('\n').find((l) => l.includes('piper-fa-amir-medium'))!;
      expect(amir).toContain('Persian voice Amir (Piper)');
      expect(amir).toContain('63.5 MB');
      expect(amir).toContain('mit');
      expect(amir).toContain('rhasspy/piper-voices');
      expect(amir.startsWith(' N')).toBe(true); // not installed, not cleared for commercial use
      expect(r.stdout).toMatch(/^\s+ID\s+KIND\s+NAME\s+SIZE\s+LICENSE\s+REPO$/m);
    });

    it('speaks Persian with LANG=fa_IR.UTF-8 or --lang fa: headings, names and digits', async () => {
      const emu = await sharedEmulator();
      const fa = await runCli(['list', '--kind', 'tts'], await cliEnv(emu.url, { LANG: 'fa_IR.UTF-8' }));
      expect(fa.code).toBe(0);
      for (const heading of ['شناسه', 'نام', 'حجم', 'مجوز', 'مخزن']) expect(fa.stdout).toContain(heading);
      const amir = fa.stdout.split('\n').find((l) => l.includes('piper-fa-amir-medium'))!;
      expect(amir).toContain('صدای فارسی امیر (Piper)');
      expect(amir).toContain('۶۳٫۵ مگابایت');
      expect(amir).toContain('rhasspy/piper-voices'); // ids stay as they are
      const flag = await runCli(['list', '--lang', 'fa', '--kind', 'tts'], await cliEnv(emu.url));
      expect(flag.stdout).toBe(fa.stdout);
      // LC_ALL wins over LANG, as in POSIX.
      const lcAll = await runCli(['list', '--kind', 'tts'], await cliEnv(emu.url, { LANG: 'fa_IR.UTF-8', LC_ALL: 'en_US.UTF-8' }));
      expect(lcAll.stdout).toContain('NAME');
    });

    it('finds entries from a Persian query typed with Arabic yeh and kaf', async () => {
      const emu = await sharedEmulator();
      const env = await cliEnv(emu.url);
      // «صداي امير» with Arabic yeh (ي) for «صدای امیر».
      const amir = await runCli(['list', 'صداي', 'امير'], env);
      expect(amir.code).toBe(0);
      expect(amir.stdout).toContain('piper-fa-amir-medium');
      expect(amir.stdout).not.toContain('piper-fa-gyro-medium');
      // «پيكربندي» with Arabic yeh and kaf (ك) for «پیکربندی»: only the Kamtera descriptions say it.
      const config = await runCli(['list', '--kind', 'tts', 'پيكربندي'], env);
      expect(config.stdout).toContain('kamtera-tts-male-vits');
      expect(config.stdout).toContain('kamtera-tts-female-vits');
      expect(config.stdout).not.toContain('piper');
      const none = await runCli(['list', 'zzzz-nothing'], env);
      expect(none).toMatchObject({ code: 0, stdout: 'No catalog entry matches.\n' });
    });
  });

  it('pull, installed, export, import into another cache, rm', async () => {
    const emu = await sharedEmulator();
    const env = await cliEnv(emu.url);

    const pulled = await runCli(['pull', 'piper-fa-amir-medium'], env);
    expect(pulled.code, pulled.stderr).toBe(0);
    const path = pulled.stdout.trim();
    expect(pulled.stdout).toBe(`${path}\n`);
    expect(path).toContain(join(env.HF_HUB_CACHE!, 'models--rhasspy--piper-voices', 'snapshots'));
    await expectCatalogFiles(emu, 'piper-fa-amir-medium', path);
    expect(pulled.stderr).toContain('100.0%');
    expect(pulled.stderr).toMatch(/Done: .* in /);

    const installed = await runCli(['installed'], env);
    expect(installed.code).toBe(0);
    const row = installed.stdout.split('\n').find((l) => l.startsWith('piper-fa-amir-medium'))!;
    expect(row).toContain(path);
    expect(row).toContain(path.split('/').pop()!.slice(0, 7));
    const listed = await runCli(['list', 'piper'], env);
    expect(listed.stdout.split('\n').find((l) => l.includes('piper-fa-amir-medium'))!.startsWith('✓')).toBe(true);

    const tar = join(await tempDir('ph-cli-usb-'), 'amir.tar');
    const exported = await runCli(['export', 'piper-fa-amir-medium', tar], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(`${tar}\n`);
    expect(exported.stderr).toMatch(/Exported 3 files/);
    expect((await stat(tar)).size).toBeGreaterThan(0);

    // Offline: the other machine has no Hub at all.
    const other = await cliEnv('http://127.0.0.1:9');
    const imported = await runCli(['import', tar], other);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('Imported piper-fa-amir-medium');
    const importedPath = imported.stdout.trim();
    expect(importedPath.startsWith(other.HF_HUB_CACHE!)).toBe(true);
    await expectCatalogFiles(emu, 'piper-fa-amir-medium', importedPath);
    const again = await runCli(['import', tar], other);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Already installed: piper-fa-amir-medium @ [0-9a-f]{7}; nothing was copied/);
    const againFa = await runCli(['import', tar], { ...other, LANG: 'fa_IR.UTF-8' });
    expect(againFa.code).toBe(0);
    expect(againFa.stderr).toContain('از قبل نصب شده است');

    const removed = await runCli(['rm', 'piper-fa-amir-medium'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/^Removed piper-fa-amir-medium @ [0-9a-f]{7}/);
    const after = await runCli(['installed'], env);
    expect(after.stdout).toContain('Nothing installed');
    const removedTwice = await runCli(['rm', 'piper-fa-amir-medium'], env);
    expect(removedTwice.code).toBe(1);
    expect(removedTwice.stderr).toContain('[NOT_FOUND]');
  });

  it('keygen, export --sign, import --trust / --require-signature: who signed, and strangers refused', async () => {
    const emu = await sharedEmulator();
    const env = await cliEnv(emu.url);
    const keys = await tempDir('ph-cli-keys-');
    const keyFile = join(keys, 'lab.key');

    const made = await runCli(['keygen', keyFile], env);
    expect(made.code, made.stderr).toBe(0);
    const publicKey = made.stdout.trim();
    expect(made.stdout).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(await readFile(`${keyFile}.pub`, 'utf8')).toBe(made.stdout);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const keyId = /Key ([0-9a-f]{16}):/.exec(made.stderr)?.[1];
    expect(keyId).toBe(bundleKeyId(publicKey));
    // Never overwritten.
    const privateBefore = await readFile(keyFile, 'utf8');
    const again = await runCli(['keygen', keyFile], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\[INVALID_INPUT\] .*already exists/);
    expect(await readFile(keyFile, 'utf8')).toBe(privateBefore);
    const stranger = await runCli(['keygen', join(keys, 'stranger.key')], env);

    expect((await runCli(['pull', 'piper-fa-amir-medium'], env)).code).toBe(0);
    const usb = await tempDir('ph-cli-usb-');
    const signedTar = join(usb, 'signed.tar');
    const exported = await runCli(['export', 'piper-fa-amir-medium', signedTar, '--sign', keyFile], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Signed with key ${keyId}.`);
    const unsignedTar = join(usb, 'unsigned.tar');
    expect((await runCli(['export', 'piper-fa-amir-medium', unsignedTar], env)).code).toBe(0);

    const other = await cliEnv('http://127.0.0.1:9');
    // Refused before anything is installed: a stranger's key, or no signature at all.
    const untrusted = await runCli(['import', signedTar, '--trust', `${join(keys, 'stranger.key')}.pub`, '--require-signature'], other);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('[BUNDLE_UNTRUSTED]');
    expect(untrusted.stderr).toContain(`signed by key ${keyId}`);
    const unsigned = await runCli(['import', unsignedTar, '--trust', publicKey, '--require-signature'], { ...other, LANG: 'fa_IR.UTF-8' });
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toMatch(/خطا: بسته امضا ندارد.*export --sign/);
    expect(await stat(join(other.HF_HUB_CACHE!, 'models--rhasspy--piper-voices')).catch(() => null)).toBeNull();

    // The key as a file and as text, next to a stranger's: accepted, and says who signed.
    const ok = await runCli(['import', signedTar, '--trust', stranger.stdout.trim(), '--trust', `${keyFile}.pub`, '--require-signature'], other);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`Signed by trusted key ${keyId}.`);
    const plain = await runCli(['import', signedTar], await cliEnv('http://127.0.0.1:9'));
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain(`Signed by key ${keyId}, which you have not marked as trusted`);
  }, 180_000); // a dozen processes; on a loaded 2-core machine each start takes seconds

  it('import leaves an existing ref alone and says so; --update-refs moves it', async () => {
    const env = await cliEnv('http://127.0.0.1:9');
    const dir = await tempDir('ph-cli-usb-');
    const second = 'beef'.padEnd(40, '5');
    await writeTar(join(dir, 'a.tar'), [manifestEntry(synManifest()), ...synEntries()]);
    const config = Buffer.from('{"model_type":"bert","vocab_size":200000}\n');
    const m2 = synManifest({ commit: second, files: synManifest().files.map((f) => (f.path === 'config.json' ? fileEntry('config.json', config, false) : f)) });
    await writeTar(join(dir, 'b.tar'), [manifestEntry(m2), ...synEntries().map((e) => (e.name === 'files/config.json' ? { ...e, body: config } : e))]);
    const refMain = join(env.HF_HUB_CACHE!, 'models--HooshvareLab--bert-fa-base-uncased', 'refs', 'main');

    expect((await runCli(['import', join(dir, 'a.tar')], env)).code).toBe(0);
    const first = await readFile(refMain, 'utf8');
    const kept = await runCli(['import', join(dir, 'b.tar')], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout.trim()).toBe(join(env.HF_HUB_CACHE!, 'models--HooshvareLab--bert-fa-base-uncased', 'snapshots', second));
    expect(kept.stderr).toContain(`main still names ${first.slice(0, 7)}: the imported ${second.slice(0, 7)} is installed beside it`);
    expect(await readFile(refMain, 'utf8')).toBe(first);
    const moved = await runCli(['import', join(dir, 'b.tar'), '--update-refs'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`main now names ${second.slice(0, 7)}.`);
    expect(await readFile(refMain, 'utf8')).toBe(second);

    // Same commit as installed, other bytes: refused, naming the file, in both languages.
    const evil = synManifest({ files: m2.files });
    await writeTar(join(dir, 'evil.tar'), [manifestEntry(evil), ...synEntries().map((e) => (e.name === 'files/config.json' ? { ...e, body: config } : e))]);
    const refused = await runCli(['import', join(dir, 'evil.tar')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[CONFLICT]');
    expect(refused.stderr).toMatch(/error: "config\.json" is not the installed one of the same commit; nothing was changed/);
    expect(await readFile(refMain, 'utf8')).toBe(second);
  }, 120_000);
  it('jobs lists what this cache remembers, cancel and forget clear it', async () => {
    const emu = await sharedEmulator();
    const env = await cliEnv(emu.url);
    expect((await runCli(['jobs'], env)).stdout).toContain('No jobs.');
    const pulled = await runCli(['pull', 'HooshvareLab/bert-fa-base-uncased', '--include', 'config.json'], env);
    expect(pulled.code, pulled.stderr).toBe(0);
    const jobs = await runCli(['jobs'], env);
    const row = jobs.stdout.split('\n').find((l) => l.includes('HooshvareLab/bert-fa-base-uncased'))!;
    expect(row).toMatch(/^job_[0-9a-f]+\s+completed/);
    const id = row.split(/\s+/)[0]!;
    const refused = await runCli(['cancel', id], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[CONFLICT]');
    expect((await runCli(['forget'], env)).code).toBe(2);
    const forgot = await runCli(['forget', '--finished'], env);
    expect(forgot.stdout).toContain('Forgot 1 job(s)');
    expect((await runCli(['jobs'], env)).stdout).toContain('No jobs.');
    // The files are still there.
    expect((await runCli(['installed'], env)).stdout).toContain(pulled.stdout.trim().split('/').pop()!.slice(0, 7));
  });

  it('resumes after SIGKILL: the second pull only fetches what is missing', async () => {
    const size = 8 * MiB;
    const emu = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size }, { path: 'config.json', content: '{"a":1}' }] }] });
    // Held after 2 MiB (25 %): the kill lands mid-file however slow the machine is.
    emu.setFaults([{ type: 'stall', afterBytes: 2 * MiB, match: { host: 'cdn' } }]);
    const env = await cliEnv(emu.url);

    const first = startCli(['pull', 'test/big'], env);
    // Killed once nearly all it was sent (25 %) is counted: killing at 15 % left up to 10 % in flight
    // (sent, not yet on disk), which the bound below then counted as fetched twice.
    await first.waitForStderr((s) => maxPercent(s) >= 24);
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).toBe('');

    emu.clearFaults();
    const second = await runCli(['pull', 'test/big'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Resuming: .* already on disk/);
    const file = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(join(second.stdout.trim(), 'weights.bin'))).toBe(file.sha256);
    expect(emu.bytesServed()).toBeLessThanOrEqual(size + MiB);
  });

  it('two pulls of one repo into one cache: the second says in Persian that it waits, and nothing is fetched twice', async () => {
    const size = 8 * MiB;
    const emu = await emulator({ repos: [{ id: 'test/big', files: [{ path: 'weights.bin', size }, { path: 'config.json', content: '{"a":1}' }] }] });
    // The first pull is held after 1 MiB until the second says it waits: no race with how long a
    // CLI takes to start on a loaded machine. If the first's stall detector gives up meanwhile,
    // its retry is held too (the fault stays until cleared), and --retries leaves it room.
    emu.setFaults([{ type: 'stall', afterBytes: MiB, match: { host: 'cdn' } }]);
    const env = await cliEnv(emu.url);
    const first = startCli(['pull', 'test/big', '--retries', '100'], env);
    await first.waitForStderr((s) => maxPercent(s) >= 10);
    const second = startCli(['pull', 'test/big'], { ...env, LANG: 'fa_IR.UTF-8' });
    await second.waitForStderr((s) => s.includes('منتظر می‌مانیم'));
    emu.clearFaults();
    expect(emu.releaseStalled()).toBeGreaterThanOrEqual(1);
    const [a, b] = await Promise.all([first.exit, second.exit]);
    expect(b.stderr).toContain(`pid ${first.child.pid}`);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const file = emu.repos.get('model:test/big')!.main.filesByPath.get('weights.bin')!;
    expect(await sha256File(join(a.stdout.trim(), 'weights.bin'))).toBe(file.sha256);
    expect(emu.bytesServed((r) => r.url.startsWith('/cdn/'))).toBeLessThan(size + MiB);
  });

  it('SIGINT pauses (exit 130, "run again" hint), list marks it partly downloaded, and a re-run finishes it', async () => {
    const emu = await sharedEmulator();
    // Held after a few bytes of the model file: the signal lands mid-download however slow the machine is.
    emu.setFaults([{ type: 'stall', afterBytes: 4096, match: { host: 'cdn' } }]);
    const env = await cliEnv(emu.url);
    const run = startCli(['pull', 'kamtera-tts-male-vits'], env);
    await run.waitForStderr((s) => maxPercent(s) > 0);
    run.child.kill('SIGINT');
    const interrupted = await run.exit;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toBe('');
    expect(interrupted.stderr).toContain('Run the same command again to resume');

    const listed = await runCli(['list', 'kamtera'], env);
    expect(listed.stdout.split('\n').find((l) => l.includes('kamtera-tts-male-vits'))!.startsWith('~')).toBe(true);

    emu.clearFaults();
    const resumed = await runCli(['pull', 'kamtera-tts-male-vits'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('Resuming');
    await expectCatalogFiles(emu, 'kamtera-tts-male-vits', resumed.stdout.trim());
  });

  it('SIGTERM pauses too, with exit code 143', async () => {
    const emu = await sharedEmulator();
    emu.setFaults([{ type: 'stall', afterBytes: 4096, match: { host: 'cdn' } }]);
    const env = await cliEnv(emu.url, { LANG: 'fa_IR.UTF-8' });
    const run = startCli(['pull', 'kamtera-tts-female-vits'], env);
    await run.waitForStderr((s) => s.includes('٪'));
    run.child.kill('SIGTERM');
    const r = await run.exit;
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('همین فرمان را دوباره اجرا کنید');
  });

  describe('errors', () => {
    it('an unknown repo fails with exit 1 and the REPO_NOT_FOUND message, in English and in Persian', async () => {
      const emu = await sharedEmulator();
      const en = await runCli(['pull', 'nobody/nothing-here'], await cliEnv(emu.url));
      expect(en.code).toBe(1);
      expect(en.stdout).toBe('');
      expect(en.stderr).toContain('error: Repository not found.');
      expect(en.stderr).toContain('[REPO_NOT_FOUND]');
      const fa = await runCli(['pull', 'nobody/nothing-here'], await cliEnv(emu.url, { LANG: 'fa_IR.UTF-8' }));
      expect(fa.code).toBe(1);
      expect(fa.stderr).toContain('خطا: مخزن پیدا نشد.');
      expect(fa.stderr).toContain('[REPO_NOT_FOUND]');
      // An id that is neither in the catalog nor org/name.
      const notInCatalog = await runCli(['pull', 'no-such-voice'], await cliEnv(emu.url));
      expect(notInCatalog.code).toBe(1);
      expect(notInCatalog.stderr).toContain('[NOT_FOUND]');
    });

    it('bad usage exits 2 with the usage on stderr', async () => {
      const env = await cliEnv('http://127.0.0.1:9');
      const cases: Array<[string[], RegExp]> = [
        [['frobnicate'], /unknown command "frobnicate"/],
        [[], /missing <COMMAND>/],
        [['pull'], /missing <ID\|ORG\/NAME>/],
        [['export', 'piper-fa-amir-medium'], /missing <FILE\.tar>/],
        [['import'], /missing <FILE\.tar>/],
        [['rm', 'a/b', 'c/d'], /unexpected argument "c\/d"/],
        [['list', '--frobnicate'], /Unknown option '--frobnicate'/],
        [['list', '--include', 'x'], /option --include does not apply to "list"/],
        [['list', '--kind', 'robots'], /--kind "robots": expected tts \| asr/],
        [['pull', 'a/b', '--repo-type', 'space'], /--repo-type "space"/],
        [['probe', '--endpoint', 'not a url'], /--endpoint "not a url"/],
      ];
      for (const [args, message] of cases) {
        const r = await runCli(args, env);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toContain('Usage:');
      }
      const fa = await runCli(['frobnicate'], { ...env, LANG: 'fa_IR.UTF-8' });
      expect(fa.code).toBe(2);
      expect(fa.stderr).toContain('فرمان ناشناخته');
      expect(fa.stderr).toContain('طرز استفاده:');
    });

    it('import refuses a folder, /dev/zero, a FIFO and a missing file with a message, and exits 1', async () => {
      const env = await cliEnv('http://127.0.0.1:9');
      const dir = await tempDir('ph-cli-import-');
      const fifo = join(dir, 'pipe.tar');
      execFileSync('mkfifo', [fifo]);
      const cases: Array<[string, RegExp, string]> = [
        [dir, /A bundle is a \.tar file, but this is a folder/, 'BUNDLE_INVALID'],
        ['/dev/zero', /A bundle is a \.tar file, but this is a character device/, 'BUNDLE_INVALID'],
        [fifo, /A bundle is a \.tar file, but this is a named pipe/, 'BUNDLE_INVALID'],
        [join(dir, 'missing.tar'), /The bundle file does not exist/, 'NOT_FOUND'],
      ];
      for (const [file, message, code] of cases) {
        const r = await runCli(['import', file], env);
        expect(r.code, `${file}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toContain(`[${code}]`);
        expect(r.stderr).toMatch(code === 'NOT_FOUND' ? /error: The bundle file was not found; check its path\./ : /error: Give the path of the bundle file \(\.tar\) itself/);
        expect(r.stdout).toBe('');
      }
    });

    it('a Hub that resets every connection is BLOCKED, with a mirror / proxy / bundle hint', async () => {
      const emu = await sharedEmulator();
      emu.setFaults([{ type: 'reset' }]);
      const en = await runCli(['pull', 'piper-fa-amir-medium', '--retries', '0'], await cliEnv(emu.url));
      expect(en.code).toBe(1);
      expect(en.stderr).toContain('[BLOCKED]');
      expect(en.stderr).toMatch(/error: .*mirror \(HF_ENDPOINT/);
      expect(en.stderr).toContain('HTTPS_PROXY');
      expect(en.stderr).toContain('persian-hub import');
      const fa = await runCli(['pull', 'piper-fa-amir-medium', '--retries', '0'], await cliEnv(emu.url, { LANG: 'fa_IR.UTF-8' }));
      expect(fa.code).toBe(1);
      expect(fa.stderr).toContain('[BLOCKED]');
      expect(fa.stderr).toContain('آینه');
    });
  });

  it('probe reports each --endpoint: latency for a working one, the error class for a blocked one', async () => {
    const good = await sharedEmulator();
    const blocked = await emulator();
    blocked.setFaults([{ type: 'reset' }]);
    const env = await cliEnv('http://127.0.0.1:9');
    const r = await runCli(['probe', '--endpoint', blocked.url, '--endpoint', good.url], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith(good.url))).toMatch(/✓ ok, [\d,]+ ms/);
    expect(lines.find((l) => l.startsWith(blocked.url))).toContain('✗ BLOCKED');
    expect(r.stderr).toContain('mirror');
    const allBad = await runCli(['probe', '--endpoint', blocked.url], env);
    expect(allBad.code).toBe(1);
    expect(allBad.stderr).toContain('No endpoint answered.');
  });
});

describe('cli building blocks', () => {
  it('parses the bundle flags, and refuses them where they do not belong', () => {
    const msg = MESSAGES.en;
    const run = parseCliArgs(['import', 'b.tar', '--trust', 'a.pub', '--trust', 'b.pub', '--require-signature', '--update-refs'], msg);
    expect(run).toMatchObject({ kind: 'run', command: 'import', bundle: { trust: ['a.pub', 'b.pub'], requireSignature: true, updateRefs: true } });
    expect(parseCliArgs(['export', 'x', 'b.tar', '--sign', 'lab.key'], msg)).toMatchObject({ bundle: { sign: 'lab.key', trust: [], requireSignature: false, updateRefs: false } });
    expect(parseCliArgs(['keygen', 'lab.key'], msg)).toMatchObject({ command: 'keygen', args: ['lab.key'] });
    const cases: Array<[string[], RegExp]> = [
      [['keygen'], /missing <KEYFILE>/],
      [['import', 'b.tar', '--require-signature'], /--require-signature .*--trust/],
      [['export', 'a/b', 'b.tar', '--trust', 'k.pub'], /option --trust does not apply to "export"/],
      [['import', 'b.tar', '--sign', 'k'], /option --sign does not apply to "import"/],
      [['pull', 'a/b', '--update-refs'], /option --update-refs does not apply to "pull"/],
      [['import', 'b.tar', '--trust', ' '], /--trust " "/],
    ];
    for (const [args, message] of cases) expect(() => parseCliArgs(args, msg), args.join(' ')).toThrow(message);
  });

  it('reads --trust as a key or a key file, and warns about a signing key others can read', async () => {
    const dir = await tempDir();
    const k = generateBundleKeyPair();
    expect(await readTrustedKey(k.publicKey)).toBe(k.publicKey);
    await writeFile(join(dir, 'k.pub'), `${k.publicKey}\n`);
    expect(await readTrustedKey(join(dir, 'k.pub'))).toBe(k.publicKey);
    await expect(readTrustedKey(join(dir, 'missing.pub'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/--trust .*missing\.pub: no such key file/) });
    await writeFile(join(dir, 'junk.pub'), 'hello');
    await expect(readTrustedKey(join(dir, 'junk.pub'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not an ed25519 public key/) });
    const written = await writeBundleKeyFiles(join(dir, 'lab.key'));
    expect((await readSigningKeyFile(written.keyFile)).readableByOthers).toBe(false);
    await chmod(written.keyFile, 0o644);
    expect(await readSigningKeyFile(written.keyFile)).toMatchObject({ keyId: written.keyId, readableByOthers: true });
    await expect(readSigningKeyFile(written.publicKeyFile)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // A key pair is never half written over an existing public key.
    await writeFile(join(dir, 'other.key.pub'), 'keep me');
    await expect(writeBundleKeyFiles(join(dir, 'other.key'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await stat(join(dir, 'other.key')).catch(() => null)).toBeNull();
    expect(await readFile(join(dir, 'other.key.pub'), 'utf8')).toBe('keep me');
  });

  it('has a hint for every error code, in both languages', () => {
    const fmt = { en: createFmt('en'), fa: createFmt('fa') };
    for (const code of ERROR_CODES) {
      const en = ERROR_HINTS.en[code]({}, fmt.en);
      const fa = ERROR_HINTS.fa[code]({}, fmt.fa);
      expect(en.length, code).toBeGreaterThan(5);
      expect(fa, code).toMatch(/[\u0600-\u06FF]/);
    }
    expect(ERROR_HINTS.en.DISK_FULL({ requiredBytes: 2_500_000_000, availableBytes: 1_000_000_000 }, fmt.en)).toContain('needs 2.5 GB, 1 GB free');
    expect(ERROR_HINTS.fa.DISK_FULL({ requiredBytes: 2_500_000_000, availableBytes: 1_000_000_000 }, fmt.fa)).toContain('۲٫۵ گیگابایت لازم است و ۱ گیگابایت آزاد است');
  });

  it('picks the language from --lang, then LC_ALL, LC_MESSAGES, LANG', () => {
    expect(detectLang(undefined, { LANG: 'fa_IR.UTF-8' })).toBe('fa');
    expect(detectLang(undefined, { LANG: 'fa' })).toBe('fa');
    expect(detectLang(undefined, { LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'fa_IR.UTF-8', LC_MESSAGES: 'en_US.UTF-8' })).toBe('en');
    expect(detectLang(undefined, { LANG: 'en_US.UTF-8', LC_ALL: 'fa_IR.UTF-8' })).toBe('fa');
    expect(detectLang('en', { LC_ALL: 'fa_IR.UTF-8' })).toBe('en');
    expect(detectLang(undefined, {})).toBe('en');
  });

  it('formats a progress line, in Persian digits for fa, keeping the end of a long file path', () => {
    const p = { done: 26_800_000, total: 63_500_000, speed: 2_100_000, eta: 17, file: 'fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx' };
    expect(formatProgressLine(p, 'en', MESSAGES.en, createFmt('en'))).toBe(' 42.2%  26.8 MB / 63.5 MB  2.1 MB/s  ETA 0:17  fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx');
    expect(formatProgressLine(p, 'fa', MESSAGES.fa, createFmt('fa'))).toBe(
      ' ۴۲٫۲٪  ۲۶٫۸ مگابایت از ۶۳٫۵ مگابایت  ۲٫۱ مگابایت/ثانیه  مانده ۰:۱۷  fa/fa_IR/amir/medium/fa_IR-amir-medium.onnx',
    );
    const narrow = formatProgressLine(p, 'en', MESSAGES.en, createFmt('en'), 70);
    expect(narrow).toMatch(/  …[^ ]*amir-medium\.onnx$/);
    expect([...narrow].length).toBeLessThanOrEqual(70);
  });

  it('redraws with \\r on a TTY and prints at most one plain line a second otherwise', () => {
    let now = 0;
    const p = (done: number) => ({ done, total: 100, speed: 10, eta: 1, file: null });
    const plain: string[] = [];
    const logs = new ProgressReporter({ write: (s: string) => plain.push(s), isTTY: false }, 'en', MESSAGES.en, createFmt('en'), () => now);
    logs.update(p(10));
    now = 500;
    logs.update(p(20));
    now = 1000;
    logs.update(p(30));
    now = 1200;
    logs.finish(p(100));
    expect(plain.map((l) => l.trim().split(' ')[0])).toEqual(['10.0%', '30.0%', '100.0%']);
    expect(plain.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);

    const tty: string[] = [];
    const live = new ProgressReporter({ write: (s: string) => tty.push(s), isTTY: true, columns: 60 }, 'en', MESSAGES.en, createFmt('en'), () => now);
    live.update(p(10));
    live.update(p(20));
    live.line('a message');
    expect(tty[0]!.startsWith('\r')).toBe(true);
    expect(tty[1]!.startsWith('\r')).toBe(true);
    expect(tty.slice(2)).toEqual(['\n', 'a message\n']);
  });
});
