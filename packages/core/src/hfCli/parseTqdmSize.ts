/**
 * Parsers for the numbers tqdm prints. With `unit_scale=True` tqdm's `format_sizeof` uses an SI
 * divisor of 1000 and the suffixes `'' k M G T P E Z` (then `Y`), three significant digits, and no
 * unit on `n/total` (`7.55M/7.55M`); the rate carries the unit (`6.24MB/s`) and is inverted below
 * one unit per second (`1.23s/B`). All functions return null instead of throwing.
 */

const SI_EXPONENT: Readonly<Record<string, number>> = {
  '': 0,
  k: 3,
  K: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
  Z: 21,
  Y: 24,
};

const SIZE_RE = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([kKMGTPEZY]?)$/;

/**
 * `'10.1M'` → `10_100_000`, `'315k'` → `315_000`, `'99.0'` → `99`, `'?'` → `null`.
 * Decimal scaling goes through the number literal (`'7.55e6'`) so `7.55M` is exactly `7_550_000`,
 * not `7550000.000000001`.
 */
export function parseTqdmSize(text: string): number | null {
  const match = SIZE_RE.exec(text.trim());
  if (!match) return null;
  const exponent = SI_EXPONENT[match[2] ?? ''] ?? 0;
  const value = Number(`${match[1]}e${exponent}`);
  return Number.isFinite(value) ? value : null;
}

export interface TqdmRate {
  /** Units per second, or null when tqdm printed `?` (no rate yet). */
  readonly perSecond: number | null;
  /** The unit tqdm was given: `B` for byte bars, `it` for the Fetching bar. */
  readonly unit: string;
}

const RATE_RE = /^([0-9.]+[kKMGTPEZY]?|\?)([A-Za-z]+)\/s$/;
const INVERTED_RATE_RE = /^([0-9.]+[kKMGTPEZY]?|\?)s\/([A-Za-z]+)$/;

/** Like {@link parseTqdmRate} but also says which unit the rate counts. */
export function parseTqdmRateWithUnit(text: string): TqdmRate | null {
  const trimmed = text.trim();
  const direct = RATE_RE.exec(trimmed);
  if (direct) {
    const [, amount = '', unit = ''] = direct;
    return { perSecond: amount === '?' ? null : parseTqdmSize(amount), unit };
  }
  const inverted = INVERTED_RATE_RE.exec(trimmed);
  if (inverted) {
    const [, amount = '', unit = ''] = inverted;
    const secondsPerUnit = amount === '?' ? null : parseTqdmSize(amount);
    return { perSecond: secondsPerUnit ? 1 / secondsPerUnit : null, unit };
  }
  return null;
}

/**
 * `'20.0MB/s'` → `20_000_000`, `'227kB/s'` → `227_000`, `'1.23s/B'` → `1 / 1.23`,
 * `'53.38it/s'` → `53.38`, `'?B/s'` → `null`.
 */
export function parseTqdmRate(text: string): number | null {
  return parseTqdmRateWithUnit(text)?.perSecond ?? null;
}

const INTERVAL_RE = /^(?:(\d+):)?(\d+):(\d{2})$/;

/** tqdm's `format_interval`: `'00:01'` → 1, `'1:02:03'` → 3723, `'?'` → null. */
export function parseTqdmInterval(text: string): number | null {
  const match = INTERVAL_RE.exec(text.trim());
  if (!match) return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
