import { SEPARATOR_RE, isColourSequence, stripAnsi } from './ansi.js';
import { parseTqdmBar, type TqdmBar } from './parseTqdmBar.js';

/** `Fetching N files: ...| d/N [...]`: files of the snapshot finished so far. */
export interface HfCliFetchingEvent {
  readonly type: 'fetching';
  readonly done: number;
  /** Null when the CLI printed `Fetching ... files` without a count. */
  readonly total: number | null;
  /** Files per second, or null while tqdm prints `?`. */
  readonly rate: number | null;
}

/** `Downloading 'NAME' to 'PATH.incomplete'[ (resume from N/SIZE)]` */
export interface HfCliFileStartEvent {
  readonly type: 'file-start';
  /** The path inside the repo, e.g. `data/train.csv`. */
  readonly file: string;
  /** `…/blobs/ETAG.incomplete` (cache) or `…/.cache/huggingface/download/[dir/]SHORTHASH.ETAG.incomplete` (local dir). */
  readonly incompletePath: string;
  /** git-sha1 or sha256 of the file; null if the path does not end in `.incomplete`. */
  readonly etag: string | null;
  /** Bytes already on disk from an earlier attempt. */
  readonly resumeFrom?: number;
  /** The file's size as the CLI announced it with `resumeFrom`. */
  readonly expectedSize?: number;
}

/** `Download complete. Moving file to PATH` */
export interface HfCliFileCompleteEvent {
  readonly type: 'file-complete';
  /** Where the file went: `…/blobs/ETAG` (cache) or the final file inside the local dir. */
  readonly blobPath: string;
  /**
   * From the blob name in cache mode; in local-dir mode the path carries no etag, so it comes from
   * the matching `file-start`. Null when neither says.
   */
  readonly etag: string | null;
  /** The repo path, when a `file-start` for this file was seen. */
  readonly file?: string;
}

/**
 * A tqdm byte bar of one file: the parsed bar without its `length`. `label` is tqdm's desc,
 * not the file name: `(…)` + the last 40 characters of the URL it reads.
 */
export type HfCliBarEvent = { readonly type: 'bar' } & Omit<TqdmBar, 'length'>;

export interface HfCliWarningEvent {
  readonly type: 'warning';
  readonly message: string;
}

/** Any line the parser does not know, ANSI stripped (tracebacks end up here too). */
export interface HfCliUnknownEvent {
  readonly type: 'unknown';
  readonly line: string;
}

export type HfCliEvent =
  | HfCliFetchingEvent
  | HfCliFileStartEvent
  | HfCliFileCompleteEvent
  | HfCliBarEvent
  | HfCliWarningEvent
  | HfCliUnknownEvent;

export interface HfCliResult {
  /** The snapshot folder (cache mode), the local dir, or the file of a single-file download. */
  readonly path: string | null;
}

export interface HfCliOutputParser {
  /** Feeds raw stderr; chunks may split anywhere, even inside a UTF-8 character or an escape sequence. */
  pushStderr(chunk: string | Uint8Array): HfCliEvent[];
  /** Feeds raw stdout. Returns warnings and unknown lines; path lines are kept for {@link result}. */
  pushStdout(chunk: string | Uint8Array): HfCliEvent[];
  /** Flushes what is left of both streams (a last line without `\n`). */
  end(): HfCliEvent[];
  /** The path the CLI printed: the last complete stdout line that names an absolute path (call after end()). */
  result(): HfCliResult;
}

const RESUME_SUFFIX_RE = /' \(resume from (\d+)\/(\d+)\)$/;
const FILE_COMPLETE_RE = /^Download complete\. Moving file to (.+)$/;
const FETCHING_LABEL_RE = /^Fetching (?:\d+|\.\.\.) files?$/;
const PY_WARNING_RE = /^(?:.*:\d+: )?([A-Z]\w*Warning: .*)$/;
const WARNING_RES: readonly RegExp[] = [
  // huggingface-cli deprecation (stdout, yellow) and py ≥1.11 `out.warning` (stderr).
  /^\W*Warning: /i,
  // http_get, py0.36: logger.warning(f"Error while downloading from {url}: {e}\nTrying to resume download...")
  /^Error while downloading from /,
  /^Trying to resume download/,
  /Falling back to regular HTTP download/,
  /^Still waiting to acquire lock on /,
  /^Not enough free disk space/,
];
const SEP = /[\\/]/;

interface PendingFile {
  readonly file: string;
  readonly etag: string | null;
  /** Where the file lands in local-dir mode (`/` separators), or null in cache mode. */
  readonly localDestination: string | null;
}

function basename(path: string): string {
  const parts = path.split(SEP);
  return parts[parts.length - 1] ?? '';
}

