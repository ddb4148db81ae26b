export {
  BUNDLE_FILES_PREFIX,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BUNDLE_LIMITS,
  BUNDLE_MANIFEST_ENTRY,
  lfsPointerOid,
  parseBundleManifest,
  type BundleFile,
  type BundleManifest,
  type BundleOtherFile,
  type BundleProgress,
} from './bundleManifest.js';
export {
  BUNDLE_SIGNATURE_CONTEXT,
  BUNDLE_SIGNATURE_ENTRY,
  bundleKeyId,
  bundlePublicKeyBase64,
  generateBundleKeyPair,
  parseBundlePrivateKey,
  parseBundlePublicKey,
  type BundleKeyPair,
  type BundlePrivateKey,
  type BundlePublicKey,
} from './bundleSignature.js';
export { exportBundle, type ExportBundleOptions } from './exportBundle.js';
export { importBundle, IMPORT_STAGING_PREFIX, type ImportBundleOptions, type ImportBundleResult } from './importBundle.js';
export { readBundleManifest } from './readBundleManifest.js';
