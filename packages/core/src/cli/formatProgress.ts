import type { Fmt, Lang, Messages } from './messages.js';

const UNITS: Record<Lang, readonly string[]> = {
  en: ['B', 'kB', 'MB', 'GB', 'TB'],
  fa: ['بایت', 'کیلوبایت', 'مگابایت', 'گیگابایت', 'ترابایت'],
};

/** Numbers in the output language (Persian digits for `fa`); ids, paths and hashes are never passed here. */
export function createFmt(lang: Lang): Fmt {
  const locale = lang === 'fa' ? 'fa-IR' : 'en-US';
  const formatters = new Map<number, Intl.NumberFormat>();
  const nf = (digits: number) => {
    let f = formatters.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, useGrouping: true });
      formatters.set(digits, f);
    }
    return f;
  };
  const num = (n: number, digits = 0) => nf(digits).format(n);
  return {
    num: (n) => num(n, Number.isInteger(n) ? 0 : 1),
    // Decimal units, as the Hub shows sizes.
    bytes(n) {
      let v = Math.max(0, n);
      let i = 0;
      while (v >= 1000 && i < UNITS[lang].length - 1) {
        v /= 1000;
        i++;
      }
      const digits = i === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
      return `${num(v, digits)} ${UNITS[lang][i]}`;
    },
    duration(seconds) {
      const s = Math.max(0, Math.round(seconds));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      const sec = s % 60;
      const two = (x: number) => num(x).padStart(2, lang === 'fa' ? '۰' : '0');
      return h > 0 ? `${num(h)}:${two(m)}:${two(sec)}` : `${num(m)}:${two(sec)}`;
    },
  };
}

export function formatPercent(done: number, total: number, lang: Lang): string {
  const p = total > 0 ? Math.min(100, (done / total) * 100) : 100;
  const text = new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.floor(p * 10) / 10);
  return lang === 'fa' ? `${text}٪` : `${text}%`;
}

// Zero-width and bidi controls, combining marks: they take no column in a terminal.
const ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u0300-\u036F\u064B-\u065F\u0670]/g;

/** Terminal columns a string takes (close enough for Latin and Persian; no wide CJK in our data). */
export function displayWidth(text: string): number {
  return [...text.replace(ZERO_WIDTH, '')].length;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Left-aligned columns separated by two spaces; the last column is never padded. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : padEnd(cell, widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Keeps the end of a long path (the file name is what matters): `…/medium/fa_IR-amir-medium.onnx`. */
export function truncateStart(text: string, max: number): string {
  if (max <= 1) return '';
  const chars = [...text];
  return chars.length <= max ? text : `…${chars.slice(chars.length - (max - 1)).join('')}`;
}

export interface ProgressState {
  readonly done: number;
  readonly total: number | null;
  /** bytes per second; null leaves it out (a finished line) */
  readonly speed: number | null;
  /** seconds; null when unknown */
  readonly eta: number | null;
  readonly file: string | null;
}

/** `42.3%  26.8 MB / 63.5 MB  2.1 MB/s  ETA 0:17  fa/fa_IR/amir/medium/x.onnx` */
export function formatProgressLine(p: ProgressState, lang: Lang, msg: Messages, fmt: Fmt, maxWidth = Infinity): string {
  const parts: string[] = [];
  if (p.total !== null) parts.push(formatPercent(p.done, p.total, lang).padStart(6), `${fmt.bytes(p.done)} ${msg.progressOf} ${fmt.bytes(p.total)}`);
  else parts.push(fmt.bytes(p.done));
  if (p.speed !== null) parts.push(`${fmt.bytes(p.speed)}${msg.perSecond}`);
  if (p.eta !== null) parts.push(`${msg.eta} ${fmt.duration(p.eta)}`);
  const head = parts.join('  ');
  if (!p.file) return head;
  const room = maxWidth - displayWidth(head) - 2;
  if (room < 8) return head;
  return `${head}  ${truncateStart(p.file, room)}`;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * One live progress line on stderr. On a TTY it is redrawn in place with `\r` (and cut to the
 * terminal width so it never wraps); otherwise a plain line is printed at most once a second,
 * which keeps logs and CI output readable.
 */
export class ProgressReporter {
  #lastPrintAt = -Infinity;
  #pending = false;
  #last: ProgressState | null = null;

  constructor(
    private readonly stream: ProgressStream,
    private readonly lang: Lang,
    private readonly msg: Messages,
    private readonly fmt: Fmt,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMs = 1000,
  ) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  update(p: ProgressState, force = false): void {
    this.#last = p;
    const t = this.now();
    if (this.isTTY) {
      // A pty without a window size reports 0 columns: assume 80.
      const width = Math.max(20, (this.stream.columns || 80) - 1);
      this.stream.write(`\r${formatProgressLine(p, this.lang, this.msg, this.fmt, width)}\x1b[K`);
      this.#pending = true;
      return;
    }
    if (!force && t - this.#lastPrintAt < this.intervalMs) return;
    this.#lastPrintAt = t;
    this.stream.write(`${formatProgressLine(p, this.lang, this.msg, this.fmt)}\n`);
  }

  /** Ends the live line so the next message starts on a fresh line. */
  break(): void {
    if (this.#pending) this.stream.write('\n');
    this.#pending = false;
  }

  /** Prints the final state (even inside the one-second window) and ends the line. */
  finish(p: ProgressState | null = this.#last): void {
    if (p) this.update(p, true);
    this.break();
  }

  /** A message line that does not collide with the live line. */
  line(text: string): void {
    this.break();
    this.stream.write(`${text}\n`);
  }
}

/** Smoothed speed for progress we measure ourselves (export). */
export class SpeedMeter {
  #lastAt: number;
  #lastBytes = 0;
  #speed = 0;

  constructor(private readonly now: () => number = () => Date.now()) {
    this.#lastAt = now();
  }

  sample(bytes: number): number {
    const t = this.now();
    const dt = (t - this.#lastAt) / 1000;
    if (dt >= 0.25) {
      const instant = Math.max(0, bytes - this.#lastBytes) / dt;
      this.#speed = this.#speed === 0 ? instant : 0.3 * instant + 0.7 * this.#speed;
      this.#lastAt = t;
      this.#lastBytes = bytes;
    }
    return Math.round(this.#speed);
  }
}