function etagOfIncomplete(incompletePath: string): string | null {
  const name = basename(incompletePath);
  if (!name.endsWith('.incomplete')) return null;
  const stem = name.slice(0, -'.incomplete'.length);
  // local-dir mode prefixes a short hash of the metadata name: `SHORTHASH.ETAG.incomplete`.
  const etag = stem.slice(stem.lastIndexOf('.') + 1);
  return etag === '' ? null : etag;
}

function localDestinationOf(file: string, incompletePath: string): string | null {
  const normalized = incompletePath.replaceAll('\\', '/');
  const marker = normalized.lastIndexOf('/.cache/huggingface/download/');
  return marker === -1 ? null : `${normalized.slice(0, marker)}/${file}`;
}

/**
 * `Downloading '<file>' to '<path>.incomplete'` plus ` (resume from N/SIZE)`, as
 * `/^Downloading '(.*)' to '(.*)'(?: \(resume from (\d+)\/(\d+)\))?$/` reads it (the file is
 * everything up to the last `' to '`), without that RegExp's quadratic backtracking on a line
 * full of `' to '`.
 */
export function parseFileStart(line: string): { file: string; incompletePath: string; resumeFrom?: string; expectedSize?: string } | null {
  const PREFIX = "Downloading '";
  if (!line.startsWith(PREFIX)) return null;
  let body = line.slice(PREFIX.length);
  const resume = RESUME_SUFFIX_RE.exec(body);
  if (resume) body = body.slice(0, resume.index);
  else if (body.endsWith("'")) body = body.slice(0, -1);
  else return null;
  const cut = body.lastIndexOf("' to '");
  if (cut === -1) return null;
  const file = body.slice(0, cut);
  const incompletePath = body.slice(cut + "' to '".length);
  return resume ? { file, incompletePath, resumeFrom: resume[1]!, expectedSize: resume[2]! } : { file, incompletePath };
}

function isAbsolutePath(text: string): boolean {
  return /^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(text);
}

/** The path in one stdout line of any CLI generation, or null. */
function pathOfStdoutLine(line: string): string | null {
  const text = line.trim();
  if (text === '') return null;
  if (isAbsolutePath(text)) return text;
  // py ≥1.11 human mode: `✓ Downloaded` then `  path: /abs/...`; agent mode: `path=/abs/...`.
  const keyed = /^path(?:: |=)(.+)$/.exec(text);
  if (keyed?.[1] && isAbsolutePath(keyed[1].trim())) return keyed[1].trim();
  if (text.startsWith('{') && text.includes('"path"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const path = (parsed as { path?: unknown } | null)?.path;
      if (typeof path === 'string' && isAbsolutePath(path)) return path;
    } catch {
      // not JSON after all
    }
  }
  return null;
}

/** Splits one stream into lines, tolerant of any chunking. */
class LineSplitter {
  #decoder = new TextDecoder('utf-8');
  #buffer = '';
  /** No separator starts before this index of #buffer (only the last ESC may still grow into one). */
  #scanFrom = 0;

  readonly #eagerBars: boolean;

  /** @param eagerBars also hand out a leading tqdm bar as soon as it is complete (stderr). */
  constructor(eagerBars: boolean) {
    this.#eagerBars = eagerBars;
  }

  /** Calls onPiece for every complete piece of text (a line, or a bar when eagerBars). */
  push(chunk: string | Uint8Array, onPiece: (piece: string) => void): void {
    if (typeof chunk === 'string') {
      this.#buffer += this.#decoder.decode() + chunk;
    } else {
      this.#buffer += this.#decoder.decode(chunk, { stream: true });
    }
    this.#drain(onPiece, false);
  }

  end(onPiece: (piece: string) => void): void {
    this.#buffer += this.#decoder.decode();
    this.#drain(onPiece, true);
  }

  #drain(onPiece: (piece: string) => void, final: boolean): void {
    for (;;) {
      const separator = this.#findSeparator();
      if (separator) {
        const piece = this.#buffer.slice(0, separator.index);
        this.#buffer = this.#buffer.slice(separator.index + separator.length);
        this.#scanFrom = 0;
        onPiece(piece);
        continue;
      }
      if (final) {
        const rest = this.#buffer;
        this.#buffer = '';
        this.#scanFrom = 0;
        if (rest !== '') onPiece(rest);
        return;
      }
      // A bar at position 0 of tqdm's stack is not followed by anything until its next redraw,
      // maybe seconds later; hand it out as soon as its closing `]` is here. Only when the text has
      // no ESC, so stripping cannot make the whole line read differently from this prefix.
      if (this.#eagerBars && !this.#buffer.includes('\x1b')) {
        const bar = parseTqdmBar(this.#buffer);
        if (bar) {
          const piece = this.#buffer.slice(0, bar.length);
          this.#buffer = this.#buffer.slice(bar.length);
          this.#scanFrom = 0;
          onPiece(piece);
          continue;
        }
      }
      return;
    }
  }

