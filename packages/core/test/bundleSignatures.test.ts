// Signed bundles: the exporter signs the exact manifest bytes with ed25519; the importer checks
// the signature before it parses the manifest, and long before any byte is staged.
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { join, sep } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUNDLE_SIGNATURE_CONTEXT,
  BUNDLE_SIGNATURE_ENTRY,
  bundleKeyId,
  exportBundle,
  generateBundleKeyPair,
  importBundle,
  parseBundlePublicKey,
  type BundleManifest,
} from '../src/bundles/index.js';
import { repoFolderName } from '../src/storage/cacheLayout.js';
import {
  BERT,
  cacheHashes,
  expectCode,
  fileEntry,
  manifestEntry,
  readTar,
  SYN_COMMIT,
  synEntries,
  synManifest,
  tarEntryNames,
  writeTar,
  type RawEntry,
} from './bundleFixtures.js';
import { tempDir } from './helpers.js';

/** Every call that could write to disk, with its paths: "nothing was staged" is then a fact, not a guess. */
const fsWrites = vi.hoisted(() => [] as Array<{ call: string; paths: string[] }>);
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const watched = ['mkdir', 'mkdtemp', 'writeFile', 'rename', 'symlink', 'unlink', 'rm', 'copyFile', 'link', 'truncate'] as const;
  const wrapped: Record<string, unknown> = { ...fs };
  const record = (call: string, args: unknown[]) => fsWrites.push({ call, paths: args.filter((a): a is string => typeof a === 'string') });
  for (const name of watched) {
    const real = fs[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      record(name, args.slice(0, 2));
      return real(...args);
    };
  }
  wrapped.open = (path: unknown, flags?: unknown, ...rest: unknown[]) => {
    if (flags !== undefined && flags !== 'r') record(`open(${String(flags)})`, [path]);
    return (fs.open as (...a: unknown[]) => unknown)(path, flags, ...rest);
  };
  return { ...wrapped, default: wrapped };
});

/** The calls that touched `dir` or anything in it, as "call path…". */
const writesUnder = (dir: string) =>
  fsWrites.filter((w) => w.paths.some((p) => p === dir || p.startsWith(dir + sep))).map((w) => `${w.call} ${w.paths.join(' ')}`);

beforeEach(() => {
  fsWrites.length = 0;
});

/** A cache holding the synthetic snapshot, and a bundle of it signed with `key` (PEM). */
async function signedBundle(dir: string, privateKeyPem: string | undefined, name = 'signed.tar'): Promise<{ file: string; manifest: BundleManifest }> {
  const source = join(dir, 'source-hub');
  const plain = join(dir, 'plain.tar');
  await writeTar(plain, [manifestEntry(synManifest()), ...synEntries()]);
  await importBundle({ cacheDir: source, file: plain });
  const file = join(dir, name);
  const manifest = await exportBundle({
    cacheDir: source,
    repoType: 'model',
    repoId: BERT,
    commit: SYN_COMMIT,
    file,
    toolVersion: '1.0.0',
    ...(privateKeyPem ? { signingKey: privateKeyPem } : {}),
  });
  return { file, manifest };
}

/** An existing cache the refused imports must leave byte-identical (and unwritten). */
async function targetCache(dir: string): Promise<string> {
  const cacheDir = join(dir, 'target-hub');
  const other = synManifest({ commit: 'a'.repeat(40), files: [fileEntry('config.json', Buffer.from('{"other":true}\n'), false)] });
  await writeTar(join(dir, 'other.tar'), [manifestEntry(other), { name: 'files/config.json', body: Buffer.from('{"other":true}\n') }]);
  await importBundle({ cacheDir, file: join(dir, 'other.tar') });
  return cacheDir;
}

async function expectRefusedBeforeStaging(cacheDir: string, run: () => Promise<unknown>, code: 'BUNDLE_INVALID' | 'BUNDLE_UNTRUSTED', message: RegExp) {
  const before = await cacheHashes(cacheDir);
  fsWrites.length = 0;
  const error = await expectCode(run(), code, message);
  expect(writesUnder(cacheDir)).toEqual([]);
  expect(await cacheHashes(cacheDir)).toEqual(before);
  return error as Error & { details: Record<string, unknown> };
}

async function rewrite(file: string, out: string, change: (entries: RawEntry[]) => RawEntry[]): Promise<string> {
  await writeTar(out, change(await readTar(file)));
  return out;
}

