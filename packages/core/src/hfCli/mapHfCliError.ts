import { PersianHubError, type PersianHubErrorCode } from '../PersianHubError.js';
import { stripAnsi } from './ansi.js';
import { parseTqdmBar } from './parseTqdmBar.js';

export interface HfCliOutcome {
  /** The process exit code; null when it died from a signal (the caller decides about CANCELLED). */
  readonly exitCode: number | null;
  /** Everything the CLI wrote to stderr. */
  readonly stderr: string | Uint8Array;
  readonly stdout?: string | Uint8Array;
}

/** Longest CLI message kept; a traceback's message can quote whole server answers. */
export const MAX_CLI_MESSAGE_LENGTH = 2000;

const NETWORK_CLASSES = new Set([
  'LocalEntryNotFoundError',
  'OfflineModeIsEnabled',
  // requests / urllib3
  'ConnectionError',
  'ConnectTimeout',
  'ReadTimeout',
  'Timeout',
  'ProxyError',
  'SSLError',
  'ChunkedEncodingError',
  'MaxRetryError',
  'NewConnectionError',
  'ProtocolError',
  'IncompleteRead',
  // httpx (py ≥1.0)
  'ConnectError',
  'TimeoutException',
  'ReadError',
  'WriteError',
  'WriteTimeout',
  'PoolTimeout',
  'NetworkError',
  'RemoteProtocolError',
  // builtins
  'TimeoutError',
  'ConnectionResetError',
  'ConnectionRefusedError',
  'ConnectionAbortedError',
  'BrokenPipeError',
  'gaierror',
]);

const HTTP_CLASSES = new Set(['HfHubHTTPError', 'HTTPError', 'HTTPStatusError', 'BadRequestError']);

interface CliFailure {
  /** Short class name (`EntryNotFoundError`), or null for py ≥1.0's `Error: ...` lines and bare output. */
  readonly errorClass: string | null;
  readonly message: string;
}

function toText(value: string | Uint8Array | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : new TextDecoder('utf-8').decode(value);
}

/** stderr as lines, without ANSI and without tqdm redraws (which can land between traceback lines). */
function cleanLines(stderr: string): string[] {
  return stripAnsi(stderr)
    .split(/\r\n|\r|\n/)
    .filter((line) => parseTqdmBar(line) === null);
}

function joinMessage(lines: readonly string[]): string {
  return lines.join('\n').trim();
}

/** The last exception of the last Python traceback: `module.ClassName: message` plus its continuation lines. */
function fromTraceback(lines: readonly string[]): CliFailure | null {
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]?.startsWith('Traceback (most recent call last):')) {
      start = i;
      break;
    }
  }
  if (start === -1) return null;
  let i = start + 1;
  // Frames are indented; the exception line is the first one that is not.
  while (i < lines.length && (lines[i] === '' || /^\s/.test(lines[i] ?? ''))) i++;
  const head = lines[i];
  if (head === undefined) return null;
  const match = /^([A-Za-z_][\w.]*)(?:: ?(.*))?$/.exec(head);
  if (!match) return { errorClass: null, message: joinMessage(lines.slice(i)) };
  const qualified = match[1] ?? '';
  const errorClass = qualified.slice(qualified.lastIndexOf('.') + 1);
  return { errorClass, message: joinMessage([match[2] ?? '', ...lines.slice(i + 1)]) };
}

/** py ≥1.0 catches known errors and prints `Error: <message>` (red) and a `Hint: ...` line instead. */
function fromShortError(lines: readonly string[]): CliFailure | null {
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]?.startsWith('Error: ')) {
      start = i;
      break;
    }
  }
  if (start === -1) return null;
  const rest: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^(?:Hint|Warning): /.test(line)) break;
    rest.push(line);
  }
  return { errorClass: null, message: joinMessage([(lines[start] ?? '').slice('Error: '.length), ...rest]) };
}

