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