describe('bundle keys', () => {
  it('keygen gives a PEM private key, a one-line public key and a 16-hex key id that every form of the key agrees on', () => {
    const k = generateBundleKeyPair();
    expect(k.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(k.publicKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(k.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(k.keyId).toBe(createHash('sha256').update(Buffer.from(k.publicKey, 'base64')).digest('hex').slice(0, 16));
    const spki = createPublicKey(k.privateKeyPem).export({ format: 'pem', type: 'spki' }).toString();
    expect(bundleKeyId(k.publicKey)).toBe(k.keyId);
    expect(bundleKeyId(spki)).toBe(k.keyId);
    expect(generateBundleKeyPair().keyId).not.toBe(k.keyId);
  });

  it('refuses keys that are not ed25519 with INVALID_INPUT', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parseBundlePublicKey(rsa)).toThrow(/rsa key/);
    expect(() => parseBundlePublicKey('not a key')).toThrow(/not an ed25519 public key/);
    const dir = await tempDir();
    await expectCode(importBundle({ cacheDir: dir, file: join(dir, 'x.tar'), trustedKeys: ['AAAA'] }), 'INVALID_INPUT', /Trusted key #1/);
    await expectCode(importBundle({ cacheDir: dir, file: join(dir, 'x.tar'), requireSignature: true }), 'INVALID_INPUT', /at least one trusted key/);
    const rsaPrivate = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expectCode(signedBundle(dir, rsaPrivate), 'INVALID_INPUT', /not an ed25519 private key/);
  });
});

describe('signed bundles', () => {
  it('export signs the exact manifest bytes, in a second entry right after the manifest', async () => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, key.privateKeyPem);
    const entries = await readTar(file);
    expect(entries.map((e) => e.name).slice(0, 2)).toEqual(['persian-hub-bundle.json', BUNDLE_SIGNATURE_ENTRY]);
    expect((await tarEntryNames(file)).every((e) => e.type === 'file')).toBe(true);
    const sig = JSON.parse(entries[1]!.body!.toString('utf8')) as Record<string, string>;
    expect(sig).toEqual({ format: 'persian-hub-bundle-signature', formatVersion: 1, algorithm: 'ed25519', keyId: key.keyId, publicKey: key.publicKey, signature: expect.any(String) });
    const message = Buffer.concat([Buffer.from(BUNDLE_SIGNATURE_CONTEXT), entries[0]!.body!]);
    expect(verify(null, message, parseBundlePublicKey(key.publicKey), Buffer.from(sig.signature!, 'base64'))).toBe(true);
    expect(verify(null, entries[0]!.body!, parseBundlePublicKey(key.publicKey), Buffer.from(sig.signature!, 'base64'))).toBe(false); // the context is part of it
  });

  it('a good signature from a trusted key is accepted and reported; the same bundle without trust says who signed, untrusted', async () => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, key.privateKeyPem);
    const other = generateBundleKeyPair();
    fsWrites.length = 0;
    const trusted = await importBundle({ cacheDir: join(dir, 'a'), file, trustedKeys: [other.publicKey, key.publicKey], requireSignature: true });
    expect(trusted).toMatchObject({ alreadyInstalled: false, signature: { keyId: key.keyId, trusted: true } });
    // The write watch sees an accepted import stage and install (so its silence on refusals means something).
    expect(writesUnder(join(dir, 'a'))).toEqual(expect.arrayContaining([expect.stringMatching(/^mkdtemp .*\.persian-hub-import-/), expect.stringMatching(/^symlink .*config\.json$/)]));
    const spki = createPublicKey(key.privateKeyPem).export({ format: 'pem', type: 'spki' }).toString();
    expect((await importBundle({ cacheDir: join(dir, 'a'), file, trustedKeys: [spki], requireSignature: true })).signature).toEqual({ keyId: key.keyId, trusted: true });
    const plain = await importBundle({ cacheDir: join(dir, 'b'), file });
    expect(plain).toMatchObject({ alreadyInstalled: false, signature: { keyId: key.keyId, trusted: false } });
    expect(await cacheHashes(join(dir, 'a', repoFolderName('model', BERT)))).toEqual(await cacheHashes(join(dir, 'b', repoFolderName('model', BERT))));
  });

  it('an unsigned bundle (every bundle made before signatures) imports as before unless a signature is required', async () => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, undefined, 'unsigned.tar');
    expect((await readTar(file)).map((e) => e.name)).not.toContain(BUNDLE_SIGNATURE_ENTRY);
    expect((await importBundle({ cacheDir: join(dir, 'a'), file, trustedKeys: [key.publicKey] })).signature).toBeNull();
    const cacheDir = await targetCache(dir);
    const e = await expectRefusedBeforeStaging(cacheDir, () => importBundle({ cacheDir, file, trustedKeys: [key.publicKey], requireSignature: true }), 'BUNDLE_UNTRUSTED', /not signed/);
    expect(e.details).toEqual({ reason: 'UNSIGNED' });
  });

  it('signed by a key that is not trusted: BUNDLE_UNTRUSTED naming the key, before staging', async () => {
    const dir = await tempDir();
    const stranger = generateBundleKeyPair();
    const lab = generateBundleKeyPair();
    const { file } = await signedBundle(dir, stranger.privateKeyPem);
    const cacheDir = await targetCache(dir);
    const e = await expectRefusedBeforeStaging(cacheDir, () => importBundle({ cacheDir, file, trustedKeys: [lab.publicKey], requireSignature: true }), 'BUNDLE_UNTRUSTED', new RegExp(stranger.keyId));
    expect(e.details).toEqual({ reason: 'UNKNOWN_KEY', keyId: stranger.keyId });
  });

  it.each([
    ['the manifest edited (another revision)', (m: BundleManifest) => ({ ...m, revision: 'v2' })],
    ['one file replaced, its manifest hash updated, the signature kept', (m: BundleManifest) => ({ ...m, files: m.files.map((f) => (f.path === 'config.json' ? fileEntry('config.json', Buffer.from('{"evil":1}\n'), false) : f)) })],
    ['only whitespace of the manifest changed', null],
  ])('%s: BUNDLE_INVALID before staging, with or without a signature requirement', async (_label, edit) => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, key.privateKeyPem);
    const tampered = await rewrite(file, join(dir, 'tampered.tar'), (entries) =>
      entries.map((e) => {
        if (e.name === 'persian-hub-bundle.json') {
          const m = JSON.parse(e.body!.toString('utf8')) as BundleManifest;
          return { ...e, body: edit ? Buffer.from(JSON.stringify(edit(m), null, 1) + '\n') : Buffer.from(JSON.stringify(m) + '\n') };
        }
        if (e.name === 'files/config.json' && edit !== null) return { ...e, body: Buffer.from('{"evil":1}\n') };
        return e;
      }),
    );
    const cacheDir = await targetCache(dir);
    for (const options of [{}, { trustedKeys: [key.publicKey] }, { trustedKeys: [key.publicKey], requireSignature: true }]) {
      const e = await expectRefusedBeforeStaging(cacheDir, () => importBundle({ cacheDir, file: tampered, ...options }), 'BUNDLE_INVALID', /changed after signing/);
      expect(e.details).toEqual({ reason: 'BAD_SIGNATURE', keyId: key.keyId });
    }
  });

  it.each([
    ['a signature entry that names another key id', (sig: Record<string, unknown>) => ({ ...sig, keyId: '0123456789abcdef' }), /names key 0123456789abcdef/],
    ['a signature entry that is not JSON', () => 'nope', /signature entry/],
    ['a signature entry with an unknown algorithm', (sig: Record<string, unknown>) => ({ ...sig, algorithm: 'rsa' }), /signature entry/],
  ] as const)('%s: BUNDLE_INVALID before staging', async (_label, edit, message) => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, key.privateKeyPem);
    const bad = await rewrite(file, join(dir, 'bad.tar'), (entries) =>
      entries.map((e) => {
        if (e.name !== BUNDLE_SIGNATURE_ENTRY) return e;
        const changed = edit(JSON.parse(e.body!.toString('utf8')) as Record<string, unknown>);
        return { ...e, body: Buffer.from(typeof changed === 'string' ? changed : JSON.stringify(changed)) };
      }),
    );
    const cacheDir = await targetCache(dir);
    await expectRefusedBeforeStaging(cacheDir, () => importBundle({ cacheDir, file: bad }), 'BUNDLE_INVALID', message);
  });

  it('a signature anywhere but right after the manifest, or twice, is refused', async () => {
    const dir = await tempDir();
    const key = generateBundleKeyPair();
    const { file } = await signedBundle(dir, key.privateKeyPem);
    const entries = await readTar(file);
    const [manifest, sig, ...files] = entries as [RawEntry, RawEntry, ...RawEntry[]];
    const cacheDir = await targetCache(dir);
    const before = await cacheHashes(cacheDir);
    for (const order of [[manifest, ...files, sig], [manifest, sig, sig, ...files]]) {
      await writeTar(join(dir, 'moved.tar'), order);
      await expectCode(importBundle({ cacheDir, file: join(dir, 'moved.tar'), trustedKeys: [key.publicKey] }), 'BUNDLE_INVALID', /persian-hub-bundle\.sig/);
    }
    expect(await cacheHashes(cacheDir)).toEqual(before);
  });
});