function statusOf(message: string): number | undefined {
  const match =
    /\b([1-5]\d\d) (?:Client|Server) Error\b/.exec(message) ??
    /\b([45]\d\d) (?:Forbidden|Unauthorized|Too Many Requests|Not Found)\b/.exec(message) ??
    /\bstatus(?: code)? ([1-5]\d\d)\b/i.exec(message);
  return match ? Number(match[1]) : undefined;
}

function codeOf(errorClass: string | null, message: string, status: number | undefined): PersianHubErrorCode {
  // Messages first for what Python reports as a plain OSError.
  if (/No space left on device|\[Errno 28\]/.test(message)) return 'DISK_FULL';
  if (/Consistency check failed/.test(message)) return 'CHECKSUM_MISMATCH';

  switch (errorClass) {
    case 'GatedRepoError':
      return 'GATED_REPO';
    case 'RepositoryNotFoundError':
      return 'REPO_NOT_FOUND';
    case 'RevisionNotFoundError':
      return 'REVISION_NOT_FOUND';
    case 'EntryNotFoundError':
    case 'RemoteEntryNotFoundError':
      return 'ENTRY_NOT_FOUND';
    case 'LocalTokenNotFoundError':
      return 'UNAUTHORIZED';
    case 'KeyboardInterrupt':
      return 'CANCELLED';
    default:
      break;
  }
  if (errorClass !== null && NETWORK_CLASSES.has(errorClass)) return 'NETWORK';

  if (errorClass === null) {
    // py ≥1.0 short messages (cli/_errors.py); the gated check comes first as in the CLI itself.
    if (/^Access denied\. .*requires approval/.test(message)) return 'GATED_REPO';
    if (/^(?:Repository|Model|Dataset|Space)\b.* not found\./.test(message)) return 'REPO_NOT_FOUND';
    if (/^Revision not found\b/.test(message)) return 'REVISION_NOT_FOUND';
    if (/^File not found in\b/.test(message)) return 'ENTRY_NOT_FOUND';
    if (/^Not logged in\./.test(message)) return 'UNAUTHORIZED';
  }

  if (errorClass === null || HTTP_CLASSES.has(errorClass)) {
    if (status === 429) return 'RATE_LIMITED';
    if (status === 401 || status === 403 || /Invalid credentials/.test(message)) return 'UNAUTHORIZED';
    if (status !== undefined && status >= 500) return 'HUB_ERROR';
  }
  return 'CLI_FAILED';
}

function capMessage(message: string): string {
  return message.length > MAX_CLI_MESSAGE_LENGTH ? `${message.slice(0, MAX_CLI_MESSAGE_LENGTH - 1)}…` : message;
}

/**
 * Turns a finished `hf download` run into a PersianHubError, or null when it succeeded.
 *
 * py0.36 ends with a Python traceback whose last exception names the class; py ≥1.0 prints
 * `Error: <short message>` for the errors it knows. The CLI's own message is kept (capped at
 * {@link MAX_CLI_MESSAGE_LENGTH} characters); details never carry paths.
 */
export function mapHfCliError(outcome: HfCliOutcome): PersianHubError | null {
  const { exitCode } = outcome;
  if (exitCode === 0) return null;

  const lines = cleanLines(toText(outcome.stderr));
  const failure: CliFailure = fromTraceback(lines) ??
    fromShortError(lines) ?? {
      errorClass: null,
      message: joinMessage(lines.filter((line) => line.trim() !== '').slice(-20)),
    };
  const status = statusOf(failure.message);
  const code = codeOf(failure.errorClass, failure.message, status);
  const message =
    failure.message !== ''
      ? capMessage(failure.message)
      : `The Hugging Face CLI exited with code ${exitCode === null ? 'null' : exitCode}`;
  return new PersianHubError(code, message, {
    details: {
      exitCode,
      errorClass: failure.errorClass,
      ...(status === undefined ? {} : { status }),
    },
  });
}
