import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDownloadManager, generateBundleKeyPair, readBundleManifest, type BundleKeyPair, type DownloadManager } from '@persian-hub/core';
import { startHubEmulator, type HubEmulator } from '@persian-hub/hub-emulator';
import { createPersianHubHandler, type PersianHubHandlerOptions } from '../src/index.js';
import { SERVERS, type StartedServer } from './servers.js';

let emu: HubEmulator;
beforeAll(async () => {
  emu = await startHubEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe.each(SERVERS)('%s: offline bundles over REST', (_name, start) => {
  let root: string;
  let online: DownloadManager;
  let offline: DownloadManager;
  let onlineServer: StartedServer;
  let offlineServer: StartedServer;
  let usb: string;
  let uploads: string;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ph-bundle-rest-'));
    usb = join(root, 'usb');
    await mkdir(usb, { recursive: true });
    const base = { token: false as const, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 } };
    online = createDownloadManager({ ...base, endpoint: emu.url, cacheDir: join(root, 'a', 'hub'), stateDir: join(root, 'a', 'state') });
    offline = createDownloadManager({ ...base, endpoint: 'http://127.0.0.1:9', cacheDir: join(root, 'b', 'hub'), stateDir: join(root, 'b', 'state') });
    onlineServer = await start(online, { bundleTempDir: root });
    uploads = join(root, 'uploads');
    await mkdir(uploads, { recursive: true });
    offlineServer = await start(offline, { bundleImportDirs: [usb], bundleUploadLimit: 4 * 1024 * 1024, bundleTempDir: uploads });
  });
  afterAll(async () => {
    await onlineServer.close();
    await offlineServer.close();
    await online.close();
    await offline.close();
    await rm(root, { recursive: true, force: true });
  });

  it('GET /installed/:id/bundle streams a verified tar; POST /bundles/import installs it elsewhere', async () => {
    await online.waitFor((await online.start('piper-fa-amir-medium')).id);
    const res = await fetch(`${onlineServer.url}/installed/piper-fa-amir-medium/bundle`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect(res.headers.get('content-disposition')).toContain('piper-fa-amir-medium.persian-hub.tar');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(Number(res.headers.get('content-length')));
    const file = join(usb, 'amir.tar');
    await writeFile(file, bytes);
    expect((await readBundleManifest(file)).catalogId).toBe('piper-fa-amir-medium');
    // The temp file on the server is gone once sent.
    const leftovers = (await import('node:fs/promises')).readdir(root);
    expect((await leftovers).filter((n) => n.startsWith('persian-hub-export-'))).toEqual([]);

    const imported = await fetch(`${offlineServer.url}/bundles/import`, { method: 'POST', headers: json, body: JSON.stringify({ path: file }) });
    expect(imported.status).toBe(200);
    const body = (await imported.json()) as { alreadyInstalled: boolean; job: { status: string; backend: string } };
    expect(body).toMatchObject({ alreadyInstalled: false, job: { status: 'completed', backend: 'bundle' } });
    const installed = (await (await fetch(`${offlineServer.url}/installed`)).json()) as Array<{ catalogId: string }>;
    expect(installed.some((i) => i.catalogId === 'piper-fa-amir-medium')).toBe(true);
  });

  it('refuses paths outside the allowed folders, non-tar paths, bad bundles, and unknown ids', async () => {
    const outside = join(root, 'outside.tar');
    await writeFile(outside, 'not a bundle');
    const post = (body: unknown) => fetch(`${offlineServer.url}/bundles/import`, { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect((await post({ path: outside })).status).toBe(404);
    expect((await post({ path: `${usb}/../outside.tar` })).status).toBe(404);
    expect((await post({ path: '/etc/passwd' })).status).toBe(400);
    expect((await post({ path: 'relative.tar' })).status).toBe(400);
    const junk = join(usb, 'junk.tar');
    await writeFile(junk, Buffer.alloc(2048, 7));
    const bad = await post({ path: junk });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BUNDLE_INVALID');
    // A server without bundleImportDirs does not read server paths at all.
    expect((await fetch(`${onlineServer.url}/bundles/import`, { method: 'POST', headers: json, body: JSON.stringify({ path: join(usb, 'amir.tar') }) })).status).toBe(403);
    expect((await fetch(`${onlineServer.url}/installed/tooka-sbert/bundle`)).status).toBe(404);
    const text = await (await fetch(`${onlineServer.url}/installed/..%2F..%2Fetc/bundle`)).text();
    expect(text).toContain('INVALID_INPUT');
    expect(await readFile(outside, 'utf8')).toBe('not a bundle');
  });

  it('POST /bundles/upload takes the .tar as the body (a browser with a USB disk), verifies and installs it, and keeps nothing', async () => {
    await online.waitFor((await online.start('piper-fa-gyro-medium')).id);
    const tar = Buffer.from(await (await fetch(`${onlineServer.url}/installed/piper-fa-gyro-medium/bundle`)).arrayBuffer());
    const upload = (body: Uint8Array | string, type = 'application/x-tar') =>
      fetch(`${offlineServer.url}/bundles/upload`, { method: 'POST', headers: { 'content-type': type }, body });
    const before = ((await (await fetch(`${offlineServer.url}/installed`)).json()) as Array<{ catalogId: string }>).map((i) => i.catalogId);
    expect(before).not.toContain('piper-fa-gyro-medium');

    // A corrupted copy (one byte of the voice model flipped) is refused and installs nothing.
    const name = tar.indexOf('files/fa/fa_IR/gyro/medium/fa_IR-gyro-medium.onnx');
    expect(name).toBeGreaterThan(0);
    const dataStart = name - (name % 512) + 512; // the entry's 512-byte header, then its bytes
    const bad = Buffer.from(tar);
    bad[dataStart + 100] = bad[dataStart + 100]! ^ 0xff;
    const refused = await upload(bad);
    const refusal = (await refused.json()) as { error: { code: string; message: string } };
    expect(refused.status, refusal.error.message).toBe(422);
    expect(refusal.error.code).toBe('BUNDLE_INVALID');
    expect(refusal.error.message).toContain('fa_IR-gyro-medium.onnx');
    expect(((await (await fetch(`${offlineServer.url}/installed`)).json()) as Array<{ catalogId: string }>).map((i) => i.catalogId)).toEqual(before);

    const res = await upload(tar);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alreadyInstalled: boolean; job: { status: string; backend: string; catalogId: string } };
    expect(body).toMatchObject({ alreadyInstalled: false, job: { status: 'completed', backend: 'bundle', catalogId: 'piper-fa-gyro-medium' } });
    const installed = (await (await fetch(`${offlineServer.url}/installed`)).json()) as Array<{ catalogId: string }>;
    expect(installed.some((i) => i.catalogId === 'piper-fa-gyro-medium')).toBe(true);
    expect(((await upload(tar).then((r) => r.json())) as { alreadyInstalled: boolean }).alreadyInstalled).toBe(true);
    // The uploads themselves are gone, accepted or not.
    expect(await (await import('node:fs/promises')).readdir(uploads)).toEqual([]);
  });

  it('POST /bundles/upload takes a bundle larger than the framework’s own body limit (Fastify: 1 MiB)', async () => {
    const big = await startHubEmulator({ port: 0, repos: [{ id: 'test/three-mib', files: [{ path: 'weights.bin', size: 3 * 1024 * 1024 }] }] });
    try {
      const m = createDownloadManager({ token: false, endpoint: big.url, cacheDir: join(root, 'c', 'hub'), stateDir: join(root, 'c', 'state') });
      await m.waitFor((await m.start({ repoId: 'test/three-mib' })).id);
      const tar = join(root, 'three-mib.tar');
      await m.exportBundle('test/three-mib', tar);
      await m.close();
      const body = await readFile(tar);
      expect(body.length).toBeGreaterThan(3 * 1024 * 1024);
      const res = await fetch(`${offlineServer.url}/bundles/upload`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { job: { status: string; repoId: string } }).job).toMatchObject({ status: 'completed', repoId: 'test/three-mib' });
    } finally {
      await big.close();
    }
  });

  it('POST /bundles/upload refuses other media types, empty and oversized bodies, and servers that did not enable it', async () => {
    const url = `${offlineServer.url}/bundles/upload`;
    // A cross-site HTML form can only send urlencoded, multipart or text/plain: all refused.
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'application/json']) {
      expect((await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: 'x' })).status).toBe(415);
    }
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: '' })).status).toBe(400);
    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: Buffer.alloc(4 * 1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    // Chunked, so no Content-Length to refuse up front: cut off while streaming.
    const chunks = async function* () {
      for (let i = 0; i < 5; i++) yield new Uint8Array(1024 * 1024);
    };
    const streamed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: ReadableStreamFrom(chunks()), duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await (await import('node:fs/promises')).readdir(uploads)).toEqual([]);
    expect((await fetch(`${onlineServer.url}/bundles/upload`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: 'x' })).status).toBe(403);
  });
});

