import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import type { z } from 'zod';
import { PersianHubError } from '../PersianHubError.js';
import type { BundleSigner } from '../types.js';
import { lazyZod } from '../validation/lazyZod.js';

/**
 * Second tar entry of a signed bundle, right after the manifest. Bundles without it are
 * unsigned (every bundle made before signatures existed), and import as before when no
 * signature is required.
 */
export const BUNDLE_SIGNATURE_ENTRY = 'persian-hub-bundle.sig';
/** The signature entry is a few hundred bytes; anything much larger is not one. */
export const BUNDLE_SIGNATURE_MAX_BYTES = 4096;

/**
 * What is signed: this prefix, then the manifest entry's bytes exactly as they are in the tar.
 * The prefix keeps a bundle signature from ever being valid for anything else signed with the
 * same key. The manifest names the repo, commit, revision and every file's size and hash, and
 * the importer checks each file against it, so the signature covers the content.
 */
export const BUNDLE_SIGNATURE_CONTEXT = 'persian-hub bundle manifest signature v1\n';

/** A public key: base64 of the raw 32 bytes, a PEM `PUBLIC KEY` (SPKI), or a KeyObject. */
export type BundlePublicKey = string | KeyObject;
/** A private key: a PEM `PRIVATE KEY` (PKCS#8, unencrypted) or a KeyObject. */
export type BundlePrivateKey = string | KeyObject;

export interface BundleKeyPair {
  /** PEM PKCS#8; keep it private (the CLI writes it with mode 0600). */
  readonly privateKeyPem: string;
  /** Base64 of the raw 32-byte public key: one short line to hand out. */
  readonly publicKey: string;
  /** Short fingerprint of the public key (16 hex characters of its sha256). */
  readonly keyId: string;
}

const RAW_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** Built on first use (zod is loaded then, not at import). */
const signatureEntrySchema = lazyZod((z) =>
  z
    .object({
      format: z.literal('persian-hub-bundle-signature'),
      formatVersion: z.literal(1),
      algorithm: z.literal('ed25519'),
      keyId: z.string().regex(/^[0-9a-f]{16}$/),
      publicKey: z.string().regex(RAW_BASE64),
      signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
    })
    .strict(),
);

/** A new ed25519 key pair for signing bundles. */
export function generateBundleKeyPair(): BundleKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: raw.toString('base64'),
    keyId: keyIdOf(raw),
  };
}

/** Parses a public key in any accepted form; INVALID_INPUT (with `what` in the message) otherwise. */
export function parseBundlePublicKey(key: BundlePublicKey, what = 'The public key'): KeyObject {
  let k: KeyObject;
  try {
    if (key instanceof KeyObject) k = key.type === 'public' ? key : createPublicKey(key);
    else if (RAW_BASE64.test(key.trim())) k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.trim(), 'base64').toString('base64url') }, format: 'jwk' });
    else k = createPublicKey(key);
  } catch (error) {
    throw new PersianHubError('INVALID_INPUT', `${what} is not an ed25519 public key (base64 of 32 bytes, or a PEM "PUBLIC KEY").`, { cause: error });
  }
  if (k.asymmetricKeyType !== 'ed25519') {
    throw new PersianHubError('INVALID_INPUT', `${what} is a ${k.asymmetricKeyType ?? 'unknown'} key; bundles are signed with ed25519.`);
  }
  return k;
}

/** Parses a private key; INVALID_INPUT otherwise (an encrypted PEM is refused: no passphrase prompt here). */
export function parseBundlePrivateKey(key: BundlePrivateKey, what = 'The signing key'): KeyObject {
  let k: KeyObject;
  try {
    k = key instanceof KeyObject ? key : createPrivateKey(key);
  } catch (error) {
    throw new PersianHubError('INVALID_INPUT', `${what} is not an unencrypted ed25519 private key (PEM "PRIVATE KEY", as persian-hub keygen writes).`, { cause: error });
  }
  if (k.type !== 'private' || k.asymmetricKeyType !== 'ed25519') {
    throw new PersianHubError('INVALID_INPUT', `${what} is not an ed25519 private key.`);
  }
  return k;
}

