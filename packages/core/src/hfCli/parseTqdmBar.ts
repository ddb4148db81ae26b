import { parseTqdmInterval, parseTqdmRateWithUnit, parseTqdmSize } from './parseTqdmSize.js';

export interface TqdmBar {
  /** The bar's `desc`: a file name, `(…)` + the tail of a URL, or `Fetching N files`. `''` if none. */
  readonly label: string;
  /** The percentage tqdm printed (0–100), or null for a bar without a total. */
  readonly percent: number | null;
  /** Units done: bytes for byte bars, files for the Fetching bar. */
  readonly done: number;
  /** Units expected, or null when tqdm does not know. */
  readonly total: number | null;
  /** Units per second, or null while tqdm still prints `?`. */
  readonly rate: number | null;
  /** `B` for byte bars, `it` for the Fetching bar. */
  readonly unit: string;
  /** Seconds since the bar started. */
  readonly elapsed: number | null;
  /** tqdm's own estimate of seconds left, or null (`?`, or no total). */
  readonly remaining: number | null;
  /** How many characters of the input line the bar used; whatever follows is another line. */
  readonly length: number;
}

/*
 * tqdm's default format is
 *   `{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}{postfix}]`
 * and without a total `{desc}: {n_fmt} [{elapsed}, {rate_fmt}{postfix}]`.
 *
 * No part of the pattern can cross a `]`, so every match ends at the first `]` of the line. That is
 * what makes early matching safe: once a stream holds text up to that `]`, more text can neither
 * change nor extend the match. A bar line has no `\n`, and log lines from other threads are glued
 * straight after the `]`.
 */
const BAR_RE =
  /^(?:([^\]]{0,512}?): ?)? *(?:(\d{1,3})%\|([^|\]]*)\| *)?([0-9.]+[kKMGTPEZY]?)(?:\/([0-9.]+[kKMGTPEZY]?|\?))? \[ *((?:\d+:)?\d+:\d\d)(?:<([^,\]]*))?, *([^\],]*?)(?:,[^\]]*)? *\]/;

/**
 * Longest bar considered: a label (hf cuts file names to 40 characters) and a bar as wide as the
 * widest terminal. The RegExp backtracks polynomially on long text that almost looks like a bar
 * (a second at 1000 characters without a `]`), so it only ever sees this much, cut at the first `]`
 * (no match reaches past it), and the label is bounded too.
 */
const MAX_BAR_LENGTH = 4096;

/** Parses a tqdm bar at the start of `line` (ANSI already stripped), or returns null. */
export function parseTqdmBar(line: string): TqdmBar | null {
  const close = (line.length > MAX_BAR_LENGTH ? line.slice(0, MAX_BAR_LENGTH) : line).indexOf(']');
  if (close === -1) return null;
  const match = BAR_RE.exec(line.slice(0, close + 1));
  if (!match) return null;
  const [whole, label = '', percent, , doneText = '', totalText, elapsed = '', remaining, rateText = ''] = match;
  const done = parseTqdmSize(doneText);
  if (done === null) return null;
  const rate = parseTqdmRateWithUnit(rateText.trim());
  if (!rate) return null;
  return {
    label: label.trim(),
    percent: percent === undefined ? null : Number(percent),
    done,
    total: totalText === undefined ? null : parseTqdmSize(totalText),
    rate: rate.perSecond,
    unit: rate.unit,
    elapsed: parseTqdmInterval(elapsed),
    remaining: remaining === undefined ? null : parseTqdmInterval(remaining),
    length: whole.length,
  };
}