function ReadableStreamFrom(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Refs and signatures: bundles of one catalog entry at two commits, one forged (same commit,
// other bytes), one signed by the lab's key and one by a stranger's. Made once, shared.
// ---------------------------------------------------------------------------------------------

const AMIR = 'fa/fa_IR/amir/medium/fa_IR-amir-medium';
const laterFiles = [
  { path: `${AMIR}.onnx`, size: 4096 },
  { path: `${AMIR}.onnx.json`, content: '{"audio":{"sample_rate":16000}}' },
  { path: 'fa/fa_IR/amir/medium/MODEL_CARD', content: '# amir, later\n' },
];

interface Made {
  dir: string;
  v1: string;
  v2: string;
  forged: string;
  signed: string;
  strangers: string;
  commit1: string;
  commit2: string;
  lab: BundleKeyPair;
  stranger: BundleKeyPair;
}
let made: Made;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ph-bundle-sig-'));
  const lab = generateBundleKeyPair();
  const stranger = generateBundleKeyPair();
  const exportFrom = async (endpoint: string, name: string, files: Array<[string, { signingKey?: string }]>) => {
    const m = createDownloadManager({ token: false, endpoint, cacheDir: join(dir, name, 'hub'), stateDir: join(dir, name, 'state') });
    try {
      const job = await m.waitFor((await m.start('piper-fa-amir-medium')).id);
      for (const [file, options] of files) await m.exportBundle('piper-fa-amir-medium', join(dir, file), options);
      return job.commit!;
    } finally {
      await m.close();
    }
  };
  const commit1 = await exportFrom(emu.url, 'one', [['v1.tar', {}], ['signed.tar', { signingKey: lab.privateKeyPem }], ['strangers.tar', { signingKey: stranger.privateKeyPem }]]);
  const later = await startHubEmulator({ port: 0, repos: [{ id: 'rhasspy/piper-voices', files: laterFiles }] });
  const forger = await startHubEmulator({ port: 0, repos: [{ id: 'rhasspy/piper-voices', files: laterFiles, commits: { main: commit1 } }] });
  try {
    const commit2 = await exportFrom(later.url, 'two', [['v2.tar', {}]]);
    await exportFrom(forger.url, 'forged', [['forged.tar', {}]]);
    made = { dir, v1: join(dir, 'v1.tar'), v2: join(dir, 'v2.tar'), forged: join(dir, 'forged.tar'), signed: join(dir, 'signed.tar'), strangers: join(dir, 'strangers.tar'), commit1, commit2, lab, stranger };
  } finally {
    await later.close();
    await forger.close();
  }
});
afterAll(async () => {
  if (made) await rm(made.dir, { recursive: true, force: true });
});

