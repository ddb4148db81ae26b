export {
  parseTqdmSize,
  parseTqdmRate,
  parseTqdmRateWithUnit,
  parseTqdmInterval,
  type TqdmRate,
} from './parseTqdmSize.js';
export { parseTqdmBar, type TqdmBar } from './parseTqdmBar.js';
export { stripAnsi } from './ansi.js';
export {
  createHfCliOutputParser,
  type HfCliOutputParser,
  type HfCliEvent,
  type HfCliFetchingEvent,
  type HfCliFileStartEvent,
  type HfCliFileCompleteEvent,
  type HfCliBarEvent,
  type HfCliWarningEvent,
  type HfCliUnknownEvent,
  type HfCliResult,
} from './createHfCliOutputParser.js';
export { mapHfCliError, MAX_CLI_MESSAGE_LENGTH, type HfCliOutcome } from './mapHfCliError.js';
export { resolveHfCliCommand, findExecutable, CLI_INSTALL_HINT, type HfCliOptions, type ResolvedHfCli } from './resolveHfCliCommand.js';
export { runHfCliSnapshot, type RunHfCliSnapshotOptions } from './runHfCliSnapshot.js';
