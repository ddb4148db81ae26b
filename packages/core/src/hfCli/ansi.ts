/**
 * ANSI handling shared by the output parser and the error mapper.
 *
 * Only sequences that start with ESC are touched: the parser's chunk-boundary guarantee relies on
 * stripping never changing text that contains no ESC.
 */

// CSI: ESC [ params intermediates final. The three byte ranges do not overlap, so a CSI found in
// a partial buffer is the same CSI the whole stream would contain.
const CSI = '\\x1b\\[[0-?]*[ -/]*[@-~]';
// OSC (window titles, hyperlinks): ESC ] ... BEL | ESC \
const OSC = '\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)';
// Two-byte escapes (ESC 7, ESC M, ...), then any ESC left over from a broken sequence.
const SHORT = '\\x1b[@-Z\\\\-_78=>c]';

const STRIP_RE = new RegExp(`${OSC}|${CSI}|${SHORT}|\\x1b`, 'g');

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(STRIP_RE, '') : text;
}

/**
 * Line separators in CLI output: `\r` (tqdm redraw), `\n`, and every complete CSI that is not a
 * colour (`ESC[A` is how tqdm moves between stacked bars, so it ends a bar just like `\r`).
 */
export const SEPARATOR_RE = new RegExp(`\\r|\\n|${CSI}`, 'g');

export function isColourSequence(sequence: string): boolean {
  return sequence.length > 2 && sequence.startsWith('\x1b[') && sequence.endsWith('m');
}