describe.each(SERVERS)('%s: offline bundles never change what is installed; signed bundles', (_name, start) => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    while (started.length) await started.pop()!.close();
  });

  /** A fresh offline cache behind a server with these options; uploads go to its own folder. */
  async function offlineServer(options: PersianHubHandlerOptions = {}) {
    const root = await mkdtemp(join(made.dir, 'offline-'));
    const manager = createDownloadManager({ token: false, endpoint: 'http://127.0.0.1:9', cacheDir: join(root, 'hub'), stateDir: join(root, 'state') });
    started.push(manager);
    const uploads = join(root, 'uploads');
    await mkdir(uploads, { recursive: true });
    const server = await start(manager, { bundleUploadLimit: 16 * 1024 * 1024, bundleTempDir: uploads, bundleImportDirs: [made.dir], ...options });
    started.push(server);
    const upload = async (file: string, query = '') =>
      fetch(`${server.url}/bundles/upload${query}`, { method: 'POST', headers: { 'content-type': 'application/x-tar' }, body: await readFile(file) });
    const importPath = (body: unknown) => fetch(`${server.url}/bundles/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const installed = async () => (await (await fetch(`${server.url}/installed`)).json()) as Array<{ catalogId: string | null; commit: string; refs: string[] }>;
    const refMain = () => readFile(join(root, 'hub', 'models--rhasspy--piper-voices', 'refs', 'main'), 'utf8');
    return { server, upload, importPath, installed, refMain, uploads, cacheDir: join(root, 'hub') };
  }

  it('a newer commit leaves refs/main alone unless updateRefs (upload ?updateRefs=1, import { updateRefs: true })', async () => {
    const s = await offlineServer();
    expect((await s.upload(made.v1)).status).toBe(200);
    const kept = await s.upload(made.v2);
    const keptBody = (await kept.json()) as { alreadyInstalled: boolean; ref: unknown; signature: unknown; job: { commit: string } };
    expect(kept.status).toBe(200);
    expect(await s.refMain()).toBe(made.commit1);
    expect(keptBody).toMatchObject({ alreadyInstalled: false, signature: null, ref: { revision: 'main', commit: made.commit1, updated: false }, job: { commit: made.commit2 } });
    expect((await s.installed()).map((i) => [i.commit, i.refs])).toEqual([
      [made.commit1, ['main']],
      [made.commit2, []],
    ]);
    expect((await s.upload(made.v2, '?updateRefs=maybe')).status).toBe(400);
    const moved = await s.upload(made.v2, '?updateRefs=1');
    expect(((await moved.json()) as { ref: unknown }).ref).toEqual({ revision: 'main', commit: made.commit2, updated: true });
    expect(await s.refMain()).toBe(made.commit2);

    expect((await s.importPath({ path: made.v1, updateRefs: 'yes' })).status).toBe(400);
    const back = (await (await s.importPath({ path: made.v1 })).json()) as { ref: unknown };
    expect(back.ref).toEqual({ revision: 'main', commit: made.commit2, updated: false });
    const backMoved = (await (await s.importPath({ path: made.v1, updateRefs: true })).json()) as { ref: unknown };
    expect(backMoved.ref).toEqual({ revision: 'main', commit: made.commit1, updated: true });
    expect(await s.refMain()).toBe(made.commit1);
  });

  it('same commit with other bytes is 409 CONFLICT naming the file, and the cache is byte-identical', async () => {
    const s = await offlineServer();
    expect((await s.upload(made.v1)).status).toBe(200);
    const before = await hashTree(s.cacheDir);
    for (const res of [await s.upload(made.forged, '?updateRefs=1'), await s.importPath({ path: made.forged, updateRefs: true })]) {
      const body = (await res.json()) as { error: { code: string; message: string; details: { file: string } } };
      expect(res.status, body.error.message).toBe(409);
      expect(body.error).toMatchObject({ code: 'CONFLICT', details: { file: expect.stringMatching(/^fa\/fa_IR\/amir\/medium\//) } });
      expect(body.error.message).toContain(body.error.details.file);
    }
    expect(await hashTree(s.cacheDir)).toEqual(before);
    expect(await readdir(s.uploads)).toEqual([]);
  });

  it('requireSignedBundles: a lab-signed bundle is accepted and says who signed; unsigned and stranger-signed are 422 BUNDLE_UNTRUSTED', async () => {
    const s = await offlineServer({ bundleTrustedKeys: [made.lab.publicKey], requireSignedBundles: true });
    for (const [file, details] of [
      [made.v1, { reason: 'UNSIGNED' }],
      [made.strangers, { reason: 'UNKNOWN_KEY', keyId: made.stranger.keyId }],
    ] as const) {
      for (const res of [await s.upload(file), await s.importPath({ path: file })]) {
        const body = (await res.json()) as { error: { code: string; details: unknown } };
        expect(res.status).toBe(422);
        expect(body.error).toMatchObject({ code: 'BUNDLE_UNTRUSTED', details });
      }
    }
    expect(await s.installed()).toEqual([]);
    expect(await readdir(s.uploads)).toEqual([]);
    const ok = await s.upload(made.signed);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ alreadyInstalled: false, signature: { keyId: made.lab.keyId, trusted: true }, job: { status: 'completed' } });
    expect((await s.installed()).map((i) => i.catalogId)).toEqual(['piper-fa-amir-medium']);

    // Without the requirement, the signer is still reported (trusted or not).
    const open = await offlineServer({ bundleTrustedKeys: [made.lab.publicKey] });
    expect(((await (await open.upload(made.strangers)).json()) as { signature: unknown }).signature).toEqual({ keyId: made.stranger.keyId, trusted: false });
  });

  it('refuses to start with requireSignedBundles but no keys, or with a key that is not one', async () => {
    const m = createDownloadManager({ token: false, endpoint: 'http://127.0.0.1:9', cacheDir: join(made.dir, 'never'), stateDir: join(made.dir, 'never-state') });
    started.push(m);
    expect(() => createPersianHubHandler(m, { requireSignedBundles: true })).toThrow(/at least one key in bundleTrustedKeys/);
    expect(() => createPersianHubHandler(m, { bundleTrustedKeys: ['not a key'] })).toThrow(/bundleTrustedKeys\[0\] is not an ed25519 public key/);
  });
});

/** Every file's sha256 and every link's target under dir. */
async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (d: string, prefix: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const p = join(d, e.name);
      if (e.isSymbolicLink()) out[rel] = `-> ${await readlink(p)}`;
      else if (e.isDirectory()) await visit(p, rel);
      else out[rel] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  };
  await visit(dir, '');
  return out;
}
