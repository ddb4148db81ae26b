import type { KeyObject } from 'node:crypto';
import { chmod, lstat, open, readFile, stat, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PersianHubError } from '../PersianHubError.js';
import { bundleKeyId, generateBundleKeyPair, parseBundlePrivateKey, parseBundlePublicKey } from '../bundles/index.js';

/** Key files are a few hundred bytes; anything much larger is not one (and is not read whole). */
const KEY_FILE_MAX_BYTES = 16 * 1024;
const RAW_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export interface WrittenKeyFiles {
  readonly keyFile: string;
  readonly publicKeyFile: string;
  readonly publicKey: string;
  readonly keyId: string;
}

/**
 * `persian-hub keygen FILE`: the private key to FILE (PEM, mode 0600) and the public key to
 * FILE.pub (one base64 line, to hand out). Never overwrites either: a lost signing key means
 * every recipient has to trust a new one.
 */
export async function writeBundleKeyFiles(file: string): Promise<WrittenKeyFiles> {
  const keyFile = resolve(file);
  const publicKeyFile = `${keyFile}.pub`;
  for (const f of [keyFile, publicKeyFile]) {
    if (await lstat(f).catch(() => null)) throw new PersianHubError('INVALID_INPUT', `${f} already exists: keygen never overwrites a key.`);
  }
  const pair = generateBundleKeyPair();
  await writeNew(keyFile, pair.privateKeyPem, 0o600);
  // The mode given to open() is masked by the umask, which can only remove bits; make sure anyway.
  await chmod(keyFile, 0o600);
  try {
    await writeNew(publicKeyFile, `${pair.publicKey}\n`, 0o644);
  } catch (error) {
    await unlink(keyFile).catch(() => undefined);
    throw error;
  }
  return { keyFile, publicKeyFile, publicKey: pair.publicKey, keyId: pair.keyId };
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  let fh;
  try {
    fh = await open(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new PersianHubError('INVALID_INPUT', `${path} already exists: keygen never overwrites a key.`);
    throw error;
  }
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface SigningKeyFile {
  readonly key: KeyObject;
  readonly keyId: string;
  /** Group or others may read the file: worth a warning, as ssh gives. */
  readonly readableByOthers: boolean;
}

/** `export --sign FILE`: the private key keygen wrote. */
export async function readSigningKeyFile(file: string): Promise<SigningKeyFile> {
  const path = resolve(file);
  const text = await readKeyFile(path, '--sign');
  const key = parseBundlePrivateKey(text, `--sign ${path}`);
  const st = await stat(path);
  return { key, keyId: bundleKeyId(key), readableByOthers: process.platform !== 'win32' && (st.mode & 0o077) !== 0 };
}

/** `import --trust VALUE`: a public key itself (base64 of 32 bytes), or a file holding one (base64 or PEM). */
export async function readTrustedKey(value: string): Promise<string> {
  if (RAW_BASE64.test(value.trim())) return value.trim();
  const text = (await readKeyFile(resolve(value), '--trust')).trim();
  parseBundlePublicKey(text, `--trust ${value}`);
  return text;
}

async function readKeyFile(path: string, flag: string): Promise<string> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new PersianHubError('INVALID_INPUT', `${flag} ${path}: no such key file${flag === '--trust' ? ' (nor a base64 public key)' : ''}.`);
  if (st.size > KEY_FILE_MAX_BYTES) throw new PersianHubError('INVALID_INPUT', `${flag} ${path}: ${st.size} bytes is too large for a key file.`);
  return readFile(path, 'utf8');
}
