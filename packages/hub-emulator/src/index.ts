export { startHubEmulator } from './startHubEmulator.js';
export { defaultRepos, FILE_SIZE } from './defaultRepos.js';
export { manySmallFiles, type ManySmallFilesOptions } from './manySmallFiles.js';
export { gitBlobSha1 } from './gitBlobSha1.js';
export { isLfsByDefault, lfsPointer, LFS_EXTENSIONS } from './resolveRepo.js';
export type {
  Fault,
  FaultKind,
  FaultMatch,
  FileSource,
  FileSpec,
  HubEmulator,
  HubEmulatorOptions,
  RepoSpec,
  RepoType,
  RequestRecord,
  ResolvedFile,
  ResolvedRepo,
  ResolvedRevision,
} from './types.js';