  #findSeparator(): { index: number; length: number } | null {
    const re = new RegExp(SEPARATOR_RE.source, 'g');
    re.lastIndex = this.#scanFrom;
    for (let match = re.exec(this.#buffer); match; match = re.exec(this.#buffer)) {
      if (!isColourSequence(match[0])) return { index: match.index, length: match[0].length };
    }
    const lastEsc = this.#buffer.lastIndexOf('\x1b');
    this.#scanFrom = lastEsc >= this.#scanFrom ? lastEsc : this.#buffer.length;
    return null;
  }
}

/**
 * Incremental, synchronous parser of `hf download` / `huggingface-cli download` output.
 *
 * The stream is cut into lines at `\r`, `\n` and cursor moves (`ESC[A`); a tqdm bar is also cut off
 * right after its closing `]`, because log lines from worker threads are glued to it. Each line
 * becomes one event. The events are the same however the input is chunked.
 */
export function createHfCliOutputParser(): HfCliOutputParser {
  const stderr = new LineSplitter(true);
  const stdout = new LineSplitter(false);
  const pending: PendingFile[] = [];
  let lastStdoutPath: string | null = null;

  function takePending(blobPath: string): PendingFile | undefined {
    const normalized = blobPath.replaceAll('\\', '/');
    const name = basename(blobPath);
    let index = pending.findIndex((p) => p.localDestination !== null && p.localDestination === normalized);
    if (index === -1) index = pending.findIndex((p) => p.localDestination === null && p.etag === name);
    if (index === -1) return undefined;
    return pending.splice(index, 1)[0];
  }

  function classifyLine(line: string, events: HfCliEvent[]): void {
    if (line.trim() === '') return;
    const start = parseFileStart(line);
    if (start) {
      const { file, incompletePath, resumeFrom, expectedSize } = start;
      const etag = etagOfIncomplete(incompletePath);
      pending.push({ file, etag, localDestination: localDestinationOf(file, incompletePath) });
      events.push({
        type: 'file-start',
        file,
        incompletePath,
        etag,
        ...(resumeFrom === undefined ? {} : { resumeFrom: Number(resumeFrom), expectedSize: Number(expectedSize) }),
      });
      return;
    }
    const complete = FILE_COMPLETE_RE.exec(line);
    if (complete) {
      const blobPath = (complete[1] ?? '').trim();
      const match = takePending(blobPath);
      const inBlobs = basename(blobPath.slice(0, blobPath.length - basename(blobPath).length - 1)) === 'blobs';
      const etag = match?.etag ?? (inBlobs ? basename(blobPath) : null);
      events.push({ type: 'file-complete', blobPath, etag, ...(match ? { file: match.file } : {}) });
      return;
    }
    const pyWarning = PY_WARNING_RE.exec(line);
    if (pyWarning?.[1]) {
      events.push({ type: 'warning', message: pyWarning[1].trim() });
      return;
    }
    if (WARNING_RES.some((re) => re.test(line))) {
      events.push({ type: 'warning', message: line.trim() });
      return;
    }
    events.push({ type: 'unknown', line });
  }

  function onStderrPiece(events: HfCliEvent[]) {
    return (piece: string): void => {
      let text = stripAnsi(piece);
      for (;;) {
        const bar = parseTqdmBar(text);
        if (!bar) break;
        if (FETCHING_LABEL_RE.test(bar.label)) {
          events.push({ type: 'fetching', done: bar.done, total: bar.total, rate: bar.rate });
        } else {
          const { length: _length, ...fields } = bar;
          events.push({ type: 'bar', ...fields });
        }
        text = text.slice(bar.length);
      }
      classifyLine(text.trimEnd(), events);
    };
  }

  function onStdoutPiece(events: HfCliEvent[]) {
    return (piece: string): void => {
      const line = stripAnsi(piece).trimEnd();
      if (line.trim() === '') return;
      const path = pathOfStdoutLine(line);
      if (path !== null) {
        lastStdoutPath = path;
        return;
      }
      // py ≥1.11 prints `✓ Downloaded` above the path.
      if (/^\s*✓ /.test(line)) return;
      classifyLine(line, events);
    };
  }

  return {
    pushStderr(chunk) {
      const events: HfCliEvent[] = [];
      stderr.push(chunk, onStderrPiece(events));
      return events;
    },
    pushStdout(chunk) {
      const events: HfCliEvent[] = [];
      stdout.push(chunk, onStdoutPiece(events));
      return events;
    },
    end() {
      const events: HfCliEvent[] = [];
      stdout.end(onStdoutPiece(events));
      stderr.end(onStderrPiece(events));
      return events;
    },
    result() {
      // Only complete lines count: an unterminated tail could be half a path. Call end() first.
      return { path: lastStdoutPath };
    },
  };
}