/** The key id of a public (or private) key: 16 hex characters of the sha256 of the raw public key. */
export function bundleKeyId(key: BundlePublicKey | KeyObject): string {
  const k = key instanceof KeyObject && key.type === 'private' ? createPublicKey(key) : parseBundlePublicKey(key);
  return keyIdOf(rawPublicKey(k));
}

/** Base64 of the raw 32-byte public key of a public or private key. */
export function bundlePublicKeyBase64(key: BundlePublicKey | KeyObject): string {
  const k = key instanceof KeyObject && key.type === 'private' ? createPublicKey(key) : parseBundlePublicKey(key);
  return rawPublicKey(k).toString('base64');
}

/** The bytes of the signature entry for these exact manifest bytes. */
export function signBundleManifest(manifestBytes: Buffer, privateKey: KeyObject): Buffer {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const signature = sign(null, signedMessage(manifestBytes), privateKey);
  const entry = {
    format: 'persian-hub-bundle-signature',
    formatVersion: 1,
    algorithm: 'ed25519',
    keyId: keyIdOf(publicKey),
    publicKey: publicKey.toString('base64'),
    signature: signature.toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(entry, null, 1)}\n`, 'utf8');
}

export interface VerifyBundleSignatureOptions {
  readonly trustedKeys: readonly KeyObject[];
  readonly requireSignature: boolean;
}

/**
 * Checks the signature entry (or its absence) against the manifest bytes, before the manifest
 * is even parsed. A signature that does not verify is always refused (the manifest was changed
 * after signing): BUNDLE_INVALID. With `requireSignature`, a bundle that is unsigned or signed
 * by a key not in `trustedKeys` is BUNDLE_UNTRUSTED. Returns who signed, or null (unsigned).
 */
export function verifyBundleSignature(manifestBytes: Buffer, entryBytes: Buffer | null, options: VerifyBundleSignatureOptions): BundleSigner | null {
  if (entryBytes === null) {
    if (options.requireSignature) {
      throw new PersianHubError('BUNDLE_UNTRUSTED', 'The bundle is not signed, and this import requires a signature from a trusted key.', {
        details: { reason: 'UNSIGNED' },
      });
    }
    return null;
  }
  let parsed: z.output<ReturnType<typeof signatureEntrySchema>>;
  try {
    parsed = signatureEntrySchema().parse(JSON.parse(entryBytes.toString('utf8')));
  } catch (error) {
    throw new PersianHubError('BUNDLE_INVALID', `The bundle's signature entry (${BUNDLE_SIGNATURE_ENTRY}) is not valid.`, { cause: error, details: { reason: 'BAD_SIGNATURE' } });
  }
  const raw = Buffer.from(parsed.publicKey, 'base64');
  const keyId = keyIdOf(raw);
  if (keyId !== parsed.keyId) {
    throw new PersianHubError('BUNDLE_INVALID', `The bundle's signature names key ${parsed.keyId} but carries key ${keyId}.`, { details: { reason: 'BAD_SIGNATURE', keyId: parsed.keyId } });
  }
  const publicKey = parseBundlePublicKey(parsed.publicKey);
  if (!verify(null, signedMessage(manifestBytes), publicKey, Buffer.from(parsed.signature, 'base64'))) {
    throw new PersianHubError(
      'BUNDLE_INVALID',
      `The bundle's manifest does not match its signature by key ${keyId}: it was changed after signing (or the signature is damaged). Nothing was installed.`,
      { details: { reason: 'BAD_SIGNATURE', keyId } },
    );
  }
  const trusted = options.trustedKeys.some((k) => rawPublicKey(k).equals(raw));
  if (!trusted && options.requireSignature) {
    throw new PersianHubError('BUNDLE_UNTRUSTED', `The bundle is signed by key ${keyId}, which is not one of the trusted keys.`, {
      details: { reason: 'UNKNOWN_KEY', keyId },
    });
  }
  return { keyId, trusted };
}

function signedMessage(manifestBytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(BUNDLE_SIGNATURE_CONTEXT, 'utf8'), manifestBytes]);
}

function rawPublicKey(k: KeyObject): Buffer {
  const x = k.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new PersianHubError('INVALID_INPUT', 'Not an ed25519 key.');
  return Buffer.from(x, 'base64url');
}

function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}
